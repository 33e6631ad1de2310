import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import betaLogPdf from '@stdlib/stats-base-dists-beta-logpdf';
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import gammaLogPdf from '@stdlib/stats-base-dists-gamma-logpdf';
import gammaQuantileStdlib from '@stdlib/stats-base-dists-gamma-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tLogPdf from '@stdlib/stats-base-dists-t-logpdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import gammaincinv from '@stdlib/math-base-special-gammaincinv';
import { ValidationError } from '../errors.js';
import { checkRng, type Rng } from '../rng/rng.js';
import { fail, LIMITS } from '../validate.js';
import { type Dist, validateDist } from './dist.js';

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)

/** log N(x; m, s²) with Math.log (the samplers' slice steps evaluate it often). */
function normalLogPdf(x: number, m: number, s: number): number {
  const z = (x - m) / s;
  return -0.5 * z * z - Math.log(s) - LN_SQRT_2PI;
}
import {
  GAMMA_OWN_KERNEL_SHAPE,
  gammaPKernel as gammaP,
  gammaPInvKernel as gammaPInv,
  gammaQKernel as gammaQ,
  logSumExpKernel as logSumExp,
  normalQuantileStdKernel as normalQuantileStd,
  solveMonotoneKernel as solveMonotone,
} from './special.js';

const LN2 = Math.LN2;

/**
 * Validates `d` (it may come from JSON), computes, and turns a NaN result (a moment that does
 * not exist) into a ValidationError. The `*Raw` functions skip all of this for hot loops.
 */
function checked(fn: string, d: Dist, compute: () => number): number {
  validateDist(d, fn, 'dist');
  const value = compute();
  if (Number.isNaN(value)) {
    throw new ValidationError(`${fn}: the result is undefined for this distribution`, { fn, field: 'dist', value: d });
  }
  return value;
}

function checkPoint(fn: string, x: number): void {
  if (typeof x !== 'number' || Number.isNaN(x)) fail(fn, 'x', 'must be a number (not NaN)', x);
}

/**
 * The mean of a distribution.
 * @throws ValidationError when the mean does not exist (Student-t with df ≤ 1, inverse gamma
 *   with shape ≤ 1) or the distribution is invalid
 * @example
 * ```ts
 * mean(gamma(3, 2)); // returns 1.5
 * ```
 */
export function mean(d: Dist): number {
  return noOverflow('mean', d, checked('mean', d, () => meanRaw(d)), () => false);
}

/**
 * Turns ±Infinity from finite parameters (an overflow: `variance(studentT(5, 0, 1e308))`) into a
 * ValidationError; a moment that truly diverges (`diverges(d)`) stays Infinity, as documented.
 */
function noOverflow(fn: string, d: Dist, value: number, diverges: (d: Dist) => boolean): number {
  if (Number.isFinite(value) || diverges(d)) return value;
  throw new ValidationError(`${fn}: the result overflows a double for these parameters`, { fn, field: 'dist', value: d });
}

/** True when the variance is +Infinity mathematically (Student-t 1 < df ≤ 2, inverse gamma 1 < shape ≤ 2, or a mixture with such a component). */
function varianceDiverges(d: Dist): boolean {
  switch (d.family) {
    case 'studentT':
      return d.df <= 2;
    case 'invGamma':
      return d.shape <= 2;
    case 'mixture':
      return d.components.some((c) => varianceDiverges(c.dist));
    default:
      return false;
  }
}

function meanRaw(d: Dist): number {
  switch (d.family) {
    case 'normal':
      return d.mean;
    case 'studentT':
      return d.df > 1 ? d.location : Number.NaN;
    case 'beta':
      return d.alpha / (d.alpha + d.beta);
    case 'gamma':
      return d.shape / d.rate;
    case 'invGamma':
      return d.shape > 1 ? d.scale / (d.shape - 1) : Number.NaN;
    case 'halfNormal':
      return d.scale * Math.sqrt(2 / Math.PI);
    case 'uniform':
      return 0.5 * (d.min + d.max);
    case 'mixture': {
      let m = 0;
      for (const c of d.components) m += c.weight * meanRaw(c.dist);
      return m;
    }
    default:
      return Number.NaN;
  }
}

/**
 * The variance of a distribution (`Infinity` where it diverges: Student-t with 1 < df ≤ 2,
 * inverse gamma with 1 < shape ≤ 2).
 * @throws ValidationError when the variance is undefined (the mean does not exist), or
 *   overflows a double for finite parameters (`studentT(5, 0, 1e308)`)
 */
export function variance(d: Dist): number {
  return noOverflow('variance', d, checked('variance', d, () => varianceRaw(d)), varianceDiverges);
}

function varianceRaw(d: Dist): number {
  switch (d.family) {
    case 'normal':
      return d.sd * d.sd;
    case 'studentT':
      if (d.df <= 1) return Number.NaN;
      return d.df > 2 ? (d.scale * d.scale * d.df) / (d.df - 2) : Number.POSITIVE_INFINITY;
    case 'beta': {
      const s = d.alpha + d.beta;
      return (d.alpha * d.beta) / (s * s * (s + 1));
    }
    case 'gamma':
      return d.shape / (d.rate * d.rate);
    case 'invGamma':
      if (d.shape <= 1) return Number.NaN;
      return d.shape > 2 ? (d.scale * d.scale) / ((d.shape - 1) ** 2 * (d.shape - 2)) : Number.POSITIVE_INFINITY;
    case 'halfNormal':
      return d.scale * d.scale * (1 - 2 / Math.PI);
    case 'uniform':
      return (d.max - d.min) ** 2 / 12;
    case 'mixture': {
      // Law of total variance: Σ w (σ² + μ²) − (Σ w μ)².
      const m = meanRaw(d);
      let s = 0;
      for (const c of d.components) {
        const cm = meanRaw(c.dist);
        s += c.weight * (varianceRaw(c.dist) + (cm - m) * (cm - m));
      }
      return s;
    }
    default:
      return Number.NaN;
  }
}

/**
 * The log density at `x` (−Infinity outside the support).
 * Mixtures use log-sum-exp, so densities far in the tails do not underflow.
 */
export function logPdf(d: Dist, x: number): number {
  checkPoint('logPdf', x);
  return checked('logPdf', d, () => logPdfRaw(d, x));
}

/** Log density without argument checks (for hot loops; may return NaN on invalid input).
 * @internal
 */
export function logPdfRaw(d: Dist, x: number): number {
  switch (d.family) {
    case 'normal':
      return normalLogPdf(x, d.mean, d.sd);
    case 'studentT':
      return tLogPdf((x - d.location) / d.scale, d.df) - Math.log(d.scale);
    case 'beta':
      return betaLogPdf(x, d.alpha, d.beta);
    case 'gamma':
      return gammaLogPdf(x, d.shape, d.rate);
    case 'invGamma':
      // p(x) = b^a / Γ(a) x^(−a−1) e^(−b/x) = Gamma(1/x | a, rate b) / x².
      return x > 0 ? gammaLogPdf(1 / x, d.shape, d.scale) - 2 * Math.log(x) : Number.NEGATIVE_INFINITY;
    case 'halfNormal':
      return x >= 0 ? LN2 + normalLogPdf(x, 0, d.scale) : Number.NEGATIVE_INFINITY;
    case 'uniform':
      return x >= d.min && x <= d.max ? -Math.log(d.max - d.min) : Number.NEGATIVE_INFINITY;
    case 'mixture': {
      const terms = d.components.map((c) => Math.log(c.weight) + logPdfRaw(c.dist, x));
      return logSumExp(terms);
    }
    default:
      return Number.NaN;
  }
}

/**
 * The density at `x`.
 * @example
 * ```ts
 * pdf(normal(0, 1), 0); // returns ~0.3989
 * ```
 */
export function pdf(d: Dist, x: number): number {
  checkPoint('pdf', x);
  return Math.exp(checked('pdf', d, () => logPdfRaw(d, x)));
}

/**
 * The cumulative distribution function P(X ≤ x).
 *
 * Gamma and inverse-gamma use an own regularised incomplete gamma function, which replaces stdlib's kernel above shape 100
 * where stdlib's is inaccurate (see `gammaP`).
 * @example
 * ```ts
 * cdf(normal(0, 1), 1.96); // returns ~0.9750
 * ```
 */
export function cdf(d: Dist, x: number): number {
  checkPoint('cdf', x);
  return checked('cdf', d, () => cdfRaw(d, x));
}

/** CDF without argument checks.
 * @internal
 */
export function cdfRaw(d: Dist, x: number): number {
  switch (d.family) {
    case 'normal':
      return normalCdf(x, d.mean, d.sd);
    case 'studentT':
      return tCdf((x - d.location) / d.scale, d.df);
    case 'beta':
      return betaCdf(x, d.alpha, d.beta);
    case 'gamma':
      return x <= 0 ? 0 : gammaP(d.shape, x * d.rate);
    case 'invGamma':
      // P(X ≤ x) = P(1/X ≥ 1/x) = Q(shape, scale / x).
      return x <= 0 ? 0 : gammaQ(d.shape, d.scale / x);
    case 'halfNormal':
      return x <= 0 ? 0 : 2 * normalCdf(x, 0, d.scale) - 1;
    case 'uniform':
      return x <= d.min ? 0 : x >= d.max ? 1 : (x - d.min) / (d.max - d.min);
    case 'mixture': {
      let s = 0;
      for (const c of d.components) s += c.weight * cdfRaw(c.dist, x);
      return Math.min(1, Math.max(0, s));
    }
    default:
      return Number.NaN;
  }
}

/**
 * The quantile function: the smallest x with P(X ≤ x) ≥ p.
 *
 * A mixture's quantile lies between its components' quantiles at the same p; n1kit brackets it
 * there and solves with safeguarded Newton steps (bisection fallback), so it always converges.
 * @param p - a probability in [0, 1]
 * @throws ValidationError when p is outside [0, 1]
 * @example
 * ```ts
 * quantile(normal(0, 1), 0.975); // returns ~1.95996
 * ```
 */
export function quantile(d: Dist, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail('quantile', 'p', 'must be a probability in [0, 1]', p);
  return checked('quantile', d, () => quantileRaw(d, p));
}

/** Quantile without argument checks.
 * @internal
 */
export function quantileRaw(d: Dist, p: number): number {
  switch (d.family) {
    case 'normal':
      return d.mean + d.sd * normalQuantileStd(p);
    case 'studentT':
      return d.location + d.scale * tQuantile(p, d.df);
    case 'beta':
      return betaQuantile(p, d.alpha, d.beta);
    case 'gamma':
      return d.shape > GAMMA_OWN_KERNEL_SHAPE
        ? gammaPInv(d.shape, p) / d.rate
        : gammaQuantileStdlib(p, d.shape, d.rate);
    case 'invGamma': {
      // x_p = scale / G where Q(shape, G) = p.
      if (p === 0) return 0;
      if (p === 1) return Number.POSITIVE_INFINITY;
      const g = d.shape > GAMMA_OWN_KERNEL_SHAPE ? gammaPInv(d.shape, p, true) : gammaincinv(p, d.shape, true);
      return d.scale / g;
    }
    case 'halfNormal':
      // Φ⁻¹((1 + p)/2) = −Φ⁻¹((1 − p)/2), the latter without cancellation near p = 1.
      return p === 1 ? Number.POSITIVE_INFINITY : -d.scale * normalQuantileStd(0.5 * (1 - p));
    case 'uniform':
      return d.min + p * (d.max - d.min);
    case 'mixture':
      return mixtureQuantile(d, p);
    default:
      return Number.NaN;
  }
}

function mixtureQuantile(d: Extract<Dist, { family: 'mixture' }>, p: number): number {
  if (d.components.length === 1) return quantileRaw((d.components[0] as { dist: Dist }).dist, p);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const c of d.components) {
    const q = quantileRaw(c.dist, p);
    if (q < lo) lo = q;
    if (q > hi) hi = q;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo === hi) return p <= 0.5 ? lo : hi;
  return solveMonotone(
    (x) => cdfRaw(d, x) - p,
    lo,
    hi,
    0.5 * (lo + hi),
    (x) => Math.exp(logPdfRaw(d, x)),
  );
}

/**
 * One random draw from `d` using `rng`.
 * @example
 * ```ts
 * const rng = createRng(1);
 * sample(beta(2, 3), rng); // a number in (0, 1)
 * ```
 */
export function sample(d: Dist, rng: Rng): number {
  checkRng('sample', 'rng', rng);
  return noOverflow('sample', d, checked('sample', d, () => sampleRaw(d, rng)), () => false);
}

/** `n` draws from `d` in a Float64Array (n at most 10,000,000). */
export function sampleMany(d: Dist, rng: Rng, n: number): Float64Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > LIMITS.draws) fail('sampleMany', 'n', `must be an integer in [0, ${LIMITS.draws}]`, n);
  validateDist(d, 'sampleMany', 'dist');
  checkRng('sampleMany', 'rng', rng);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = sampleRaw(d, rng);
    if (!Number.isFinite(x)) noOverflow('sampleMany', d, x, () => false);
    out[i] = x;
  }
  return out;
}

/** One draw without checks.
 * @internal
 */
export function sampleRaw(d: Dist, rng: Rng): number {
  switch (d.family) {
    case 'normal':
      return rng.normal(d.mean, d.sd);
    case 'studentT': {
      // t = Z / sqrt(G / df), G ~ chi²(df) = Gamma(df/2, rate 1/2).
      const g = rng.gamma(0.5 * d.df, 0.5);
      return d.location + (d.scale * rng.normal()) / Math.sqrt(g / d.df);
    }
    case 'beta':
      return rng.beta(d.alpha, d.beta);
    case 'gamma':
      return rng.gamma(d.shape, d.rate);
    case 'invGamma':
      return 1 / rng.gamma(d.shape, d.scale);
    case 'halfNormal':
      return Math.abs(rng.normal(0, d.scale));
    case 'uniform':
      return d.min + rng.uniform() * (d.max - d.min);
    case 'mixture': {
      let u = rng.uniform();
      const cs = d.components;
      for (let i = 0; i < cs.length - 1; i++) {
        const c = cs[i] as { weight: number; dist: Dist };
        if (u < c.weight) return sampleRaw(c.dist, rng);
        u -= c.weight;
      }
      return sampleRaw((cs[cs.length - 1] as { dist: Dist }).dist, rng);
    }
    default:
      return Number.NaN;
  }
}

/** The standard deviation, √variance. */
export function sd(d: Dist): number {
  return Math.sqrt(variance(d));
}
