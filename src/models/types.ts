import type { TrialDesign } from '../design/types.js';
import type { Dist } from '../distributions/index.js';
import type { Seed } from '../rng/index.js';

/** One diary entry: the outcome on `day` (0 = trial start). */
export type TrialObservation = {
  /** Day of the trial (integer, 0-based) the value was recorded on. */
  day: number;
  /** Normal: the measurement; binomial: successes (integer ≤ trials); Poisson: a count ≥ 0. */
  value: number;
  /** Binomial only: number of trials behind `value` (positive integer). */
  trials?: number;
  /** Poisson only: exposure (e.g. days observed); the rate is per unit of exposure. @defaultValue 1 */
  exposure?: number;
};

/** The outcome families {@link analyzeTrial} fits. */
export type TrialOutcome = 'normal' | 'binomial' | 'poisson';

/** Priors of {@link analyzeTrial}. Every field is optional; defaults are stated per field. */
export interface TrialPriors {
  /**
   * Prior of each non-reference treatment's effect (treatment minus reference, on the link
   * scale): a `normal` Dist or a `mixture` of normals (e.g. the LFM's population prior).
   * @defaultValue normal: N(0, 2.5·sd(y)); binomial and Poisson: N(0, 2.5) on the log-odds / log-rate scale.
   *   When neither `effects` nor `intercept` is given, the defaults are symmetric between arms:
   *   each arm's level is α + u_k with u_k ~ N(0, s/√2) for every arm (the reference included), so
   *   each effect has the N(0, s) above, effects share a correlation of 1/2, and choosing another
   *   reference mirrors the result. Given either, the priors are independent in the reference coding.
   */
  effects?: Record<string, Dist>;
  /**
   * Prior of the reference arm's mean on the link scale (normal or mixture of normals).
   * @defaultValue normal: N(mean(y), 10·sd(y)); binomial: N(0, 2.5); Poisson: N(log((Σy + 0.5)/Σexposure), 2.5)
   *   (with the symmetric default of `effects`, this is α's prior and the reference's level is α + u_ref)
   */
  intercept?: Dist;
  /**
   * Normal outcome: prior of the residual variance σ², `invGamma` (conjugate) or `halfNormal`
   * (then it is the prior of σ itself, not σ²).
   * @defaultValue InvGamma(shape 1, scale var(y)/2): about two pseudo-observations at the sample variance
   */
  variance?: Dist;
  /** AR(1) coefficient prior on (−1, 1): `uniform`, `normal`, `beta` (on (ρ+1)/2) or a mixture. @defaultValue uniform(−1, 1) */
  rho?: Dist;
  /** Linear trend (per day) prior, normal or mixture of normals. @defaultValue N(0, 2.5·sd(y)/sd(day)) (normal), N(0, 2.5/sd(day)) otherwise */
  trend?: Dist;
}

/** Model options of {@link analyzeTrial}. */
export interface TrialModelOptions {
  /** AR(1) errors with stationary start (normal outcome only). @defaultValue false */
  autocorrelation?: boolean;
  /** A linear time trend in the day (centred at the mean observed day). @defaultValue false */
  trend?: boolean;
  /** Keep observations made during washout days. @defaultValue false */
  includeWashout?: boolean;
  /**
   * Normal outcome: the residual standard deviation when it is known. Then the posterior is
   * computed in closed form (`method: 'exact'`) unless `autocorrelation` is on.
   * @defaultValue undefined (σ is estimated with the `priors.variance` prior)
   */
  sigma?: number;
}

/** MCMC options. */
export interface McmcOptions {
  /** Number of chains, each on its own forked RNG stream. @defaultValue 4 */
  chains?: number;
  /** Draws kept per chain after warm-up. @defaultValue 1000 */
  draws?: number;
  /** Warm-up iterations per chain (discarded; Metropolis steps adapt during it). @defaultValue 500 */
  warmup?: number;
  /** Seed of the chains' RNG. @defaultValue 1 */
  seed?: Seed;
  /** Throw `ConvergenceError` when the diagnostics fail. @defaultValue false */
  strict?: boolean;
  /** Largest acceptable split R-hat. @defaultValue 1.01 */
  maxRhat?: number;
  /** Smallest acceptable bulk and tail ESS. @defaultValue 100 × chains */
  minEss?: number;
  /** Return the posterior draws (needed by {@link posteriorPredictive}). @defaultValue false */
  keepDraws?: boolean;
  /**
   * Called after each chain with the number of chains done and the total, e.g. to drive a
   * progress bar. Not part of the result; errors it throws propagate.
   * @defaultValue none
   */
  onProgress?: (chainsDone: number, chains: number) => void;
}

/** Input of {@link analyzeTrial}. */
export interface AnalyzeTrialInput {
  /** The trial's schedule (from `designTrial` or a literal of the same shape). */
  design: TrialDesign;
  /** The diary: daily or one per period; washout days dropped unless `model.includeWashout`; missing days simply absent. */
  observations: TrialObservation[];
  /** Outcome family: `normal` (identity link), `binomial` (logit), `poisson` (log, with exposure). */
  outcome: TrialOutcome;
  /** The control arm, e.g. 'placebo'. */
  reference: string;
  /** Whether a higher or a lower outcome is better (sets P(better), P(clinically better), P(best)). */
  betterIs: 'higher' | 'lower';
  /** Priors; every field optional, defaults in {@link TrialPriors}. */
  priors?: TrialPriors;
  /** AR(1), trend, washout and known-σ options. */
  model?: TrialModelOptions;
  /**
   * Minimal clinically important difference per treatment, on the outcome's natural scale:
   * normal: difference in means; binomial: difference in probability; Poisson: difference in
   * expected count per unit of exposure (both at the reference arm's level at the centre of
   * the trial). Only the magnitude is used; the direction comes from `betterIs`.
   */
  thresholds?: Record<string, number>;
  mcmc?: McmcOptions;
}

/** Posterior summary of one effect (treatment minus reference, on the link scale). */
export interface EffectSummary {
  /** Posterior mean. */
  readonly mean: number;
  /** Posterior standard deviation. */
  readonly sd: number;
  /** Posterior median. */
  readonly median: number;
  /** Central 95% credible interval. */
  readonly interval: readonly [number, number];
  /** P(the treatment is better than the reference). */
  readonly probBetter: number;
  /** P(better by at least the threshold, on the natural scale); present when a threshold was given. */
  readonly probClinicallyBetter?: number;
}

/** Diagnostics of one sampled parameter. */
export interface ParameterDiagnostics {
  /** Rank-normalised split R-hat (NaN for a constant parameter, or when its draws are not finite). */
  readonly rhat: number;
  /** Bulk effective sample size. */
  readonly essBulk: number;
  /** Tail effective sample size (of the 5% and 95% quantiles, the smaller). */
  readonly essTail: number;
}

/** MCMC diagnostics (Vehtari et al. 2021). */
export interface McmcDiagnostics {
  /** Rank-normalised split R-hat per effect (keyed by treatment). */
  readonly rhat: Record<string, number>;
  /** min(bulk ESS, tail ESS) per effect (keyed by treatment). */
  readonly ess: Record<string, number>;
  /** Every sampled parameter ('intercept', 'effect[magnesium]', 'sigma', 'rho', 'trend', ...). */
  readonly parameters: Record<string, ParameterDiagnostics>;
  /** True when every parameter has R-hat ≤ maxRhat and bulk and tail ESS ≥ minEss. */
  readonly converged: boolean;
  /** Why not converged (empty when converged). */
  readonly reasons: readonly string[];
  readonly chains: number;
  readonly draws: number;
  readonly warmup: number;
  /** Which sampler produced the draws (analyzeTrial), and its own diagnostics. */
  readonly sampler?: SamplerInfo;
}

/**
 * The sampler analyzeTrial used. `'independence-mh'`: binomial/Poisson without AR(1), the
 * likelihood collapsed to sufficient statistics per distinct design row, a multivariate-t
 * proposal at the Laplace approximation, used when its pilot has Pareto k̂ < 0.7 and relative
 * ESS ≥ 0.5; `'polya-gamma-gibbs'` / `'metropolis'`: the fallbacks otherwise; `'gibbs'`: the normal model.
 */
export interface SamplerInfo {
  readonly name: 'gibbs' | 'independence-mh' | 'polya-gamma-gibbs' | 'metropolis';
  /** GLMs: Pareto k̂ of the Laplace-t proposal's pilot importance ratios (Vehtari et al. 2024). */
  readonly paretoK?: number;
  /** GLMs: the pilot's importance-sampling ESS over its 1,000 draws (below 0.5 the fallback is used). */
  readonly pilotRelativeEss?: number;
  /** GLMs: number of distinct design rows the likelihood was collapsed to. */
  readonly collapsedRows?: number;
  /** Independence MH: acceptance rate over all chains. */
  readonly acceptance?: number;
}

/** Posterior draws (all chains concatenated), returned when `mcmc.keepDraws` is true. */
export interface TrialDraws {
  readonly intercept: readonly number[];
  readonly effects: Record<string, readonly number[]>;
  readonly sigma?: readonly number[];
  readonly rho?: readonly number[];
  readonly trend?: readonly number[];
}

/** Result of {@link analyzeTrial}. */
export interface TrialAnalysis {
  /** 'exact': closed form (normal outcome, known σ, no AR); 'mcmc': sampled, with `diagnostics`. */
  readonly method: 'exact' | 'mcmc';
  readonly outcome: TrialOutcome;
  readonly reference: string;
  readonly betterIs: 'higher' | 'lower';
  /** Per non-reference treatment. */
  readonly effects: Record<string, EffectSummary>;
  /** P(arm is best) over all arms, the reference included; sums to 1. */
  readonly probBest: Record<string, number>;
  /** Present when `method` is 'mcmc'. */
  readonly diagnostics?: McmcDiagnostics;
  /**
   * What a reader must know before trusting the numbers, in plain sentences: today, that the
   * sampler did not converge (with `mcmc.strict` off; strict throws instead), with the reasons.
   * Empty when there is nothing to say (always for the exact path). Always set by
   * {@link analyzeTrial}; optional in the type so that hand-built results stay valid.
   */
  readonly warnings?: readonly string[];
  /** What was used: observations kept and dropped. */
  readonly data: {
    readonly used: number;
    readonly droppedWashout: number;
    readonly droppedRunIn: number;
    /** Observations per arm (after dropping). */
    readonly perArm: Record<string, number>;
    /** Last observed day, and the centre of the trend covariate. */
    readonly lastDay: number;
    readonly dayCenter: number;
    /** The last observation kept (continues AR(1) errors in {@link posteriorPredictive}). */
    readonly last?: { readonly day: number; readonly value: number; readonly treatment: string };
    /** The known residual sd (`model.sigma`), when given. */
    readonly sigma?: number;
  };
  /** Posterior draws, when `mcmc.keepDraws` (the exact path draws them from the closed form). */
  readonly draws?: TrialDraws;
}

/** The `warnings` of an MCMC result: one sentence when the diagnostics failed. @internal */
export function convergenceWarnings(d: McmcDiagnostics): string[] {
  return d.converged ? [] : [`the sampler did not converge; do not rely on these numbers (${d.reasons.join('; ')}); run more draws or warm-up`];
}
