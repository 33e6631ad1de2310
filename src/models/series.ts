/**
 * `analyzeSeries`: a hierarchical model over a series of N-of-1 trials (aggregated N-of-1),
 * and `seriesToPrior`: the population posterior as the next patient's prior.
 *
 * @packageDocumentation
 */
import type { TrialDesign } from '../design/types.js';
import type { Dist } from '../distributions/index.js';
import { cdfRaw, validateDist } from '../distributions/index.js';
import { createRng } from '../rng/index.js';
import { boolean, fail, finite, nonEmptyString, oneOf, plainObject } from '../validate.js';
import type { NormalMixture, PreparedTrial } from './data.js';
import { dropEmptyArms, knownKeys, mixtureMoments, normalMixture, ownValue, prepareTrial } from './data.js';
import type { ChainModel } from './driver.js';
import { namedDraws, runChains } from './driver.js';
import type { ArKernel, RhoKernel } from './kernels/ar1.js';
import { arKernel, checkRhoPrior, initRho, rhoKernel } from './kernels/ar1.js';
import { coefScratch, crossProducts, drawCoefficients } from './kernels/coefficients.js';
import type { PatientLikelihood, PopulationState } from './kernels/hierarchical.js';
import { membership, populationKernel } from './kernels/hierarchical.js';
import { sampleMoments } from './kernels/moments.js';
import { polyaGammaLinear, polyaGammaSweep } from './kernels/polya-gamma.js';
import { logExposure, poissonLaplace, poissonPatientStep } from './kernels/poisson.js';
import type { VarianceKernel } from './kernels/variance.js';
import { residualSS, varianceKernel } from './kernels/variance.js';
import { drawIndicator } from './samplers.js';
import { drawWorkspace } from './diagnostics.js';
import { buildDiagnostics, concat, probBestFromDraws, summarizeDraws } from './summarize.js';
import { resolveMcmcOptions, resolveVariancePrior } from './trial.js';
import type { EffectSummary, McmcDiagnostics, McmcOptions, TrialObservation } from './types.js';
import { convergenceWarnings } from './types.js';

/** One patient's trial in a series. */
export interface SeriesTrial {
  /** Patient (or trial) identifier, unique in the series. */
  id: string;
  design: TrialDesign;
  observations: TrialObservation[];
}

/** Input of {@link analyzeSeries}. */
export interface AnalyzeSeriesInput {
  trials: SeriesTrial[];
  /** Outcome family; links as in {@link analyzeTrial} (identity, logit, log with exposure). */
  outcome: 'normal' | 'binomial' | 'poisson';
  reference: string;
  betterIs: 'higher' | 'lower';
  priors: {
    /** Prior of each population mean effect μ_k (normal or mixture of normals), e.g. the LFM's. */
    populationEffects: Record<string, Dist>;
    /**
     * Prior of each between-patient sd τ_k: any Dist on (0, ∞) (`halfNormal`, `uniform`, `gamma`, ...).
     * @defaultValue halfNormal(scale s_y), s_y the sd of all observations (normal); halfNormal(1) on the link scale otherwise
     */
    heterogeneity?: Record<string, Dist>;
    /**
     * Prior of each patient's intercept: the reference arm's level when given. Without it the
     * default is symmetric between arms: the intercept is the patient's mean level over their
     * arms (the effect columns are centred), so the default does not hold the reference's level
     * alone, and with two arms another choice of reference mirrors the result.
     * @defaultValue N(ȳ, 10·s_y) (normal); N(0, 2.5) (binomial); N(log((Σy + 0.5)/Σexposure), 2.5) (Poisson), on the mean level
     */
    intercept?: Dist;
    /** Normal only: prior of each patient's residual variance (invGamma) or sd (halfNormal). @defaultValue InvGamma(1, s_y²/2) */
    variance?: Dist;
    /** With autocorrelation: prior of each patient's ρ_j on (−1, 1), as in {@link analyzeTrial}. @defaultValue uniform(−1, 1) */
    rho?: Dist;
  };
  /** `autocorrelation`: AR(1) errors per patient (own ρ_j, stationary start, ρ^gap over gaps; normal outcome only). */
  model?: { autocorrelation?: boolean; includeWashout?: boolean };
  /** Normal outcome only: MCID per treatment (difference in means), as in {@link analyzeTrial}. */
  thresholds?: Record<string, number>;
  mcmc?: McmcOptions;
}

/** Population summary of one treatment. */
export type PopulationEffectSummary = EffectSummary & {
  /** Posterior of the between-patient sd τ. */
  readonly heterogeneity: { readonly mean: number; readonly sd: number; readonly median: number };
  /** Moments of the predictive effect of a new patient, μ + τ·z. */
  readonly predictive: { readonly mean: number; readonly sd: number };
};

/** Result of {@link analyzeSeries}. */
export interface SeriesAnalysis {
  readonly method: 'mcmc';
  readonly reference: string;
  readonly betterIs: 'higher' | 'lower';
  readonly population: Record<string, PopulationEffectSummary>;
  /** Per patient id, per treatment of that patient's design. */
  readonly individuals: Record<string, Record<string, EffectSummary>>;
  /** P(best) of the population means (reference included). */
  readonly probBest: Record<string, number>;
  readonly diagnostics: McmcDiagnostics;
  /** Plain sentences a reader must see, as in {@link TrialAnalysis.warnings} (non-convergence with `strict` off). */
  readonly warnings?: readonly string[];
  /** Population draws (all chains), returned when `mcmc.keepDraws` is true. */
  readonly draws?: {
    readonly mu: Record<string, readonly number[]>;
    readonly tau: Record<string, readonly number[]>;
    /** Per patient id, per treatment: that patient's effect draws. */
    readonly individuals: Record<string, Record<string, readonly number[]>>;
  };
}

const FN = 'analyzeSeries';

interface Patient {
  readonly id: string;
  readonly data: PreparedTrial;
  /** Global treatment index of each column 1..p−1. */
  readonly colTreatment: Int32Array;
  /**
   * Normal outcome: the patient's mean outcome, subtracted from `data.y` (so the intercept is
   * fitted as α_j − shift, with its prior shifted alike): uncentred cross-products lose the
   * residual sum of squares to cancellation when the level dwarfs the noise. 0 otherwise.
   */
  readonly yShift: number;
}

/**
 * Hierarchical Bayesian analysis of a series of N-of-1 trials:
 * y_jt = α_j + β_j[treatment] + e_jt (normal; logit or log link with exposure for binomial and
 * Poisson), β_j[k] ~ N(μ_k, τ_k²), μ_k ~ populationEffects[k], τ_k ~ heterogeneity[k],
 * e_jt ~ N(0, σ_j²), α_j ~ intercept, σ_j² ~ variance. Each patient's effect is shrunk toward
 * the population mean μ_k; μ_k's posterior is the improved prior for the next patient
 * ({@link seriesToPrior}). With `model.autocorrelation` (normal outcome only) each patient has
 * AR(1) errors with their own ρ_j.
 *
 * Sampler: per patient, (α_j, β_j) as one Gaussian block given σ_j² (normal; σ_j² conjugate or
 * slice on log σ_j for a half-normal prior), given Pólya-Gamma variables (binomial), or by two
 * random-walk Metropolis steps shaped by the patient's Laplace approximation (Poisson); μ_k
 * conjugate (mixture priors through a component indicator); τ_k by slice sampling on log τ_k.
 * Chains run on forked RNG streams.
 *
 * Sparse patients (as real series have them) are accepted: a patient with a single observation
 * or two (every prior of the model is proper, so the patient's σ_j, α_j and β_j are identified
 * by the priors and by the population level; the patient contributes what their data say), a
 * patient who never received an arm (that arm's effect is not part of the patient's model and
 * so carries no information to μ_k; the patient has no `individuals` entry for it, its
 * predictive effect is the population's), and a period with no observations. A patient needs at
 * least one observation outside washout.
 *
 * @param input - the trials, outcome, reference arm, direction and priors
 * @returns population and individual effect summaries with diagnostics
 * @throws ValidationError (code 'E_INVALID_ARGUMENT') for bad input (as {@link analyzeTrial}),
 *   duplicate ids, a missing population prior, a heterogeneity prior for an unknown treatment or
 *   without mass on (0, ∞), thresholds or a variance prior with a non-normal outcome, a misspelt
 *   key in `model` or `priors`
 * @throws ConvergenceError when `mcmc.strict` and the diagnostics fail
 * @example
 * ```ts
 * const trials = [-1.5, -1, -0.5, -1.2].map((effect, j) => {
 *   const design = designTrial({ treatments: ['drug', 'placebo'], blocks: 2, periodDays: 7, seed: j });
 *   const observations = design.periods.flatMap((p) =>
 *     Array.from({ length: 7 }, (_, d) => ({
 *       day: p.startDay + d,
 *       value: 5 + (p.treatment === 'drug' ? effect : 0) + ((d % 3) - 1),
 *     })));
 *   return { id: `patient-${j}`, design, observations };
 * });
 * const r = analyzeSeries({ trials, outcome: 'normal', reference: 'placebo', betterIs: 'lower',
 *   priors: { populationEffects: { drug: normal(0, 2) } } });
 * r.population.drug.mean; // returns ~-1.03 (the four patients' effects average -1.05)
 * r.population.drug.probBetter; // returns ~0.99
 * const nextPrior = seriesToPrior(r, { treatment: 'drug' }); // N(~-1.03, ~0.63): a new patient's effect
 * ```
 * @see Zucker, Schmid, McIntosh, D'Agostino, Selker & Lau (1997), Combining single patient
 * (N-of-1) trials to estimate population treatment effects and to evaluate individual patient
 * responses to treatment, J Clin Epidemiol 50(4).
 * @see Gelman (2006), Prior distributions for variance parameters in hierarchical models,
 * Bayesian Analysis 1(3) (half-normal priors on τ).
 */
export function analyzeSeries(input: AnalyzeSeriesInput): SeriesAnalysis {
  const inp = plainObject(FN, 'input', input) as unknown as AnalyzeSeriesInput;
  const outcome = oneOf(FN, 'outcome', inp.outcome, ['normal', 'binomial', 'poisson'] as const);
  const betterIs = oneOf(FN, 'betterIs', inp.betterIs, ['higher', 'lower'] as const);
  const reference = nonEmptyString(FN, 'reference', inp.reference);
  const model = inp.model === undefined ? {} : plainObject(FN, 'model', inp.model);
  knownKeys(FN, 'model', model, ['autocorrelation', 'includeWashout']);
  const autocorrelation = model.autocorrelation === undefined ? false : boolean(FN, 'model.autocorrelation', model.autocorrelation);
  if (autocorrelation && outcome !== 'normal') fail(FN, 'model.autocorrelation', "is supported for the 'normal' outcome only", true);
  const includeWashout = model.includeWashout === undefined ? false : boolean(FN, 'model.includeWashout', model.includeWashout);
  const mc = resolveMcmcOptions(FN, inp.mcmc);
  if (!Array.isArray(inp.trials) || inp.trials.length < 2) fail(FN, 'trials', 'must be an array of at least 2 trials', inp.trials);
  const priors = plainObject(FN, 'priors', inp.priors) as unknown as AnalyzeSeriesInput['priors'];
  knownKeys(FN, 'priors', priors, ['populationEffects', 'heterogeneity', 'intercept', 'variance', 'rho']);
  plainObject(FN, 'priors.populationEffects', priors.populationEffects);

  // Data per patient; the global treatment list is the union of non-reference arms.
  const ids = new Set<string>();
  const effectNames: string[] = [];
  const prepared = inp.trials.map((t, j) => {
    plainObject(FN, `trials[${j}]`, t);
    const id = nonEmptyString(FN, `trials[${j}].id`, t.id);
    if (ids.has(id)) fail(FN, `trials[${j}].id`, 'must be unique in the series', id);
    if (id === '__proto__') fail(FN, `trials[${j}].id`, "must not be the reserved '__proto__' (results are keyed by id)", id);
    ids.add(id);
    const data = prepareTrial(FN, t.design, t.observations, outcome, reference, {
      includeWashout,
      trend: false,
      uniqueDays: autocorrelation,
      field: `trials[${j}].`,
      allowEmptyArms: true,
    });
    if (data.n < 1) fail(FN, `trials[${j}].observations`, 'must include at least one observation outside washout', data.n);
    for (const e of data.effectNames) if (!effectNames.includes(e)) effectNames.push(e);
    return { id, data: dropEmptyArms(data) };
  });
  const K = effectNames.length;
  const nAll = prepared.reduce((t, { data }) => t + data.n, 0);
  const allY = new Float64Array(nAll);
  {
    let o = 0;
    for (const { data } of prepared) {
      allY.set(data.y, o);
      o += data.n;
    }
  }
  const allMoments = sampleMoments(allY);
  const ybar = allMoments.mean;
  const ally = ybar * nAll;
  // Scale of the defaults: the outcome's sd (normal) or 1 on the link scale (binomial, Poisson).
  const sy = outcome !== 'normal' ? 1 : allMoments.sd > 0 ? allMoments.sd : 1;

  const muPrior: NormalMixture[] = effectNames.map((k) => {
    const d = ownValue(priors.populationEffects, k);
    if (d === undefined) fail(FN, `priors.populationEffects.${k}`, 'must give a prior for every non-reference treatment', d);
    return normalMixture(FN, `priors.populationEffects.${k}`, d);
  });
  for (const k of Object.keys(priors.populationEffects)) {
    if (!effectNames.includes(k)) fail(FN, `priors.populationEffects.${k}`, `names no non-reference treatment (${effectNames.join(', ')})`, k);
  }
  if (priors.heterogeneity !== undefined) {
    plainObject(FN, 'priors.heterogeneity', priors.heterogeneity);
    for (const k of Object.keys(priors.heterogeneity)) {
      if (!effectNames.includes(k)) fail(FN, `priors.heterogeneity.${k}`, `names no non-reference treatment (${effectNames.join(', ')})`, k);
    }
  }
  const tauPrior: Dist[] = effectNames.map((k) => {
    const d = ownValue(priors.heterogeneity, k);
    if (d === undefined) return { family: 'halfNormal', scale: sy };
    const v = validateDist(d, FN, `priors.heterogeneity.${k}`);
    if (!(cdfRaw(v, 0) < 1)) fail(FN, `priors.heterogeneity.${k}`, 'must put mass on (0, ∞)', d);
    return v;
  });
  let intDefault = { m: ybar, s: 10 * sy };
  if (outcome === 'binomial') intDefault = { m: 0, s: 2.5 };
  if (outcome === 'poisson') {
    let se = 0;
    for (const { data } of prepared) for (let i = 0; i < data.n; i++) se += data.exposure[i] as number;
    intDefault = { m: Math.log((ally + 0.5) / se), s: 2.5 };
  }
  // Without an intercept prior the default is symmetric between arms: α_j is the patient's mean
  // level over their arms (effect columns centred: [arm k] − 1/K_j), so the default prior does not
  // hold the reference arm's level alone, and with two arms relabelling the reference mirrors
  // the result exactly.
  const symmetric = priors.intercept === undefined;
  const intPrior: NormalMixture =
    priors.intercept === undefined
      ? { w: Float64Array.of(1), m: Float64Array.of(intDefault.m), s: Float64Array.of(intDefault.s) }
      : normalMixture(FN, 'priors.intercept', priors.intercept);
  const varPrior: Dist =
    outcome === 'normal'
      ? resolveVariancePrior(FN, 'priors.variance', priors.variance, allY)
      : priors.variance === undefined
        ? { family: 'invGamma', shape: 1, scale: 1 }
        : fail(FN, 'priors.variance', "applies to the 'normal' outcome only", priors.variance);
  const thresholds: Record<string, number> = Object.create(null);
  if (inp.thresholds !== undefined) {
    if (outcome !== 'normal') fail(FN, 'thresholds', "are supported for the 'normal' outcome only in a series", inp.thresholds);
    plainObject(FN, 'thresholds', inp.thresholds);
    for (const [k, v] of Object.entries(inp.thresholds)) {
      if (!effectNames.includes(k)) fail(FN, `thresholds.${k}`, 'names no non-reference treatment', k);
      thresholds[k] = finite(FN, `thresholds.${k}`, v);
    }
  }
  const patients: Patient[] = prepared.map(({ id, data: raw }) => {
    // Normal outcome: fit y − ȳ_j per patient (the intercept and its prior shift alike, restored
    // in the output); uncentred cross-products lose the residual sum of squares to
    // cancellation when the level dwarfs the noise.
    const yShift = outcome === 'normal' ? sampleMoments(raw.y).mean : 0;
    let data: PreparedTrial = yShift === 0 ? raw : { ...raw, y: raw.y.map((v) => v - yShift) };
    if (symmetric) data = { ...data, X: centredColumns(data) };
    const colTreatment = Int32Array.from(data.effectNames, (e) => effectNames.indexOf(e));
    return { id, data, colTreatment, yShift };
  });
  const rng = createRng(mc.seed);
  let rhoPrior: Dist | undefined;
  if (priors.rho !== undefined) {
    if (!autocorrelation) fail(FN, 'priors.rho', 'needs model.autocorrelation', priors.rho);
    rhoPrior = checkRhoPrior(FN, 'priors.rho', validateDist(priors.rho, FN, 'priors.rho'));
  }
  const spec: SeriesSpec = { outcome, autocorrelation, rhoPrior, patients, K, muPrior, tauPrior, intPrior, varPrior, scale: sy };
  const { offsets, width } = seriesLayout(spec);
  const chains = runChains(seriesModel(spec), rng, mc);
  // Diagnostics and summaries.
  const layout: [string, number][] = [];
  const effectKeys: Record<string, string> = {};
  effectNames.forEach((k, i) => {
    layout.push([`mu[${k}]`, i], [`tau[${k}]`, K + i]);
    effectKeys[k] = `mu[${k}]`;
  });
  patients.forEach((pt, j) => {
    const o = offsets[j] as number;
    layout.push([`intercept[${pt.id}]`, o]);
    pt.data.effectNames.forEach((e, c) => {
      layout.push([`effect[${pt.id},${e}]`, o + 1 + c]);
    });
    if (outcome === 'normal') layout.push([`sigma[${pt.id}]`, o + pt.data.p]);
    if (autocorrelation) layout.push([`rho[${pt.id}]`, o + pt.data.p + 1]);
  });
  const params = namedDraws(chains, width, layout);
  // One workspace for the summaries and the diagnostics: each parameter's draws are sorted once.
  const ws = drawWorkspace();
  const diagnostics = buildDiagnostics(FN, params, effectKeys, mc, ws);
  const population: Record<string, PopulationEffectSummary> = {};
  const armVals: Float64Array[] = [];
  const popArms = [reference, ...effectNames];
  armVals.push(new Float64Array(mc.chains * mc.draws));
  effectNames.forEach((k) => {
    const mu = concat(params[`mu[${k}]`] as Float64Array[]);
    const tau = concat(params[`tau[${k}]`] as Float64Array[]);
    armVals.push(mu);
    const s = summarizeDraws(mu, betterIs, mu, thresholds[k], ws);
    const ts = summarizeDraws(tau, 'higher', undefined, undefined, ws);
    // Predictive effect of a new patient: E = E[μ], Var = Var[μ] + E[τ²].
    let et2 = 0;
    for (let i = 0; i < tau.length; i++) et2 += (tau[i] as number) ** 2;
    et2 /= tau.length;
    population[k] = {
      ...s,
      heterogeneity: { mean: ts.mean, sd: ts.sd, median: ts.median },
      predictive: { mean: s.mean, sd: Math.sqrt(s.sd * s.sd + et2) },
    };
  });
  const individuals: Record<string, Record<string, EffectSummary>> = {};
  for (const pt of patients) {
    const rec: Record<string, EffectSummary> = {};
    for (const e of pt.data.effectNames) {
      const x = concat(params[`effect[${pt.id},${e}]`] as Float64Array[]);
      rec[e] = summarizeDraws(x, betterIs, x, thresholds[e], ws);
    }
    individuals[pt.id] = rec;
  }
  let draws: SeriesAnalysis['draws'];
  if (mc.keepDraws) {
    const muD: Record<string, readonly number[]> = {};
    const tauD: Record<string, readonly number[]> = {};
    for (const k of effectNames) {
      muD[k] = Array.from(concat(params[`mu[${k}]`] as Float64Array[]));
      tauD[k] = Array.from(concat(params[`tau[${k}]`] as Float64Array[]));
    }
    const ind: Record<string, Record<string, readonly number[]>> = {};
    for (const pt of patients) {
      const rec: Record<string, readonly number[]> = {};
      for (const e of pt.data.effectNames) rec[e] = Array.from(concat(params[`effect[${pt.id},${e}]`] as Float64Array[]));
      ind[pt.id] = rec;
    }
    draws = { mu: muD, tau: tauD, individuals: ind };
  }
  return {
    method: 'mcmc',
    reference,
    betterIs,
    population,
    individuals,
    probBest: probBestFromDraws(popArms, armVals, betterIs),
    diagnostics,
    warnings: convergenceWarnings(diagnostics),
    ...(draws !== undefined ? { draws } : {}),
  };
}

/**
 * The patient's design matrix with its effect columns centred ([arm k] − 1/K_j, K_j the patient's
 * arms): the intercept becomes the patient's mean level over their arms; the effects keep their
 * meaning (each arm minus the reference).
 */
function centredColumns(d: PreparedTrial): Float64Array {
  const { n, p } = d;
  const X = d.X.slice();
  const c0 = 1 / p;
  for (let i = 0; i < n; i++) for (let c = 1; c < p; c++) X[i * p + c] = (X[i * p + c] as number) - c0;
  return X;
}

/** Everything a series chain needs (the model spec of {@link analyzeSeries}). */
interface SeriesSpec {
  readonly outcome: 'normal' | 'binomial' | 'poisson';
  readonly autocorrelation: boolean;
  readonly rhoPrior: Dist | undefined;
  readonly patients: readonly Patient[];
  /** Number of non-reference treatments of the series. */
  readonly K: number;
  readonly muPrior: readonly NormalMixture[];
  readonly tauPrior: readonly Dist[];
  readonly intPrior: NormalMixture;
  /** Normal only: each patient's residual-variance prior. */
  readonly varPrior: Dist;
  /** The outcome's scale (normal) or 1: starting values of τ. */
  readonly scale: number;
}

/** Draw layout: μ (K), τ (K), then per patient at `offsets[j]`: α, β (its own arms), σ (normal), ρ (AR(1)). */
function seriesLayout(spec: SeriesSpec): { offsets: Int32Array; width: number } {
  const offsets = new Int32Array(spec.patients.length);
  let width = 2 * spec.K;
  spec.patients.forEach((pt, j) => {
    offsets[j] = width;
    width += pt.data.p + (spec.outcome === 'normal' ? 1 : 0) + (spec.autocorrelation ? 1 : 0);
  });
  return { offsets, width };
}

/** One series chain's state (plain data). */
interface SeriesState {
  readonly pop: PopulationState;
  /** Per patient: intercept (shifted by yShift for a normal outcome), then effects. */
  readonly coefs: Float64Array[];
  readonly intComp: Int32Array;
  readonly sigma2: Float64Array;
  readonly rho: Float64Array;
  /** Normal: per patient XᵀX, Xᵀy, yᵀy (whitened at ρ_j with AR(1)); binomial: XᵀΩX of this sweep in `xtx`, Xᵀκ in `xty`. */
  readonly xtx: Float64Array[];
  readonly xty: Float64Array[];
  readonly yty: Float64Array;
  /** Poisson: random-walk scales and warm-up acceptances. */
  readonly rwScale: Float64Array;
  readonly rwAcc: Float64Array;
  /** The patients' likelihoods as the population move reads them (views of the arrays above). */
  readonly lik: PatientLikelihood;
}

/**
 * The series model over the shared kernels: per patient the Gaussian coefficient block given
 * σ_j² (normal, then σ_j² and ρ_j) or given Pólya-Gamma ω (binomial), or two shaped random-walk
 * Metropolis steps (Poisson); then the population kernel's centred and ancillary moves.
 */
function seriesModel(spec: SeriesSpec): ChainModel<SeriesState> {
  const { outcome, patients, intPrior } = spec;
  const J = patients.length;
  const { offsets, width } = seriesLayout(spec);
  const maxP = Math.max(...patients.map((pt) => pt.data.p));
  const maxN = Math.max(...patients.map((pt) => pt.data.n));
  const ws = coefScratch(maxP);
  const pm = new Float64Array(maxP);
  const ps = new Float64Array(maxP);
  const prop = new Float64Array(maxP);
  const zs = new Float64Array(maxP);
  const omega = new Float64Array(maxN);
  const logw = new Float64Array(16);
  const ps0 = Int32Array.from(patients, (pt) => pt.data.p);
  const pop = populationKernel(spec.muPrior, spec.tauPrior, membership(patients.map((pt) => pt.colTreatment), spec.K));
  const varK = outcome === 'normal' ? varianceKernel(spec.varPrior) : null;
  const ars = spec.autocorrelation ? patients.map((pt) => arKernel(pt.data)) : [];
  const rhoKs = ars.map((k) => rhoKernel(k, spec.rhoPrior));
  const logE = outcome === 'poisson' ? patients.map((pt) => logExposure(pt.data)) : [];
  // Poisson: each patient's Laplace approximation (prior: the intercept's, and μ's moments widened by the scale) shapes the walk.
  const lapChol =
    outcome === 'poisson'
      ? patients.map((pt) => {
          const p = pt.data.p;
          const m0 = new Float64Array(p);
          const s0 = new Float64Array(p);
          const im = mixtureMoments(intPrior);
          m0[0] = im.mean;
          s0[0] = im.sd;
          for (let a = 1; a < p; a++) {
            const mm = mixtureMoments(spec.muPrior[pt.colTreatment[a - 1] as number] as NormalMixture);
            m0[a] = mm.mean;
            s0[a] = Math.sqrt(mm.sd * mm.sd + spec.scale * spec.scale);
          }
          return poissonLaplace(pt.data, m0, s0).chol;
        })
      : [];
  return {
    width,
    init(rng) {
      const popState = pop.init(rng, spec.scale);
      const coefs = patients.map((pt) => new Float64Array(pt.data.p));
      const sigma2 = new Float64Array(J);
      const xtx = patients.map((pt) => new Float64Array(pt.data.p * pt.data.p));
      const xty = patients.map((pt) => new Float64Array(pt.data.p));
      const yty = new Float64Array(J);
      patients.forEach((pt, j) => {
        const d = pt.data;
        const mom = sampleMoments(d.y);
        sigma2[j] = mom.variance > 0 ? mom.variance * Math.exp(0.2 * rng.normal()) : spec.scale * spec.scale;
        const c = coefs[j] as Float64Array;
        c[0] = (outcome === 'normal' ? mom.mean : mixtureMoments(intPrior).mean) + 0.1 * rng.normal();
        for (let a = 1; a < d.p; a++) c[a] = popState.mu[pt.colTreatment[a - 1] as number] as number;
        if (outcome === 'normal') yty[j] = crossProducts(d.X, d.n, d.p, null, d.y, xtx[j] as Float64Array, xty[j] as Float64Array);
        if (outcome === 'binomial') polyaGammaLinear(d.X, d.n, d.p, d.y, d.trials, xty[j] as Float64Array);
      });
      const rho = new Float64Array(J);
      for (let j = 0; j < ars.length; j++) {
        rho[j] = initRho(spec.rhoPrior, rng);
        yty[j] = (ars[j] as ArKernel).crossStats(rho[j] as number, xtx[j] as Float64Array, xty[j] as Float64Array);
      }
      const lik: PatientLikelihood =
        outcome === 'poisson'
          ? {
              kind: 'poisson',
              X: patients.map((pt) => pt.data.X),
              y: patients.map((pt) => pt.data.y),
              logE,
              n: Int32Array.from(patients, (pt) => pt.data.n),
              p: ps0,
            }
          : { kind: 'gaussian', p: ps0, prec: xtx, lin: xty, scale: new Float64Array(J).fill(1) };
      return {
        pop: popState,
        coefs,
        intComp: new Int32Array(J),
        sigma2,
        rho,
        xtx,
        xty,
        yty,
        rwScale: new Float64Array(J).fill(2.38 / Math.sqrt(maxP)),
        rwAcc: new Float64Array(J),
        lik,
      };
    },
    step(rng, s, warmIt) {
      const { mu, tau } = s.pop;
      for (let j = 0; j < J; j++) {
        const pt = patients[j] as Patient;
        const d = pt.data;
        const p = d.p;
        const c = s.coefs[j] as Float64Array;
        const ic = s.intComp[j] as number;
        pm[0] = (intPrior.m[ic] as number) - pt.yShift;
        ps[0] = intPrior.s[ic] as number;
        for (let a = 1; a < p; a++) {
          const k = pt.colTreatment[a - 1] as number;
          pm[a] = mu[k] as number;
          ps[a] = tau[k] as number;
        }
        const xtx = s.xtx[j] as Float64Array;
        const xty = s.xty[j] as Float64Array;
        if (outcome === 'normal') {
          drawCoefficients(xtx, xty, 1 / (s.sigma2[j] as number), pm, ps, p, rng, c, ws);
          const ssr = residualSS(xtx, xty, s.yty[j] as number, c, p);
          s.sigma2[j] = (varK as VarianceKernel).step(rng, s.sigma2[j] as number, d.n, ssr);
          if (spec.autocorrelation) {
            s.rho[j] = (rhoKs[j] as RhoKernel).step(rng, s.rho[j] as number, c, s.sigma2[j] as number);
            s.yty[j] = (ars[j] as ArKernel).crossStats(s.rho[j] as number, xtx, xty);
          }
          if (s.lik.kind === 'gaussian') s.lik.scale[j] = 1 / (s.sigma2[j] as number);
        } else if (outcome === 'binomial') {
          polyaGammaSweep(d.X, d.n, p, d.trials, c, rng, omega);
          crossProducts(d.X, d.n, p, omega, null, xtx, null);
          drawCoefficients(xtx, xty, 1, pm, ps, p, rng, c, ws);
        } else {
          poissonPatientStep(d, logE[j] as Float64Array, lapChol[j] as Float64Array, pm, ps, c, j, s.rwScale, s.rwAcc, warmIt, rng, prop, zs);
        }
        if (intPrior.w.length > 1) s.intComp[j] = drawIndicator(intPrior, (c[0] as number) + pt.yShift, rng, logw);
      }
      pop.centred(rng, s.pop, s.coefs);
      pop.ancillary(rng, s.pop, s.coefs, s.lik);
      return s;
    },
    write(s, out, o) {
      out.set(s.pop.mu, o);
      out.set(s.pop.tau, o + spec.K);
      for (let j = 0; j < J; j++) {
        const pt = patients[j] as Patient;
        const off = o + (offsets[j] as number);
        const c = s.coefs[j] as Float64Array;
        out.set(c, off);
        out[off] = (c[0] as number) + pt.yShift;
        if (outcome === 'normal') out[off + pt.data.p] = Math.sqrt(s.sigma2[j] as number);
        if (spec.autocorrelation) out[off + pt.data.p + 1] = s.rho[j] as number;
      }
    },
  };
}

/** Options of {@link seriesToPrior}. */
export interface SeriesToPriorOptions {
  /** The treatment; may be omitted when the series has a single non-reference treatment. */
  treatment?: string;
  /**
   * true: the predictive distribution of a new patient's own effect, μ + τ·z (z ~ N(0, 1)),
   * which carries the between-patient spread τ as well as the uncertainty about μ; false: the
   * posterior of the population mean μ alone, narrower, and over-confident as a prior for one
   * person unless the patients barely differ.
   * @defaultValue true
   */
  predictive?: boolean;
}

/**
 * The population posterior of a series as a prior `Dist` for the next patient's
 * {@link analyzeTrial} (`priors.effects[treatment]`): by default a normal matched to the mean
 * and sd of the predictive effect of a new patient, μ + τ·z, with sd² = Var(μ) + E[τ²]
 * (the next patient is one more draw from the population, not its average); with
 * `predictive: false`, a normal matched to the posterior of μ.
 *
 * @param result - an {@link analyzeSeries} result
 * @param options - which treatment, and predictive versus mean
 * @returns a normal Dist
 * @throws ValidationError when the treatment is missing or unknown
 * @example
 * ```ts
 * const trials = [-1.5, -1, -0.5, -1.2].map((effect, j) => {
 *   const design = designTrial({ treatments: ['drug', 'placebo'], blocks: 2, periodDays: 7, seed: j });
 *   const observations = design.periods.flatMap((p) =>
 *     Array.from({ length: 7 }, (_, d) => ({ day: p.startDay + d, value: 5 + (p.treatment === 'drug' ? effect : 0) + ((d % 3) - 1) })));
 *   return { id: `patient-${j}`, design, observations };
 * });
 * const r = analyzeSeries({ trials, outcome: 'normal', reference: 'placebo', betterIs: 'lower',
 *   priors: { populationEffects: { drug: normal(0, 2) } } });
 * const prior = seriesToPrior(r, { treatment: 'drug' }); // returns { family: 'normal', mean: ~-1.03, sd: ~0.63 } (μ with the spread τ)
 * seriesToPrior(r, { treatment: 'drug', predictive: false }).sd; // returns ~0.32 (μ alone)
 * const next = trials[0]; // the next patient's own trial
 * analyzeTrial({ design: next.design, observations: next.observations, outcome: 'normal', reference: 'placebo',
 *   betterIs: 'lower', priors: { effects: { drug: prior } } });
 * ```
 * @see Zucker et al. (1997), J Clin Epidemiol 50(4); Schmid & Yang (2022), HDSR.
 * @see Higgins, Thompson & Spiegelhalter (2009), A re-evaluation of random-effects meta-analysis, JRSS A 172(1):137 (the predictive distribution of a new study's effect).
 */
export function seriesToPrior(result: SeriesAnalysis, options: SeriesToPriorOptions = {}): Dist {
  const fn = 'seriesToPrior';
  plainObject(fn, 'result', result);
  plainObject(fn, 'result.population', result.population);
  const o = plainObject(fn, 'options', options) as SeriesToPriorOptions;
  const names = Object.keys(result.population);
  let t = o.treatment;
  if (t === undefined) {
    if (names.length !== 1) fail(fn, 'options.treatment', `must name one of ${names.join(', ')}`, t);
    t = names[0] as string;
  }
  const pop = ownValue(result.population, t);
  if (pop === undefined) fail(fn, 'options.treatment', `must name one of ${names.join(', ')}`, t);
  const predictive = o.predictive === undefined ? true : boolean(fn, 'options.predictive', o.predictive);
  const m = predictive ? pop.predictive.mean : pop.mean;
  const s = predictive ? pop.predictive.sd : pop.sd;
  if (!(s > 0) || !Number.isFinite(m)) fail(fn, 'result', 'must hold a finite population summary', pop);
  return { family: 'normal', mean: m, sd: s };
}
