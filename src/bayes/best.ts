import type { Dist } from '../distributions/index.js';
import { sampleRaw, validateDist } from '../distributions/index.js';
import type { Rng, Seed } from '../rng/index.js';
import { toRng } from '../rng/index.js';
import { fail, integer, oneOf, plainObject, denseArray, knownKeys, LIMITS, ownEntries, setOwn } from '../validate.js';
import { addArgmaxShare } from './argmax.js';
import { hypot2 } from './components.js';
import { upperTail } from './summarize.js';
import type { BetterIs } from './types.js';

/** Options of {@link probabilityOfBest}. */
export interface ProbabilityOfBestOptions {
  /**
   * Which direction is better.
   * @defaultValue 'higher'
   */
  readonly betterIs?: BetterIs;
  /**
   * Random source (an {@link Rng} or a seed). Required unless the exact two-normal formula
   * applies.
   */
  readonly rng?: Rng | Seed;
  /**
   * Monte Carlo draws per distribution.
   * @defaultValue 20000
   */
  readonly draws?: number;
  /**
   * `'auto'` uses the exact formula for two independent normals and Monte Carlo otherwise;
   * `'monteCarlo'` always samples.
   * @defaultValue 'auto'
   */
  readonly method?: 'auto' | 'monteCarlo';
}

/**
 * P(A is better than B) for independent A ~ N(μa, σa²), B ~ N(μb, σb²):
 * Φ((μa − μb)/√(σa² + σb²)) when higher is better (lower: swap the sign).
 *
 * @param a - a normal distribution
 * @param b - a normal distribution
 * @param options - `{ betterIs? }` (default 'higher')
 * @returns P(A better than B), in [0, 1]
 * @throws ValidationError when `a` or `b` is not a valid normal distribution
 * @example
 * ```ts
 * probabilityBetterNormal(normal(1, 1), normal(0, 1)); // returns Φ(1/√2) ≈ 0.760
 * ```
 * @see The difference of independent normals is normal: e.g. Gelman et al., Bayesian Data
 *   Analysis, 3rd ed., §3.7 (comparing two normal posteriors).
 */
export function probabilityBetterNormal(a: Dist, b: Dist, options: { betterIs?: BetterIs } = {}): number {
  const fn = 'probabilityBetterNormal';
  const da = validateDist(a, fn, 'a');
  const db = validateDist(b, fn, 'b');
  if (da.family !== 'normal') fail(fn, 'a.family', "must be 'normal'", da.family);
  if (db.family !== 'normal') fail(fn, 'b.family', "must be 'normal'", db.family);
  const o = plainObject(fn, 'options', options);
  knownKeys(fn, 'options', o, ['betterIs']);
  const betterIs = o.betterIs === undefined ? 'higher' : oneOf(fn, 'options.betterIs', o.betterIs, ['higher', 'lower']);
  // D = A − B ~ N(μa − μb, √(σa² + σb²)); P(D > 0) for higher, P(D < 0) for lower.
  const diff: Dist = { family: 'normal', mean: da.mean - db.mean, sd: hypot2(da.sd, db.sd) };
  return betterIs === 'higher' ? upperTail(diff, 0) : upperTail({ ...diff, mean: -diff.mean }, 0);
}

/**
 * The probability that each of several independent distributions (e.g. posteriors of the
 * effects of candidate treatments) is the best one.
 *
 * Two normals use the exact formula ({@link probabilityBetterNormal}); otherwise Monte Carlo:
 * `draws` joint draws, counting which is best in each (ties split evenly). The Monte Carlo
 * standard error of each probability is at most 0.5/√draws.
 *
 * @param dists - an array or a record (name → Dist) of at least one distribution
 * @param options - `{ betterIs?, rng?, draws?, method? }`, see {@link ProbabilityOfBestOptions}
 * @returns probabilities summing to 1, in the same shape (array or record) as `dists`
 * @throws ValidationError for an empty input, an invalid distribution, a missing `rng` when
 *   sampling is needed, or a non-positive number of draws
 * @example
 * ```ts
 * probabilityOfBest({ a: normal(1, 1), b: normal(0, 1) }); // returns { a: ~0.760, b: ~0.240 }
 * probabilityOfBest([beta(8, 4), beta(5, 7), beta(2, 2)], { rng: createRng(1) });
 * ```
 * @see Thompson (1933), On the likelihood that one unknown probability exceeds another in view
 *   of the evidence of two samples, Biometrika 25: 285–294.
 */
export function probabilityOfBest(dists: readonly Dist[], options?: ProbabilityOfBestOptions): number[];
export function probabilityOfBest(
  dists: Readonly<Record<string, Dist>>,
  options?: ProbabilityOfBestOptions,
): Record<string, number>;
export function probabilityOfBest(
  dists: readonly Dist[] | Readonly<Record<string, Dist>>,
  options: ProbabilityOfBestOptions = {},
): number[] | Record<string, number> {
  const fn = 'probabilityOfBest';
  const isArray = Array.isArray(dists);
  const entries = isArray ? null : ownEntries(fn, 'dists', dists);
  const keys = entries === null ? null : entries.map(([k]) => k);
  const list: Dist[] = isArray
    ? denseArray(fn, 'dists', dists).map((d, i) => validateDist(d, fn, `dists[${i}]`))
    : (entries as [string, unknown][]).map(([k, d]) => validateDist(d, fn, `dists.${k}`));
  if (list.length === 0) fail(fn, 'dists', 'must hold at least one distribution', dists);
  const o = plainObject(fn, 'options', options);
  knownKeys(fn, 'options', o, ['betterIs', 'rng', 'draws', 'method']);
  const betterIs = o.betterIs === undefined ? 'higher' : oneOf(fn, 'options.betterIs', o.betterIs, ['higher', 'lower']);
  const method = o.method === undefined ? 'auto' : oneOf(fn, 'options.method', o.method, ['auto', 'monteCarlo']);
  const draws = o.draws === undefined ? 20000 : integer(fn, 'options.draws', o.draws, 1, LIMITS.draws);
  let probs: number[];
  const [d0, d1] = list;
  if (list.length === 1) {
    probs = [1];
  } else if (method === 'auto' && list.length === 2 && d0?.family === 'normal' && d1?.family === 'normal') {
    const p = probabilityBetterNormal(d0, d1, { betterIs });
    probs = [p, 1 - p];
  } else {
    if (o.rng === undefined) fail(fn, 'options.rng', 'is required for Monte Carlo (an Rng or a seed)', o.rng);
    const rng = toRng(fn, 'options.rng', o.rng as Rng | Seed);
    const k = list.length;
    const counts = new Float64Array(k);
    const x = new Float64Array(k);
    const sign = betterIs === 'higher' ? 1 : -1;
    for (let t = 0; t < draws; t++) {
      for (let i = 0; i < k; i++) x[i] = sampleRaw(list[i] as Dist, rng);
      addArgmaxShare(x, 0, 1, k, sign, counts);
    }
    probs = Array.from(counts, (c) => c / draws);
  }
  if (isArray) return probs;
  const out: Record<string, number> = {};
  (keys as string[]).forEach((key, i) => {
    setOwn(out, key, probs[i] as number);
  });
  return out;
}
