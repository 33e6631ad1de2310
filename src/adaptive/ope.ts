import { quantile } from '../distributions/index.js';
import { denseArray, fail, finite, fromOwnEntries, func, inRange, knownKeys, nonNegative, ownEntries, plainObject, positive } from '../validate.js';
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
  /**
   * Self-normalised IPS; `null` when it is undefined, i.e. when no logged decision has
   * positive target probability (Σwᵢ = 0).
   */
  readonly snips: OffPolicyEstimate | null;
  /** Doubly robust. */
  readonly dr: OffPolicyEstimate;
  /** Kish effective sample size of the importance weights, (Σw)² / Σw². */
  readonly effectiveSampleSize: number;
  readonly maxWeight: number;
}

function readTable(fn: string, field: string, t: unknown): Readonly<Record<string, number>> {
  const entries = ownEntries(fn, field, t);
  let s = 0;
  for (const [k, v] of entries) s += nonNegative(fn, `${field}.${k}`, v);
  if (Math.abs(s - 1) > 1e-6) fail(fn, field, 'must sum to 1', s);
  return fromOwnEntries(entries as [string, number][]);
}

const OPTION_KEYS = ['target', 'rewardModel', 'lambda', 'confidence'] as const;

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
  // Welford on the values scaled by the largest |value|: the squares cannot overflow while the
  // values and their mean are finite (huge importance weights give terms near 1e160).
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(values[i]!));
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]! / scale;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  const se = n > 1 ? scale * Math.sqrt(m2 / (n - 1) / n) : 0;
  mean *= scale;
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
 * @throws ValidationError for empty logs (or more than 1,000,000), propensities outside (0, 1],
 *   non-finite rewards, a target that does not sum to 1 or lacks a logged arm, an unknown
 *   option, and for logs whose estimates overflow a double (an importance weight
 *   target/propensity above ~1.8e308, e.g. a propensity of 1e-320, or weighted rewards that
 *   overflow): every number returned is finite. When no logged arm has positive target
 *   probability, SNIPS is undefined and `snips` is `null`.
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
  denseArray(fn, 'logs', logs, 1);
  const o = plainObject(fn, 'options', options) as unknown as OffPolicyOptions;
  knownKeys(fn, 'options', o, OPTION_KEYS);
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
  if (typeof target !== 'function') plainObject(fn, 'target', target);
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
    models = [func(fn, 'rewardModel', o.rewardModel) as RewardModel];
  } else {
    return fail(fn, 'rewardModel', "must be a function or 'fit'", o.rewardModel);
  }
  const ipsTerms = new Float64Array(n);
  const drTerms = new Float64Array(n);
  let maxWeight = 0;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const pi = pis[i]!;
    const wi = Object.getOwnPropertyDescriptor(pi, row.arm)!.value / row.mu;
    if (!Number.isFinite(wi)) fail(fn, `logs[${i}].propensity`, `is too small: the importance weight ${pi[row.arm]} / propensity overflows`, row.mu);
    w[i] = wi;
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
  // SNIPS and the Kish ESS are ratios: computed on the weights scaled by the largest one, they
  // stay finite whenever the weights are (Σw or Σw² of large weights may overflow unscaled).
  let snips: OffPolicyEstimate | null = null;
  let ess = 0;
  if (maxWeight > 0) {
    let su = 0;
    let su2 = 0;
    let sur = 0;
    for (let i = 0; i < n; i++) {
      const u = w[i]! / maxWeight;
      su += u;
      su2 += u * u;
      sur += u * rows[i]!.r;
    }
    ess = (su * su) / su2;
    const v = sur / su;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const e = (w[i]! / maxWeight) * (rows[i]!.r - v);
      s += e * e;
    }
    const se = Math.sqrt(s) / su;
    snips = { estimate: v, se, interval: [v - z * se, v + z * se] };
  }
  // else no logged decision has positive target probability: SNIPS is undefined (null).
  const result: OffPolicyResult = { n, ips, snips, dr, effectiveSampleSize: ess, maxWeight };
  // One output check: an estimate that overflowed (weights × rewards beyond a double) is refused.
  for (const [name, e] of [['ips', ips], ['snips', snips], ['dr', dr]] as const) {
    if (e === null) continue;
    for (const x of [e.estimate, e.se, e.interval[0], e.interval[1]]) {
      if (!Number.isFinite(x)) fail(fn, 'logs', `must give finite estimates: the ${name} estimate or its interval overflows a double (largest importance weight ${maxWeight}); rescale the rewards or drop decisions with tiny propensities`, `${n} decisions`);
    }
  }
  if (!Number.isFinite(ess)) fail(fn, 'logs', 'must give a finite effective sample size', `${n} decisions`);
  return result;
}
