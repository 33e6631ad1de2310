/**
 * `analyzeSeries`: a hierarchical model over a series of N-of-1 trials (aggregated N-of-1),
 * and `seriesToPrior`: the population posterior as the next patient's prior.
 *
 * @packageDocumentation
 */
import type { TrialDesign } from '../design/types.js';
import type { Dist } from '../distributions/index.js';
import { cdfRaw, logPdfRaw, quantileRaw, validateDist } from '../distributions/index.js';
import { createRng } from '../rng/index.js';
import type { Rng } from '../rng/index.js';
import { boolean, fail, finite, nonEmptyString, oneOf, plainObject } from '../validate.js';
import type { NormalMixture, PreparedTrial } from './data.js';
import { knownKeys, mixtureMoments, normalMixture, ownValue, prepareTrial } from './data.js';
import { drawFromPrecision } from './linalg.js';
import type { ArKernel } from './engine.js';
import { arKernel, checkRhoPrior, initRho, poissonLaplace, rhoLogPrior } from './engine.js';
import { drawIndicator, polyaGammaMass, polyaGammaSumWithMass, sliceStep } from './samplers.js';
import { buildDiagnostics, chainColumn, concat, probBestFromDraws, summarizeDraws } from './summarize.js';
import { resolveMcmcOptions, resolveVariancePrior } from './trial.js';
import type { EffectSummary, McmcDiagnostics, McmcOptions, TrialObservation } from './types.js';

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
    /** Prior of each patient's intercept. @defaultValue N(ȳ, 10·s_y) (normal); N(0, 2.5) (binomial); N(log(Σy/Σexposure), 2.5) (Poisson) */
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
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  /** y'y (one element, so the AR(1) update can refresh it). */
  readonly yty: Float64Array;
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
    });
    for (const e of data.effectNames) if (!effectNames.includes(e)) effectNames.push(e);
    return { id, data };
  });
  const K = effectNames.length;
  let ally = 0;
  let nAll = 0;
  for (const { data } of prepared) {
    for (let i = 0; i < data.n; i++) ally += data.y[i] as number;
    nAll += data.n;
  }
  const ybar = ally / nAll;
  let ss = 0;
  for (const { data } of prepared) for (let i = 0; i < data.n; i++) ss += ((data.y[i] as number) - ybar) ** 2;
  // Scale of the defaults: the outcome's sd (normal) or 1 on the link scale (binomial, Poisson).
  const sy = outcome !== 'normal' ? 1 : nAll > 1 && ss > 0 ? Math.sqrt(ss / (nAll - 1)) : 1;

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
  const intPrior: NormalMixture =
    priors.intercept === undefined
      ? { w: Float64Array.of(1), m: Float64Array.of(intDefault.m), s: Float64Array.of(intDefault.s) }
      : normalMixture(FN, 'priors.intercept', priors.intercept);
  const allY = new Float64Array(nAll);
  {
    let o = 0;
    for (const { data } of prepared) {
      allY.set(data.y, o);
      o += data.n;
    }
  }
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
    let yShift = 0;
    if (outcome === 'normal') {
      for (let i = 0; i < raw.n; i++) yShift += raw.y[i] as number;
      yShift /= raw.n;
    }
    const data: PreparedTrial = yShift === 0 ? raw : { ...raw, y: raw.y.map((v) => v - yShift) };
    const p = data.p;
    if (outcome === 'normal' && data.n <= p) {
      fail(FN, `trials(${id}).observations`, `must number more than ${p} to estimate the patient's variance`, data.n);
    }
    const xtx = new Float64Array(p * p);
    const xty = new Float64Array(p);
    let yty = 0;
    for (let i = 0; i < data.n; i++) {
      const yi = data.y[i] as number;
      yty += yi * yi;
      for (let a = 0; a < p; a++) {
        const xa = data.X[i * p + a] as number;
        xty[a] = (xty[a] as number) + xa * yi;
        for (let b = 0; b < p; b++) xtx[a * p + b] = (xtx[a * p + b] as number) + xa * (data.X[i * p + b] as number);
      }
    }
    const colTreatment = Int32Array.from(data.effectNames, (e) => effectNames.indexOf(e));
    return { id, data, colTreatment, xtx, xty, yty: Float64Array.of(yty), yShift };
  });
  const rng = createRng(mc.seed);
  // Layout per draw: μ (K), τ (K), then per patient: α, β (its own arms), σ, ρ.
  const offsets: number[] = [];
  const hasSigma = outcome === 'normal' ? 1 : 0;
  const hasRho = autocorrelation ? 1 : 0;
  let width = 2 * K;
  for (const pt of patients) {
    offsets.push(width);
    width += pt.data.p + hasSigma + hasRho;
  }
  let rhoPrior: Dist | undefined;
  if (priors.rho !== undefined) {
    if (!autocorrelation) fail(FN, 'priors.rho', 'needs model.autocorrelation', priors.rho);
    rhoPrior = checkRhoPrior(FN, 'priors.rho', validateDist(priors.rho, FN, 'priors.rho'));
  }
  const chains: Float64Array[] = [];
  for (let c = 0; c < mc.chains; c++) {
    chains.push(runSeriesChain(outcome, autocorrelation, rhoPrior, patients, K, muPrior, tauPrior, intPrior, varPrior, offsets, width, rng.fork(`chain-${c}`), mc.warmup, mc.draws, sy));
    mc.onProgress?.(c + 1, mc.chains);
  }
  // Diagnostics and summaries.
  const params: Record<string, Float64Array[]> = {};
  const effectKeys: Record<string, string> = {};
  effectNames.forEach((k, i) => {
    params[`mu[${k}]`] = chainColumn(chains, width, i);
    params[`tau[${k}]`] = chainColumn(chains, width, K + i);
    effectKeys[k] = `mu[${k}]`;
  });
  patients.forEach((pt, j) => {
    const o = offsets[j] as number;
    params[`intercept[${pt.id}]`] = chainColumn(chains, width, o);
    pt.data.effectNames.forEach((e, c) => {
      params[`effect[${pt.id},${e}]`] = chainColumn(chains, width, o + 1 + c);
    });
    if (hasSigma) params[`sigma[${pt.id}]`] = chainColumn(chains, width, o + pt.data.p);
    if (hasRho) params[`rho[${pt.id}]`] = chainColumn(chains, width, o + pt.data.p + 1);
  });
  const diagnostics = buildDiagnostics(FN, params, effectKeys, mc);
  const population: Record<string, PopulationEffectSummary> = {};
  const armVals: Float64Array[] = [];
  const popArms = [reference, ...effectNames];
  armVals.push(new Float64Array(mc.chains * mc.draws));
  effectNames.forEach((k) => {
    const mu = concat(params[`mu[${k}]`] as Float64Array[]);
    const tau = concat(params[`tau[${k}]`] as Float64Array[]);
    armVals.push(mu);
    const s = summarizeDraws(mu, betterIs, mu, thresholds[k]);
    const ts = summarizeDraws(tau, 'higher');
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
      rec[e] = summarizeDraws(x, betterIs, x, thresholds[e]);
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
    ...(draws !== undefined ? { draws } : {}),
  };
}

/** The patient's (whitened) residual sum of squares y'y − 2cᵀX'y + cᵀX'Xc, at least 0. */
function residualSS(pt: Patient, c: Float64Array): number {
  const p = pt.data.p;
  let ssr = pt.yty[0] as number;
  for (let a = 0; a < p; a++) {
    const ca = c[a] as number;
    ssr -= 2 * ca * (pt.xty[a] as number);
    for (let bb = 0; bb < p; bb++) ssr += ca * (pt.xtx[a * p + bb] as number) * (c[bb] as number);
  }
  return Math.max(ssr, 0);
}

function runSeriesChain(
  outcome: 'normal' | 'binomial' | 'poisson',
  autocorrelation: boolean,
  rhoPrior: Dist | undefined,
  patients: readonly Patient[],
  K: number,
  muPrior: readonly NormalMixture[],
  tauPrior: readonly Dist[],
  intPrior: NormalMixture,
  varPrior: Dist,
  offsets: readonly number[],
  width: number,
  rng: Rng,
  warmup: number,
  draws: number,
  sy: number,
): Float64Array {
  const J = patients.length;
  const out = new Float64Array(draws * width);
  const mu = new Float64Array(K);
  const tau = new Float64Array(K);
  const muComp = new Int32Array(K);
  const logw = new Float64Array(16);
  const coefs = patients.map((pt) => new Float64Array(pt.data.p));
  const sigma2 = new Float64Array(J);
  const intComp = new Int32Array(J);
  const maxP = Math.max(...patients.map((pt) => pt.data.p));
  const q = new Float64Array(maxP * maxP);
  const l = new Float64Array(maxP * maxP);
  const b = new Float64Array(maxP);
  const z = new Float64Array(maxP);
  const tmp = new Float64Array(maxP);
  const sumE = new Float64Array(K);
  const cntE = new Float64Array(K);
  const ssE = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const m = mixtureMoments(muPrior[k] as NormalMixture);
    mu[k] = m.mean + 0.1 * Math.min(1, m.sd) * rng.normal();
    tau[k] = sy * (0.2 + 0.3 * rng.uniform());
    // Start inside the prior's support (e.g. uniform(0, 0.01)): a slice sampler started where
    // the density is zero would never move.
    const pr = tauPrior[k] as Dist;
    if (!(logPdfRaw(pr, tau[k] as number) > Number.NEGATIVE_INFINITY)) {
      const f0 = cdfRaw(pr, 0);
      tau[k] = quantileRaw(pr, f0 + (1 - f0) * (0.25 + 0.5 * rng.uniform()));
    }
  }
  patients.forEach((pt, j) => {
    const d = pt.data;
    let m = 0;
    for (let i = 0; i < d.n; i++) m += d.y[i] as number;
    m /= d.n;
    let v = 0;
    for (let i = 0; i < d.n; i++) v += ((d.y[i] as number) - m) ** 2;
    sigma2[j] = v > 0 ? (v / (d.n - 1)) * Math.exp(0.2 * rng.normal()) : 1;
    const c = coefs[j] as Float64Array;
    c[0] = (outcome === 'normal' ? m : mixtureMoments(intPrior).mean) + 0.1 * rng.normal();
    for (let a = 1; a < d.p; a++) c[a] = mu[pt.colTreatment[a - 1] as number] as number;
  });
  const pmean = new Float64Array(maxP);
  const psd = new Float64Array(maxP);
  // AR(1): per-patient ρ_j; the patient's cross-products are those of its whitened data.
  const rho = new Float64Array(J);
  const kernels = autocorrelation ? patients.map((pt) => arKernel(pt.data)) : [];
  const mmBuf = new Float64Array((maxP + 1) * (maxP + 1));
  const setCross = (j: number): void => {
    const pt = patients[j] as Patient;
    const p = pt.data.p;
    const m = p + 1;
    (kernels[j] as ArKernel).cross(rho[j] as number, mmBuf);
    for (let a = 0; a < p; a++) {
      for (let bb = 0; bb < p; bb++) pt.xtx[a * p + bb] = mmBuf[a * m + bb] as number;
      pt.xty[a] = mmBuf[a * m + p] as number;
    }
    pt.yty[0] = mmBuf[p * m + p] as number;
  };
  if (autocorrelation) {
    for (let j = 0; j < J; j++) {
      rho[j] = initRho(rhoPrior, rng);
      setCross(j);
    }
  }
  const normalPatient = (j: number, pt: Patient, c: Float64Array): void => {
    const p = pt.data.p;
    const s2 = sigma2[j] as number;
    for (let a = 0; a < p; a++) {
      const prec = 1 / ((psd[a] as number) * (psd[a] as number));
      for (let bb = 0; bb < p; bb++) q[a * p + bb] = (pt.xtx[a * p + bb] as number) / s2;
      q[a * p + a] = (q[a * p + a] as number) + prec;
      b[a] = (pt.xty[a] as number) / s2 + prec * (pmean[a] as number);
    }
    drawFromPrecision(q.subarray(0, p * p), b.subarray(0, p), p, rng, tmp.subarray(0, p), z.subarray(0, p), l.subarray(0, p * p));
    for (let a = 0; a < p; a++) c[a] = tmp[a] as number;
    const ssr = residualSS(pt, c);
    const n = pt.data.n;
    if (varPrior.family === 'invGamma') {
      sigma2[j] = 1 / rng.gamma(varPrior.shape + 0.5 * n, varPrior.scale + 0.5 * ssr);
    } else if (varPrior.family === 'halfNormal') {
      const sc = varPrior.scale;
      const logf = (ls: number): number => {
        const s = Math.exp(ls);
        return -n * ls - ssr / (2 * s * s) - (s * s) / (2 * sc * sc) + ls;
      };
      sigma2[j] = Math.exp(2 * sliceStep(0.5 * Math.log(sigma2[j] as number), logf, 0.5, -50, 50, rng));
    }
    if (autocorrelation) {
      const ker = kernels[j] as ArKernel;
      ker.setCoefficients(c);
      const s2n = sigma2[j] as number;
      rho[j] = sliceStep(rho[j] as number, (r) => rhoLogPrior(rhoPrior, r) + ker.logLik(r, s2n), 0.25, -1, 1, rng);
      setCross(j);
    }
  };
  // Likelihood of each patient's coefficients given the latent variables, for the
  // non-centred (interweaving) moves of μ and τ below. Binomial: the Pólya-Gamma augmented
  // likelihood exp(κᵀXβ − ½ βᵀXᵀΩXβ) with this sweep's ω.
  const qLik = patients.map((pt) => new Float64Array(pt.data.p * pt.data.p));
  const kLik = patients.map((pt) => {
    const { n, p, X, y, trials } = pt.data;
    const k = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < p; a++) k[a] = (k[a] as number) + (X[i * p + a] as number) * ((y[i] as number) - 0.5 * (trials[i] as number));
    }
    return k;
  });
  const patientLogLik = (j: number, c: Float64Array): number => {
    const pt = patients[j] as Patient;
    const p = pt.data.p;
    if (outcome === 'normal') {
      return -residualSS(pt, c) / (2 * (sigma2[j] as number));
    }
    if (outcome === 'binomial') {
      const ql = qLik[j] as Float64Array;
      const kl = kLik[j] as Float64Array;
      let v = 0;
      for (let a = 0; a < p; a++) {
        const ca = c[a] as number;
        v += ca * (kl[a] as number);
        for (let bb = 0; bb < p; bb++) v -= 0.5 * ca * (ql[a * p + bb] as number) * (c[bb] as number);
      }
      return v;
    }
    const { n, X, y, exposure } = pt.data;
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let eta = Math.log(exposure[i] as number);
      for (let a = 0; a < p; a++) eta += (X[i * p + a] as number) * (c[a] as number);
      ll += (y[i] as number) * eta - Math.exp(eta);
    }
    return ll;
  };
  const binomialPatient = (j: number, pt: Patient, c: Float64Array): void => {
    const { n, p, X, y, trials } = pt.data;
    q.fill(0, 0, p * p);
    for (let a = 0; a < p; a++) b[a] = 0;
    let lastPsi = Number.NaN;
    let mass = 0;
    for (let i = 0; i < n; i++) {
      let psi = 0;
      for (let a = 0; a < p; a++) psi += (X[i * p + a] as number) * (c[a] as number);
      const nt = trials[i] as number;
      if (psi !== lastPsi) {
        mass = polyaGammaMass(psi);
        lastPsi = psi;
      }
      const om = polyaGammaSumWithMass(nt, psi, mass, rng);
      const kappa = (y[i] as number) - 0.5 * nt;
      for (let a = 0; a < p; a++) {
        const xa = X[i * p + a] as number;
        if (xa === 0) continue;
        b[a] = (b[a] as number) + xa * kappa;
        for (let bb = 0; bb < p; bb++) q[a * p + bb] = (q[a * p + bb] as number) + om * xa * (X[i * p + bb] as number);
      }
    }
    (qLik[j] as Float64Array).set(q.subarray(0, p * p));
    for (let a = 0; a < p; a++) {
      const prec = 1 / ((psd[a] as number) * (psd[a] as number));
      q[a * p + a] = (q[a * p + a] as number) + prec;
      b[a] = (b[a] as number) + prec * (pmean[a] as number);
    }
    drawFromPrecision(q.subarray(0, p * p), b.subarray(0, p), p, rng, tmp.subarray(0, p), z.subarray(0, p), l.subarray(0, p * p));
    for (let a = 0; a < p; a++) c[a] = tmp[a] as number;
  };
  // Poisson: random-walk Metropolis per patient, shaped by a Laplace approximation, scale adapted in warm-up.
  const lap =
    outcome === 'poisson'
      ? patients.map((pt) => {
          const p = pt.data.p;
          const m0 = new Float64Array(p);
          const s0 = new Float64Array(p);
          const im = mixtureMoments(intPrior);
          m0[0] = im.mean;
          s0[0] = im.sd;
          for (let a = 1; a < p; a++) {
            const k = pt.colTreatment[a - 1] as number;
            const mm = mixtureMoments(muPrior[k] as NormalMixture);
            m0[a] = mm.mean;
            s0[a] = Math.sqrt(mm.sd * mm.sd + sy * sy);
          }
          return poissonLaplace(pt.data, m0, s0);
        })
      : [];
  const rwScale = new Float64Array(J).fill(2.38 / Math.sqrt(maxP));
  const rwAcc = new Float64Array(J);
  const prop = new Float64Array(maxP);
  const logPostPois = (pt: Patient, beta: Float64Array): number => {
    const { n, p, X, y, exposure } = pt.data;
    let lp = 0;
    for (let a = 0; a < p; a++) {
      const dlt = ((beta[a] as number) - (pmean[a] as number)) / (psd[a] as number);
      lp -= 0.5 * dlt * dlt;
    }
    for (let i = 0; i < n; i++) {
      let eta = Math.log(exposure[i] as number);
      for (let a = 0; a < p; a++) eta += (X[i * p + a] as number) * (beta[a] as number);
      lp += (y[i] as number) * eta - Math.exp(eta);
    }
    return lp;
  };
  const poissonPatient = (j: number, pt: Patient, c: Float64Array, warmIt: number): void => {
    const p = pt.data.p;
    const L = (lap[j] as { chol: Float64Array }).chol;
    const cur = c;
    let lpCur = logPostPois(pt, cur);
    for (let rep = 0; rep < 2; rep++) {
      for (let a = 0; a < p; a++) z[a] = rng.normal();
      for (let a = 0; a < p; a++) {
        let s = 0;
        for (let k = 0; k <= a; k++) s += (L[a * p + k] as number) * (z[k] as number);
        prop[a] = (cur[a] as number) + (rwScale[j] as number) * s;
      }
      const pr = prop.subarray(0, p);
      const lpProp = logPostPois(pt, pr);
      const acc = Math.log(rng.uniform()) < lpProp - lpCur;
      if (acc) {
        cur.set(pr);
        lpCur = lpProp;
      }
      if (warmIt >= 0) rwAcc[j] = (rwAcc[j] as number) + (acc ? 1 : 0);
    }
    if (warmIt >= 0 && (warmIt + 1) % 25 === 0) {
      rwScale[j] = (rwScale[j] as number) * Math.exp((rwAcc[j] as number) / 50 - 0.3);
      rwAcc[j] = 0;
    }
  };
  const total = warmup + draws;
  for (let it = 0; it < total; it++) {
    // Patients: (α_j, β_j) | σ_j², μ, τ, then σ_j² (normal); PG Gibbs (binomial); Metropolis (Poisson).
    for (let j = 0; j < J; j++) {
      const pt = patients[j] as Patient;
      const p = pt.data.p;
      const c = coefs[j] as Float64Array;
      for (let a = 0; a < p; a++) {
        if (a === 0) {
          pmean[a] = (intPrior.m[intComp[j] as number] as number) - pt.yShift;
          psd[a] = intPrior.s[intComp[j] as number] as number;
        } else {
          const k = pt.colTreatment[a - 1] as number;
          pmean[a] = mu[k] as number;
          psd[a] = tau[k] as number;
        }
      }
      if (outcome === 'normal') normalPatient(j, pt, c);
      else if (outcome === 'binomial') binomialPatient(j, pt, c);
      else poissonPatient(j, pt, c, it < warmup ? it : -1);
      if (intPrior.w.length > 1) intComp[j] = drawIndicator(intPrior, (c[0] as number) + pt.yShift, rng, logw);
    }
    // Population: μ_k | β, τ_k (conjugate), τ_k | β, μ_k (slice on log τ).
    sumE.fill(0);
    cntE.fill(0);
    for (let j = 0; j < J; j++) {
      const pt = patients[j] as Patient;
      const c = coefs[j] as Float64Array;
      for (let a = 1; a < pt.data.p; a++) {
        const k = pt.colTreatment[a - 1] as number;
        sumE[k] = (sumE[k] as number) + (c[a] as number);
        cntE[k] = (cntE[k] as number) + 1;
      }
    }
    for (let k = 0; k < K; k++) {
      const mix = muPrior[k] as NormalMixture;
      const s0 = mix.s[muComp[k] as number] as number;
      const t2 = (tau[k] as number) ** 2;
      const prec = 1 / (s0 * s0) + (cntE[k] as number) / t2;
      const mean = ((mix.m[muComp[k] as number] as number) / (s0 * s0) + (sumE[k] as number) / t2) / prec;
      mu[k] = mean + rng.normal() / Math.sqrt(prec);
      if (mix.w.length > 1) muComp[k] = drawIndicator(mix, mu[k] as number, rng, logw);
    }
    ssE.fill(0);
    for (let j = 0; j < J; j++) {
      const pt = patients[j] as Patient;
      const c = coefs[j] as Float64Array;
      for (let a = 1; a < pt.data.p; a++) {
        const k = pt.colTreatment[a - 1] as number;
        ssE[k] = (ssE[k] as number) + ((c[a] as number) - (mu[k] as number)) ** 2;
      }
    }
    for (let k = 0; k < K; k++) {
      const cnt = cntE[k] as number;
      const ssk = ssE[k] as number;
      const pr = tauPrior[k] as Dist;
      const logf = (lt: number): number => {
        const t = Math.exp(lt);
        return logPdfRaw(pr, t) + lt - cnt * lt - ssk / (2 * t * t);
      };
      tau[k] = Math.exp(sliceStep(Math.log(tau[k] as number), logf, 1, -30, 30, rng));
    }
    // Interweaving (ASIS, Yu & Meng 2011): redraw τ_k and μ_k in the non-centred
    // parameterisation β_jk = μ_k + τ_k·η_jk with η fixed; this breaks the funnel between τ_k
    // and the patients' effects that slows the centred Gibbs steps when τ_k is small.
    for (let k = 0; k < K; k++) {
      const js: number[] = [];
      const cols: number[] = [];
      for (let j = 0; j < J; j++) {
        const col = (patients[j] as Patient).colTreatment.indexOf(k);
        if (col >= 0) {
          js.push(j);
          cols.push(col + 1);
        }
      }
      const eta = js.map((j, i) => (((coefs[j] as Float64Array)[cols[i] as number] as number) - (mu[k] as number)) / (tau[k] as number));
      const setAll = (m: number, t: number): void => {
        js.forEach((j, i) => {
          (coefs[j] as Float64Array)[cols[i] as number] = m + t * (eta[i] as number);
        });
      };
      const totalLik = (m: number, t: number): number => {
        setAll(m, t);
        let s = 0;
        for (const j of js) s += patientLogLik(j, coefs[j] as Float64Array);
        return s;
      };
      const pr = tauPrior[k] as Dist;
      const m0 = mu[k] as number;
      const lt = sliceStep(
        Math.log(tau[k] as number),
        (x) => {
          const t = Math.exp(x);
          return logPdfRaw(pr, t) + x + totalLik(m0, t);
        },
        1,
        -30,
        30,
        rng,
      );
      tau[k] = Math.exp(lt);
      const mix = muPrior[k] as NormalMixture;
      const ci = muComp[k] as number;
      const ms = mix.s[ci] as number;
      const mm = mix.m[ci] as number;
      const t1 = tau[k] as number;
      mu[k] = sliceStep(
        m0,
        (m) => -0.5 * ((m - mm) / ms) ** 2 + totalLik(m, t1),
        Math.max(0.1 * ms, 0.05),
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        rng,
      );
      setAll(mu[k] as number, t1);
      if (mix.w.length > 1) muComp[k] = drawIndicator(mix, mu[k] as number, rng, logw);
    }
    if (it >= warmup) {
      const o = (it - warmup) * width;
      out.set(mu, o);
      out.set(tau, o + K);
      for (let j = 0; j < J; j++) {
        const off = o + (offsets[j] as number);
        out.set(coefs[j] as Float64Array, off);
        out[off] = ((coefs[j] as Float64Array)[0] as number) + (patients[j] as Patient).yShift;
        if (outcome === 'normal') out[off + (patients[j] as Patient).data.p] = Math.sqrt(sigma2[j] as number);
        if (autocorrelation) out[off + (patients[j] as Patient).data.p + 1] = rho[j] as number;
      }
    }
  }
  return out;
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
