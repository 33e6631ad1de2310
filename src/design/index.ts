export { designTrial } from './design.js';
export { isWashoutDay, periodOfDay, treatmentOnDay } from './lookup.js';
export {
  type DesignOptions,
  MAX_DESIGN_PERIODS,
  MAX_DESIGN_TREATMENTS,
  RANDOMIZATIONS,
  type ResolvedDesignOptions,
  resolveDesignOptions,
} from './options.js';
export type { Randomization, TrialDesign, TrialPeriod } from './types.js';
export { williamsSquare } from './williams.js';
