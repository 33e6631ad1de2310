/**
 * Building blocks of the samplers: univariate slice sampling, Pólya-Gamma draws and normal
 * mixture indicator updates.
 *
 * @packageDocumentation
 */
import { logNormalCdfStd } from '../distributions/special.js';
import type { Rng } from '../rng/index.js';
import { fail, finite } from '../validate.js';
import type { NormalMixture } from './data.js';

/**
 * One slice-sampling update of a scalar with stepping out and shrinkage, restricted to
 * (lo, hi). Returns the new value. @internal
 * @see Neal (2003), Slice sampling, Annals of Statistics 31(3), figures 3 and 5.
 */
export function sliceStep(
  x0: number,
  logf: (x: number) => number,
  w: number,
  lo: number,
  hi: number,
  rng: Rng,
  maxSteps = 32,
): number {
  const f0 = logf(x0);
  const logy = f0 + Math.log(rng.uniform() || Number.MIN_VALUE);
  let l = x0 - w * rng.uniform();
  let r = l + w;
  let j = Math.floor(maxSteps * rng.uniform());
  let k = maxSteps - 1 - j;
  while (j > 0 && l > lo && logf(l) > logy) {
    l -= w;
    j--;
  }
  while (k > 0 && r < hi && logf(r) > logy) {
    r += w;
    k--;
  }
  if (l < lo) l = lo;
  if (r > hi) r = hi;
  for (let it = 0; it < 200; it++) {
    const x1 = l + (r - l) * rng.uniform();
    if (x1 > lo && x1 < hi && logf(x1) > logy) return x1;
    if (x1 < x0) l = x1;
    else r = x1;
  }
  return x0;
}

const PI = Math.PI;
const TRUNC = 0.64;

/**
 * The n-th term a_n(x) of the alternating series, given `pre` = (2/(πx))^{3/2} for x ≤ TRUNC
 * (precomputed once per proposal: the series is evaluated for several n at one x).
 */
function aCoef(n: number, x: number, pre: number): number {
  const k = (n + 0.5) * PI;
  if (x > TRUNC) return k * Math.exp(-0.5 * k * k * x);
  if (x > 0) return k * pre * Math.exp((-2 * (n + 0.5) * (n + 0.5)) / x);
  return 0;
}

function massTexpon(z: number): number {
  const t = TRUNC;
  const fz = 0.125 * PI * PI + 0.5 * z * z;
  const b = Math.sqrt(1 / t) * (t * z - 1);
  const a = -Math.sqrt(1 / t) * (t * z + 1);
  const x0 = Math.log(fz) + fz * t;
  const xb = x0 - z + logNormalCdfStd(b);
  const xa = x0 + z + logNormalCdfStd(a);
  const qdivp = (4 / PI) * (Math.exp(xb) + Math.exp(xa));
  return 1 / (1 + qdivp);
}

function expo(rng: Rng): number {
  return -Math.log(1 - rng.uniform());
}

/** Inverse-Gaussian(μ = 1/z, λ = 1) truncated to (0, TRUNC). */
function rtigauss(z: number, rng: Rng): number {
  const mu = 1 / z;
  let x = TRUNC + 1;
  if (mu > TRUNC) {
    let alpha = 0;
    while (rng.uniform() > alpha) {
      let e1 = expo(rng);
      let e2 = expo(rng);
      while (e1 * e1 > (2 * e2) / TRUNC) {
        e1 = expo(rng);
        e2 = expo(rng);
      }
      x = TRUNC / ((1 + TRUNC * e1) * (1 + TRUNC * e1));
      alpha = Math.exp(-0.5 * z * z * x);
    }
  } else {
    while (x > TRUNC) {
      const n = rng.normal();
      const y = n * n;
      x = mu + 0.5 * mu * mu * y - 0.5 * mu * Math.sqrt(4 * mu * y + (mu * y) * (mu * y));
      if (rng.uniform() > mu / (mu + x)) x = (mu * mu) / x;
    }
  }
  return x;
}

/** The proposal's mixing weight for PG(1, z), to reuse across draws with the same z. @internal */
export function polyaGammaMass(zIn: number): number {
  return massTexpon(Math.abs(zIn) * 0.5);
}

/**
 * Above this shape the samplers draw PG(b, z) from the normal with its exact mean and variance
 * instead of summing b Devroye draws, as BayesLogit's hybrid sampler does for b > 170 (Windle,
 * Polson & Scott 2014): the sum of b iid PG(1, z) is normal to O(b^{−1/2}) skewness, and the
 * cost no longer grows with the number of trials behind one observation. @internal
 */
export const PG_NORMAL_MIN_SHAPE = 171;

/**
 * Mean and variance of PG(b, z): E = b·tanh(z/2)/(2z), Var = b·(sinh z − z)/(4z³cosh²(z/2)),
 * written as b·(2·tanh(z/2) − z·sech²(z/2))/(4z³) (no overflow at large z) with the Taylor
 * limits 1/4 − z²/48 and 1/24 − z²/120 near 0. @internal
 * @see Polson, Scott & Windle (2013), JASA 108(504), section 2.
 */
export function polyaGammaMoments(b: number, zIn: number): { mean: number; variance: number } {
  const z = Math.abs(zIn);
  if (z < 1e-3) return { mean: b * (0.25 - (z * z) / 48), variance: b * (1 / 24 - (z * z) / 120) };
  const t = Math.tanh(z / 2);
  const c = Math.cosh(z / 2);
  return { mean: (b * t) / (2 * z), variance: (b * (2 * t - z / (c * c))) / (4 * z * z * z) };
}

/**
 * A PG(b, z) draw given `mass` = {@link polyaGammaMass}(z): the sum of b exact PG(1, z) draws,
 * or for b ≥ {@link PG_NORMAL_MIN_SHAPE} the normal approximation. @internal
 */
export function polyaGammaSumWithMass(b: number, zIn: number, mass: number, rng: Rng): number {
  if (b >= PG_NORMAL_MIN_SHAPE) {
    const m = polyaGammaMoments(b, zIn);
    // The mean is at least √(1.5·b) > 15 sd above 0 for b > 170 (closest at z = 0), so the
    // clamp never binds in practice.
    return Math.max(m.mean + Math.sqrt(m.variance) * rng.normal(), 1e-3 * m.mean);
  }
  return polyaGammaSumExact(b, zIn, mass, rng);
}

/**
 * A sum of `b` exact PG(1, z) draws; the proposal's mixing weight (two normal CDFs) is computed
 * once for all b draws. @internal
 */
function polyaGammaSumExact(b: number, zIn: number, mass: number, rng: Rng): number {
  const z = Math.abs(zIn) * 0.5;
  let s = 0;
  for (let i = 0; i < b; i++) s += polyaGamma1Half(z, mass, rng);
  return s;
}

function polyaGamma1Half(z: number, pMass: number, rng: Rng): number {
  const fz = 0.125 * PI * PI + 0.5 * z * z;
  for (;;) {
    let x: number;
    if (rng.uniform() < pMass) x = TRUNC + expo(rng) / fz;
    else x = rtigauss(z, rng);
    const pre = x <= TRUNC ? (2 / (PI * x)) ** 1.5 : 0;
    let s = aCoef(0, x, pre);
    const y = rng.uniform() * s;
    let n = 0;
    for (;;) {
      n++;
      if (n % 2 === 1) {
        s -= aCoef(n, x, pre);
        if (y <= s) return 0.25 * x;
      } else {
        s += aCoef(n, x, pre);
        if (y > s) break;
      }
    }
  }
}

/**
 * A draw from the Pólya-Gamma distribution PG(b, z) for a positive integer b, as the sum of b
 * PG(1, z) draws, each by Devroye's alternating-series method (exact, no truncation).
 *
 * @param b - positive integer shape
 * @param z - tilting parameter (any finite number)
 * @param rng - the random stream
 * @returns a positive draw; E[PG(1, z)] = tanh(z/2) / (2z)
 * @throws ValidationError when b is not a positive integer or z is not finite
 * @example
 * ```ts
 * samplePolyaGamma(1, 0, createRng(1)); // a positive number; the mean over many draws is 0.25
 * ```
 * @see Polson, Scott & Windle (2013), Bayesian inference for logistic models using Pólya-Gamma
 * latent variables, JASA 108(504); Windle (2013), PhD thesis, UT Austin, ch. 2.
 */
export function samplePolyaGamma(b: number, z: number, rng: Rng): number {
  if (!Number.isSafeInteger(b) || b < 1) fail('samplePolyaGamma', 'b', 'must be a positive integer', b);
  finite('samplePolyaGamma', 'z', z);
  return polyaGammaSumExact(b, z, polyaGammaMass(z), rng);
}

/** Draws the component indicator of a normal-mixture prior given the coefficient value. @internal */
export function drawIndicator(mix: NormalMixture, beta: number, rng: Rng, logw: Float64Array): number {
  const k = mix.w.length;
  if (k === 1) return 0;
  let mx = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const s = mix.s[i] as number;
    const d = (beta - (mix.m[i] as number)) / s;
    const l = Math.log(mix.w[i] as number) - Math.log(s) - 0.5 * d * d;
    logw[i] = l;
    if (l > mx) mx = l;
  }
  let tot = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.exp((logw[i] as number) - mx);
    logw[i] = e;
    tot += e;
  }
  let u = rng.uniform() * tot;
  for (let i = 0; i < k - 1; i++) {
    u -= logw[i] as number;
    if (u < 0) return i;
  }
  return k - 1;
}
