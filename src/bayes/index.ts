/**
 * Bayesian core: conjugate and mixture-conjugate updating of a population (LFM) prior with one
 * person's data, normal–inverse-gamma updating, robust mixture priors, effective sample size,
 * prior–data conflict, posterior summaries, predictive distributions and the probability that
 * a treatment is best.
 *
 * @packageDocumentation
 */
export { logMarginalLikelihood, updateBinomial, updateNormal, updatePoisson } from './conjugate.js';
export type { BetterIs, BinomialCountData, ConjugateData, NormalMeanData, PoissonCountData } from './types.js';
export {
  normalInverseGamma,
  normalInverseGammaMarginals,
  updateNormalUnknownVariance,
} from './nig.js';
export type { NormalInverseGamma, NormalInverseGammaUpdate, NormalSampleData } from './nig.js';
export { robustify } from './robustify.js';
export type { RobustifyOptions } from './robustify.js';
export { effectiveSampleSize } from './ess.js';
export type { EffectiveSampleSizeOptions } from './ess.js';
export { priorDataConflict } from './conflict.js';
export type { PriorDataConflict, PriorDataConflictOptions } from './conflict.js';
export { countPredictiveCdf, countPredictivePmf, predictive } from './predictive.js';
export type { CountPredictive, PredictiveOptions } from './predictive.js';
export { summarize } from './summarize.js';
export type { PosteriorSummary, SummarizeOptions } from './summarize.js';
export { probabilityBetterNormal, probabilityOfBest } from './best.js';
export type { ProbabilityOfBestOptions } from './best.js';
