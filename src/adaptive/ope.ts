import { quantile } from '../distributions/index.js';
import { fail, finite, inRange, nonNegative, plainObject, positive } from '../validate.js';
import { cholSolve, cholesky, rankOneAdd } from '../linalg/dense.js';

/** One logged decision: the context, the arm chosen, the reward, and its true propensity. */
export interface LoggedDecision {
  readonly context?: ArrayLike<number>;
  readonly arm: string;
  readonly reward: number;
  /** The probability with which the logging policy chose `arm` (in (0, 1]). */
  readonly propensity: number;
}

/** A reward model r̂(context, arm) for the doubly robust estimator. */
export type RewardModel = (context: readonly number[] | undefined, arm: string) => number;

/** Options of {@link offPolicyEvaluate}. */
export interface OffPolicyOptions {
  /**
   * The policy to evaluate: a fixed allocation, or a function giving the allocation for the
   * i-th logged context.
   */
  target:
    | Readonly<Record<string, number>>
    | ((context: readonly number[] | undefined, index: number) => Readonly<Record<string, number>>);
  /**
   * Reward model for DR: a function, or `'fit'` for per-arm ridge regression on
   * [1, context] with 2-fold cross-fitting (each half predicted by a model fitted on the
   * other half).
   * @defaultValue 'fit'
   */
  rewardModel?: RewardModel | 'fit';
  /** Ridge penalty of the fitted reward model. @defaultValue 1e-3 */
  lambda?: number;
  /** Confidence level of the intervals. @defaultValue 0.95 */
  confidence?: number;
}

/** One estimate with a normal-approximation confidence interval. */
export interface OffPolicyEstimate {
  readonly estimate: number;
  /** Standard error. */
  readonly se: number;
  readonly interval: readonly [number, number];
}

/** What {@link offPolicyEvaluate} returns. */
export interface OffPolicyResult {
  readonly n: number;
  /** Inverse propensity scoring (Horvitz–Thompson). */
  readonly ips: OffPolicyEstimate;
  /** Self-normalised IPS. */
  readonly snips: OffPolicyEstimate;
  /** Doubly robust. */
  readonly dr: OffPolicyEstimate;
  /** Kish effective sample size of the importance weights, (Σw)² / Σw². */
  readonly effectiveSampleSize: number;
  readonly maxWeight: number;
}

function readTable(fn: string, field: string, t: unknown): Readonly<Record<string, number>> {
  const o = plainObject(fn, field, t);
  let s = 0;
  for (const [k, v] of Object.entries(o)) s += nonNegative(fn, `${field}.${k}`, v);
  if (Math.abs(s - 1) > 1e-6) fail(fn, field, 'must sum to 1', s);
  return o as Record<string, number>;
}

/** Per-arm ridge regression on [1, x]; returns a predictor (global mean for unseen arms). */
function fitRidge(
  rows: readonly { x: readonly number[] | undefined; arm: string; r: number }[],
  d: number,
  lambda: number,
): RewardModel {
  const p = d + 1;
  const byArm = new Map<string, { A: Float64Array; b: Float64Array }>();
  let total = 0;
  for (const row of rows) {
    total += row.r;
    let m = byArm.get(row.arm);
    if (m === undefined) {
      m = { A: new Float64Array(p * p), b: new Float64Array(p) };
      for (let i = 0; i < p; i++) m.A[i * p + i] = lambda;
      byArm.set(row.arm, m);
    }
    const z = [1, ...(row.x ?? [])];
    rankOneAdd(m.A, p, z);
    for (let i = 0; i < p; i++) m.b[i]! += row.r * z[i]!;
  }
  const fallback = rows.length > 0 ? total / rows.length : 0;
  const coef = new Map<string, Float64Array>();
  const L = new Float64Array(p * p);
  for (const [arm, m] of byArm) {
    cholesky(m.A, p, L);
    coef.set(arm, cholSolve(L, p, m.b, new Float64Array(p), new Float64Array(p)));
  }
  return (x, arm) => {
    const c = coef.get(arm);
    if (c === undefined) return fallback;
    let s = c[0]!;
    for (let i = 0; i < d; i++) s += c[i + 1]! * (x?.[i] ?? 0);
    return s;
  };
}

function summarise(values: Float64Array, z: number): OffPolicyEstimate {
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    mean += d / (i + 1);
    m2 += d * (values[i]! - mean);
  }
  const se = n > 1 ? Math.sqrt(m2 / (n - 1) / n) : 0;
  return { estimate: mean, se, interval: [mean - z * se, mean + z * se] };
}

/**
 * Off-policy evaluation of a target policy from logs of `{ context, arm, reward, propensity }`:
 * IPS V̂ = (1/n) Σ wᵢrᵢ with wᵢ = π(aᵢ|xᵢ)/μᵢ; self-normalised IPS Σwᵢrᵢ / Σwᵢ; doubly robust
 * (1/n) Σ [Σₐ π(a|xᵢ) r̂(xᵢ, a) + wᵢ (rᵢ − r̂(xᵢ, aᵢ))]. Intervals are normal approximations:
 * the sample sd of the per-decision terms over √n for IPS and DR, and the delta method
 * sqrt(Σ wᵢ²(rᵢ − V̂)²) / Σwᵢ for SNIPS. They need the true propensities, which every n1kit
 * policy reports in `select().probabilities`.
 *
 * @param logs - logged decisions (non-empty)
 * @param options - target policy, reward model, confidence
 * @returns the three estimates, the effective sample size and the largest weight
 * @throws ValidationError for empty logs, propensities outside (0, 1], NaN rewards, a target
 *   that does not sum to 1 or lacks a logged arm. When no logged arm has positive target
 *   probability, SNIPS is undefined and reported as 0 with an infinite se and interval.
 * @example
 * ```ts
 * const logs = [
 *   { arm: 'a', reward: 1, propensity: 0.5 }, { arm: 'b', reward: 0, propensity: 0.5 },
 * ];
 * offPolicyEvaluate(logs, { target: { a: 1, b: 0 } }).ips.estimate; // returns 1
 * ```
 * @see Dudík, Langford & Li (2011), Doubly robust policy evaluation and learning, ICML.
 * @see Swaminathan & Joachims (2015), The self-normalized estimator for counterfactual learning, NeurIPS.
 */
export function offPolicyEvaluate(logs: readonly LoggedDecision[], options: OffPolicyOptions): OffPolicyResult {
  const fn = 'offPolicyEvaluate';
  if (!Array.isArray(logs) || logs.length === 0) fail(fn, 'logs', 'must be a non-empty array', logs);
  const o = plainObject(fn, 'options', options) as unknown as OffPolicyOptions;
  const confidence = inRange(fn, 'confidence', o.confidence ?? 0.95, 0.5, 0.999999);
  const lambda = positive(fn, 'lambda', o.lambda ?? 1e-3);
  let d = -1;
  const rows = logs.map((l, i) => {
    plainObject(fn, `logs[${i}]`, l);
    if (typeof l.arm !== 'string' || l.arm.length === 0) fail(fn, `logs[${i}].arm`, 'must be a non-empty string', l.arm);
    const r = finite(fn, `logs[${i}].reward`, l.reward);
    const mu = l.propensity;
    if (typeof mu !== 'number' || !(mu > 0 && mu <= 1)) fail(fn, `logs[${i}].propensity`, 'must be in (0, 1]', mu);
    let x: number[] | undefined;
    if (l.context !== undefined) {
      const c = l.context;
      if (!(Array.isArray(c) || c instanceof Float64Array)) fail(fn, `logs[${i}].context`, 'must be an array of numbers', c);
      x = Array.from(c as ArrayLike<number>, (v, j) => finite(fn, `logs[${i}].context[${j}]`, v));
    }
    const len = x === undefined ? 0 : x.length;
    if (d === -1) d = len;
    else if (d !== len) fail(fn, `logs[${i}].context`, `must have length ${d} like the first entry`, len);
    return { x, arm: l.arm, r, mu };
  });
  const target = o.target;
  const pis = rows.map((row, i) => {
    const t = typeof target === 'function' ? target(row.x, i) : target;
    const table = readTable(fn, typeof target === 'function' ? `target(logs[${i}])` : 'target', t);
    if (!Object.hasOwn(table, row.arm)) fail(fn, `logs[${i}].arm`, 'must be an arm of the target policy', row.arm);
    return table;
  });
  const n = rows.length;
  let models: RewardModel[];
  if (o.rewardModel === undefined || o.rewardModel === 'fit') {
    const even = rows.filter((_, i) => i % 2 === 0);
    const odd = rows.filter((_, i) => i % 2 === 1);
    const dim = Math.max(d, 0);
    // Predict even rows with the model fitted on odd rows and vice versa.
    models = n > 1 ? [fitRidge(odd, dim, lambda), fitRidge(even, dim, lambda)] : [fitRidge(rows, dim, lambda)];
  } else if (typeof o.rewardModel === 'function') {
    models = [o.rewardModel];
  } else {
    return fail(fn, 'rewardModel', "must be a function or 'fit'", o.rewardModel);
  }
  const ipsTerms = new Float64Array(n);
  const drTerms = new Float64Array(n);
  let sw = 0;
  let sw2 = 0;
  let swr = 0;
  let maxWeight = 0;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const pi = pis[i]!;
    const wi = pi[row.arm]! / row.mu;
    w[i] = wi;
    sw += wi;
    sw2 += wi * wi;
    swr += wi * row.r;
    if (wi > maxWeight) maxWeight = wi;
    ipsTerms[i] = wi * row.r;
    const model = models[models.length === 2 ? i % 2 : 0]!;
    let dm = 0;
    for (const [a, pa] of Object.entries(pi)) {
      if (pa > 0) {
        const v = model(row.x, a);
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, 'rewardModel', 'must return finite numbers', v);
        dm += pa * v;
      }
    }
    const own = model(row.x, row.arm);
    if (typeof own !== 'number' || !Number.isFinite(own)) fail(fn, 'rewardModel', 'must return finite numbers', own);
    drTerms[i] = dm + wi * (row.r - own);
  }
  const z = quantile({ family: 'normal', mean: 0, sd: 1 }, 0.5 + confidence / 2);
  const ips = summarise(ipsTerms, z);
  const dr = summarise(drTerms, z);
  let snips: OffPolicyEstimate;
  if (sw > 0) {
    const v = swr / sw;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const e = w[i]! * (rows[i]!.r - v);
      s += e * e;
    }
    const se = Math.sqrt(s) / sw;
    snips = { estimate: v, se, interval: [v - z * se, v + z * se] };
  } else {
    // No logged decision has positive target probability: SNIPS is undefined.
    snips = { estimate: 0, se: Number.POSITIVE_INFINITY, interval: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] };
  }
  return { n, ips, snips, dr, effectiveSampleSize: sw2 > 0 ? (sw * sw) / sw2 : 0, maxWeight };
}
