export { PRIOR_SCALES } from './types.js';
export type {
  ElicitOptions,
  PopulationPrior,
  PriorCandidate,
  PriorOutcome,
  PriorPatient,
  PriorProvider,
  PriorRequest,
  PriorScale,
  PriorSource,
} from './types.js';
export { scaleForFamily, validatePopulationPrior, validatePriorRequest } from './request.js';
export {
  MIGRAINE_CANDIDATES,
  MIGRAINE_OUTCOME,
  MIGRAINE_PRIOR_TABLE,
  migrainePriorRequest,
  staticPriorProvider,
  validateStaticPriorTable,
} from './static.js';
export type { StaticFeatureCondition, StaticPriorEntry, StaticPriorTable } from './static.js';
export { elicitationMessages, openAICompatiblePriorProvider, parseElicitedEffects } from './openai.js';
export type { ElicitedEffect, FetchLike, OpenAICompatibleOptions } from './openai.js';
export { ensemblePriorProvider } from './ensemble.js';
export type { EnsembleOptions } from './ensemble.js';
export { cachedPriorProvider, priorCacheKey } from './cached.js';
export type { PriorCache } from './cached.js';
export { learnedEffectPrior, learnedPriorProvider } from './learned.js';
export type { LearnedEffectPrior, LearnedEffectPriorOptions, LearnedPriorData, LearnedPriorProviderOptions } from './learned.js';
