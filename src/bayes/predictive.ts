import betainc from '@stdlib/math-base-special-betainc';
import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';
import log1p from '@stdlib/math-base-special-log1p';
import type { Dist, DistOf } from '../distributions/index.js';
import { fail, integer, plainObject, positive, knownKeys } from '../validate.js';
import { buildMixture, conjugateFamilyOf, flatPrior, hypot2 } from './components.js';
import { type NormalInverseGamma, readNormalInverseGamma } from './nig.js';

/**
 * The predictive distribution of a future count (plain data): a mixture of beta-binomials
 * (successes in `n` future trials) or of negative binomials (events over `exposure` units).
 * Use {@link countPredictivePmf} and {@link countPredictiveCdf} on it.
 */
export type CountPredictive =
  | {
      readonly kind: 'betaBinomial';
      /** Number of future trials. */
      readonly n: number;
      readonly components: readonly { readonly weight: number; readonly alpha: number; readonly beta: number }[];
      readonly mean: number;
      readonly sd: number;
    }
  | {
      readonly kind: 'gammaPoisson';
      /** Future exposure. */
      readonly exposure: number;
      readonly components: readonly { readonly weight: number; readonly shape: number; readonly rate: number }[];
      readonly mean: number;
      readonly sd: number;
    };

/** Options of {@link predictive}. */
export interface PredictiveOptions {
  /**
   * Number of future observations: for a normal prior, the future mean is of `n` observations;
   * for a beta prior, `n` future trials; for a gamma prior, the future exposure (unless
   * `exposure` is given).
   * @defaultValue 1
   */
  readonly n?: number;
  /** Sampling sd of one observation; required for a normal prior. */
  readonly sigma?: number;
  /** Future exposure for a gamma (Poisson-rate) prior; overrides `n`. */
  readonly exposure?: number;
}

/**
 * The prior (or posterior) predictive distribution of a future summary, for planning trials and
 * checking prior–data conflict.
 *
 * - normal prior N(m, s) (or mixture): the future mean of n observations is
 *   N(m, √(s² + σ²/n)) (a mixture for a mixture prior);
 * - {@link NormalInverseGamma}: the future mean is t_{2a}(m, √(b/a·(1/n0 + 1/n)));
 * - beta prior: successes in n trials are beta-binomial (a {@link CountPredictive});
 * - gamma prior: the count over an exposure E is negative binomial NegBin(a, b/(b + E)).
 *
 * @param prior - a normal, beta or gamma prior (or mixture), or a normal–inverse-gamma
 * @param options - `{ n?, sigma?, exposure? }`, see {@link PredictiveOptions}
 * @returns a {@link Dist} for continuous summaries, a {@link CountPredictive} for counts
 * @throws ValidationError for a non-conjugate prior, a missing sigma (normal prior), a
 *   non-integer number of trials or a non-positive n or exposure
 * @example
 * ```ts
 * predictive(normal(0, 1), { n: 4, sigma: 2 }); // returns normal(0, √2)
 * predictive(beta(1, 1), { n: 10 }).kind;       // 'betaBinomial' (uniform on 0..10)
 * ```
 * @see Schmidli et al. (2014), Biometrics 70(4): 1023–1032 (predictive distributions of
 *   mixture priors).
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §§2.4–2.6, 3.3.
 */
export function predictive(prior: NormalInverseGamma, options?: PredictiveOptions): DistOf<'studentT'>;
export function predictive(prior: Dist, options?: PredictiveOptions): Dist | CountPredictive;
export function predictive(prior: Dist | NormalInverseGamma, options: PredictiveOptions = {}): Dist | CountPredictive {
  const fn = 'predictive';
  const o = plainObject(fn, 'options', options);
  knownKeys(fn, 'options', o, ['n', 'sigma', 'exposure']);
  if (typeof prior === 'object' && prior !== null && (prior as { kind?: unknown }).kind === 'normalInverseGamma') {
    const p = readNormalInverseGamma(fn, 'prior', prior);
    const n = o.n === undefined ? 1 : positive(fn, 'options.n', o.n);
    return {
      family: 'studentT',
      df: 2 * p.shape,
      location: p.mean,
      scale: Math.sqrt((p.scale / p.shape) * (1 / p.n0 + 1 / n)),
    };
  }
  const family = conjugateFamilyOf(fn, prior);
  if (family === 'normal') {
    if (o.sigma === undefined) fail(fn, 'options.sigma', 'is required for a normal prior', o.sigma);
    const sigma = positive(fn, 'options.sigma', o.sigma);
    const n = o.n === undefined ? 1 : positive(fn, 'options.n', o.n);
    return normalPredictive(fn, prior, n, sigma);
  }
  if (family === 'beta') {
    const n = o.n === undefined ? 1 : integer(fn, 'options.n', o.n, 1, 1e9);
    return betaBinomialPredictive(fn, prior, n);
  }
  const e = o.exposure !== undefined ? positive(fn, 'options.exposure', o.exposure) : o.n === undefined ? 1 : positive(fn, 'options.n', o.n);
  return gammaPoissonPredictive(fn, prior, e);
}

/** Predictive of a future mean of n normal observations (validated inputs). */
export function normalPredictive(fn: string, prior: unknown, n: number, sigma: number): Dist {
  const flat = flatPrior(fn, prior, 'normal');
  const se = sigma / Math.sqrt(n);
  const comps: Dist[] = flat.dists.map((d) => ({ family: 'normal', mean: d.mean, sd: hypot2(d.sd, se) }));
  if (!flat.isMixture) return comps[0] as Dist;
  return buildMixture(flat.logWeights.map(Math.exp), comps);
}

function mixMoments(ms: readonly number[], vs: readonly number[], ws: readonly number[]): { mean: number; sd: number } {
  let m = 0;
  ws.forEach((w, i) => {
    m += w * (ms[i] as number);
  });
  let v = 0;
  ws.forEach((w, i) => {
    const d = (ms[i] as number) - m;
    v += w * ((vs[i] as number) + d * d);
  });
  return { mean: m, sd: Math.sqrt(v) };
}

/** Beta-binomial predictive of successes in n trials (validated inputs). */
export function betaBinomialPredictive(fn: string, prior: unknown, n: number): CountPredictive {
  const flat = flatPrior(fn, prior, 'beta');
  const ws = flat.logWeights.map(Math.exp);
  const ms: number[] = [];
  const vs: number[] = [];
  const components = flat.dists.map((d, i) => {
    const s = d.alpha + d.beta;
    ms.push((n * d.alpha) / s);
    vs.push((n * d.alpha * d.beta * (s + n)) / (s * s * (s + 1)));
    return { weight: ws[i] as number, alpha: d.alpha, beta: d.beta };
  });
  return { kind: 'betaBinomial', n, components, ...mixMoments(ms, vs, ws) };
}

/** Negative-binomial predictive of the count over an exposure (validated inputs). */
export function gammaPoissonPredictive(fn: string, prior: unknown, exposure: number): CountPredictive {
  const flat = flatPrior(fn, prior, 'gamma');
  const ws = flat.logWeights.map(Math.exp);
  const ms: number[] = [];
  const vs: number[] = [];
  const components = flat.dists.map((d, i) => {
    const m = (exposure * d.shape) / d.rate;
    ms.push(m);
    vs.push(m + (m * exposure) / d.rate);
    return { weight: ws[i] as number, shape: d.shape, rate: d.rate };
  });
  return { kind: 'gammaPoisson', exposure, components, ...mixMoments(ms, vs, ws) };
}

function readCountPredictive(fn: string, pred: unknown): CountPredictive {
  const o = plainObject(fn, 'pred', pred);
  if (o.kind !== 'betaBinomial' && o.kind !== 'gammaPoisson') {
    fail(fn, 'pred.kind', "must be 'betaBinomial' or 'gammaPoisson' (a result of predictive())", o.kind);
  }
  // A hand-built or corrupted object would otherwise give NaN probabilities.
  if (o.kind === 'betaBinomial') integer(fn, 'pred.n', o.n, 1);
  else positive(fn, 'pred.exposure', o.exposure);
  const cs = o.components;
  if (!Array.isArray(cs) || cs.length === 0) fail(fn, 'pred.components', 'must be a non-empty array', cs);
  let total = 0;
  (cs as unknown[]).forEach((c, i) => {
    const q = plainObject(fn, `pred.components[${i}]`, c);
    total += positive(fn, `pred.components[${i}].weight`, q.weight);
    for (const key of o.kind === 'betaBinomial' ? ['alpha', 'beta'] : ['shape', 'rate']) {
      positive(fn, `pred.components[${i}].${key}`, q[key]);
    }
  });
  if (!(Math.abs(total - 1) <= 1e-9)) fail(fn, 'pred.components', 'weights must sum to 1', total);
  return pred as CountPredictive;
}

/** log pmf of one component at integer k, and the log ratio pmf(k+1)/pmf(k). */
function logPmfComponent(p: CountPredictive, i: number, k: number): number {
  if (p.kind === 'betaBinomial') {
    const c = p.components[i] as { alpha: number; beta: number };
    if (k < 0 || k > p.n) return Number.NEGATIVE_INFINITY;
    return gammaln(p.n + 1) - gammaln(k + 1) - gammaln(p.n - k + 1) + betaln(k + c.alpha, p.n - k + c.beta) - betaln(c.alpha, c.beta);
  }
  const c = p.components[i] as { shape: number; rate: number };
  if (k < 0) return Number.NEGATIVE_INFINITY;
  const e = p.exposure;
  return gammaln(c.shape + k) - gammaln(c.shape) - gammaln(k + 1) - c.shape * log1p(e / c.rate) - (k === 0 ? 0 : k * log1p(c.rate / e));
}

function logRatioUp(p: CountPredictive, i: number, k: number): number {
  if (p.kind === 'betaBinomial') {
    const c = p.components[i] as { alpha: number; beta: number };
    return Math.log(((p.n - k) * (k + c.alpha)) / ((k + 1) * (p.n - k - 1 + c.beta)));
  }
  const c = p.components[i] as { shape: number; rate: number };
  return Math.log((c.shape + k) / (k + 1)) - log1p(c.rate / p.exposure);
}

/** Running log-sum-exp accumulator. */
class LogAcc {
  m = Number.NEGATIVE_INFINITY;
  s = 0;
  add(x: number): void {
    if (x === Number.NEGATIVE_INFINITY) return;
    if (x > this.m) {
      this.s = this.s * Math.exp(this.m - x) + 1;
      this.m = x;
    } else this.s += Math.exp(x - this.m);
  }
  value(): number {
    return this.m === Number.NEGATIVE_INFINITY ? this.m : this.m + Math.log(this.s);
  }
}

/**
 * P(X ≤ k) and P(X ≥ k) of one component. Negative binomials use the regularised incomplete
 * beta function; beta-binomials walk the pmf recursion in log space.
 *
 * Beta-binomials with alpha, beta ≥ 1 are unimodal: only the tail
 * that runs away from the mode is summed (it decays geometrically, so the walk stops once terms
 * are 60 nats below the largest, a relative error below e^-60·steps), and the other tail is its
 * complement plus P(X = k). Other beta-binomials are summed over the whole support.
 */
function componentTails(p: CountPredictive, i: number, k: number): [number, number] {
  if (p.kind === 'gammaPoisson') {
    // NegBin(size a, prob q): P(X ≤ k) = I_q(a, k + 1), P(X ≥ k) = 1 − I_q(a, k) (upper
    // tail evaluated directly, no cancellation).
    const c = p.components[i] as { shape: number; rate: number };
    const q = c.rate / (c.rate + p.exposure);
    const lower = betainc(q, c.shape, k + 1, true, false);
    const upper = k === 0 ? 1 : betainc(q, c.shape, k, true, true);
    return [lower, upper];
  }
  const lk = logPmfComponent(p, i, k);
  const pk = Math.exp(lk);
  const bc = p.components[i] as { alpha?: number; beta?: number };
  const unimodal = (bc.alpha as number) >= 1 && (bc.beta as number) >= 1;
  const last = p.kind === 'betaBinomial' ? p.n : Number.POSITIVE_INFINITY;
  const walkDown = (early: boolean): number => {
    const acc = new LogAcc();
    acc.add(lk);
    let l = lk;
    for (let j = k - 1; j >= 0; j--) {
      l -= logRatioUp(p, i, j);
      acc.add(l);
      if (early && l < acc.m - 60 && j > 0 && logRatioUp(p, i, j - 1) > 0) break;
    }
    return Math.min(1, Math.exp(acc.value()));
  };
  const walkUp = (early: boolean): number => {
    const acc = new LogAcc();
    acc.add(lk);
    let l = lk;
    for (let j = k; j < last; j++) {
      const r = logRatioUp(p, i, j);
      l += r;
      acc.add(l);
      if (early && r < 0 && l < acc.m - 60) break;
    }
    return Math.min(1, Math.exp(acc.value()));
  };
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  if (!unimodal) return [walkDown(false), walkUp(false)];
  const descending = k >= last || logRatioUp(p, i, k) < 0; // at or beyond the mode
  if (descending) {
    const upper = walkUp(true);
    return [clamp(1 - upper + pk), upper];
  }
  const lower = walkDown(true);
  return [lower, clamp(1 - lower + pk)];
}

/**
 * The probability mass of a count predictive at k.
 * @param pred - a {@link CountPredictive} from {@link predictive}
 * @param k - the count
 * @returns P(X = k) (0 outside the support or for non-integer k)
 * @throws ValidationError when `pred` is not a count predictive or k is not a number
 * @example
 * ```ts
 * countPredictivePmf(predictive(beta(1, 1), { n: 10 }) as CountPredictive, 3); // returns 1/11
 * ```
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §2.4 (beta-binomial), §2.6 (negative binomial).
 */
export function countPredictivePmf(pred: CountPredictive, k: number): number {
  const fn = 'countPredictivePmf';
  const p = readCountPredictive(fn, pred);
  if (typeof k !== 'number' || Number.isNaN(k)) fail(fn, 'k', 'must be a number', k);
  if (!Number.isInteger(k)) return 0;
  let s = 0;
  p.components.forEach((c, i) => {
    s += c.weight * Math.exp(logPmfComponent(p, i, k));
  });
  return s;
}

/** P(X ≤ k) and P(X ≥ k) of a count predictive (validated input, integer k). */
export function countTails(p: CountPredictive, k: number): { lower: number; upper: number } {
  let lower = 0;
  let upper = 0;
  const max = p.kind === 'betaBinomial' ? p.n : Number.POSITIVE_INFINITY;
  if (k < 0) return { lower: 0, upper: 1 };
  if (k > max) return { lower: 1, upper: 0 };
  p.components.forEach((c, i) => {
    const [lo, up] = componentTails(p, i, k);
    lower += c.weight * lo;
    upper += c.weight * up;
  });
  return { lower: Math.min(1, lower), upper: Math.min(1, upper) };
}

/**
 * The cumulative probability P(X ≤ k) of a count predictive: for negative binomials through
 * the regularised incomplete beta function, for beta-binomials by summing the pmf recursion in
 * log space (at most O(n) per component).
 * @param pred - a {@link CountPredictive} from {@link predictive}
 * @param k - a count
 * @returns P(X ≤ k)
 * @throws ValidationError when `pred` is not a count predictive or k is not a number
 * @example
 * ```ts
 * countPredictiveCdf(predictive(beta(1, 1), { n: 10 }) as CountPredictive, 4); // returns 5/11
 * ```
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §2.4, §2.6.
 */
export function countPredictiveCdf(pred: CountPredictive, k: number): number {
  const fn = 'countPredictiveCdf';
  const p = readCountPredictive(fn, pred);
  if (typeof k !== 'number' || Number.isNaN(k)) fail(fn, 'k', 'must be a number', k);
  if (k === Number.POSITIVE_INFINITY) return 1;
  return countTails(p, Math.floor(k)).lower;
}
