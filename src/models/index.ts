/**
 * N-of-1 analysis models: one patient's trial (normal, binomial, Poisson; AR(1), trend),
 * series of trials, the MCMC engine and its diagnostics.
 *
 * @packageDocumentation
 */
export { analyzeTrial } from './trial.js';
export { essBulk, essTail, splitRhat } from './diagnostics.js';
export { samplePolyaGamma } from './samplers.js';
export type {
  AnalyzeTrialInput,
  EffectSummary,
  McmcDiagnostics,
  McmcOptions,
  ParameterDiagnostics,
  SamplerInfo,
  TrialAnalysis,
  TrialDraws,
  TrialModelOptions,
  TrialObservation,
  TrialOutcome,
  TrialPriors,
} from './types.js';
export { analyzeSeries, seriesToPrior } from './series.js';
export type {
  AnalyzeSeriesInput,
  PopulationEffectSummary,
  SeriesAnalysis,
  SeriesToPriorOptions,
  SeriesTrial,
} from './series.js';
export { posteriorPredictive } from './predictive.js';
export type { PosteriorPredictive, PosteriorPredictiveOptions, PredictiveSummary } from './predictive.js';
