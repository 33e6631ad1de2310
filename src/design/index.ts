export { designTrial } from './design.js';
export { type DesignCsvOptions, type DesignICalendarOptions, designToCsv, designToICalendar } from './export.js';
export { isWashoutDay, periodOfDay, treatmentOnDay } from './lookup.js';
export {
  type DesignOptions,
  MAX_DESIGN_PERIODS,
  MAX_DESIGN_TREATMENTS,
  DESIGN_RANDOMIZATIONS,
  type ResolvedDesignOptions,
  resolveDesignOptions,
} from './options.js';
export { type DesignSummary, designSummary } from './summary.js';
export type { Randomization, TrialDesign, TrialPeriod } from './types.js';
export { validateDesign } from './validate-design.js';
export { williamsSquare } from './williams.js';
