/**
 * `analyzeTrial`: Bayesian analysis of one patient's N-of-1 trial.
 *
 * @packageDocumentation
 */
import type { Dist } from '../distributions/index.js';
import { cdfRaw, logSumExp, quantileRaw, validateDist } from '../distributions/index.js';
import { createRng } from '../rng/index.js';
import {
  boolean,
  fail,
  finite,
  integer,
  oneOf,
  plainObject,
  positive,
  seed as checkSeed,
} from '../validate.js';
import type { NormalMixture, PreparedTrial } from './data.js';
import { checkOutcome, knownKeys, normalMixture, ownValue, prepareTrial } from './data.js';
import type { ChainModel } from './driver.js';
import { namedDraws, runChains } from './driver.js';
import type { DrawLayout } from './driver.js';
import type { Layout, ModelSpec } from './engine.js';
import { binomialModel, checkRhoPrior, layoutOf, normalModel, poissonModel } from './engine.js';
import { crossProducts } from './kernels/coefficients.js';
import { planGlmImh } from './kernels/glm-imh.js';
import { backSolveT, choleskyOk, spdInverse, spdLogDet } from '../linalg/dense.js';
import { bivariateNormalUpper } from './bvn.js';
import { drawWorkspace } from './diagnostics.js';
import type { SampleMoments } from './kernels/moments.js';
import { sampleMoments } from './kernels/moments.js';
import {
  buildDiagnostics,
  concat,
  probBestFromDraws,
  summarizeDraws,
} from './summarize.js';
import type {
  AnalyzeTrialInput,
  EffectSummary,
  McmcDiagnostics,
  McmcOptions,
  SamplerInfo,
  TrialAnalysis,
  TrialDraws,
  TrialOutcome,
} from './types.js';
import { convergenceWarnings } from './types.js';

const FN = 'analyzeTrial';

/** Resolved MCMC options. @internal */
export interface ResolvedMcmc {
  chains: number;
  draws: number;
  warmup: number;
  seed: string | number;
  strict: boolean;
  maxRhat: number;
  minEss: number;
  keepDraws: boolean;
  onProgress: ((chainsDone: number, chains: number) => void) | undefined;
}

/** Fills MCMC defaults and validates. @internal */
export function resolveMcmcOptions(fn: string, m: McmcOptions | undefined): ResolvedMcmc {
  const o = m === undefined ? {} : (plainObject(fn, 'mcmc', m) as McmcOptions);
  knownKeys(fn, 'mcmc', o, ['chains', 'draws', 'warmup', 'seed', 'strict', 'maxRhat', 'minEss', 'keepDraws', 'onProgress']);
  const chains = o.chains === undefined ? 4 : integer(fn, 'mcmc.chains', o.chains, 1, 64);
  const draws = o.draws === undefined ? 1000 : integer(fn, 'mcmc.draws', o.draws, 20, 10_000_000);
  const warmup = o.warmup === undefined ? 500 : integer(fn, 'mcmc.warmup', o.warmup, 0, 10_000_000);
  return {
    chains,
    draws,
    warmup,
    seed: o.seed === undefined ? 1 : checkSeed(fn, 'mcmc.seed', o.seed),
    strict: o.strict === undefined ? false : boolean(fn, 'mcmc.strict', o.strict),
    maxRhat: o.maxRhat === undefined ? 1.01 : positive(fn, 'mcmc.maxRhat', o.maxRhat),
    minEss: o.minEss === undefined ? 100 * chains : positive(fn, 'mcmc.minEss', o.minEss),
    keepDraws: o.keepDraws === undefined ? false : boolean(fn, 'mcmc.keepDraws', o.keepDraws),
    onProgress:
      o.onProgress === undefined
        ? undefined
        : typeof o.onProgress === 'function'
          ? o.onProgress
          : fail(fn, 'mcmc.onProgress', 'must be a function', o.onProgress),
  };
}

/** Priors of every column of X, with the documented defaults. @internal */
export function resolveCoefPriors(
  fn: string,
  data: PreparedTrial,
  outcome: TrialOutcome,
  pr: CoefPriorsIn,
  moments: SampleMoments = sampleMoments(data.y),
): NormalMixture[] {
  const scaleY = outcomeScale(moments);
  const coef: NormalMixture[] = [];
  const one = (m: number, s: number): NormalMixture => ({ w: Float64Array.of(1), m: Float64Array.of(m), s: Float64Array.of(s) });
  if (pr.intercept !== undefined) coef.push(pr.intercept);
  else if (outcome === 'normal') coef.push(one(moments.mean, 10 * scaleY));
  else if (outcome === 'binomial') coef.push(one(0, 2.5));
  else {
    let sy = 0;
    let se = 0;
    for (let i = 0; i < data.n; i++) {
      sy += data.y[i] as number;
      se += data.exposure[i] as number;
    }
    coef.push(one(Math.log((sy + 0.5) / se), 2.5));
  }
  if (pr.effects !== undefined) {
    for (const k of pr.effects.keys()) {
      if (!data.effectNames.includes(k)) {
        fail(fn, `priors.effects.${k}`, `names no non-reference treatment of the design (${data.effectNames.join(', ')})`, k);
      }
    }
  }
  for (const t of data.effectNames) {
    const d = pr.effects?.get(t);
    coef.push(d ?? one(0, defaultEffectSd(outcome, scaleY)));
  }
  if (data.trendColumn >= 0) coef.push(pr.trend ?? one(0, defaultEffectSd(outcome, scaleY) / data.daySd));
  return coef;
}

/** The default prior sd of an effect: 2.5·s_y (normal) or 2.5 (log-odds, log rate ratio). */
function defaultEffectSd(outcome: TrialOutcome, scaleY: number): number {
  return outcome === 'normal' ? 2.5 * scaleY : 2.5;
}

/** The outcome's scale used by the default priors: sd(y), or max(1, |mean(y)|) when sd(y) = 0. */
function outcomeScale(st: SampleMoments): number {
  return st.sd > 0 ? st.sd : Math.max(1, Math.abs(st.mean));
}

/**
 * The symmetric default parameterisation, used when neither `priors.intercept` nor
 * `priors.effects` is given: every arm k has level α + u_k, with u_k ~ N(0, s/√2) independent
 * for all arms (the reference included) and α the default intercept prior, so each effect
 * u_k − u_ref has the documented N(0, s) prior and relabelling the arms (a different reference)
 * permutes the prior exactly. The sampler sees X with one more column (u_ref, at index p); the
 * draws map back to the reported (intercept, effects, trend) by `toReportedChain`.
 * Without this, the reference's level is held by the intercept prior alone while the other arms'
 * levels get the intercept's and the effect's variance: data that carry no information then give
 * P(better) = 0.75 to whichever arm is not the reference.
 */
interface SymmetricCoding {
  /** The sampler's spec data (p + 1 columns; built on first use: the closed form needs only cross-products). */
  data(): PreparedTrial;
  /** The sampler's coefficient priors (p + 1). */
  readonly coef: NormalMixture[];
  /** a_j: reported coefficient j = x_j + a_j·x_p (intercept +1, effects −1, trend 0). */
  readonly a: Float64Array;
}

function symmetricCoding(data: PreparedTrial, coef: readonly NormalMixture[], outcome: TrialOutcome, scaleY: number): SymmetricCoding {
  const { n, p, X } = data;
  const q = p + 1;
  const augmented = (): PreparedTrial => {
    const X2 = new Float64Array(n * q);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) X2[i * q + j] = X[i * p + j] as number;
      if ((data.arm[i] as number) === data.refIndex) X2[i * q + p] = 1;
    }
    return { ...data, X: X2, p: q };
  };
  const su = defaultEffectSd(outcome, scaleY) / Math.SQRT2;
  const u: NormalMixture = { w: Float64Array.of(1), m: Float64Array.of(0), s: Float64Array.of(su) };
  const coef2 = coef.map((c, j) => (j >= 1 && j <= data.effectNames.length ? u : c));
  coef2.push(u);
  const a = new Float64Array(p);
  a[0] = 1;
  for (let j = 1; j <= data.effectNames.length; j++) a[j] = -1;
  return { data: augmented, coef: coef2, a };
}

/**
 * XᵀX and Xᵀy of the symmetric coding's design [X | r] (r the reference's indicator) from X
 * itself: the last row and column are Σ_ref x_i and n_ref, the last entry of Xᵀy is Σ_ref y_i.
 */
function augmentedCrossProducts(d: PreparedTrial, xtx: Float64Array, xty: Float64Array): void {
  const { n, p, X, y } = d;
  const q = p + 1;
  const sub = new Float64Array(p * p);
  const subY = new Float64Array(p);
  crossProducts(X, n, p, null, y, sub, subY);
  const xr = new Float64Array(p);
  let nr = 0;
  let yr = 0;
  for (let i = 0; i < n; i++) {
    if ((d.arm[i] as number) !== d.refIndex) continue;
    nr++;
    yr += y[i] as number;
    for (let j = 0; j < p; j++) xr[j] = (xr[j] as number) + (X[i * p + j] as number);
  }
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) xtx[a * q + b] = sub[a * p + b] as number;
    xtx[a * q + p] = xr[a] as number;
    xtx[p * q + a] = xr[a] as number;
    xty[a] = subY[a] as number;
  }
  xtx[p * q + p] = nr;
  xty[p] = yr;
}

/** Maps one chain from the symmetric sampler layout (width w + 1) to the reported layout (width w). */
function toReportedChain(chain: Float64Array, sym: SymmetricCoding, width: number): Float64Array {
  const p = sym.a.length;
  const w2 = width + 1;
  const m = chain.length / w2;
  const out = new Float64Array(m * width);
  for (let i = 0; i < m; i++) {
    const o = i * w2;
    const xr = chain[o + p] as number;
    const t = i * width;
    for (let j = 0; j < p; j++) out[t + j] = (chain[o + j] as number) + (sym.a[j] as number) * xr;
    for (let j = p; j < width; j++) out[t + j] = chain[o + j + 1] as number;
  }
  return out;
}

/** Reported mean A·μ of a symmetric-coding mean μ (A = [I | a]). */
function mapMean(mu: Float64Array, a: Float64Array): Float64Array {
  const p = a.length;
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) out[j] = (mu[j] as number) + (a[j] as number) * (mu[p] as number);
  return out;
}

/** Reported covariance A·Σ·Aᵀ of a symmetric-coding covariance Σ ((p + 1)², row-major). */
function mapCov(cov: Float64Array, a: Float64Array): Float64Array {
  const p = a.length;
  const q = p + 1;
  const out = new Float64Array(p * p);
  const spp = cov[p * q + p] as number;
  for (let j = 0; j < p; j++) {
    const aj = a[j] as number;
    for (let k = 0; k < p; k++) {
      const ak = a[k] as number;
      out[j * p + k] = (cov[j * q + k] as number) + aj * (cov[p * q + k] as number) + ak * (cov[j * q + p] as number) + aj * ak * spp;
    }
  }
  return out;
}

/** Variance prior of the normal model (validated). @internal */
export function resolveVariancePrior(fn: string, field: string, d: Dist | undefined, y: Float64Array): Dist {
  if (d === undefined) {
    const st = sampleMoments(y);
    const v = st.sd > 0 ? st.sd * st.sd : 1;
    return { family: 'invGamma', shape: 1, scale: 0.5 * v };
  }
  const dist = validateDist(d, fn, field);
  if (dist.family !== 'invGamma' && dist.family !== 'halfNormal') {
    fail(fn, field, "must be an 'invGamma' Dist (on the variance) or a 'halfNormal' Dist (on the sd)", dist.family);
  }
  return dist;
}

/** The prior of (x + delta) when x has the normal mixture `mix`. */
function shiftMixture(mix: NormalMixture, delta: number): NormalMixture {
  return { w: mix.w, m: mix.m.map((v) => v + delta), s: mix.s };
}

function naturalDiff(outcome: TrialOutcome, b0: number, bk: number): number {
  if (outcome === 'normal') return bk;
  if (outcome === 'binomial') return 1 / (1 + Math.exp(-(b0 + bk))) - 1 / (1 + Math.exp(-b0));
  return Math.exp(b0 + bk) - Math.exp(b0);
}

/**
 * Bayesian analysis of one patient's N-of-1 trial: the effect of each treatment versus the
 * reference arm, with P(better), P(clinically better) and P(best).
 *
 * Models (t indexes the observations kept, in day order):
 * - normal: y_t = α + β[treatment_t] + γ·(day_t − d̄) + e_t, e_t ~ N(0, σ²); with
 *   `autocorrelation`, e_t = ρ^g·e_{t−1} + u_t over a gap of g days, u_t ~ N(0, σ²(1−ρ^{2g})/(1−ρ²)),
 *   e_first ~ N(0, σ²/(1−ρ²)) (stationary start).
 * - binomial: y_t ~ Binomial(trials_t, logit⁻¹(α + β[treatment_t] + γ·(day_t − d̄))).
 * - poisson: y_t ~ Poisson(exposure_t · exp(α + β[treatment_t] + γ·(day_t − d̄))).
 *
 * With a normal outcome, a known `model.sigma` and no autocorrelation the posterior is computed
 * in closed form (`method: 'exact'`; mixture priors give mixture posteriors, enumerating the
 * components' combinations — beyond 4096 combinations it falls back to MCMC; P(best) over three
 * arms is exact too (bivariate normal orthant probabilities), over four or more a Monte Carlo
 * estimate from 20,000 exact posterior draws). Otherwise it is sampled (`method: 'mcmc'`):
 * Gibbs with a conjugate β block and inverse-gamma σ² (slice sampling for a half-normal sd prior
 * and for ρ) for the normal model. The binomial and Poisson models first try an independence
 * Metropolis–Hastings sampler on the likelihood collapsed to sufficient statistics per distinct
 * design row, with a multivariate-t proposal at the Laplace approximation, used when a pilot
 * from it has Pareto k̂ < 0.7 and relative ESS ≥ 0.5; otherwise (a poor approximation, e.g.
 * separation under a vague prior) Pólya-Gamma Gibbs for the binomial model (exact Devroye
 * draws; for an observation with more than 170 trials the PG(trials, ·) variable is drawn from
 * its moment-matched normal, as BayesLogit's hybrid sampler does) and independence-t plus
 * adaptive random-walk Metropolis for the Poisson model. `diagnostics.sampler` says which ran.
 * Chains run on `rng.fork('chain-<i>')` streams of the seed; diagnostics are rank-normalised
 * split R-hat and bulk/tail ESS.
 *
 * Default priors (weakly informative, scaled to the data like rstanarm's): normal: α ~ N(ȳ, 10·s_y),
 * β ~ N(0, 2.5·s_y), σ² ~ InvGamma(1, s_y²/2); binomial: α, β ~ N(0, 2.5) (log-odds);
 * Poisson: α ~ N(log((Σy + 0.5)/Σexposure), 2.5), β ~ N(0, 2.5) (log rate ratio); ρ ~ Uniform(−1, 1);
 * trend γ ~ N(0, 2.5·s_y/s_day) (normal) or N(0, 2.5/s_day). With neither `priors.intercept` nor
 * `priors.effects` given they are symmetric between arms: arm k's level is α + u_k with u_k ~
 * N(0, s/√2) for every arm, the reference included (s the effect sd above), so each effect keeps
 * its N(0, s) prior and another choice of reference mirrors the result (the reference coding
 * with independent priors would let the reference's level be held by α's prior alone: data
 * without information would then favour whichever arm is not the reference).
 *
 * @param input - design, observations, outcome, reference arm, direction and options
 * @returns the posterior summary per treatment, P(best) and (MCMC) diagnostics
 * @throws ValidationError (code 'E_INVALID_ARGUMENT') for days outside the design, unknown
 *   treatments, a reference not in the design, negative counts, successes > trials, an arm
 *   without observations, a prior for a parameter the model lacks (variance with a known sigma
 *   or a non-normal outcome, rho without autocorrelation, trend without trend), a misspelt key
 *   in `model`, `priors` or `mcmc`, normal values beyond 1e100, or bad options
 * @throws ConvergenceError (code 'E_CONVERGENCE') when `mcmc.strict` and the diagnostics fail
 * @example
 * ```ts
 * const design = designTrial({ treatments: ['magnesium', 'placebo'], blocks: 2, periodDays: 7, seed: 1 });
 * const observations = design.periods.flatMap((p) =>
 *   Array.from({ length: 7 }, (_, d) => ({
 *     day: p.startDay + d,
 *     value: (p.treatment === 'magnesium' ? 3 : 4) + ((d % 3) - 1) * 0.5,
 *   })));
 * const r = analyzeTrial({ design, observations, outcome: 'normal', reference: 'placebo',
 *   betterIs: 'lower', model: { sigma: 1 }, thresholds: { magnesium: 0.5 } });
 * r.method; // 'exact'
 * r.effects.magnesium.mean; // returns ~-0.95
 * r.effects.magnesium.probBetter; // returns ~0.995
 * r.effects.magnesium.probClinicallyBetter; // returns ~0.89
 * ```
 * @see Schmid & Yang (2022), Bayesian models for N-of-1 trials, Harvard Data Science Review.
 * @see Polson, Scott & Windle (2013), JASA 108(504) (Pólya-Gamma augmentation).
 * @see Vehtari et al. (2021), Bayesian Analysis 16(2) (R-hat, ESS).
 * @see Vehtari et al. (2024), Pareto smoothed importance sampling, JMLR 25(72) (k̂ of the GLM proposal).
 */
export function analyzeTrial(input: AnalyzeTrialInput): TrialAnalysis {
  const inp = plainObject(FN, 'input', input) as unknown as AnalyzeTrialInput;
  return analyzeResolvedTrial(resolveTrialOptions(FN, inp), inp.design, inp.observations, false);
}

/** `analyzeTrial`'s options besides the data, validated once. @internal */
export interface ResolvedTrialOptions {
  readonly fn: string;
  readonly outcome: TrialOutcome;
  readonly betterIs: 'higher' | 'lower';
  readonly reference: string;
  readonly autocorrelation: boolean;
  readonly trend: boolean;
  readonly includeWashout: boolean;
  readonly sigma: number | undefined;
  readonly mc: ResolvedMcmc;
  /** Validated coefficient priors (the data-scaled defaults are filled per data set). */
  readonly coefPriors: CoefPriorsIn;
  readonly variancePrior: Dist | undefined;
  readonly rhoPrior: Dist | undefined;
  /** Thresholds per arm (finite; names checked against the design per data set). */
  readonly thresholds: Readonly<Record<string, number>>;
}

/** The coefficient priors given in `priors`, as normal mixtures. @internal */
export interface CoefPriorsIn {
  readonly intercept: NormalMixture | undefined;
  readonly effects: ReadonlyMap<string, NormalMixture> | undefined;
  readonly trend: NormalMixture | undefined;
}

/**
 * Validates everything of an `analyzeTrial` input except the design and the observations, so
 * that many data sets (simulation replicates) can share one resolution. @internal
 */
export function resolveTrialOptions(fn: string, inp: Omit<AnalyzeTrialInput, 'design' | 'observations'>): ResolvedTrialOptions {
  const outcome = checkOutcome(fn, inp.outcome);
  const betterIs = oneOf(fn, 'betterIs', inp.betterIs, ['higher', 'lower'] as const);
  if (typeof inp.reference !== 'string') fail(fn, 'reference', 'must be a treatment label', inp.reference);
  const model = inp.model === undefined ? {} : plainObject(fn, 'model', inp.model);
  knownKeys(fn, 'model', model, ['autocorrelation', 'trend', 'includeWashout', 'sigma']);
  const autocorrelation = model.autocorrelation === undefined ? false : boolean(fn, 'model.autocorrelation', model.autocorrelation);
  const trend = model.trend === undefined ? false : boolean(fn, 'model.trend', model.trend);
  const includeWashout = model.includeWashout === undefined ? false : boolean(fn, 'model.includeWashout', model.includeWashout);
  const sigma = model.sigma === undefined ? undefined : positive(fn, 'model.sigma', model.sigma);
  if (outcome !== 'normal' && autocorrelation) {
    fail(fn, 'model.autocorrelation', "is supported for the 'normal' outcome only", true);
  }
  if (outcome !== 'normal' && sigma !== undefined) fail(fn, 'model.sigma', "applies to the 'normal' outcome only", sigma);
  const mc = resolveMcmcOptions(fn, inp.mcmc);
  const pr = inp.priors === undefined ? undefined : (plainObject(fn, 'priors', inp.priors) as NonNullable<AnalyzeTrialInput['priors']>);
  if (pr !== undefined) knownKeys(fn, 'priors', pr, ['effects', 'intercept', 'variance', 'rho', 'trend']);
  // A prior for a parameter the model does not have is a mistake in the input, not a no-op.
  if (pr?.variance !== undefined && (outcome !== 'normal' || sigma !== undefined)) {
    fail(fn, 'priors.variance', "applies to the 'normal' outcome with an unknown sigma only (not with model.sigma)", pr.variance);
  }
  if (pr?.rho !== undefined && !autocorrelation) fail(fn, 'priors.rho', 'needs model.autocorrelation', pr.rho);
  if (pr?.trend !== undefined && !trend) fail(fn, 'priors.trend', 'needs model.trend', pr.trend);
  let effects: Map<string, NormalMixture> | undefined;
  if (pr?.effects !== undefined) {
    const e = plainObject(fn, 'priors.effects', pr.effects);
    effects = new Map();
    for (const k of Object.keys(e)) effects.set(k, normalMixture(fn, `priors.effects.${k}`, ownValue(e, k)));
  }
  const coefPriors: CoefPriorsIn = {
    intercept: pr?.intercept === undefined ? undefined : normalMixture(fn, 'priors.intercept', pr.intercept),
    effects,
    trend: pr?.trend === undefined ? undefined : normalMixture(fn, 'priors.trend', pr.trend),
  };
  const rhoPrior = pr?.rho === undefined ? undefined : checkRhoPrior(fn, 'priors.rho', validateDist(pr.rho, fn, 'priors.rho'));
  const variancePrior = pr?.variance === undefined ? undefined : resolveVariancePrior(fn, 'priors.variance', pr.variance, new Float64Array(0));
  const thresholds: Record<string, number> = Object.create(null);
  if (inp.thresholds !== undefined) {
    const th = plainObject(fn, 'thresholds', inp.thresholds);
    for (const k of Object.keys(th)) thresholds[k] = finite(fn, `thresholds.${k}`, ownValue(th, k));
  }
  return { fn, outcome, betterIs, reference: inp.reference, autocorrelation, trend, includeWashout, sigma, mc, coefPriors, variancePrior, rhoPrior, thresholds };
}

/**
 * `analyzeTrial` on resolved options. With `trusted`, the design and observations are taken as
 * built by n1kit itself (the simulator) and not validated again. @internal
 */
export function analyzeResolvedTrial(o: ResolvedTrialOptions, designIn: unknown, observationsIn: unknown, trusted: boolean): TrialAnalysis {
  const { fn, outcome, betterIs, autocorrelation, trend, includeWashout, sigma, mc, rhoPrior } = o;
  const data = prepareTrial(fn, designIn, observationsIn, outcome, o.reference, {
    includeWashout,
    trend,
    uniqueDays: autocorrelation,
    trusted,
  });
  // The diary's mean and sd: the default priors' scale and the normal outcome's centring.
  const moments = sampleMoments(data.y);
  const coef = resolveCoefPriors(fn, data, outcome, o.coefPriors, moments);
  if (outcome === 'normal' && sigma === undefined && data.n <= data.p) {
    fail(fn, 'observations', `must number more than the ${data.p} regression coefficients to estimate the variance`, data.n);
  }
  for (const k of Object.keys(o.thresholds)) {
    if (!data.effectNames.includes(k)) fail(fn, `thresholds.${k}`, `names no non-reference treatment (${data.effectNames.join(', ')})`, k);
  }
  const thresholds = o.thresholds as Record<string, number>;
  const variance = outcome === 'normal' && sigma === undefined ? (o.variancePrior ?? resolveVariancePrior(fn, 'priors.variance', undefined, data.y)) : undefined;
  // Normal outcome: fit y − ȳ (the intercept and its prior shift by ȳ, restored in the output).
  // Cross-products of uncentred y lose the residual sum of squares to cancellation when the
  // level dwarfs the noise (y ≈ 1e8 ± 1 gave σ ≈ 0.18).
  const yShift = outcome === 'normal' ? moments.mean : 0;
  const fitData: PreparedTrial = yShift === 0 ? data : { ...data, y: data.y.map((v) => v - yShift) };
  const fitCoef = yShift === 0 ? coef : [shiftMixture(coef[0] as NormalMixture, -yShift), ...coef.slice(1)];
  const spec: ModelSpec = {
    data: fitData,
    coef: fitCoef,
    ...(variance !== undefined ? { variance } : {}),
    ...(sigma !== undefined ? { sigma } : {}),
    autocorrelation,
    ...(rhoPrior !== undefined ? { rho: rhoPrior } : {}),
  };
  const base = {
    outcome,
    reference: o.reference,
    betterIs,
    data: {
      used: data.n,
      droppedWashout: data.droppedWashout,
      droppedRunIn: data.droppedRunIn,
      perArm: data.perArm,
      lastDay: data.lastDay,
      dayCenter: data.dayCenter,
      last: {
        day: data.lastDay,
        value: data.y[data.n - 1] as number,
        treatment: data.treatments[data.arm[data.n - 1] as number] as string,
      },
      ...(sigma !== undefined ? { sigma } : {}),
    },
  };
  // Default priors on both the intercept and the effects: the symmetric parameterisation.
  const symmetric = o.coefPriors.intercept === undefined && (o.coefPriors.effects === undefined || o.coefPriors.effects.size === 0);
  const sym = symmetric ? symmetricCoding(fitData, fitCoef, outcome, outcomeScale(moments)) : undefined;
  if (outcome === 'normal' && sigma !== undefined && !autocorrelation) {
    const exact = exactNormal(sym === undefined ? spec : { ...spec, coef: sym.coef }, sym?.a, sigma, betterIs, thresholds, mc.seed, mc.keepDraws ? mc.chains * mc.draws : 0, yShift);
    if (exact !== null) {
      return { method: 'exact', ...base, effects: exact.effects, probBest: exact.probBest, warnings: [], ...(exact.draws ? { draws: exact.draws } : {}) };
    }
  }
  const sampSpec: ModelSpec = sym === undefined ? spec : { ...spec, data: sym.data(), coef: sym.coef };
  const rng = createRng(mc.seed);
  const lay = layoutOf(spec, outcome);
  // GLMs: independence MH on the collapsed likelihood when the Laplace proposal passes the
  // Pareto-k̂ check; otherwise the exact Pólya-Gamma Gibbs / Poisson Metropolis kernels.
  const imh = outcome === 'normal' ? undefined : planGlmImh(sampSpec, outcome, rng.fork('glm-imh-pilot'));
  let chains: Float64Array[];
  if (imh?.usable) {
    chains = [];
    for (let c = 0; c < mc.chains; c++) {
      chains.push(imh.run(sampSpec, rng.fork(`chain-${c}`), mc.warmup, mc.draws));
      mc.onProgress?.(c + 1, mc.chains);
    }
  } else {
    const chainModel: ChainModel<unknown> =
      outcome === 'normal'
        ? (normalModel(sampSpec) as ChainModel<unknown>)
        : outcome === 'binomial'
          ? (binomialModel(sampSpec) as ChainModel<unknown>)
          : (poissonModel(sampSpec) as ChainModel<unknown>);
    chains = runChains(chainModel, rng, mc);
  }
  if (sym !== undefined) chains = chains.map((c) => toReportedChain(c, sym, lay.width));
  const sampler: SamplerInfo =
    imh === undefined
      ? { name: 'gibbs' }
      : imh.usable
        ? { name: 'independence-mh', paretoK: imh.paretoK, pilotRelativeEss: imh.relativeEss, collapsedRows: imh.rows, acceptance: imh.acceptance() }
        : { name: outcome === 'binomial' ? 'polya-gamma-gibbs' : 'metropolis', paretoK: imh.paretoK, pilotRelativeEss: imh.relativeEss, collapsedRows: imh.rows };
  const sum = summarizeChains(fn, spec, outcome, lay, chains, betterIs, thresholds, mc, yShift, sampler);
  return { method: 'mcmc', ...base, ...sum, warnings: convergenceWarnings(sum.diagnostics as McmcDiagnostics) };
}

function summarizeChains(
  fn: string,
  spec: ModelSpec,
  outcome: TrialOutcome,
  lay: Layout,
  chains: Float64Array[],
  betterIs: 'higher' | 'lower',
  thresholds: Record<string, number>,
  mc: ResolvedMcmc,
  yShift: number,
  sampler: SamplerInfo,
): Pick<TrialAnalysis, 'effects' | 'probBest' | 'diagnostics' | 'draws'> {
  const data = spec.data;
  const effectKeys: Record<string, string> = {};
  const layout: [string, number][] = [['intercept', 0]];
  data.effectNames.forEach((t, j) => {
    layout.push([`effect[${t}]`, 1 + j]);
    effectKeys[t] = `effect[${t}]`;
  });
  if (data.trendColumn >= 0) layout.push(['trend', data.trendColumn]);
  if (lay.sigmaIndex >= 0) layout.push(['sigma', lay.sigmaIndex]);
  if (lay.rhoIndex >= 0) layout.push(['rho', lay.rhoIndex]);
  const params = namedDraws(chains, lay.width, layout as DrawLayout) as Record<string, Float64Array[]> & { intercept: Float64Array[] };
  if (yShift !== 0) for (const c of params.intercept) for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) + yShift;
  // One workspace for the summaries and the diagnostics: each parameter's draws are sorted once.
  const ws = drawWorkspace();
  const diagnostics = buildDiagnostics(fn, params, effectKeys, { ...mc, sampler }, ws);
  const b0 = concat(params.intercept);
  const effects: Record<string, EffectSummary> = {};
  const armValues: Float64Array[] = [];
  const effDraws: Record<string, readonly number[]> = {};
  for (const t of data.treatments) {
    if (t === data.reference) {
      armValues.push(new Float64Array(b0.length));
      continue;
    }
    const x = concat(params[effectKeys[t] as string] as Float64Array[]);
    armValues.push(x);
    const thr = thresholds[t];
    let nat: Float64Array | undefined;
    if (thr !== undefined) {
      nat = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) nat[i] = naturalDiff(outcome, b0[i] as number, x[i] as number);
    }
    effects[t] = summarizeDraws(x, betterIs, nat, thr, ws);
    if (mc.keepDraws) effDraws[t] = Array.from(x);
  }
  const probBest = probBestFromDraws(data.treatments, armValues, betterIs);
  let draws: TrialDraws | undefined;
  if (mc.keepDraws) {
    draws = {
      intercept: Array.from(b0),
      effects: effDraws,
      ...(params.sigma ? { sigma: Array.from(concat(params.sigma)) } : {}),
      ...(params.rho ? { rho: Array.from(concat(params.rho)) } : {}),
      ...(params.trend ? { trend: Array.from(concat(params.trend)) } : {}),
    };
  }
  return { effects, probBest, diagnostics, ...(draws ? { draws } : {}) };
}

/** Closed-form posterior of the normal model with known σ (mixture priors enumerated). */
function exactNormal(
  spec: ModelSpec,
  sym: Float64Array | undefined,
  sigma: number,
  betterIs: 'higher' | 'lower',
  thresholds: Record<string, number>,
  seed: string | number,
  nDraws: number,
  yShift: number,
): { effects: Record<string, EffectSummary>; probBest: Record<string, number>; draws?: TrialDraws } | null {
  const d = spec.data;
  // The sampler's coordinates (p + 1 with the symmetric coding) and the reported ones.
  const p = d.p;
  const pS = sym === undefined ? p : p + 1;
  let combos = 1;
  for (const c of spec.coef) combos *= c.w.length;
  if (combos > 4096) return null;
  const s2 = sigma * sigma;
  const xtx = new Float64Array(pS * pS);
  const xty = new Float64Array(pS);
  if (sym === undefined) crossProducts(d.X, d.n, p, null, d.y, xtx, xty);
  else augmentedCrossProducts(d, xtx, xty);
  const means: Float64Array[] = [];
  const covs: Float64Array[] = [];
  // Per combination, the posterior precision Q and linear term b = Q·mean (for the draws).
  const precs: Float64Array[] = [];
  const lins: Float64Array[] = [];
  const logw = new Float64Array(combos);
  const idx = new Int32Array(pS);
  for (let c = 0; c < combos; c++) {
    let r = c;
    for (let a = 0; a < pS; a++) {
      const k = (spec.coef[a] as NormalMixture).w.length;
      idx[a] = r % k;
      r = Math.floor(r / k);
    }
    const q = new Float64Array(pS * pS);
    const b = new Float64Array(pS);
    let lw = 0;
    let mPm = 0;
    for (let a = 0; a < pS; a++) {
      const mix = spec.coef[a] as NormalMixture;
      const k = idx[a] as number;
      const s = mix.s[k] as number;
      const m = mix.m[k] as number;
      for (let bb = 0; bb < pS; bb++) q[a * pS + bb] = (xtx[a * pS + bb] as number) / s2;
      q[a * pS + a] = (q[a * pS + a] as number) + 1 / (s * s);
      b[a] = (xty[a] as number) / s2 + m / (s * s);
      lw += Math.log(mix.w[k] as number) - Math.log(s);
      mPm += (m * m) / (s * s);
    }
    const cov = spdInverse(q, pS);
    if (cov === null) return null;
    precs.push(q);
    lins.push(b.slice());
    const mu = new Float64Array(pS);
    for (let a = 0; a < pS; a++) {
      let s = 0;
      for (let bb = 0; bb < pS; bb++) s += (cov[a * pS + bb] as number) * (b[bb] as number);
      mu[a] = s;
    }
    let muQmu = 0;
    for (let a = 0; a < pS; a++) muQmu += (mu[a] as number) * (b[a] as number);
    logw[c] = lw - 0.5 * spdLogDet(q, pS) - 0.5 * (mPm - muQmu);
    means.push(sym === undefined ? mu : mapMean(mu, sym));
    covs.push(sym === undefined ? cov : mapCov(cov, sym));
  }
  const lse = logSumExp(logw);
  const w = new Float64Array(combos);
  for (let c = 0; c < combos; c++) w[c] = Math.exp((logw[c] as number) - lse);
  const effects: Record<string, EffectSummary> = {};
  d.effectNames.forEach((t, j) => {
    const col = 1 + j;
    const comps = Array.from(w, (wc, c) => ({
      weight: wc,
      dist: { family: 'normal', mean: (means[c] as Float64Array)[col] as number, sd: Math.sqrt((covs[c] as Float64Array)[col * p + col] as number) } as Dist,
    })).filter((cp) => cp.weight > 0);
    const dist: Dist = comps.length === 1 ? (comps[0] as { dist: Dist }).dist : { family: 'mixture', components: comps };
    let m = 0;
    let m2 = 0;
    for (const cp of comps) {
      const nd = cp.dist as { mean: number; sd: number };
      m += cp.weight * nd.mean;
      m2 += cp.weight * (nd.sd * nd.sd + nd.mean * nd.mean);
    }
    const thr = thresholds[t];
    const below0 = cdfRaw(dist, 0);
    const s: { -readonly [K in keyof EffectSummary]: EffectSummary[K] } = {
      mean: m,
      sd: Math.sqrt(Math.max(0, m2 - m * m)),
      median: quantileRaw(dist, 0.5),
      interval: [quantileRaw(dist, 0.025), quantileRaw(dist, 0.975)],
      probBetter: betterIs === 'higher' ? 1 - below0 : below0,
    };
    if (thr !== undefined) {
      const a = Math.abs(thr);
      s.probClinicallyBetter = betterIs === 'higher' ? 1 - cdfRaw(dist, a) : cdfRaw(dist, -a);
    }
    effects[t] = s;
  });
  const k = d.effectNames.length;
  // P(best): closed form for two arms (one effect) and three arms (bivariate normal orthants,
  // per mixture combination); beyond that from 20,000 exact posterior draws.
  const nMc = k > 2 ? 20_000 : 0;
  const nd = Math.max(nDraws, nMc);
  let all: Float64Array | undefined;
  if (nd > 0) {
    // One Cholesky factor per combination (not per draw): β = μ_c + L_c⁻ᵀ ε, Q_c = L_c L_cᵀ,
    // in the sampler's coordinates, then mapped to the reported ones (mean already mapped).
    const chols: Float64Array[] = [];
    for (let c = 0; c < combos; c++) {
      const l = new Float64Array(pS * pS);
      if (!choleskyOk(precs[c] as Float64Array, pS, l)) return null;
      chols.push(l);
    }
    // Created only when draws are needed: seeding a generator is most of a small exact analysis.
    const r = createRng(seed).fork('exact-draws');
    all = new Float64Array(nd * p);
    const z = new Float64Array(pS);
    for (let i = 0; i < nd; i++) {
      let u = r.uniform();
      let c = 0;
      while (c < combos - 1 && u >= (w[c] as number)) {
        u -= w[c] as number;
        c++;
      }
      for (let a = 0; a < pS; a++) z[a] = r.normal();
      backSolveT(chols[c] as Float64Array, pS, z, z);
      const mu = means[c] as Float64Array;
      const o = i * p;
      const zr = sym === undefined ? 0 : (z[p] as number);
      for (let a = 0; a < p; a++) all[o + a] = (mu[a] as number) + (z[a] as number) + (sym === undefined ? 0 : (sym[a] as number) * zr);
    }
  }
  let probBest: Record<string, number>;
  if (k === 1) probBest = exactTwoArmBest(d.treatments, d.reference, effects, betterIs);
  else if (k === 2) probBest = exactThreeArmBest(d.treatments, d.reference, d.effectNames, w, means, covs, p, betterIs);
  else {
    const src = all as Float64Array;
    const arms = d.treatments.map((t) => {
      const col = t === d.reference ? -1 : 1 + d.effectNames.indexOf(t);
      const v = new Float64Array(nMc);
      if (col >= 0) for (let i = 0; i < nMc; i++) v[i] = src[i * p + col] as number;
      return v;
    });
    probBest = probBestFromDraws(d.treatments, arms, betterIs);
  }
  let draws: TrialDraws | undefined;
  if (nDraws > 0 && all !== undefined) {
    const src = all;
    const col = (j: number): number[] => Array.from({ length: nDraws }, (_, i) => src[i * p + j] as number);
    const eff: Record<string, readonly number[]> = {};
    d.effectNames.forEach((t, j) => {
      eff[t] = col(1 + j);
    });
    draws = { intercept: col(0).map((v) => v + yShift), effects: eff, ...(d.trendColumn >= 0 ? { trend: col(d.trendColumn) } : {}) };
  }
  return { effects, probBest, ...(draws ? { draws } : {}) };
}

function exactTwoArmBest(
  treatments: readonly string[],
  reference: string,
  effects: Record<string, EffectSummary>,
  _betterIs: 'higher' | 'lower',
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of treatments) {
    if (t !== reference) {
      const pb = (effects[t] as EffectSummary).probBetter;
      out[t] = pb;
      out[reference] = 1 - pb;
    }
  }
  return out;
}

/**
 * P(best) over three arms (the reference, effects e₁ and e₂) in closed form: with s = ±1 for
 * betterIs, P(ref) = P(−s·e₁ > 0, −s·e₂ > 0), P(arm 1) = P(s·e₁ > 0, s·(e₁ − e₂) > 0) and
 * likewise arm 2, each a bivariate normal orthant per mixture combination, weighted. Ties have
 * probability zero under a continuous posterior, so the shared tie rule plays no part.
 */
function exactThreeArmBest(
  treatments: readonly string[],
  reference: string,
  effectNames: readonly string[],
  w: Float64Array,
  means: readonly Float64Array[],
  covs: readonly Float64Array[],
  p: number,
  betterIs: 'higher' | 'lower',
): Record<string, number> {
  const s = betterIs === 'higher' ? 1 : -1;
  let pRef = 0;
  let p1 = 0;
  let p2 = 0;
  // P(U > 0, V > 0) for (U, V) = (a·e, b·e), a, b coefficient pairs on (e₁, e₂).
  const orthant = (mu: Float64Array, cov: Float64Array, a1: number, a2: number, b1: number, b2: number): number => {
    const m1 = mu[1] as number;
    const m2 = mu[2] as number;
    const v11 = cov[1 * p + 1] as number;
    const v12 = cov[1 * p + 2] as number;
    const v22 = cov[2 * p + 2] as number;
    const mu_ = a1 * m1 + a2 * m2;
    const mv = b1 * m1 + b2 * m2;
    const vu = a1 * a1 * v11 + 2 * a1 * a2 * v12 + a2 * a2 * v22;
    const vv = b1 * b1 * v11 + 2 * b1 * b2 * v12 + b2 * b2 * v22;
    const cuv = a1 * b1 * v11 + (a1 * b2 + a2 * b1) * v12 + a2 * b2 * v22;
    const su = Math.sqrt(vu);
    const sv = Math.sqrt(vv);
    const r = Math.max(-1, Math.min(1, cuv / (su * sv)));
    return bivariateNormalUpper(-mu_ / su, -mv / sv, r);
  };
  for (let c = 0; c < w.length; c++) {
    const wc = w[c] as number;
    if (!(wc > 0)) continue;
    const mu = means[c] as Float64Array;
    const cov = covs[c] as Float64Array;
    const a = orthant(mu, cov, -s, 0, 0, -s);
    const b = orthant(mu, cov, s, 0, s, -s);
    const e = orthant(mu, cov, 0, s, -s, s);
    // The three events partition the space (up to null sets); normalise away round-off.
    const tot = a + b + e;
    pRef += (wc * a) / tot;
    p1 += (wc * b) / tot;
    p2 += (wc * e) / tot;
  }
  const out: Record<string, number> = {};
  for (const t of treatments) {
    out[t] = t === reference ? pRef : t === effectNames[0] ? p1 : p2;
  }
  return out;
}
