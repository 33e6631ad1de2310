import { fail, integer, plainObject } from '../validate.js';

/**
 * Clinical-trial controls shared by every allocation policy (response-adaptive randomisation
 * as Thall & Wathen use it). Applied in this order: burn-in (equal allocation), power
 * tuning p^c / Σ p^c, then the floor and cap by proportional projection.
 */
export interface AllocationControls {
  /**
   * Every active arm gets at least this allocation probability.
   * @defaultValue 0
   */
  minProbability?: number;
  /**
   * No arm gets more than this allocation probability.
   * @defaultValue 1
   */
  maxProbability?: number;
  /**
   * The first `burnIn` selections allocate equally among the active arms.
   * @defaultValue 0
   */
  burnIn?: number;
  /**
   * Power c applied as p^c / Σ p^c (c < 1 flattens, c > 1 sharpens). A number, or
   * `{ horizon: N }` for Thall & Wathen's c = t / (2N) with t the number of selections made.
   * @defaultValue 1
   */
  power?: number | { horizon: number };
}

/** Controls with every default filled in. */
export interface ResolvedAllocationControls {
  readonly minProbability: number;
  readonly maxProbability: number;
  readonly burnIn: number;
  readonly power: number | { readonly horizon: number };
}

/** Fills defaults and validates the controls (not yet against a number of arms). */
export function resolveControls(fn: string, o: AllocationControls | undefined): ResolvedAllocationControls {
  const c = o === undefined ? {} : (plainObject(fn, 'options', o) as AllocationControls);
  const minProbability = c.minProbability ?? 0;
  const maxProbability = c.maxProbability ?? 1;
  if (typeof minProbability !== 'number' || !(minProbability >= 0 && minProbability < 1)) {
    fail(fn, 'minProbability', 'must be a number in [0, 1)', minProbability);
  }
  if (typeof maxProbability !== 'number' || !(maxProbability > 0 && maxProbability <= 1)) {
    fail(fn, 'maxProbability', 'must be a number in (0, 1]', maxProbability);
  }
  if (minProbability > maxProbability) {
    fail(fn, 'minProbability', `must not exceed maxProbability (${maxProbability})`, minProbability);
  }
  const burnIn = integer(fn, 'burnIn', c.burnIn ?? 0, 0);
  let power: number | { horizon: number } = 1;
  if (c.power !== undefined) {
    if (typeof c.power === 'number') {
      if (!(Number.isFinite(c.power) && c.power >= 0)) fail(fn, 'power', 'must be a finite number >= 0 or { horizon }', c.power);
      power = c.power;
    } else {
      const h = plainObject(fn, 'power', c.power);
      power = { horizon: integer(fn, 'power.horizon', h.horizon, 1) };
    }
  }
  return { minProbability, maxProbability, burnIn, power };
}

/** Throws when `k` active arms cannot meet the floor and cap with probabilities summing to 1. */
export function checkFeasible(fn: string, c: ResolvedAllocationControls, k: number): void {
  if (k < 1) fail(fn, 'arms', 'must leave at least one active arm', k);
  if (k * c.minProbability > 1 + 1e-12) {
    fail(fn, 'minProbability', `cannot be met by ${k} arms (${k} × floor > 1)`, c.minProbability);
  }
  if (k * c.maxProbability < 1 - 1e-12) {
    fail(fn, 'maxProbability', `cannot be met by ${k} arms (${k} × cap < 1)`, c.maxProbability);
  }
}

/**
 * Projects probabilities `p` (≥ 0, summing to 1) onto { q : lo ≤ qᵢ ≤ hi, Σq = 1 } by
 * q = clamp(λ p, lo, hi) with the λ that makes the sum 1 (exact: f(λ) is piecewise linear,
 * the breakpoints are sorted). Arms with p = 0 sit at the floor unless the positive arms
 * all reach the cap, in which case they share the rest equally. In place.
 */
export function projectBounds(p: Float64Array, lo: number, hi: number): Float64Array {
  const k = p.length;
  if (lo <= 0 && hi >= 1) return p;
  const bps: number[] = [0];
  for (let i = 0; i < k; i++) {
    const v = p[i]!;
    if (v > 0) bps.push(lo / v, hi / v);
  }
  bps.sort((a, b) => a - b);
  const f = (lam: number): number => {
    let s = 0;
    for (let i = 0; i < k; i++) {
      const v = p[i]! > 0 ? lam * p[i]! : 0;
      s += Math.min(Math.max(v, lo), hi);
    }
    return s;
  };
  let lam = Number.NaN;
  for (let j = 1; j < bps.length; j++) {
    const b1 = bps[j]!;
    if (f(b1) >= 1) {
      const b0 = bps[j - 1]!;
      const mid = 0.5 * (b0 + b1);
      let c = 0;
      let slope = 0;
      for (let i = 0; i < k; i++) {
        const v = p[i]! > 0 ? mid * p[i]! : 0;
        if (v <= lo) c += lo;
        else if (v >= hi) c += hi;
        else slope += p[i]!;
      }
      lam = slope > 0 ? (1 - c) / slope : b1;
      break;
    }
  }
  if (Number.isNaN(lam)) {
    // Positive arms all at the cap and still short of 1: zero arms share the rest.
    let nz = 0;
    let capped = 0;
    for (let i = 0; i < k; i++) {
      if (p[i]! > 0) capped += hi;
      else nz++;
    }
    const share = nz > 0 ? (1 - capped) / nz : 0;
    for (let i = 0; i < k; i++) p[i] = p[i]! > 0 ? hi : share;
    return p;
  }
  for (let i = 0; i < k; i++) {
    const v = p[i]! > 0 ? lam * p[i]! : 0;
    p[i] = Math.min(Math.max(v, lo), hi);
  }
  return p;
}

/**
 * Applies burn-in, power and floor/cap to raw allocation probabilities over the active arms
 * (in place). `t` is the number of selections made before this one.
 */
export function applyControlsInPlace(p: Float64Array, c: ResolvedAllocationControls, t: number): Float64Array {
  const k = p.length;
  if (t < c.burnIn) {
    p.fill(1 / k);
    return p;
  }
  const power = typeof c.power === 'number' ? c.power : t / (2 * c.power.horizon);
  if (power !== 1) {
    let s = 0;
    for (let i = 0; i < k; i++) {
      const v = p[i]! > 0 ? p[i]! ** power : power === 0 ? 1 : 0;
      p[i] = v;
      s += v;
    }
    if (!(s > 0) || !Number.isFinite(s)) p.fill(1 / k);
    else for (let i = 0; i < k; i++) p[i] = p[i]! / s;
  }
  return projectBounds(p, c.minProbability, c.maxProbability);
}

/**
 * Applies the allocation controls to a probability table: equal allocation during burn-in,
 * power tuning p^c / Σ p^c (Thall & Wathen 2007), then the floor and cap by the proportional
 * projection q = clamp(λp, min, max), Σq = 1.
 *
 * @param probabilities - arm → probability (≥ 0, summing to 1 within 1e-9)
 * @param controls - the floor, cap, burn-in and power
 * @param selections - number of selections already made (for burn-in and `{ horizon }` power)
 * @returns a new arm → probability table that respects the controls
 * @throws ValidationError for invalid controls, probabilities that do not sum to 1, or a
 *   floor/cap that the number of arms cannot meet
 * @example
 * ```ts
 * applyAllocationControls({ a: 0.98, b: 0.02 }, { minProbability: 0.1 }, 50);
 * // returns ~{ a: 0.9, b: 0.1 }
 * ```
 * @see Thall & Wathen (2007), Practical Bayesian adaptive randomisation in clinical trials, Eur J Cancer 43(5).
 */
export function applyAllocationControls(
  probabilities: Record<string, number>,
  controls: AllocationControls,
  selections = 0,
): Record<string, number> {
  const fn = 'applyAllocationControls';
  const table = plainObject(fn, 'probabilities', probabilities);
  const arms = Object.keys(table);
  const c = resolveControls(fn, controls);
  checkFeasible(fn, c, arms.length);
  integer(fn, 'selections', selections, 0);
  const p = new Float64Array(arms.length);
  let s = 0;
  arms.forEach((a, i) => {
    const v = table[a];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) fail(fn, `probabilities.${a}`, 'must be a finite number >= 0', v);
    p[i] = v;
    s += v;
  });
  if (Math.abs(s - 1) > 1e-9) fail(fn, 'probabilities', 'must sum to 1', s);
  applyControlsInPlace(p, c, selections);
  const out: Record<string, number> = {};
  arms.forEach((a, i) => {
    out[a] = p[i]!;
  });
  return out;
}
