/**
 * MCMC convergence diagnostics: rank-normalised split R-hat, bulk and tail effective sample
 * size, as defined by Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021) and implemented in
 * the R package `posterior`.
 *
 * @packageDocumentation
 */
import { normalQuantileStd } from '../distributions/index.js';
import { fail, finiteChains } from '../validate.js';

/**
 * The one input check of the exported diagnostics ({@link finiteChains}), and the one output
 * check: a diagnostic that is undefined for these draws (NaN inside) is a ValidationError that
 * says why, never a NaN result. The internal callers use {@link diagnoseRaw} unchecked.
 */
function checked(fn: string, chains: unknown, compute: (c: readonly ArrayLike<number>[]) => number, what: string): number {
  finiteChains(fn, 'chains', chains);
  const v = compute(chains as readonly ArrayLike<number>[]);
  if (!Number.isFinite(v)) fail(fn, 'chains', `must vary: ${what}`, 'draws without variation');
  return v;
}

/** Splits each chain in two halves (the middle draw of an odd chain is dropped). */
function split(chains: readonly ArrayLike<number>[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of chains) {
    const half = Math.floor(c.length / 2);
    const a = new Float64Array(half);
    const b = new Float64Array(half);
    const off = c.length - half;
    for (let i = 0; i < half; i++) {
      a[i] = c[i] as number;
      b[i] = c[off + i] as number;
    }
    out.push(a, b);
  }
  return out;
}

function isConstant(chains: readonly Float64Array[]): boolean {
  const first = (chains[0] as Float64Array)[0] as number;
  for (const c of chains) for (let i = 0; i < c.length; i++) if (c[i] !== first) return false;
  return true;
}

/**
 * Sorts `keys` ascending in place and permutes `idx` alongside (iterative quicksort with
 * median-of-three pivots, insertion sort on short runs). About 4× faster than sorting an index
 * array with a comparator.
 */
function argsortInPlace(keys: Float64Array, idx: Uint32Array): void {
  const n = keys.length;
  if (n < 2) return;
  const stack = new Int32Array(2 * 64);
  let sp = 0;
  stack[sp++] = 0;
  stack[sp++] = n - 1;
  while (sp > 0) {
    let hi = stack[--sp] as number;
    let lo = stack[--sp] as number;
    while (hi - lo > 16) {
      const mid = (lo + hi) >> 1;
      const a = keys[lo] as number;
      const b = keys[mid] as number;
      const c = keys[hi] as number;
      // Median of three.
      const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
      let i = lo;
      let j = hi;
      while (i <= j) {
        while ((keys[i] as number) < pivot) i++;
        while ((keys[j] as number) > pivot) j--;
        if (i <= j) {
          const t = keys[i] as number;
          keys[i] = keys[j] as number;
          keys[j] = t;
          const ti = idx[i] as number;
          idx[i] = idx[j] as number;
          idx[j] = ti;
          i++;
          j--;
        }
      }
      if (j - lo < hi - i) {
        if (i < hi) {
          stack[sp++] = i;
          stack[sp++] = hi;
        }
        hi = j;
      } else {
        if (lo < j) {
          stack[sp++] = lo;
          stack[sp++] = j;
        }
        lo = i;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const k = keys[i] as number;
      const ki = idx[i] as number;
      let j = i - 1;
      while (j >= lo && (keys[j] as number) > k) {
        keys[j + 1] = keys[j] as number;
        idx[j + 1] = idx[j] as number;
        j--;
      }
      keys[j + 1] = k;
      idx[j + 1] = ki;
    }
  }
}

/**
 * Normal scores Φ⁻¹((r − 3/8)/(S + 1/4)) of average ranks r (ties share their mean rank),
 * given values in ascending order and the original position of each; written to `out` by
 * original position.
 */
function normalScores(sortedVals: ArrayLike<number>, order: ArrayLike<number>, out: Float64Array): void {
  const total = sortedVals.length;
  const table = scoreTable(total);
  let i = 0;
  while (i < total) {
    let k = i;
    while (k + 1 < total && sortedVals[k + 1] === sortedVals[i]) k++;
    const r = (i + k) / 2 + 1;
    const z = k === i ? (table[i] as number) : normalQuantileStd((r - 0.375) / (total + 0.25));
    for (let q = i; q <= k; q++) out[order[q] as number] = z;
    i = k + 1;
  }
}

// The scores of untied ranks depend on the number of draws alone: kept for the last few sizes
// (an analysis diagnoses every parameter at one size).
const scoreTables = new Map<number, Float64Array>();
function scoreTable(total: number): Float64Array {
  let t = scoreTables.get(total);
  if (t === undefined) {
    t = new Float64Array(total);
    for (let i = 0; i < total; i++) t[i] = normalQuantileStd((i + 1 - 0.375) / (total + 0.25));
    if (scoreTables.size >= 8) scoreTables.delete(scoreTables.keys().next().value as number);
    scoreTables.set(total, t);
  }
  return t;
}

function unstack(all: Float64Array, m: number, n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < m; j++) out.push(all.subarray(j * n, (j + 1) * n));
  return out;
}

/**
 * Normal scores of the pooled ranks of split chains, and of the folded draws |x − med|
 * (`med` defaults to the median of the split draws).
 */
function rankNormalizeBoth(
  chains: readonly Float64Array[],
  medIn?: number,
): {
  z: Float64Array[];
  zf: Float64Array[];
  sorted: Float64Array;
} {
  const m = chains.length;
  const n = (chains[0] as Float64Array).length;
  const total = m * n;
  const sorted = new Float64Array(total);
  chains.forEach((c, j) => {
    sorted.set(c, j * n);
  });
  const idx = new Uint32Array(total);
  for (let i = 0; i < total; i++) idx[i] = i;
  argsortInPlace(sorted, idx);
  const z = new Float64Array(total);
  normalScores(sorted, idx, z);
  // Folded values in ascending order: merge outward from the median (a V-shaped sequence).
  const med = medIn ?? sortedQuantile(sorted, 0.5);
  let right = 0;
  while (right < total && (sorted[right] as number) < med) right++;
  let left = right - 1;
  const fvals = new Float64Array(total);
  const forder = new Uint32Array(total);
  for (let k = 0; k < total; k++) {
    const fl = left >= 0 ? med - (sorted[left] as number) : Number.POSITIVE_INFINITY;
    const fr = right < total ? (sorted[right] as number) - med : Number.POSITIVE_INFINITY;
    if (fl <= fr) {
      fvals[k] = fl;
      forder[k] = idx[left] as number;
      left--;
    } else {
      fvals[k] = fr;
      forder[k] = idx[right] as number;
      right++;
    }
  }
  const zf = new Float64Array(total);
  normalScores(fvals, forder, zf);
  return { z: unstack(z, m, n), zf: unstack(zf, m, n), sorted };
}

/** Normal scores of the pooled ranks (one-sided helper for {@link essBulk}). */
function rankNormalize(chains: readonly Float64Array[]): Float64Array[] {
  return rankNormalizeBoth(chains).z;
}

function basicRhat(chains: readonly Float64Array[]): number {
  const m = chains.length;
  const n = (chains[0] as Float64Array).length;
  const means = new Float64Array(m);
  let w = 0;
  chains.forEach((c, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i] as number;
    const mu = s / n;
    means[j] = mu;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((c[i] as number) - mu) ** 2;
    w += v / (n - 1);
  });
  w /= m;
  let grand = 0;
  for (let j = 0; j < m; j++) grand += means[j] as number;
  grand /= m;
  let b = 0;
  for (let j = 0; j < m; j++) b += ((means[j] as number) - grand) ** 2;
  b = m > 1 ? (b * n) / (m - 1) : 0;
  if (!(w > 0)) return Number.NaN;
  return Math.sqrt(((n - 1) / n) * w + b / n) / Math.sqrt(w);
}

/** ESS of already-split chains (Geyer's initial monotone sequence, Stan's estimator). */
function essOfSplit(chains: readonly Float64Array[]): number {
  const m = chains.length;
  const n = (chains[0] as Float64Array).length;
  if (isConstant(chains)) return Number.NaN;
  const means = new Float64Array(m);
  chains.forEach((c, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i] as number;
    means[j] = s / n;
  });
  // Mean over chains of the biased autocovariance at lag t, computed lazily.
  const acovMean = (t: number): number => {
    let tot = 0;
    for (let j = 0; j < m; j++) {
      const c = chains[j] as Float64Array;
      const mu = means[j] as number;
      let s = 0;
      for (let i = 0; i + t < n; i++) s += ((c[i] as number) - mu) * ((c[i + t] as number) - mu);
      tot += s / n;
    }
    return tot / m;
  };
  const acov0 = acovMean(0);
  const meanVar = (acov0 * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) {
    let g = 0;
    for (let j = 0; j < m; j++) g += means[j] as number;
    g /= m;
    let v = 0;
    for (let j = 0; j < m; j++) v += ((means[j] as number) - g) ** 2;
    varPlus += v / (m - 1);
  }
  const rho = new Float64Array(n + 1);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovMean(1)) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && Number.isFinite(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMean(t)) / varPlus;
    rhoOdd = 1 - (meanVar - acovMean(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if ((rho[t] as number) + (rho[t + 1] as number) > (rho[t - 2] as number) + (rho[t - 1] as number)) {
      rho[t] = ((rho[t - 2] as number) + (rho[t - 1] as number)) / 2;
      rho[t + 1] = rho[t] as number;
    }
  }
  const total = m * n;
  let sum = 0;
  for (let k = 0; k < maxT; k++) sum += rho[k] as number;
  let tau = -1 + 2 * sum + (rho[maxT] as number);
  tau = Math.max(tau, 1 / Math.log10(total));
  return total / tau;
}

/** Type-7 (R's default) quantile of values sorted ascending. @internal */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** All three diagnostics of one parameter from its chains, without input checks. @internal */
export function diagnoseRaw(chains: readonly ArrayLike<number>[]): { rhat: number; essBulk: number; essTail: number } {
  const sp = split(chains);
  if (isConstant(sp)) return { rhat: Number.NaN, essBulk: Number.NaN, essTail: Number.NaN };
  // As in `posterior`: the folding median and the tail quantiles come from all draws (an odd
  // chain's middle draw included), the ranks from the split chains.
  let full: Float64Array | undefined;
  if ((chains[0] as ArrayLike<number>).length % 2 === 1) {
    const n = (chains[0] as ArrayLike<number>).length;
    full = new Float64Array(chains.length * n);
    chains.forEach((c, j) => {
      for (let i = 0; i < n; i++) (full as Float64Array)[j * n + i] = c[i] as number;
    });
    full.sort();
  }
  const { z, zf, sorted } = rankNormalizeBoth(sp, full === undefined ? undefined : sortedQuantile(full, 0.5));
  const rhat = Math.max(basicRhat(z), basicRhat(zf));
  const essBulk = essOfSplit(z);
  const qs = full ?? sorted;
  const q05 = sortedQuantile(qs, 0.05);
  const q95 = sortedQuantile(qs, 0.95);
  const e05 = essOfSplit(sp.map((c) => c.map((x) => (x <= q05 ? 1 : 0))));
  const e95 = essOfSplit(sp.map((c) => c.map((x) => (x <= q95 ? 1 : 0))));
  const essTail = Math.min(e05, e95);
  return { rhat, essBulk, essTail };
}

/**
 * Rank-normalised split R-hat: the larger of the split R-hat of the rank-normalised draws and
 * of the rank-normalised folded draws |x − median|. Values above 1.01 signal non-convergence.
 *
 * @param chains - one array of draws per chain, all the same length (≥ 4)
 * @returns R-hat
 * @throws ValidationError for chains that are not a non-empty array of equal-length arrays of
 *   finite numbers (≥ 4 draws each, at most 10,000,000 in all), or when R-hat is undefined
 *   (every draw, or every split half-chain, constant)
 * @example
 * ```ts
 * const rng = createRng(1);
 * const chains = [0, 1, 2, 3].map(() => Array.from({ length: 500 }, () => rng.normal()));
 * splitRhat(chains); // returns ~1.00
 * ```
 * @see Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), Rank-normalization, folding, and
 * localization: an improved R-hat for assessing convergence of MCMC, Bayesian Analysis 16(2).
 */
export function splitRhat(chains: readonly ArrayLike<number>[]): number {
  return checked('splitRhat', chains, (c) => diagnoseRaw(c).rhat, 'R-hat is undefined when every draw, or every split half-chain, is constant');
}

/**
 * Bulk effective sample size: ESS of the rank-normalised split chains.
 *
 * @param chains - one array of draws per chain, all the same length (≥ 4)
 * @returns the bulk ESS
 * @throws ValidationError for chains that are not a non-empty array of equal-length arrays of
 *   finite numbers (≥ 4 draws each, at most 10,000,000 in all), or when every draw is identical
 * @example
 * ```ts
 * const rng = createRng(1);
 * const chains = [0, 1].map(() => Array.from({ length: 1000 }, () => rng.normal()));
 * essBulk(chains); // returns ~2000 (independent draws)
 * ```
 * @see Vehtari et al. (2021), Bayesian Analysis 16(2), section 3.
 */
export function essBulk(chains: readonly ArrayLike<number>[]): number {
  return checked('essBulk', chains, (c) => essOfSplit(rankNormalize(split(c))), 'the ESS is undefined when every draw is identical');
}

/**
 * Tail effective sample size: the smaller ESS of the indicators x ≤ q₀.₀₅ and x ≤ q₀.₉₅.
 *
 * @param chains - one array of draws per chain, all the same length (≥ 4)
 * @returns the tail ESS
 * @throws ValidationError for chains that are not a non-empty array of equal-length arrays of
 *   finite numbers (≥ 4 draws each, at most 10,000,000 in all), or when the tail ESS is
 *   undefined (every draw identical, or ties at the 5% or 95% quantile covering every draw)
 * @example
 * ```ts
 * const rng = createRng(1);
 * const chains = [0, 1].map(() => Array.from({ length: 1000 }, () => rng.normal()));
 * essTail(chains); // returns ~2000
 * ```
 * @see Vehtari et al. (2021), Bayesian Analysis 16(2), section 4.3.
 */
export function essTail(chains: readonly ArrayLike<number>[]): number {
  return checked(
    'essTail',
    chains,
    (c) => diagnoseRaw(c).essTail,
    'the tail ESS is undefined when every draw is identical or when ties make x ≤ q05 or x ≤ q95 hold for every draw',
  );
}
