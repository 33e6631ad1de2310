/**
 * Reading releases into grouped, additive sufficient statistics: releases that share a total
 * sd form one group `{ sd, count, sum, sumSquares }`. The groups are what a server keeps
 * (sums are additive: any SQL engine or stream processor adds them up) and what the pooling
 * quadrature loops over.
 *
 * @packageDocumentation
 */
import type { PrivateRelease } from '../privacy/dp.js';
import { fail, finite, integer, nonNegative, oneOf, plainObject, positive } from '../validate.js';

/** A release as the pool sees it: a value with its total standard deviation (estimate sd and DP noise combined). */
export interface PoolRelease {
  /** The released (noisy) effect estimate. */
  readonly value: number;
  /** Its total sd: √(patient's own sd² + DP noise variance). */
  readonly sd: number;
}

/**
 * A release straight from `privateEffectEstimate` together with the sd of the patient's own
 * estimate; the pool adds the release's noise variance ({@link releaseNoiseVariance}).
 */
export interface PoolPrivateRelease {
  /** What `privateEffectEstimate` (or `privateMean`) returned. */
  readonly release: PrivateRelease;
  /** The sd of the estimate before noise (the patient's posterior sd of the effect). */
  readonly sd: number;
}

/** Anything {@link poolPrivateReleases} accepts as one release. */
export type PoolInput = PoolRelease | PoolPrivateRelease;

/**
 * Additive sufficient statistics of the releases that share one total sd. Two groups with the
 * same sd merge by adding `count`, `sum` and `sumSquares`.
 */
export interface ReleaseGroup {
  /** The common total sd of the group's releases (> 0). */
  readonly sd: number;
  /** Number of releases (positive integer). */
  readonly count: number;
  /** Σ value. */
  readonly sum: number;
  /** Σ value². */
  readonly sumSquares: number;
}

/** Largest number of releases or groups one call accepts. */
export const MAX_POOL_RELEASES = 10_000_000;

/**
 * The variance of the noise a DP release added: discrete Laplace with scale b on a grid of
 * step γ has variance γ²·2e^(−γ/b)/(1 − e^(−γ/b))² (≈ 2b²); the discrete Gaussian's variance is
 * its σ² (to double precision for σ of ≥ 2^10 grid steps, as `privateMean` uses). The rounding
 * of the clamped mean to the grid (at most γ/2, about 2⁻²¹ of the sensitivity) is not noise and
 * is left out.
 *
 * @param release - a release from `privateMean` or `privateEffectEstimate`
 * @returns the noise variance
 * @throws ValidationError when the release is malformed
 * @example
 * ```ts
 * const r = privateEffectEstimate({ effects: -2, bounds: [-6, 2], epsilon: 2, mechanism: 'laplace' });
 * releaseNoiseVariance(r); // returns ~2·r.scale² = ~32
 * ```
 * @see Inusah & Kozubowski (2006), A discrete analogue of the Laplace distribution, JSPI 136: 1090–1102 (variance).
 * @see Canonne, Kamath & Steinke (2020), The discrete Gaussian for differential privacy, NeurIPS (variance ≤ σ²).
 */
export function releaseNoiseVariance(release: PrivateRelease): number {
  return noiseVariance('releaseNoiseVariance', 'release', release);
}

function noiseVariance(fn: string, field: string, r: unknown): number {
  const o = plainObject(fn, field, r);
  finite(fn, `${field}.value`, o.value);
  const mechanism = oneOf(fn, `${field}.mechanism`, o.mechanism, ['laplace', 'gaussian'] as const);
  const scale = positive(fn, `${field}.scale`, o.scale);
  const g = o.granularity === undefined ? 0 : nonNegative(fn, `${field}.granularity`, o.granularity);
  if (mechanism === 'gaussian') return scale * scale;
  if (g === 0) return 2 * scale * scale;
  // Discrete Laplace P(k) ∝ exp(−|k|/t), t = b/γ grid steps: variance 2q/(1 − q)², q = e^(−1/t).
  const q = Math.exp(-g / scale);
  const omq = -Math.expm1(-g / scale);
  return (g * g * 2 * q) / (omq * omq);
}

/** Internal grouped form: parallel typed arrays (no per-release objects in the hot loop). */
export interface Groups {
  /** Number of groups. */
  readonly size: number;
  /** Total number of releases. */
  readonly releases: number;
  /** s² per group. */
  readonly s2: Float64Array;
  /** Releases per group. */
  readonly count: Float64Array;
  /** Mean of the group's values. */
  readonly mean: Float64Array;
  /** Σ (value − group mean)². */
  readonly m2: Float64Array;
}

function checkLength(fn: string, field: string, xs: unknown): readonly unknown[] {
  if (!Array.isArray(xs)) fail(fn, field, 'must be an array', xs);
  if (xs.length === 0) fail(fn, field, 'must hold at least one release', xs);
  if (xs.length > MAX_POOL_RELEASES) fail(fn, field, `must hold at most ${MAX_POOL_RELEASES} entries`, xs.length);
  return xs;
}

/** One release's value and total sd, validated. */
export function readRelease(fn: string, field: string, r: unknown): { value: number; sd: number } {
  const o = plainObject(fn, field, r);
  if (Object.hasOwn(o, 'release')) {
    const rel = plainObject(fn, `${field}.release`, o.release);
    const value = finite(fn, `${field}.release.value`, rel.value);
    const own = nonNegative(fn, `${field}.sd`, o.sd);
    const v = own * own + noiseVariance(fn, `${field}.release`, rel);
    const sd = Math.sqrt(v);
    if (!(sd > 0) || !Number.isFinite(sd)) fail(fn, `${field}.sd`, 'gives a total sd that is not finite and positive', o.sd);
    return { value, sd };
  }
  return { value: finite(fn, `${field}.value`, o.value), sd: positive(fn, `${field}.sd`, o.sd) };
}

/** Groups releases by total sd (Welford within each group). */
export function groupReleases(fn: string, releases: unknown): Groups {
  const xs = checkLength(fn, 'releases', releases);
  const index = new Map<number, number>();
  const n = xs.length;
  const s2 = new Float64Array(n);
  const count = new Float64Array(n);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (!(i in xs)) fail(fn, `releases[${i}]`, 'must not be a hole', undefined);
    const { value, sd } = readRelease(fn, `releases[${i}]`, xs[i]);
    let g = index.get(sd);
    if (g === undefined) {
      g = size++;
      index.set(sd, g);
      s2[g] = sd * sd;
    }
    const c = (count[g] as number) + 1;
    count[g] = c;
    const d = value - (mean[g] as number);
    mean[g] = (mean[g] as number) + d / c;
    m2[g] = (m2[g] as number) + d * (value - (mean[g] as number));
  }
  return { size, releases: n, s2: s2.subarray(0, size), count: count.subarray(0, size), mean: mean.subarray(0, size), m2: m2.subarray(0, size) };
}

/** Reads {@link ReleaseGroup}s (merging equal sds). */
export function readGroups(fn: string, groups: unknown): Groups {
  const xs = checkLength(fn, 'groups', groups);
  const index = new Map<number, number>();
  const n = xs.length;
  const s2 = new Float64Array(n);
  const cnt = new Float64Array(n);
  const sum = new Float64Array(n);
  const sq = new Float64Array(n);
  let size = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(i in xs)) fail(fn, `groups[${i}]`, 'must not be a hole', undefined);
    const f = `groups[${i}]`;
    const o = plainObject(fn, f, xs[i]);
    const sd = positive(fn, `${f}.sd`, o.sd);
    const c = integer(fn, `${f}.count`, o.count, 1, MAX_POOL_RELEASES);
    const s = finite(fn, `${f}.sum`, o.sum);
    const q = nonNegative(fn, `${f}.sumSquares`, o.sumSquares);
    // Cauchy–Schwarz: (Σy)² ≤ n Σy² (up to rounding).
    if (s * s > c * q * (1 + 1e-9) + 1e-300) fail(fn, `${f}.sumSquares`, `must be >= sum²/count (${(s * s) / c})`, q);
    total += c;
    if (total > MAX_POOL_RELEASES) fail(fn, 'groups', `must count at most ${MAX_POOL_RELEASES} releases in all`, total);
    let g = index.get(sd);
    if (g === undefined) {
      g = size++;
      index.set(sd, g);
      s2[g] = sd * sd;
    }
    cnt[g] = (cnt[g] as number) + c;
    sum[g] = (sum[g] as number) + s;
    sq[g] = (sq[g] as number) + q;
  }
  const mean = new Float64Array(size);
  const m2 = new Float64Array(size);
  for (let g = 0; g < size; g++) {
    const c = cnt[g] as number;
    const m = (sum[g] as number) / c;
    mean[g] = m;
    m2[g] = Math.max(0, (sq[g] as number) - (sum[g] as number) * m);
  }
  return { size, releases: total, s2: s2.subarray(0, size), count: cnt.subarray(0, size), mean, m2 };
}

/**
 * Turns releases into additive {@link ReleaseGroup}s, one per distinct total sd: what a server
 * stores (or an SQL `GROUP BY sd` returns) instead of the releases themselves.
 *
 * @param releases - `{ value, sd }` or `{ release, sd }` objects (see {@link PoolInput})
 * @returns the groups, in order of first appearance
 * @throws ValidationError for an empty or malformed list
 * @example
 * ```ts
 * releaseGroups([{ value: -2, sd: 3 }, { value: -1, sd: 3 }, { value: 0, sd: 2 }]);
 * // [{ sd: 3, count: 2, sum: -3, sumSquares: 5 }, { sd: 2, count: 1, sum: 0, sumSquares: 0 }]
 * ```
 * @see Chan, Golub & LeVeque (1983), Algorithms for computing the sample variance (additive moments).
 */
export function releaseGroups(releases: readonly PoolInput[]): ReleaseGroup[] {
  const fn = 'releaseGroups';
  const xs = checkLength(fn, 'releases', releases);
  const out: { sd: number; count: number; sum: number; sumSquares: number }[] = [];
  const index = new Map<number, number>();
  for (let i = 0; i < xs.length; i++) {
    if (!(i in xs)) fail(fn, `releases[${i}]`, 'must not be a hole', undefined);
    const { value, sd } = readRelease(fn, `releases[${i}]`, xs[i]);
    let g = index.get(sd);
    if (g === undefined) {
      g = out.length;
      index.set(sd, g);
      out.push({ sd, count: 0, sum: 0, sumSquares: 0 });
    }
    const grp = out[g] as { sd: number; count: number; sum: number; sumSquares: number };
    grp.count += 1;
    grp.sum += value;
    grp.sumSquares += value * value;
  }
  return out;
}
