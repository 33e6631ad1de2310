export { rankCandidates } from './rank.js';
export type { CandidateRanking, RankCandidatesOptions, RankedCandidate } from './rank.js';
export { planValidation } from './plan.js';
export type { PlanValidationOptions, ValidationDecision } from './plan.js';
export { startPersonalization, updatePersonalization } from './personalize.js';
export type {
  CandidateConflict,
  CandidateUpdate,
  PersonalizationPlan,
  PersonalizationSettings,
  PersonalizationTrialOptions,
  PersonalizationUpdate,
  StartPersonalizationInput,
  UpdatePersonalizationOptions,
} from './personalize.js';
export { migrainePriorToLogOdds, simulateMigraineDiary } from './simulate.js';
export type { MigrainePriorToLogOddsOptions, SimulateMigraineDiaryOptions } from './simulate.js';
export { startPersonalizationFrom } from './provider.js';
export type { StartPersonalizationFromInput } from './provider.js';
