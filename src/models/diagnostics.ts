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

/**
 * Scratch buffers for `m` split chains of `n` draws each, reused within one analysis (which
 * diagnoses every parameter at one size; a workspace keeps two sizes of at most
 * {@link SCRATCH_MAX} draws). Nothing in them is returned, and the functions that fill them run
 * to the end without calling out, so no two calls ever share contents.
 */
interface Scratch {
  /** Pooled split draws (split chain j at j·n), sorted in place by the argsort. */
  readonly vals: Float64Array;
  /** Pooled position of each sorted value. */
  readonly idx: Uint32Array;
  /** Normal scores of the ranks, of the folded ranks; a 0/1 tail indicator; centred draws. */
  readonly z: Float64Array;
  readonly zf: Float64Array;
  readonly ind: Float64Array;
  readonly cen: Float64Array;
  /** Folded draws in ascending order and their pooled positions. */
  readonly fvals: Float64Array;
  readonly forder: Uint32Array;
  readonly means: Float64Array;
  readonly rho: Float64Array;
  /** Every draw, sorted (odd chains only: the split drops the middle draws). */
  full: Float64Array | undefined;
  /** Lag t + 1's autocovariance, beside lag t's (see acovMeanPair). */
  readonly pair: Float64Array;
}

const SCRATCH_MAX = 1 << 16;

/**
 * The buffers and kept sorts of one analysis (no module-level state): created by the model
 * that summarises and diagnoses its parameters, passed to {@link summarizeDraws}-style callers
 * and {@link diagnoseRaw}, and emptied by {@link clearWorkspace} when the analysis is done.
 * @internal
 */
export interface DrawWorkspace {
  readonly scratches: Map<number, Scratch>;
  sortBuffers: SortBuffers | undefined;
  readonly sortedCache: SortedDraws[];
  cachedDraws: number;
  readonly spares: SortedDraws[];
  readonly scoreTables: Map<number, Float64Array>;
}

/** A new, empty workspace. @internal */
export function drawWorkspace(): DrawWorkspace {
  return { scratches: new Map(), sortBuffers: undefined, sortedCache: [], cachedDraws: 0, spares: [], scoreTables: new Map() };
}

/** Drops a workspace's buffers (an analysis keeps its result, not its scratch). @internal */
export function clearWorkspace(ws: DrawWorkspace): void {
  ws.scratches.clear();
  ws.sortBuffers = undefined;
  ws.sortedCache.length = 0;
  ws.cachedDraws = 0;
  ws.spares.length = 0;
  ws.scoreTables.clear();
}

function scratchFor(ws: DrawWorkspace, m: number, n: number): Scratch {
  const scratches = ws.scratches;
  const key = m * 1e8 + n;
  let s = scratches.get(key);
  if (s === undefined) {
    const total = m * n;
    s = {
      vals: new Float64Array(total),
      idx: new Uint32Array(total),
      z: new Float64Array(total),
      zf: new Float64Array(total),
      ind: new Float64Array(total),
      cen: new Float64Array(total),
      fvals: new Float64Array(total),
      forder: new Uint32Array(total),
      means: new Float64Array(m),
      rho: new Float64Array(n + 1),
      full: undefined,
      pair: new Float64Array(2),
    };
    if (total <= SCRATCH_MAX) {
      if (scratches.size >= 2) scratches.delete(scratches.keys().next().value as number);
      scratches.set(key, s);
    }
  }
  return s;
}

/**
 * Sorted copies of draws with the permutation that sorts them (`x[idx[k]] === sorted[k]`), kept
 * for a short while so that the summaries and the diagnostics of the same parameter sort its
 * draws once: the diagnostics of chains of even length pool them in the order of their
 * concatenation, which is what the summaries receive. An entry is used only after checking
 * `x[idx[k]] === sorted[k]` for every k, which proves it is the sort of `x` whatever `x` came
 * from; it is then removed. Bounded: 32 entries of at most {@link SCRATCH_MAX} draws, 2^19 draws
 * in all (about 6 MB), and 8 spare buffers.
 */
interface SortedDraws {
  readonly sorted: Float64Array;
  readonly idx: Uint32Array;
}

const CACHE_ENTRIES = 32;
const CACHE_DRAWS = 1 << 19;

/** The kept sort of `x` (removed from the cache), or undefined. @internal */
export function takeSortedDraws(ws: DrawWorkspace, x: ArrayLike<number>): SortedDraws | undefined {
  const sortedCache = ws.sortedCache;
  const len = x.length;
  for (let e = sortedCache.length - 1; e >= 0; e--) {
    const c = sortedCache[e] as SortedDraws;
    if (c.sorted.length !== len) continue;
    const { sorted, idx } = c;
    let k = 0;
    while (k < len && sorted[k] === x[idx[k] as number]) k++;
    if (k === len) {
      sortedCache.splice(e, 1);
      ws.cachedDraws -= len;
      return c;
    }
  }
  return undefined;
}

/** Buffers for a sort of `len` draws (a released entry's if one fits). @internal */
export function sortedDrawsBuffers(ws: DrawWorkspace, len: number): SortedDraws {
  const spares = ws.spares;
  for (let e = spares.length - 1; e >= 0; e--) {
    const c = spares[e] as SortedDraws;
    if (c.sorted.length === len) {
      spares.splice(e, 1);
      return c;
    }
  }
  return { sorted: new Float64Array(len), idx: new Uint32Array(len) };
}

/** Keeps a sort for {@link takeSortedDraws}, dropping the oldest beyond the bounds. @internal */
export function keepSortedDraws(ws: DrawWorkspace, s: SortedDraws): void {
  const len = s.sorted.length;
  if (len === 0 || len > SCRATCH_MAX) return;
  ws.sortedCache.push(s);
  ws.cachedDraws += len;
  while (ws.sortedCache.length > CACHE_ENTRIES || ws.cachedDraws > CACHE_DRAWS) {
    const old = ws.sortedCache.shift() as SortedDraws;
    ws.cachedDraws -= old.sorted.length;
    releaseSortedDraws(ws, old);
  }
}

/** Returns a sort's buffers for reuse once it has been read. @internal */
export function releaseSortedDraws(ws: DrawWorkspace, s: SortedDraws): void {
  if (ws.spares.length < 8) ws.spares.push(s);
}

/**
 * Sorts `keys` ascending in place and permutes `idx` alongside. A bucket sort: the draws go to
 * n/2 buckets by the monotone map ⌊(x − min)·scale⌋ (so x ≤ y puts x in the same or an earlier
 * bucket, and ties in one bucket), then one insertion sort over the whole range puts each draw
 * in place within its bucket. A crowded bucket (heavy tails) is bucket-sorted again on its own
 * range, twice at most before a quicksort. About 3× faster than the quicksort alone on the
 * draws of a well-mixed posterior, and no slower on Cauchy-like ones. Equal keys may come out
 * in any order. @internal
 */
export function argsortInPlace(keys: Float64Array, idx: Uint32Array, ws?: DrawWorkspace): void {
  const n = keys.length;
  if (n < 2) return;
  let b = ws?.sortBuffers;
  if (b === undefined || b.keys.length < n) {
    b = { keys: new Float64Array(n), idx: new Uint32Array(n), bucket: new Int32Array(n), count: new Int32Array((n >> 1) + 1) };
    if (ws !== undefined && n <= SCRATCH_MAX) ws.sortBuffers = b;
  }
  bucketArgsort(keys, idx, 0, n, 0, b);
}

interface SortBuffers {
  readonly keys: Float64Array;
  readonly idx: Uint32Array;
  readonly bucket: Int32Array;
  readonly count: Int32Array;
}

/** Sorts `keys[lo..hi)` with `idx` alongside (see {@link argsortInPlace}). */
function bucketArgsort(keys: Float64Array, idx: Uint32Array, lo: number, hi: number, depth: number, buf: SortBuffers): void {
  const n = hi - lo;
  if (n <= 32) {
    insertionArgsort(keys, idx, lo, hi);
    return;
  }
  if (depth > 2) {
    quickArgsort(keys, idx, lo, hi - 1);
    return;
  }
  let mn = keys[lo] as number;
  let mx = mn;
  for (let i = lo + 1; i < hi; i++) {
    const v = keys[i] as number;
    if (v < mn) mn = v;
    else if (v > mx) mx = v;
  }
  if (!(mx > mn)) return;
  const nb = n >> 1;
  const scale = nb / (mx - mn);
  if (!Number.isFinite(scale) || !Number.isFinite(mx - mn)) {
    quickArgsort(keys, idx, lo, hi - 1);
    return;
  }
  const { bucket, count } = buf;
  count.fill(0, 0, nb + 1);
  let maxCount = 0;
  for (let i = lo; i < hi; i++) {
    let k = Math.floor(((keys[i] as number) - mn) * scale);
    if (k >= nb) k = nb - 1;
    bucket[i] = k;
    const c = (count[k + 1] as number) + 1;
    count[k + 1] = c;
    if (c > maxCount) maxCount = c;
  }
  for (let k = 0; k < nb; k++) count[k + 1] = (count[k + 1] as number) + (count[k] as number);
  const tk = buf.keys;
  const ti = buf.idx;
  for (let i = lo; i < hi; i++) {
    const o = lo + (count[bucket[i] as number] as number)++;
    tk[o] = keys[i] as number;
    ti[o] = idx[i] as number;
  }
  keys.set(tk.subarray(lo, hi), lo);
  idx.set(ti.subarray(lo, hi), lo);
  // count[k] is now the end of bucket k (relative to lo). With no crowded bucket, one insertion
  // sort over the whole range finishes (each draw moves within its bucket only).
  if (maxCount <= 32) {
    insertionArgsort(keys, idx, lo, hi);
    return;
  }
  let big: number[] | undefined;
  let start = lo;
  for (let k = 0; k < nb; k++) {
    const end = lo + (count[k] as number);
    if (end - start > 32) {
      big ??= [];
      big.push(start, end);
    } else if (end - start > 1) insertionArgsort(keys, idx, start, end);
    start = end;
  }
  if (big !== undefined) for (let j = 0; j < big.length; j += 2) bucketArgsort(keys, idx, big[j] as number, big[j + 1] as number, depth + 1, buf);
}

/** Insertion sort of `keys[lo..hi)` with `idx` alongside. */
function insertionArgsort(keys: Float64Array, idx: Uint32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
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

/**
 * Sorts `keys[lo..hi]` (inclusive) ascending in place and permutes `idx` alongside (iterative
 * quicksort with median-of-three pivots, insertion sort on short runs).
 */
function quickArgsort(keys: Float64Array, idx: Uint32Array, lo0: number, hi0: number): void {
  if (hi0 - lo0 < 1) return;
  const stack = new Int32Array(2 * 64);
  let sp = 0;
  stack[sp++] = lo0;
  stack[sp++] = hi0;
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
    insertionArgsort(keys, idx, lo, hi + 1);
  }
}

/**
 * Normal scores Φ⁻¹((r − 3/8)/(S + 1/4)) of average ranks r (ties share their mean rank),
 * given values in ascending order and the original position of each; written to `out` by
 * original position.
 */
function normalScores(ws: DrawWorkspace, sortedVals: ArrayLike<number>, order: ArrayLike<number>, out: Float64Array): void {
  const total = sortedVals.length;
  const table = scoreTable(ws, total);
  let i = 0;
  while (i < total) {
    let k = i;
    while (k + 1 < total && sortedVals[k + 1] === sortedVals[i]) k++;
    if (k === i) {
      out[order[i] as number] = table[i] as number;
    } else {
      const z = normalQuantileStd(((i + k) / 2 + 1 - 0.375) / (total + 0.25));
      for (let q = i; q <= k; q++) out[order[q] as number] = z;
    }
    i = k + 1;
  }
}

// The scores of untied ranks depend on the number of draws alone: kept in the workspace for the
// last few sizes (an analysis diagnoses every parameter at one size).
function scoreTable(ws: DrawWorkspace, total: number): Float64Array {
  const scoreTables = ws.scoreTables;
  let t = scoreTables.get(total);
  if (t === undefined) {
    t = new Float64Array(total);
    for (let i = 0; i < total; i++) t[i] = normalQuantileStd((i + 1 - 0.375) / (total + 0.25));
    if (scoreTables.size >= 8) scoreTables.delete(scoreTables.keys().next().value as number);
    scoreTables.set(total, t);
  }
  return t;
}

/** Whether the first `total` values of `x` are all equal. */
function isConstant(x: Float64Array, total: number): boolean {
  const first = x[0] as number;
  for (let i = 1; i < total; i++) if (x[i] !== first) return false;
  return true;
}

/** Split R-hat of `m` chains of `n` draws stored one after the other in `x`. */
function basicRhat(x: Float64Array, m: number, n: number, means: Float64Array): number {
  let w = 0;
  for (let j = 0; j < m; j++) {
    const o = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[o + i] as number;
    const mu = s / n;
    means[j] = mu;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((x[o + i] as number) - mu) ** 2;
    w += v / (n - 1);
  }
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

/**
 * Means over the `m` chains of centred draws `cen` of the biased autocovariances at lags t and
 * t + 1, in one pass (each sum in the order of the plain loop): lag t returned, lag t + 1 in
 * `pair[1]`.
 */
function acovMeanPair(cen: Float64Array, m: number, n: number, t: number, pair: Float64Array): number {
  let tot0 = 0;
  let tot1 = 0;
  for (let j = 0; j < m; j++) {
    const o = j * n;
    const end = o + n - t - 1;
    let s0 = 0;
    let s1 = 0;
    let i = o;
    for (; i < end; i++) {
      const c = cen[i] as number;
      s0 += c * (cen[i + t] as number);
      s1 += c * (cen[i + t + 1] as number);
    }
    // The last term of lag t (lag t + 1 has one term fewer).
    s0 += (cen[i] as number) * (cen[i + t] as number);
    tot0 += s0 / n;
    tot1 += s1 / n;
  }
  pair[1] = tot1 / m;
  return tot0 / m;
}

/**
 * ESS of `m` split chains of `n` draws stored one after the other in `x`, which must not all be
 * equal (Geyer's initial monotone sequence, Stan's estimator; autocovariances by direct lag
 * sums, which stop at the first negative pair: two or three pairs of lags for the chains
 * diagnosed here).
 */
function essOfSplit(x: Float64Array, m: number, n: number, s: Scratch): number {
  const total = m * n;
  const { means, cen, rho } = s;
  // Centre each chain, with its lag-0 and lag-1 autocovariances in the same pass (the sums of
  // acovMeanPair(cen, m, n, 0), term by term).
  let tot0 = 0;
  let tot1 = 0;
  for (let j = 0; j < m; j++) {
    const o = j * n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[o + i] as number;
    const mu = sum / n;
    means[j] = mu;
    const end = o + n - 1;
    let c = (x[o] as number) - mu;
    let s0 = 0;
    let s1 = 0;
    for (let i = o; i < end; i++) {
      const next = (x[i + 1] as number) - mu;
      cen[i] = c;
      s0 += c * c;
      s1 += c * next;
      c = next;
    }
    cen[end] = c;
    s0 += c * c;
    tot0 += s0 / n;
    tot1 += s1 / n;
  }
  const acov0 = tot0 / m;
  const acov1 = tot1 / m;
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
  rho.fill(0);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acov1) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && Number.isFinite(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMeanPair(cen, m, n, t, s.pair)) / varPlus;
    rhoOdd = 1 - (meanVar - (s.pair[1] as number)) / varPlus;
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

const NO_DIAGNOSTICS = { rhat: Number.NaN, essBulk: Number.NaN, essTail: Number.NaN } as const;

/**
 * All three diagnostics of one parameter from its chains, without input checks. With
 * `bulkOnly` the R-hat and tail ESS are left NaN (what {@link essBulk} needs). @internal
 */
export function diagnoseRaw(chains: readonly ArrayLike<number>[], bulkOnly = false, ws: DrawWorkspace = drawWorkspace()): { rhat: number; essBulk: number; essTail: number } {
  const len = (chains[0] as ArrayLike<number>).length;
  const n = Math.floor(len / 2);
  const m = 2 * chains.length;
  const total = m * n;
  const s = scratchFor(ws, m, n);
  const { vals, idx, z, zf, ind, fvals, forder } = s;
  // Split each chain in two halves (the middle draw of an odd chain is dropped), pooled.
  let o = 0;
  for (const c of chains) {
    const off = len - n;
    for (let i = 0; i < n; i++) vals[o + i] = c[i] as number;
    o += n;
    for (let i = 0; i < n; i++) vals[o + i] = c[off + i] as number;
    o += n;
  }
  if (isConstant(vals, total)) return { ...NO_DIAGNOSTICS };
  // Even chains pool in concatenation order: a sort kept by the summaries applies.
  const even = n + n === len;
  const kept = even ? takeSortedDraws(ws, vals) : undefined;
  if (kept === undefined) {
    for (let i = 0; i < total; i++) idx[i] = i;
    argsortInPlace(vals, idx, ws);
    if (even && total <= SCRATCH_MAX) {
      const k = sortedDrawsBuffers(ws, total);
      k.sorted.set(vals);
      k.idx.set(idx);
      keepSortedDraws(ws, k);
    }
  } else {
    vals.set(kept.sorted);
    idx.set(kept.idx);
    releaseSortedDraws(ws, kept);
  }
  normalScores(ws, vals, idx, z);
  // The draws vary, so do their normal scores.
  const essB = essOfSplit(z, m, n, s);
  if (bulkOnly) return { rhat: Number.NaN, essBulk: essB, essTail: Number.NaN };
  // As in `posterior`: the folding median and the tail quantiles come from all draws (an odd
  // chain's middle draw included), the ranks from the split chains.
  let qs = vals;
  if (!even) {
    // Merge the middle draws (sorted by insertion) into the sorted split draws.
    const mids = chains.map((c) => c[n] as number).sort((a, b) => a - b);
    if (s.full === undefined) s.full = new Float64Array(total + mids.length);
    const full = s.full;
    let a = 0;
    let b = 0;
    for (let k = 0; k < full.length; k++) {
      if (b >= mids.length || (a < total && (vals[a] as number) <= (mids[b] as number))) full[k] = vals[a++] as number;
      else full[k] = mids[b++] as number;
    }
    qs = full;
  }
  const med = sortedQuantile(qs, 0.5);
  // Folded values in ascending order: merge outward from the median (a V-shaped sequence).
  let right = 0;
  while (right < total && (vals[right] as number) < med) right++;
  let left = right - 1;
  for (let k = 0; k < total; k++) {
    const fl = left >= 0 ? med - (vals[left] as number) : Number.POSITIVE_INFINITY;
    const fr = right < total ? (vals[right] as number) - med : Number.POSITIVE_INFINITY;
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
  normalScores(ws, fvals, forder, zf);
  const rhat = Math.max(basicRhat(z, m, n, s.means), basicRhat(zf, m, n, s.means));
  // Tail ESS: the indicators x ≤ q05 and x ≤ q95 of the split draws (prefixes of the sort).
  const q05 = sortedQuantile(qs, 0.05);
  const q95 = sortedQuantile(qs, 0.95);
  ind.fill(0);
  let k = 0;
  while (k < total && (vals[k] as number) <= q05) ind[idx[k++] as number] = 1;
  // An indicator that is 1 for no draw or for every draw has no ESS.
  const e05 = k === 0 || k === total ? Number.NaN : essOfSplit(ind, m, n, s);
  while (k < total && (vals[k] as number) <= q95) ind[idx[k++] as number] = 1;
  const e95 = k === 0 || k === total ? Number.NaN : essOfSplit(ind, m, n, s);
  return { rhat, essBulk: essB, essTail: Math.min(e05, e95) };
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
  return checked('essBulk', chains, (c) => diagnoseRaw(c, true).essBulk, 'the ESS is undefined when every draw is identical');
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
