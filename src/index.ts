/**
 * n1kit: personalised health interventions in TypeScript. Population priors from foundation
 * models, N-of-1 trial design and analysis, Bayesian updating, adaptive allocation and
 * on-device privacy.
 *
 * The root exports exactly the public API, grouped as in the docs. Numerical kernels
 * (`cdfRaw`, `gammaP`, `solveMonotone`, `samplePolyaGamma`, ...) stay internal; the migraine
 * demo data live in `n1kit/demo`; Node-only adapters in `n1kit/node`; the Web Worker helper
 * in `n1kit/worker`. Every module is side-effect free: a bundler keeps only what an app uses.
 *
 * @packageDocumentation
 */

// errors
export { ConvergenceError, isN1kitError, N1kitError, ProviderError, ValidationError } from './errors.js';
export type { N1kitErrorCode, N1kitErrorDetails } from './errors.js';

// random numbers
export { createRng, restoreRng } from './rng/index.js';
export type { Rng, RngState, Seed } from './rng/index.js';

// distributions
export {
  beta,
  cdf,
  DIST_FAMILIES,
  gamma,
  halfNormal,
  invGamma,
  logPdf,
  logSumExp,
  mean,
  mixture,
  normal,
  pdf,
  quantile,
  sample,
  sampleMany,
  sd,
  studentT,
  uniform,
  validateDist,
  variance,
} from './distributions/index.js';
export type { Dist, DistFamily, DistOf, MixtureComponent } from './distributions/index.js';

// trial design
export {
  DESIGN_RANDOMIZATIONS,
  designSummary,
  designToCsv,
  designToICalendar,
  designTrial,
  isWashoutDay,
  MAX_DESIGN_PERIODS,
  MAX_DESIGN_TREATMENTS,
  periodOfDay,
  treatmentOnDay,
  validateDesign,
  williamsSquare,
} from './design/index.js';
export type {
  DesignCsvOptions,
  DesignICalendarOptions,
  DesignOptions,
  DesignSummary,
  Randomization,
  TrialDesign,
  TrialPeriod,
} from './design/index.js';

// Bayesian core
export {
  countPredictiveCdf,
  countPredictivePmf,
  effectiveSampleSize,
  logMarginalLikelihood,
  normalInverseGamma,
  normalInverseGammaMarginals,
  predictive,
  priorDataConflict,
  probabilityBetterNormal,
  probabilityOfBest,
  robustify,
  summarize,
  updateBinomial,
  updateNormal,
  updateNormalUnknownVariance,
  updatePoisson,
} from './bayes/index.js';
export type {
  BetterIs,
  BinomialCountData,
  ConjugateData,
  CountPredictive,
  EffectiveSampleSizeOptions,
  NormalInverseGamma,
  NormalInverseGammaUpdate,
  NormalMeanData,
  NormalSampleData,
  PoissonCountData,
  PosteriorSummary,
  PredictiveOptions,
  PriorDataConflict,
  PriorDataConflictOptions,
  ProbabilityOfBestOptions,
  RobustifyOptions,
  SummarizeOptions,
} from './bayes/index.js';

// N-of-1 models
export { analyzeSeries, analyzeTrial, essBulk, essTail, posteriorPredictive, seriesToPrior, splitRhat } from './models/index.js';
export type {
  AnalyzeSeriesInput,
  AnalyzeTrialInput,
  EffectSummary,
  McmcDiagnostics,
  SamplerInfo,
  McmcOptions,
  ParameterDiagnostics,
  PopulationEffectSummary,
  PosteriorPredictive,
  PosteriorPredictiveOptions,
  PredictiveSummary,
  SeriesAnalysis,
  SeriesToPriorOptions,
  SeriesTrial,
  TrialAnalysis,
  TrialDraws,
  TrialModelOptions,
  TrialObservation,
  TrialOutcome,
  TrialPriors,
} from './models/index.js';

// priors (`elicitationMessages` / `parseElicitedEffects`: bring your own LLM client)
export {
  cachedPriorProvider,
  elicitationMessages,
  ensemblePriorProvider,
  migrainePriorRequest,
  openAICompatiblePriorProvider,
  parseElicitedEffects,
  PRIOR_SCALES,
  priorCacheKey,
  scaleForFamily,
  staticPriorProvider,
  validatePopulationPrior,
  validatePriorRequest,
  validateStaticPriorTable,
} from './prior/index.js';
export type {
  ElicitedEffect,
  ElicitOptions,
  EnsembleOptions,
  FetchLike,
  OpenAICompatibleOptions,
  PopulationPrior,
  PriorCache,
  PriorCandidate,
  PriorOutcome,
  PriorPatient,
  PriorProvider,
  PriorRequest,
  PriorScale,
  PriorSource,
  StaticFeatureCondition,
  StaticPriorEntry,
  StaticPriorTable,
} from './prior/index.js';

// the pipeline (`simulateMigraineDiary` and `migrainePriorToLogOdds` stay here for the README quick start; also in `n1kit/demo`)
export { planValidation, rankCandidates, simulateMigraineDiary, startPersonalization, updatePersonalization } from './hybrid/index.js';
export { migrainePriorToLogOdds } from './hybrid/index.js';
export type { MigrainePriorToLogOddsOptions } from './hybrid/index.js';
export type {
  CandidateConflict,
  CandidateRanking,
  CandidateUpdate,
  PersonalizationPlan,
  PersonalizationSettings,
  PersonalizationTrialOptions,
  PersonalizationUpdate,
  PlanValidationOptions,
  RankCandidatesOptions,
  RankedCandidate,
  SimulateMigraineDiaryOptions,
  StartPersonalizationInput,
  UpdatePersonalizationOptions,
  ValidationDecision,
} from './hybrid/index.js';

// adaptive allocation
export {
  adaptiveNof1,
  applyAllocationControls,
  bernoulliBandit,
  epsilonGreedy,
  gaussianBandit,
  linearBandit,
  linearThompson,
  linUCB,
  logisticThompson,
  offPolicyEvaluate,
  restorePolicy,
  simulatePolicy,
  softmax,
  thompsonSampling,
  topTwoThompson,
  ucb1,
} from './adaptive/index.js';
export type {
  AdaptiveNof1Analysis,
  AdaptiveNof1Decision,
  AdaptiveNof1Options,
  AllocationControls,
  ArmPosterior,
  BanditEnvironment,
  BanditFeedback,
  BanditPolicy,
  BanditSelection,
  BetaPrior,
  ContextualOptions,
  EpsilonGreedyOptions,
  JsonValue,
  LinearThompsonOptions,
  LinearThompsonPolicy,
  LinUcbOptions,
  LoggedDecision,
  LogisticThompsonOptions,
  NormalInverseGammaPrior,
  OffPolicyEstimate,
  OffPolicyOptions,
  OffPolicyResult,
  PolicyBaseOptions,
  PolicyName,
  PolicySimulation,
  PolicyState,
  ResolvedAllocationControls,
  RewardModel,
  SimulatePolicyOptions,
  SoftmaxOptions,
  ThompsonOptions,
  ThompsonPolicy,
  TopTwoThompsonOptions,
  Ucb1Options,
} from './adaptive/index.js';

// privacy
export {
  analyticGaussianSigma,
  createEncryptedStore,
  createMemoryBackend,
  createPrivacyAccountant,
  DecryptionError,
  DEFAULT_KDF_ITERATIONS,
  minimizeFeatures,
  PrivacyBudgetError,
  privateEffectEstimate,
  privateMean,
  projectFeatures,
  restorePrivacyAccountant,
} from './privacy/index.js';
export type {
  AnalyticGaussianOptions,
  CompositionRule,
  DecryptionFailure,
  EncryptedStore,
  EncryptedStoreKdf,
  EncryptedStoreOptions,
  ImportBackupOptions,
  PatientFeatures,
  PrivacyAccountant,
  PrivacyAccountantOptions,
  PrivacyAccountantState,
  PrivacyCost,
  PrivacyLoss,
  PrivacyMechanism,
  PrivateEffectOptions,
  PrivateMeanOptions,
  PrivateRelease,
  ProjectFeaturesOptions,
  StorageBackend,
} from './privacy/index.js';
export { createIndexedDbBackend } from './privacy/indexeddb.js';
export type { IndexedDbBackend, IndexedDbBackendOptions } from './privacy/indexeddb.js';

// plots (Vega-Lite specs as plain JSON; rendering them needs the optional `vega` peers)
export {
  plotDiary,
  plotForest,
  plotOutcomes,
  planningPoints,
  plotPlanningCurve,
  plotPosterior,
  plotPowerCurve,
  plotPriorPosterior,
  plotRanking,
  plotSchedule,
  VEGA_LITE_SCHEMA,
} from './plot/index.js';
export type {
  DensityCurve,
  DiaryDeviation,
  DiaryPoint,
  ForestItem,
  PlanningPoint,
  PlotObservation,
  PlotOptions,
  PlotPosteriorInput,
  PlotRankingItem,
  ReferenceLine,
  ReportPlotOptions,
  VegaLiteSpec,
} from './plot/index.js';

// ---------------------------------------------------------------------------------------
// Modules of the second wave: append one line per module below this marker, e.g.
//   export * from './data/index.js';
// (keep each barrel's names unique across the package; internals stay out of the barrel).
// ---------------------------------------------------------------------------------------

// the population learns from private releases
export * from './population/index.js';
export { learnedEffectPrior, learnedPriorProvider } from './prior/index.js';
export type { LearnedEffectPrior, LearnedEffectPriorOptions, LearnedPriorData, LearnedPriorProviderOptions } from './prior/index.js';
export { startPersonalizationFrom } from './hybrid/index.js';
export type { StartPersonalizationFromInput } from './hybrid/index.js';
export { privateEffectForPooling } from './privacy/index.js';
export type { PoolableRelease, PoolingSdRelease, PrivateEffectForPoolingOptions } from './privacy/index.js';

// tables in: CSV/TSV diaries and long-format series
export * from './data/index.js';

// planning by simulation (the Node worker-thread pool is in n1kit/node, the queue in n1kit/queue)
export * from './simulate/index.js';
