/**
 * Conjugate and mixture-conjugate updating: normal mean with known sigma, beta–binomial and
 * gamma–Poisson. A mixture prior Σ wₖ pₖ(θ) stays a mixture: each component updates
 * conjugately and its weight becomes wₖ·mₖ(data) / Σⱼ wⱼ·mⱼ(data), mₖ the component's
 * marginal likelihood, computed in log space.
 *
 * @packageDocumentation
 */
import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';
import log1p from '@stdlib/math-base-special-log1p';
import type { Dist, DistOf } from '../distributions/index.js';
import { logSumExp } from '../distributions/index.js';
import { fail, finite, integer, nonNegative, plainObject, positive } from '../validate.js';
import { buildMixture, flatPrior, hypot2, normaliseLogWeights, quickLeaf } from './components.js';
import type { BinomialCountData, ConjugateData, NormalMeanData, PoissonCountData } from './types.js';

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** Posterior together with the log marginal likelihood of the data. */
export interface UpdateResult {
  readonly posterior: Dist;
  /** log p(data) under the prior (log of the mixture's marginal likelihood). */
  readonly logMarginal: number;
  /** log of each component's marginal likelihood. */
  readonly componentLogMarginals: readonly number[];
  /** Posterior weight of each component (one entry for a single-component prior). */
  readonly weights: readonly number[];
}

function finish(
  isMixture: boolean,
  logW: readonly number[],
  logM: readonly number[],
  post: Dist[],
  fallback?: readonly number[],
): UpdateResult {
  const joint = logW.map((w, i) => w + (logM[i] as number));
  const weights = normaliseLogWeights(joint, fallback);
  const logMarginal = logSumExp(joint);
  const posterior = isMixture ? buildMixture(weights, post) : (post[0] as Dist);
  return { posterior, logMarginal: Math.max(logMarginal, -Number.MAX_VALUE), componentLogMarginals: logM, weights };
}

/** Validated normal data. */
export function readNormalData(fn: string, data: unknown): NormalMeanData {
  const o = plainObject(fn, 'data', data);
  return {
    mean: finite(fn, 'data.mean', o.mean),
    n: nonNegative(fn, 'data.n', o.n),
    sigma: positive(fn, 'data.sigma', o.sigma),
  };
}

/** Validated binomial data. */
export function readBinomialData(fn: string, data: unknown): BinomialCountData {
  const o = plainObject(fn, 'data', data);
  const trials = integer(fn, 'data.trials', o.trials, 0);
  const successes = integer(fn, 'data.successes', o.successes, 0);
  if (successes > trials) fail(fn, 'data.successes', `must be <= trials (${trials})`, successes);
  return { successes, trials };
}

/** Validated Poisson data. */
export function readPoissonData(fn: string, data: unknown): PoissonCountData {
  const o = plainObject(fn, 'data', data);
  return {
    total: integer(fn, 'data.total', o.total, 0),
    exposure: positive(fn, 'data.exposure', o.exposure),
  };
}

/** Normal update with its marginal likelihood (internal; validated inputs). */
export function normalUpdateCore(fn: string, prior: unknown, data: NormalMeanData): UpdateResult {
  const { logWeights, dists, isMixture } = flatPrior(fn, prior, 'normal');
  const { mean: ybar, n, sigma } = data;
  if (n === 0) {
    return finish(isMixture, logWeights, dists.map(() => 0), dists);
  }
  const se = sigma / Math.sqrt(n);
  if (!(se > 0)) fail(fn, 'data.sigma', `is too small for n = ${n}: the standard error underflows to 0`, sigma);
  const logM: number[] = new Array(dists.length);
  const post: Dist[] = new Array(dists.length);
  const fallback: number[] = new Array(dists.length);
  for (let k = 0; k < dists.length; k++) {
    const c = dists[k] as DistOf<'normal'>;
    const s = c.sd;
    const v = hypot2(s, se); // sd of the marginal of ȳ
    const fs = s / v;
    const fse = se / v;
    // Posterior mean as a convex combination (stays between prior mean and ȳ); sd = s·se/v.
    const m = c.mean * fse * fse + ybar * fs * fs;
    const sdPost = fs * se;
    if (!(sdPost > 0) || !Number.isFinite(m)) {
      fail(fn, 'data', 'gives a posterior that cannot be represented in double precision', data);
    }
    post[k] = { family: 'normal', mean: m, sd: sdPost };
    const z = (ybar - c.mean) / v;
    logM[k] = -0.5 * z * z - Math.log(v) - HALF_LN_2PI;
    fallback[k] = -(Math.log(Math.abs(ybar - c.mean)) - Math.log(v));
  }
  return finish(isMixture, logWeights, logM, post, fallback);
}

/** Beta–binomial update with its marginal likelihood (internal; validated inputs). */
export function binomialUpdateCore(fn: string, prior: unknown, data: BinomialCountData): UpdateResult {
  const { logWeights, dists, isMixture } = flatPrior(fn, prior, 'beta');
  const { successes: r, trials: n } = data;
  const lchoose = gammaln(n + 1) - gammaln(r + 1) - gammaln(n - r + 1);
  const logM: number[] = new Array(dists.length);
  const post: Dist[] = new Array(dists.length);
  for (let k = 0; k < dists.length; k++) {
    const c = dists[k] as DistOf<'beta'>;
    const a = c.alpha + r;
    const b = c.beta + (n - r);
    post[k] = { family: 'beta', alpha: a, beta: b };
    logM[k] = n === 0 ? 0 : lchoose + betaln(a, b) - betaln(c.alpha, c.beta);
  }
  return finish(isMixture, logWeights, logM, post);
}

/** Gamma–Poisson update with its marginal likelihood (internal; validated inputs). */
export function poissonUpdateCore(fn: string, prior: unknown, data: PoissonCountData): UpdateResult {
  const { logWeights, dists, isMixture } = flatPrior(fn, prior, 'gamma');
  const { total: y, exposure: e } = data;
  const lfact = gammaln(y + 1);
  const logM: number[] = new Array(dists.length);
  const post: Dist[] = new Array(dists.length);
  for (let k = 0; k < dists.length; k++) {
    const c = dists[k] as DistOf<'gamma'>;
    const a = c.shape;
    const b = c.rate;
    post[k] = { family: 'gamma', shape: a + y, rate: b + e };
    // NegBin(y | size a, prob b/(b+E)) with log(b/(b+E)) = −log1p(E/b), log(E/(b+E)) = −log1p(b/E).
    logM[k] = gammaln(a + y) - gammaln(a) - lfact - a * log1p(e / b) - (y === 0 ? 0 : y * log1p(b / e));
  }
  return finish(isMixture, logWeights, logM, post);
}

/**
 * Updates a prior on a normal mean θ with data ȳ ~ N(θ, sigma²/n), sigma known.
 *
 * For one component N(m, s²): posterior precision 1/s² + n/sigma², posterior mean the
 * precision-weighted average of m and ȳ. For a mixture, each component updates this way and
 * its weight is multiplied by N(ȳ | mₖ, √(sₖ² + sigma²/n)) (log-sum-exp normalised).
 *
 * @param prior - `normal(m, s)` or a mixture of normals
 * @param data - `{ mean, n, sigma }`: observed mean, number of observations (≥ 0), known sd
 * @returns the posterior: a normal for a normal prior, a mixture of normals for a mixture
 * @throws ValidationError for a prior of another family, a non-finite mean, negative `n`, a
 *   non-positive `sigma`
 * @example
 * ```ts
 * updateNormal(normal(0, 1), { mean: 2, n: 4, sigma: 2 }); // returns normal(1, √0.5)
 * const robust = mixture([[0.8, normal(-2, 0.5)], [0.2, normal(0, 2)]]);
 * updateNormal(robust, { mean: 1, n: 10, sigma: 1 }); // weight moves to the vague component
 * ```
 * @see Schmidli et al. (2014), Robust meta-analytic-predictive priors in clinical trials with
 *   historical control information, Biometrics 70(4): 1023–1032 (mixture-conjugate updating).
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §2.5 (normal mean, known variance).
 */
export function updateNormal(prior: Dist, data: NormalMeanData): Dist {
  const fn = 'updateNormal';
  const d = readNormalData(fn, data);
  if (d.n > 0 && quickLeaf(prior) && prior.family === 'normal') {
    // Fast path for one component: no marginal likelihood needed.
    const se = d.sigma / Math.sqrt(d.n);
    const v = hypot2(prior.sd, se);
    const fs = prior.sd / v;
    const fse = se / v;
    const m = prior.mean * fse * fse + d.mean * fs * fs;
    const sd = fs * se;
    if (sd > 0 && Number.isFinite(m)) return { family: 'normal', mean: m, sd };
  }
  return normalUpdateCore(fn, prior, d).posterior;
}

/**
 * Updates a beta prior on a probability θ with `successes` out of `trials`.
 *
 * One component Beta(a, b) becomes Beta(a + r, b + n − r). For a mixture each weight is
 * multiplied by the beta-binomial probability BetaBinomial(r | n, aₖ, bₖ), computed with log-beta
 * functions so that a million trials neither overflow nor lose the weights.
 *
 * @param prior - `beta(a, b)` or a mixture of betas
 * @param data - `{ successes, trials }` (integers, 0 ≤ successes ≤ trials)
 * @returns the posterior: a beta, or a mixture of betas for a mixture prior
 * @throws ValidationError for a prior of another family, negative or non-integer counts,
 *   successes > trials
 * @example
 * ```ts
 * updateBinomial(beta(1, 1), { successes: 7, trials: 10 }); // returns beta(8, 4)
 * ```
 * @see Schmidli et al. (2014), Biometrics 70(4): 1023–1032.
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §2.4 (beta–binomial).
 */
export function updateBinomial(prior: Dist, data: BinomialCountData): Dist {
  const fn = 'updateBinomial';
  const d = readBinomialData(fn, data);
  if (quickLeaf(prior) && prior.family === 'beta') {
    return { family: 'beta', alpha: prior.alpha + d.successes, beta: prior.beta + (d.trials - d.successes) };
  }
  return binomialUpdateCore(fn, prior, d).posterior;
}

/**
 * Updates a gamma prior on a Poisson rate λ (events per unit exposure) with `total` events over
 * `exposure` units.
 *
 * Gamma(a, rate b) becomes Gamma(a + y, b + E). For a mixture each weight is multiplied by the
 * negative-binomial probability NegBin(y | size aₖ, prob bₖ/(bₖ + E)), in log space.
 *
 * @param prior - `gamma(shape, rate)` or a mixture of gammas (rate per unit exposure)
 * @param data - `{ total, exposure }`: a non-negative integer count and a positive exposure
 * @returns the posterior: a gamma, or a mixture of gammas for a mixture prior
 * @throws ValidationError for a prior of another family, a negative or non-integer total, a
 *   non-positive exposure
 * @example
 * ```ts
 * updatePoisson(gamma(2, 1), { total: 12, exposure: 30 }); // returns gamma(14, 31)
 * ```
 * @see Schmidli et al. (2014), Biometrics 70(4): 1023–1032.
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §2.6 (Poisson with gamma prior).
 */
export function updatePoisson(prior: Dist, data: PoissonCountData): Dist {
  const fn = 'updatePoisson';
  const d = readPoissonData(fn, data);
  if (quickLeaf(prior) && prior.family === 'gamma') {
    return { family: 'gamma', shape: prior.shape + d.total, rate: prior.rate + d.exposure };
  }
  return poissonUpdateCore(fn, prior, d).posterior;
}

/** Which likelihood a data object belongs to, from its fields. */
export function likelihoodOfData(fn: string, data: unknown): 'normal' | 'binomial' | 'poisson' {
  const o = plainObject(fn, 'data', data);
  if ('sigma' in o) return 'normal';
  if ('successes' in o || 'trials' in o) return 'binomial';
  if ('total' in o || 'exposure' in o) return 'poisson';
  return fail(fn, 'data', 'must be { mean, n, sigma }, { successes, trials } or { total, exposure }', data);
}

/** Runs the matching conjugate update on data of any of the three shapes (validated). */
export function updateAny(fn: string, prior: unknown, data: unknown): UpdateResult {
  switch (likelihoodOfData(fn, data)) {
    case 'normal':
      return normalUpdateCore(fn, prior, readNormalData(fn, data));
    case 'binomial':
      return binomialUpdateCore(fn, prior, readBinomialData(fn, data));
    default:
      return poissonUpdateCore(fn, prior, readPoissonData(fn, data));
  }
}

/**
 * The log marginal likelihood log p(data) = log ∫ p(data | θ) p(θ) dθ of conjugate data under a
 * prior (normal, beta or gamma, or a mixture of one of them). The likelihood is chosen by
 * the data's shape: `{ mean, n, sigma }` is the density of the observed mean ȳ,
 * `{ successes, trials }` the beta-binomial probability, `{ total, exposure }` the
 * negative-binomial probability. Differences between priors are log Bayes factors.
 *
 * @param prior - the prior
 * @param data - normal, binomial or Poisson data
 * @returns log p(data), finite
 * @throws ValidationError for bad data or a prior whose family does not match the data
 * @example
 * ```ts
 * logMarginalLikelihood(beta(1, 1), { successes: 3, trials: 10 }); // returns log(1/11) ≈ -2.398
 * ```
 * @see Schmidli et al. (2014), Biometrics 70(4): 1023–1032.
 */
export function logMarginalLikelihood(prior: Dist, data: ConjugateData): number {
  return updateAny('logMarginalLikelihood', prior, data).logMarginal;
}
