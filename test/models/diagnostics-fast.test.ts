/**
 * The optimised diagnostics and summaries (scratch buffers, bucket argsort, one sort shared by
 * a parameter's summaries and diagnostics, fused lag sums) against a straightforward reference
 * implementation of Vehtari et al. (2021) kept here: split chains, average ranks by a comparator
 * sort, folding by |x − median| and ranking again, autocovariances by plain loops, Geyer's
 * initial monotone sequence as in `posterior::ess_basic`. Random chains (seeded) with ties,
 * heavy tails, odd lengths and one chain; agreement to 1e-12 relative.
 */
import { describe, expect, it } from 'vitest';
import { normalQuantileStd } from '../../src/distributions/special.js';
import { createRng } from '../../src/rng/index.js';
import type { DrawWorkspace } from '../../src/models/diagnostics.js';
import { argsortInPlace, clearWorkspace, diagnoseRaw, drawWorkspace, takeSortedDraws } from '../../src/models/diagnostics.js';
import { essBulk, essTail, splitRhat } from '../../src/models/index.js';
import { concat, summarizeDraws } from '../../src/models/summarize.js';

// ---- reference implementation -------------------------------------------------------------

function refSplit(chains: readonly ArrayLike<number>[]): number[][] {
  const out: number[][] = [];
  for (const c of chains) {
    const x = Array.from(c);
    const half = Math.floor(x.length / 2);
    out.push(x.slice(0, half), x.slice(x.length - half));
  }
  return out;
}

/** Type-7 quantile of unsorted values. */
function refQuantile(x: readonly number[], p: number): number {
  const s = [...x].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Normal scores of average ranks (ties share their mean rank) over all chains pooled. */
function refZScale(chains: readonly number[][]): number[][] {
  const flat = chains.flat();
  const S = flat.length;
  const order = flat.map((_, i) => i).sort((a, b) => flat[a]! - flat[b]!);
  const rank = new Array<number>(S);
  let i = 0;
  while (i < S) {
    let k = i;
    while (k + 1 < S && flat[order[k + 1]!] === flat[order[i]!]) k++;
    for (let q = i; q <= k; q++) rank[order[q]!] = (i + k) / 2 + 1;
    i = k + 1;
  }
  const z = rank.map((r) => normalQuantileStd((r - 3 / 8) / (S + 1 / 4)));
  const n = chains[0]!.length;
  return chains.map((_, j) => z.slice(j * n, (j + 1) * n));
}

const mean = (x: readonly number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
const variance = (x: readonly number[]): number => {
  const mu = mean(x);
  return x.reduce((a, b) => a + (b - mu) ** 2, 0) / (x.length - 1);
};

/** posterior::rhat_basic(split = FALSE). */
function refRhatBasic(chains: readonly number[][]): number {
  const n = chains[0]!.length;
  const means = chains.map(mean);
  const b = chains.length > 1 ? n * variance(means) : 0;
  const w = mean(chains.map(variance));
  return Math.sqrt((b / w + n - 1) / n);
}

/** Biased autocovariance of one chain at every lag. */
function refAutocov(x: readonly number[]): number[] {
  const n = x.length;
  const mu = mean(x);
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += (x[i]! - mu) * (x[i + t]! - mu);
    out.push(s / n);
  }
  return out;
}

/** posterior::ess_basic(split = FALSE) on chains already split (NaN when constant). */
function refEss(chains: readonly number[][]): number {
  const flat = chains.flat();
  if (flat.every((v) => v === flat[0])) return Number.NaN;
  const m = chains.length;
  const n = chains[0]!.length;
  const acov = chains.map(refAutocov);
  const acovAt = (t: number): number => mean(acov.map((a) => a[t]!));
  const meanVar = (acovAt(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chains.map(mean));
  const rho = new Array<number>(n + 1).fill(0);
  let t = 0;
  let even = 1;
  let odd = 1 - (meanVar - acovAt(1)) / varPlus;
  rho[0] = even;
  rho[1] = odd;
  while (t < n - 5 && Number.isFinite(even + odd) && even + odd > 0) {
    t += 2;
    even = 1 - (meanVar - acovAt(t)) / varPlus;
    odd = 1 - (meanVar - acovAt(t + 1)) / varPlus;
    if (even + odd >= 0) {
      rho[t] = even;
      rho[t + 1] = odd;
    }
  }
  const maxT = t;
  if (even > 0) rho[maxT] = even;
  for (t = 2; t <= maxT - 2; t += 2) {
    if (rho[t]! + rho[t + 1]! > rho[t - 2]! + rho[t - 1]!) {
      rho[t] = (rho[t - 2]! + rho[t - 1]!) / 2;
      rho[t + 1] = rho[t]!;
    }
  }
  const total = m * n;
  const tau = Math.max(-1 + 2 * rho.slice(0, maxT).reduce((a, b) => a + b, 0) + rho[maxT]!, 1 / Math.log10(total));
  return total / tau;
}

function reference(chains: readonly ArrayLike<number>[]): { rhat: number; essBulk: number; essTail: number } {
  const sp = refSplit(chains);
  const all = chains.flatMap((c) => Array.from(c));
  const med = refQuantile(all, 0.5);
  const folded = sp.map((c) => c.map((x) => Math.abs(x - med)));
  const rhat = Math.max(refRhatBasic(refZScale(sp)), refRhatBasic(refZScale(folded)));
  const bulk = refEss(refZScale(sp));
  const q05 = refQuantile(all, 0.05);
  const q95 = refQuantile(all, 0.95);
  const e05 = refEss(sp.map((c) => c.map((x) => (x <= q05 ? 1 : 0))));
  const e95 = refEss(sp.map((c) => c.map((x) => (x <= q95 ? 1 : 0))));
  return { rhat, essBulk: bulk, essTail: Math.min(e05, e95) };
}

// ---- random chains --------------------------------------------------------------------------

const rng = createRng('diagnostics-fast');

/** AR(1) chains, optionally heavy-tailed, optionally rounded to a grid (ties). */
function randomChains(): Float64Array[] {
  const m = 1 + Math.floor(rng.uniform() * 4);
  const len = 6 + Math.floor(rng.uniform() * 250);
  const phi = rng.uniform() * 0.9;
  const heavy = rng.uniform() < 0.3;
  const grid = rng.uniform() < 0.5 ? 1 + Math.floor(rng.uniform() * 8) : 0;
  return Array.from({ length: m }, (_, j) => {
    const a = new Float64Array(len);
    let x = 0;
    for (let i = 0; i < len; i++) {
      x = phi * x + rng.normal();
      const y = (heavy ? x + rng.normal() / rng.normal() : x) + 0.1 * j;
      a[i] = grid > 0 ? Math.round(y * grid) / grid : y;
    }
    return a;
  });
}

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

function expectClose(got: { rhat: number; essBulk: number; essTail: number }, want: { rhat: number; essBulk: number; essTail: number }, what: string): void {
  for (const k of ['rhat', 'essBulk', 'essTail'] as const) {
    if (Number.isNaN(want[k])) expect(got[k], `${what} ${k}`).toBeNaN();
    else expect(rel(got[k], want[k]), `${what} ${k}: ${got[k]} vs ${want[k]}`).toBeLessThan(1e-12);
  }
}

function refSummary(x: readonly number[]): { mean: number; sd: number; median: number; lo: number; hi: number } {
  return { mean: mean(x), sd: Math.sqrt(variance(x)), median: refQuantile(x, 0.5), lo: refQuantile(x, 0.025), hi: refQuantile(x, 0.975) };
}

function expectSummary(x: Float64Array, what: string, ws?: DrawWorkspace): void {
  const want = refSummary(Array.from(x));
  const got = summarizeDraws(x, 'higher', undefined, undefined, ws);
  const scale = Math.max(want.sd, Math.abs(want.mean));
  expect(Math.abs(got.mean - want.mean) / scale, `${what} mean`).toBeLessThan(1e-12);
  expect(rel(got.sd, want.sd), `${what} sd`).toBeLessThan(1e-12);
  // Order statistics and their interpolations: the same numbers.
  expect(got.median, `${what} median`).toBe(want.median);
  expect(got.interval, `${what} interval`).toEqual([want.lo, want.hi]);
}

// ---- tests ----------------------------------------------------------------------------------

describe('optimised diagnostics agree with the reference implementation', () => {
  it('on 300 random sets of chains (ties, heavy tails, odd lengths, one chain)', () => {
    for (let rep = 0; rep < 300; rep++) {
      const chains = randomChains();
      const want = reference(chains);
      const ws = drawWorkspace();
      expectClose(diagnoseRaw(chains, false, ws), want, `set ${rep}`);
      // Again (scratch buffers reused, the kept sort found) and through the public checks.
      expectClose(diagnoseRaw(chains, false, ws), want, `set ${rep} again`);
      if (Number.isFinite(want.rhat)) {
        expect(rel(splitRhat(chains.map((c) => Array.from(c))), want.rhat)).toBeLessThan(1e-12);
        expect(rel(essBulk(chains), want.essBulk)).toBeLessThan(1e-12);
        expect(rel(essTail(chains), want.essTail)).toBeLessThan(1e-12);
      }
    }
  });

  it('summaries after the diagnostics (shared sort) and before them', () => {
    for (let rep = 0; rep < 100; rep++) {
      const chains = randomChains();
      const want = reference(chains);
      const ws = drawWorkspace();
      if (rep % 2 === 0) {
        expectClose(diagnoseRaw(chains, false, ws), want, `set ${rep}`);
        expectSummary(concat(chains), `set ${rep}`, ws);
      } else {
        expectSummary(concat(chains), `set ${rep}`, ws);
        expectClose(diagnoseRaw(chains, false, ws), want, `set ${rep}`);
      }
    }
  });

  it('a kept sort is found for the same draws, used once, and never for changed draws', () => {
    const chains = [0, 1, 2, 3].map(() => Float64Array.from({ length: 200 }, () => rng.normal()));
    const ws = drawWorkspace();
    diagnoseRaw(chains, false, ws);
    const x = concat(chains);
    const kept = takeSortedDraws(ws, x);
    expect(kept).toBeDefined();
    expect(Array.from(kept!.sorted)).toEqual(Array.from(x).sort((a, b) => a - b));
    expect(takeSortedDraws(ws, x)).toBeUndefined();
    // Diagnose, then change one draw: the summaries must see the change.
    diagnoseRaw(chains, false, ws);
    chains[2]![17] = 1e6;
    const y = concat(chains);
    expect(takeSortedDraws(ws, y)).toBeUndefined();
    expectSummary(y, 'changed draws');
    expectClose(diagnoseRaw(chains, false, ws), reference(chains), 'changed draws');
    // A workspace is the analysis's own: another one keeps nothing of it.
    diagnoseRaw(chains, false, ws);
    expect(takeSortedDraws(drawWorkspace(), concat(chains))).toBeUndefined();
    clearWorkspace(ws);
    expect(takeSortedDraws(ws, concat(chains))).toBeUndefined();
  });

  it('constant draws, and ties at the tail quantiles, are NaN where the reference is', () => {
    const constant = [new Float64Array(40).fill(2), new Float64Array(40).fill(2)];
    expectClose(diagnoseRaw(constant), reference(constant), 'constant');
    // 96% of the draws are 0, the others −1: q05 = q95 = 0 = the largest draw, so x ≤ q holds
    // everywhere and the tail ESS is undefined (the bulk ESS is not).
    const tied = [0, 1].map(() => Float64Array.from({ length: 50 }, (_, i) => (i % 25 === 0 ? -1 : 0)));
    expectClose(diagnoseRaw(tied), reference(tied), 'tied');
    expect(diagnoseRaw(tied).essTail).toBeNaN();
    expect(diagnoseRaw(tied).essBulk).toBeGreaterThan(0);
  });
});

describe('argsortInPlace', () => {
  const check = (x: Float64Array): void => {
    const keys = x.slice();
    const idx = Uint32Array.from(keys, (_, i) => i);
    argsortInPlace(keys, idx);
    expect(Array.from(keys)).toEqual(Array.from(x).sort((a, b) => a - b));
    expect(Array.from(idx).sort((a, b) => a - b)).toEqual(Array.from(idx, (_, i) => i));
    for (let k = 0; k < x.length; k++) expect(x[idx[k]!]).toBe(keys[k]);
  };
  it('sorts with the permutation alongside, on hard inputs', () => {
    const n = 1000;
    check(Float64Array.from({ length: n }, () => rng.normal()));
    check(Float64Array.from({ length: n }, () => rng.normal() / rng.normal())); // Cauchy: crowded buckets
    check(Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 3))); // three values
    check(Float64Array.from({ length: n }, (_, i) => (i === 7 ? 1e300 : rng.normal()))); // one far outlier
    check(Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1e308 : -1e308) * rng.uniform())); // range overflows
    check(Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Number.POSITIVE_INFINITY : i % 3 === 1 ? Number.NEGATIVE_INFINITY : rng.normal())));
    check(Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 5) * 5e-324)); // subnormal span
    check(Float64Array.from({ length: n }, (_, i) => n - i)); // descending
    check(new Float64Array(n).fill(3));
    check(Float64Array.from({ length: 5 }, () => rng.normal()));
  });
});
