import gammaln from '@stdlib/math-base-special-gammaln';
import type { DistOf } from '../distributions/index.js';
import { fail, finite, finiteArray, integer, nonNegative, plainObject, positive } from '../validate.js';

/**
 * A normal–inverse-gamma prior (or posterior) on the mean μ and variance σ² of normal data,
 * as plain data:
 *
 *   σ² ~ InvGamma(shape, scale),   μ | σ² ~ N(mean, σ²/n0).
 *
 * `n0` is the number of observations the prior on μ is worth; `shape` and `scale` are those of
 * the inverse gamma (a prior guess σ₀² for the variance worth ν₀ observations is
 * shape = ν₀/2, scale = ν₀σ₀²/2).
 */
export interface NormalInverseGamma {
  readonly kind: 'normalInverseGamma';
  /** Prior mean of μ. */
  readonly mean: number;
  /** Prior sample size for μ (> 0): μ | σ² ~ N(mean, σ²/n0). */
  readonly n0: number;
  /** Inverse-gamma shape of σ² (> 0). */
  readonly shape: number;
  /** Inverse-gamma scale of σ² (> 0). */
  readonly scale: number;
}

/** Data for {@link updateNormalUnknownVariance}: raw values or a summary. */
export type NormalSampleData =
  | { readonly values: readonly number[] }
  | {
      /** Sample mean. */
      readonly mean: number;
      /** Number of observations (a positive integer). */
      readonly n: number;
      /** Sample sd with the n − 1 divisor; required when n ≥ 2 (0 or omitted when n = 1). */
      readonly sd?: number;
    };

/** The result of {@link updateNormalUnknownVariance}. */
export interface NormalInverseGammaUpdate {
  /** The posterior, again normal–inverse-gamma. */
  readonly posterior: NormalInverseGamma;
  /** The marginal posterior of μ: Student-t with 2·shape df, location mean, scale √(scale/(shape·n0)). */
  readonly marginalMean: DistOf<'studentT'>;
  /** The marginal posterior of σ²: InvGamma(shape, scale). */
  readonly marginalVariance: DistOf<'invGamma'>;
  /** log p(y₁, …, yₙ) under the prior (the joint density of the data, not of the summary). */
  readonly logMarginalLikelihood: number;
}

/**
 * A normal–inverse-gamma distribution (see {@link NormalInverseGamma}).
 * @param mean - prior mean of μ (finite)
 * @param n0 - prior sample size for μ (> 0)
 * @param shape - inverse-gamma shape of σ² (> 0)
 * @param scale - inverse-gamma scale of σ² (> 0)
 * @returns the distribution as plain data
 * @throws ValidationError for a parameter out of range
 * @example
 * ```ts
 * // Prior: effect around 0 worth 2 observations; σ² around 4 worth 4 observations.
 * normalInverseGamma(0, 2, 2, 8);
 * ```
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §3.3 (conjugate prior for μ, σ²).
 */
export function normalInverseGamma(mean: number, n0: number, shape: number, scale: number): NormalInverseGamma {
  const fn = 'normalInverseGamma';
  return {
    kind: 'normalInverseGamma',
    mean: finite(fn, 'mean', mean),
    n0: positive(fn, 'n0', n0),
    shape: positive(fn, 'shape', shape),
    scale: positive(fn, 'scale', scale),
  };
}

/** Validates a {@link NormalInverseGamma} coming from outside. */
export function readNormalInverseGamma(fn: string, field: string, v: unknown): NormalInverseGamma {
  const o = plainObject(fn, field, v);
  if (o.kind !== 'normalInverseGamma') fail(fn, `${field}.kind`, "must be 'normalInverseGamma'", o.kind);
  return {
    kind: 'normalInverseGamma',
    mean: finite(fn, `${field}.mean`, o.mean),
    n0: positive(fn, `${field}.n0`, o.n0),
    shape: positive(fn, `${field}.shape`, o.shape),
    scale: positive(fn, `${field}.scale`, o.scale),
  };
}

/**
 * The marginal distributions of a normal–inverse-gamma: μ ~ t_{2a}(m, √(b/(a·n0))) and
 * σ² ~ InvGamma(a, b).
 * @param nig - a normal–inverse-gamma prior or posterior
 * @returns `{ mean, variance }`: the Student-t marginal of μ and the inverse-gamma of σ²
 * @throws ValidationError for an invalid `nig`
 * @example
 * ```ts
 * normalInverseGammaMarginals(normalInverseGamma(0, 2, 2, 8)).mean; // studentT(4, 0, √2)
 * ```
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §3.3.
 */
export function normalInverseGammaMarginals(nig: NormalInverseGamma): {
  mean: DistOf<'studentT'>;
  variance: DistOf<'invGamma'>;
} {
  const p = readNormalInverseGamma('normalInverseGammaMarginals', 'nig', nig);
  return marginals(p);
}

function marginals(p: NormalInverseGamma, fn = 'normalInverseGammaMarginals'): { mean: DistOf<'studentT'>; variance: DistOf<'invGamma'> } {
  const df = 2 * p.shape;
  const scale = Math.sqrt(p.scale / (p.shape * p.n0));
  // Finite but extreme parameters (shape 1e308) would give df = Infinity or a scale of 0.
  if (!Number.isFinite(df) || !(scale > 0 && Number.isFinite(scale))) {
    fail(fn, 'nig', 'has parameters too extreme for its marginals (2·shape and √(scale / (shape·n0)) must be finite and > 0)', p);
  }
  return {
    mean: { family: 'studentT', df, location: p.mean, scale },
    variance: { family: 'invGamma', shape: p.shape, scale: p.scale },
  };
}

/** Mean, n and sum of squared deviations of the data (Welford for raw values). */
function readSample(fn: string, data: unknown): { mean: number; n: number; ss: number } {
  const o = plainObject(fn, 'data', data);
  if ('values' in o) {
    const xs = finiteArray(fn, 'data.values', o.values);
    let m = 0;
    let ss = 0;
    xs.forEach((x, i) => {
      const d = x - m;
      m += d / (i + 1);
      ss += d * (x - m);
    });
    return { mean: m, n: xs.length, ss };
  }
  const mean = finite(fn, 'data.mean', o.mean);
  const n = integer(fn, 'data.n', o.n, 1);
  if (n === 1) {
    const sd = o.sd === undefined ? 0 : nonNegative(fn, 'data.sd', o.sd);
    if (sd !== 0) fail(fn, 'data.sd', 'must be 0 or omitted when n = 1', sd);
    return { mean, n, ss: 0 };
  }
  if (o.sd === undefined) fail(fn, 'data.sd', 'is required when n >= 2 (sample sd, n - 1 divisor)', o.sd);
  const sd = nonNegative(fn, 'data.sd', o.sd);
  return { mean, n, ss: (n - 1) * sd * sd };
}

/**
 * Updates a normal–inverse-gamma prior on (μ, σ²) with normal data whose variance is unknown.
 *
 * With ȳ, n and S = Σ(yᵢ − ȳ)²: n1 = n0 + n, m1 = (n0·m + n·ȳ)/n1, a1 = a + n/2,
 * b1 = b + S/2 + n0·n·(ȳ − m)²/(2·n1). The marginal posterior of μ is Student-t with 2·a1
 * degrees of freedom, location m1 and scale √(b1/(a1·n1)).
 *
 * @param prior - a {@link NormalInverseGamma} (see {@link normalInverseGamma})
 * @param data - `{ values }` or `{ mean, n, sd }` (sample sd with the n − 1 divisor)
 * @returns `{ posterior, marginalMean, marginalVariance, logMarginalLikelihood }`
 * @throws ValidationError for an invalid prior, non-finite values, n < 1, a negative sd, or a
 *   missing sd with n ≥ 2
 * @example
 * ```ts
 * const r = updateNormalUnknownVariance(normalInverseGamma(0, 1, 1, 1), { values: [1, 2, 3] });
 * r.posterior;    // { kind: 'normalInverseGamma', mean: 1.5, n0: 4, shape: 2.5, scale: 3.5 }
 * r.marginalMean; // studentT(5, 1.5, √(3.5/10))
 * ```
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §3.3 (normal data with a conjugate
 *   prior on mean and variance).
 * @see Murphy (2007), Conjugate Bayesian analysis of the Gaussian distribution, §3 (marginal
 *   likelihood).
 */
export function updateNormalUnknownVariance(prior: NormalInverseGamma, data: NormalSampleData): NormalInverseGammaUpdate {
  const fn = 'updateNormalUnknownVariance';
  const p = readNormalInverseGamma(fn, 'prior', prior);
  const { mean: ybar, n, ss } = readSample(fn, data);
  const n1 = p.n0 + n;
  const m1 = (p.n0 / n1) * p.mean + (n / n1) * ybar;
  const a1 = p.shape + n / 2;
  const d = ybar - p.mean;
  const b1 = p.scale + ss / 2 + ((p.n0 * n) / n1) * d * (d / 2);
  if (!Number.isFinite(m1) || !Number.isFinite(b1)) {
    fail(fn, 'data', 'gives a posterior that cannot be represented in double precision', data);
  }
  const posterior: NormalInverseGamma = { kind: 'normalInverseGamma', mean: m1, n0: n1, shape: a1, scale: b1 };
  const lml =
    gammaln(a1) -
    gammaln(p.shape) +
    p.shape * Math.log(p.scale) -
    a1 * Math.log(b1) +
    0.5 * (Math.log(p.n0) - Math.log(n1)) -
    0.5 * n * Math.log(2 * Math.PI);
  const mg = marginals(posterior);
  return { posterior, marginalMean: mg.mean, marginalVariance: mg.variance, logMarginalLikelihood: lml };
}
