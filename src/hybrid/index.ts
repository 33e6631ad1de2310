export { rankCandidates } from './rank.js';
export type { CandidateRanking, RankCandidatesOptions, RankedCandidate } from './rank.js';
export { planValidation } from './plan.js';
export type { PlanValidationOptions, ValidationDecision } from './plan.js';
