import type { Dist } from '../distributions/index.js';
import { addArgmaxShare } from '../bayes/argmax.js';
import type { Rng } from '../rng/index.js';
import { fail, finite, integer, nonNegative, oneOf, plainObject, positive, probability } from '../validate.js';
import {
  type BanditPolicy,
  type DirectDraw,
  type JsonValue,
  type PolicyBase,
  type PolicyBaseOptions,
  type PolicyCore,
  type PolicyState,
  argmaxRandomTie,
  argmaxSet,
  baseFromState,
  makePolicy,
  resolveBase,
  stateNumbers,
} from './policy.js';
import { BetaBestCache, studentTBestProbabilities } from './pbest.js';

/**
 * Normal–inverse-gamma prior for a Gaussian arm with unknown variance:
 * σ² ~ InvGamma(shape, rate), μ | σ² ~ N(mean, σ² / kappa).
 */
export interface NormalInverseGammaPrior {
  readonly mean: number;
  /** Prior sample size for the mean (> 0). */
  readonly kappa: number;
  /** Inverse-gamma shape (> 0). */
  readonly shape: number;
  /** Inverse-gamma rate/scale (> 0). */
  readonly rate: number;
}

/** A Beta prior for a Bernoulli arm: `{ alpha, beta }` or a `Dist` of family `'beta'`. */
export type BetaPrior = { readonly alpha: number; readonly beta: number } | Extract<Dist, { family: 'beta' }>;

/** Options of {@link thompsonSampling}. */
export interface ThompsonOptions extends PolicyBaseOptions {
  /**
   * `'bernoulli'`: rewards in [0, 1], Beta priors. `'normal'`: real rewards with unknown
   * mean and variance, normal–inverse-gamma priors.
   * @defaultValue 'bernoulli'
   */
  likelihood?: 'bernoulli' | 'normal';
  /**
   * One prior for every arm, or a record arm → prior (e.g. from the LFM); arms not in the
   * record get the default.
   * @defaultValue Beta(1, 1); NIG { mean: 0, kappa: 1, shape: 1, rate: 1 }
   */
  priors?: BetaPrior | NormalInverseGammaPrior | Record<string, BetaPrior | NormalInverseGammaPrior>;
  /**
   * How the allocation probabilities P(arm is best) are obtained.
   *
   * Not given (the default): exactly, by numerical integration over the posteriors
   * (`method: 'exact'`, about 1e-12 accurate, no random numbers). When the controls leave
   * the allocation unchanged (no floor, no cap, power 1, after burn-in) and the policy is not
   * top-two, the arm is the arg-max of one posterior draw per active arm (classical Thompson
   * sampling, whose probability of choosing each arm is exactly P(arm is best)), and the
   * probabilities are computed only when `probabilities` is first read. Otherwise they are
   * computed first and the arm is drawn from them after the controls with one uniform. Random
   * numbers per decision: classical draw — Bernoulli: one `rng.beta` per active arm; normal:
   * one `rng.gamma` and one `rng.normal` per active arm; plus one `rng.uniform` only when two
   * draws tie exactly; otherwise one `rng.uniform`. Beta posteriors with a shape below 1
   * (priors below 1 with few rewards) have singular densities the integration does not
   * resolve: such decisions use 1000 Monte Carlo draws as below, and say so in `method`.
   *
   * A number D: a Monte Carlo estimate from D joint posterior draws (ties split equally),
   * and the arm is drawn from it after the controls, so the reported probabilities are
   * exactly the ones used. With `draws: 1` the policy is classical Thompson sampling with
   * the one-draw (0/1) estimate as its reported probabilities: without a `minProbability`
   * floor the other arms get 0, so off-policy evaluation of any other policy is impossible
   * from such logs.
   * @defaultValue exact (no draws)
   */
  draws?: number;
}

/** Options of {@link topTwoThompson}. */
export interface TopTwoThompsonOptions extends ThompsonOptions {
  /**
   * β: probability of playing the posterior leader; otherwise the challenger (the arg-max of
   * a posterior draw conditional on not being the leader).
   * @defaultValue 0.5
   */
  leaderProbability?: number;
}

type Lik = 'bernoulli' | 'normal';

interface TsStats {
  // bernoulli: a, b (posterior); normal: m0,k0,s0,r0 (prior), n, mean, m2 (Welford)
  a: number[];
  b: number[];
  m0: number[];
  k0: number[];
  s0: number[];
  r0: number[];
  n: number[];
  mean: number[];
  m2: number[];
}

function readPrior(fn: string, field: string, lik: Lik, prior: unknown): number[] {
  if (prior === undefined) return lik === 'bernoulli' ? [1, 1] : [0, 1, 1, 1];
  const o = plainObject(fn, field, prior);
  if (lik === 'bernoulli') {
    if (o.family !== undefined && o.family !== 'beta') fail(fn, `${field}.family`, "must be 'beta'", o.family);
    return [positive(fn, `${field}.alpha`, o.alpha), positive(fn, `${field}.beta`, o.beta)];
  }
  return [
    finite(fn, `${field}.mean`, o.mean),
    positive(fn, `${field}.kappa`, o.kappa),
    positive(fn, `${field}.shape`, o.shape),
    positive(fn, `${field}.rate`, o.rate),
  ];
}

/** One prior for all arms (numeric `alpha`/`kappa` or a `family` tag), not a per-arm record. */
function isSinglePrior(p: object): boolean {
  const o = p as Record<string, unknown>;
  return typeof o.alpha === 'number' || typeof o.kappa === 'number' || typeof o.family === 'string';
}

/** Posterior of a Thompson-sampling arm: Beta for Bernoulli, NIG for normal. */
export type ArmPosterior =
  | { readonly family: 'beta'; readonly alpha: number; readonly beta: number }
  | ({ readonly family: 'normalInverseGamma' } & NormalInverseGammaPrior);

const ONE_DRAW = { method: 'monte-carlo', draws: 1, scores: true } as const;
const EXACT = { method: 'exact', scores: true } as const;
/** Monte Carlo draws when the exact rule does not apply (a Beta shape below 1). */
const FALLBACK_DRAWS = 1000;

/** A classical Thompson draw among Beta arms, with the posterior it was drawn from. */
class BetaDraw implements DirectDraw {
  constructor(
    readonly chosen: number,
    readonly a: number[],
    readonly b: number[],
    /** The policy's memo of P(best) (a pure function of the shapes: sharing it is safe). */
    readonly cache: BetaBestCache,
  ) {}
  allocation(out: Float64Array): void {
    this.cache.compute(this.a, this.b, this.a.length, out);
  }
  scores(out: Float64Array): void {
    for (let j = 0; j < this.a.length; j++) out[j] = this.a[j]! / (this.a[j]! + this.b[j]!);
  }
}

/** A classical Thompson draw among normal–inverse-gamma arms (Student-t marginals of the means). */
class StudentTDraw implements DirectDraw {
  constructor(
    readonly chosen: number,
    readonly df: number[],
    readonly m: number[],
    readonly s: number[],
  ) {}
  allocation(out: Float64Array): void {
    studentTBestProbabilities(this.df, this.m, this.s, this.m.length, out);
  }
  scores(out: Float64Array): void {
    for (let j = 0; j < this.m.length; j++) out[j] = this.m[j]!;
  }
}

class ThompsonCore implements PolicyCore {
  readonly dimension = undefined;
  private counts = new Float64Array(0);
  private row = new Float64Array(0);
  /** Exact Beta P(best), kept across decisions (only the updated arm's part is redone). */
  private readonly pbest = new BetaBestCache();
  constructor(
    readonly lik: Lik,
    /** Monte Carlo draws, or null: exact probabilities. */
    readonly draws: number | null,
    readonly st: TsStats,
    readonly leader: number | null,
  ) {}

  post(i: number): [number, number, number, number] {
    const s = this.st;
    const k0 = s.k0[i]!;
    const n = s.n[i]!;
    const kn = k0 + n;
    const d = s.mean[i]! - s.m0[i]!;
    return [
      (k0 * s.m0[i]! + n * s.mean[i]!) / kn,
      kn,
      s.s0[i]! + n / 2,
      s.r0[i]! + 0.5 * s.m2[i]! + (k0 * n * d * d) / (2 * kn),
    ];
  }

  /** True when every active Beta arm has both shapes ≥ 1 (the exact rule applies). */
  private betaExact(active: readonly number[]): boolean {
    const a = this.st.a;
    const b = this.st.b;
    for (const i of active) if (!(a[i]! >= 1 && b[i]! >= 1)) return false;
    return true;
  }

  /** The Student-t marginal (df, location, scale) of each active arm's mean. */
  private tMarginals(active: readonly number[]): [Float64Array, Float64Array, Float64Array] {
    const k = active.length;
    const df = new Float64Array(k);
    const m = new Float64Array(k);
    const sc = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const q = this.post(active[j]!);
      m[j] = q[0];
      df[j] = 2 * q[2];
      sc[j] = Math.sqrt(q[3] / (q[2] * q[1]));
    }
    return [df, m, sc];
  }

  direct(rng: Rng, active: readonly number[]): DirectDraw | null {
    if (this.draws !== null || this.leader !== null) return null;
    const k = active.length;
    if (this.row.length < k) this.row = new Float64Array(k);
    const v = this.row;
    if (this.lik === 'bernoulli') {
      if (!this.betaExact(active)) return null;
      // plain arrays: small typed arrays per decision cost an off-heap buffer each
      const a: number[] = new Array<number>(k);
      const b: number[] = new Array<number>(k);
      for (let j = 0; j < k; j++) {
        const i = active[j]!;
        const ai = this.st.a[i]!;
        const bi = this.st.b[i]!;
        a[j] = ai;
        b[j] = bi;
        v[j] = rng.beta(ai, bi);
      }
      return new BetaDraw(argmaxRandomTie(v, k, rng), a, b, this.pbest);
    }
    const df: number[] = new Array<number>(k);
    const m: number[] = new Array<number>(k);
    const sc: number[] = new Array<number>(k);
    for (let j = 0; j < k; j++) {
      const [mu, kn, sh, rt] = this.post(active[j]!);
      const sigma2 = rt / rng.gamma(sh, 1);
      v[j] = mu + Math.sqrt(sigma2 / kn) * rng.normal();
      m[j] = mu;
      df[j] = 2 * sh;
      sc[j] = Math.sqrt(rt / (sh * kn));
    }
    return new StudentTDraw(argmaxRandomTie(v, k, rng), df, m, sc);
  }

  /** Monte Carlo P(best) over the active arms into `counts` (shares of D draws, ties split). */
  private monteCarlo(rng: Rng, active: readonly number[], D: number): Float64Array {
    const k = active.length;
    const s = this.st;
    if (this.counts.length !== k) this.counts = new Float64Array(k);
    if (this.row.length < k) this.row = new Float64Array(k);
    const counts = this.counts;
    const row = this.row;
    counts.fill(0);
    if (this.lik === 'bernoulli') {
      const a = s.a;
      const b = s.b;
      for (let d = 0; d < D; d++) {
        for (let j = 0; j < k; j++) {
          const i = active[j]!;
          row[j] = rng.beta(a[i]!, b[i]!);
        }
        addArgmaxShare(row, 0, 1, k, 1, counts);
      }
    } else {
      const mu = new Float64Array(k);
      const kn = new Float64Array(k);
      const sh = new Float64Array(k);
      const rt = new Float64Array(k);
      for (let j = 0; j < k; j++) {
        const q = this.post(active[j]!);
        mu[j] = q[0];
        kn[j] = q[1];
        sh[j] = q[2];
        rt[j] = q[3];
      }
      for (let d = 0; d < D; d++) {
        for (let j = 0; j < k; j++) {
          const sigma2 = rt[j]! / rng.gamma(sh[j]!, 1);
          row[j] = mu[j]! + Math.sqrt(sigma2 / kn[j]!) * rng.normal();
        }
        addArgmaxShare(row, 0, 1, k, 1, counts);
      }
    }
    for (let j = 0; j < k; j++) counts[j] = counts[j]! / D;
    return counts;
  }

  raw(rng: Rng, active: readonly number[], _x: undefined, out: Float64Array, scores: Float64Array) {
    const k = active.length;
    const s = this.st;
    const D = this.draws;
    if (this.lik === 'bernoulli' && D === 1 && this.leader === null) {
      // Classical Thompson sampling: one draw per arm, its arg-max gets probability 1 (the same
      // draws and result as the general loop below, without the count table).
      const a = s.a;
      const b = s.b;
      let best = active[0]!;
      let bv = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        const i = active[j]!;
        const ai = a[i]!;
        const bi = b[i]!;
        const v = rng.beta(ai, bi);
        if (v > bv) {
          bv = v;
          best = i;
        }
        scores[i] = ai / (ai + bi);
      }
      out[best] = 1;
      return ONE_DRAW;
    }
    if (this.lik === 'bernoulli') for (const i of active) scores[i] = s.a[i]! / (s.a[i]! + s.b[i]!);
    else for (const i of active) scores[i] = this.post(i)[0];
    let pBest: Float64Array;
    let info: { method: 'exact' | 'monte-carlo'; draws?: number; scores: true };
    if (D !== null) {
      pBest = this.monteCarlo(rng, active, D);
      info = { method: 'monte-carlo', draws: D, scores: true };
    } else if (this.lik === 'bernoulli') {
      if (this.betaExact(active)) {
        if (this.counts.length !== k) this.counts = new Float64Array(k);
        pBest = this.counts; // read below, before the next decision
        const a: number[] = new Array<number>(k);
        const b: number[] = new Array<number>(k);
        for (let j = 0; j < k; j++) {
          a[j] = s.a[active[j]!]!;
          b[j] = s.b[active[j]!]!;
        }
        this.pbest.compute(a, b, k, pBest);
        info = EXACT;
      } else {
        pBest = this.monteCarlo(rng, active, FALLBACK_DRAWS);
        info = { method: 'monte-carlo', draws: FALLBACK_DRAWS, scores: true };
      }
    } else {
      const [df, m, sc] = this.tMarginals(active);
      pBest = studentTBestProbabilities(df, m, sc, k, new Float64Array(k));
      info = EXACT;
    }
    if (this.leader === null) {
      for (let j = 0; j < k; j++) out[active[j]!] = pBest[j]!;
    } else {
      // Top-two: ψ_i = β a_i + (1 − β) a_i Σ_{j≠i} a_j / (1 − a_j); a leader with a_j = 1
      // hands its (1 − β) share to the other arms equally.
      const beta = this.leader;
      const a = pBest;
      const psi = new Float64Array(k);
      for (let j = 0; j < k; j++) {
        psi[j]! += beta * a[j]!;
        if (k === 1) {
          psi[j] = 1;
          continue;
        }
        const rest = (1 - beta) * a[j]!;
        if (rest === 0) continue;
        if (a[j]! >= 1) {
          for (let i = 0; i < k; i++) if (i !== j) psi[i]! += rest / (k - 1);
        } else {
          for (let i = 0; i < k; i++) if (i !== j) psi[i]! += (rest * a[i]!) / (1 - a[j]!);
        }
      }
      let t = 0;
      for (let j = 0; j < k; j++) t += psi[j]!;
      for (let j = 0; j < k; j++) out[active[j]!] = psi[j]! / t;
    }
    return info;
  }

  checkReward(fn: string, field: string, r: number): void {
    if (this.lik === 'bernoulli' && !(r >= 0 && r <= 1)) fail(fn, field, 'must be in [0, 1] for a Bernoulli arm', r);
  }

  observe(i: number, r: number): void {
    const s = this.st;
    if (this.lik === 'bernoulli') {
      s.a[i]! += r;
      s.b[i]! += 1 - r;
    } else {
      const n = s.n[i]! + 1;
      const delta = r - s.mean[i]!;
      const m = s.mean[i]! + delta / n;
      s.m2[i]! += delta * (r - m);
      s.mean[i] = m;
      s.n[i] = n;
    }
  }

  addArm(fn: string, prior: unknown): void {
    this.push(readPrior(fn, 'prior', this.lik, prior));
  }

  push(q: number[]): void {
    const s = this.st;
    if (this.lik === 'bernoulli') {
      s.a.push(q[0]!);
      s.b.push(q[1]!);
    } else {
      s.m0.push(q[0]!);
      s.k0.push(q[1]!);
      s.s0.push(q[2]!);
      s.r0.push(q[3]!);
      s.n.push(0);
      s.mean.push(0);
      s.m2.push(0);
    }
  }

  params(): { [key: string]: JsonValue } {
    // draws: null means exact probabilities (the default)
    const o: { [key: string]: JsonValue } = { likelihood: this.lik, draws: this.draws };
    if (this.leader !== null) o.leaderProbability = this.leader;
    return o;
  }

  stats(): { [key: string]: JsonValue } {
    const s = this.st;
    return this.lik === 'bernoulli'
      ? { a: [...s.a], b: [...s.b] }
      : { m0: [...s.m0], k0: [...s.k0], s0: [...s.s0], r0: [...s.r0], n: [...s.n], mean: [...s.mean], m2: [...s.m2] };
  }
}

function emptyStats(): TsStats {
  return { a: [], b: [], m0: [], k0: [], s0: [], r0: [], n: [], mean: [], m2: [] };
}

/** A Thompson-sampling policy; `posterior(arm)` exposes each arm's conjugate posterior. */
export interface ThompsonPolicy extends BanditPolicy {
  /** The arm's current posterior: Beta(α, β) or normal–inverse-gamma. */
  posterior(arm: string): ArmPosterior;
}

function buildThompson(fn: string, o: TopTwoThompsonOptions, topTwo: boolean): ThompsonPolicy {
  const base = resolveBase(fn, o);
  const lik = oneOf(fn, 'likelihood', o.likelihood ?? 'bernoulli', ['bernoulli', 'normal'] as const);
  const draws = o.draws === undefined ? null : integer(fn, 'draws', o.draws, 1, 1e7);
  const leader = topTwo ? probability(fn, 'leaderProbability', o.leaderProbability ?? 0.5) : null;
  const core = new ThompsonCore(lik, draws, emptyStats(), leader);
  const pri = o.priors;
  let table: Record<string, unknown> | null = null;
  if (pri !== undefined) {
    plainObject(fn, 'priors', pri);
    if (!isSinglePrior(pri)) {
      table = pri as Record<string, unknown>;
      for (const key of Object.keys(table)) {
        if (!base.arms.includes(key)) fail(fn, `priors.${key}`, 'must name one of the arms', key);
      }
    }
  }
  base.arms.forEach((arm) => {
    const p = table === null ? pri : Object.hasOwn(table, arm) ? table[arm] : undefined;
    core.push(readPrior(fn, table === null ? 'priors' : `priors.${arm}`, lik, p));
  });
  return withPosterior(topTwo ? 'topTwoThompson' : 'thompsonSampling', base, core);
}

function withPosterior(name: 'thompsonSampling' | 'topTwoThompson', base: PolicyBase, core: ThompsonCore): ThompsonPolicy {
  const policy = makePolicy(name, base, core) as ThompsonPolicy;
  policy.posterior = (arm: string): ArmPosterior => {
    const i = base.arms.indexOf(arm);
    if (i < 0) fail(`${name}.posterior`, 'arm', 'must be one of the arms', arm);
    if (core.lik === 'bernoulli') return { family: 'beta', alpha: core.st.a[i]!, beta: core.st.b[i]! };
    const q = core.post(i);
    return { family: 'normalInverseGamma', mean: q[0], kappa: q[1], shape: q[2], rate: q[3] };
  };
  return policy;
}

/**
 * Thompson sampling with conjugate posteriors: Beta–Bernoulli, or Gaussian rewards with
 * unknown mean and variance through a normal–inverse-gamma posterior. The allocation
 * probabilities are P(arm is best): by default computed exactly (numerical integration over
 * the Beta or Student-t posteriors); without floor, cap or power the arm is the arg-max of one
 * posterior draw per arm, chosen with exactly that probability, and the probabilities are
 * computed only when `probabilities` is read. With `draws: D` they are estimated from D joint
 * posterior draws and the arm is drawn from the estimate. Either way the arm is drawn with
 * the reported probabilities (after the controls): log them as propensities. See
 * {@link ThompsonOptions.draws} for the random numbers each decision uses.
 *
 * @param options - arms, likelihood, priors, draws, controls, seed
 * @returns a {@link ThompsonPolicy}
 * @throws ValidationError for duplicate arms, bad priors, or a floor/cap the arms cannot meet
 * @example
 * ```ts
 * const ts = thompsonSampling({ arms: ['a', 'b'], priors: { a: { alpha: 2, beta: 8 } }, seed: 1 });
 * const { arm, probabilities } = ts.select();
 * ts.update(arm, 1);
 * ts.posterior('a'); // { family: 'beta', alpha: 2 or 3, beta: 8 }
 * ```
 * @see Thompson (1933), Biometrika 25; Murphy (2007), Conjugate Bayesian analysis of the Gaussian distribution (NIG update).
 */
export function thompsonSampling(options: ThompsonOptions): ThompsonPolicy {
  return buildThompson('thompsonSampling', options, false);
}

/**
 * Top-two Thompson sampling for best-arm identification: with probability β play the
 * posterior leader, otherwise the challenger. Allocation ψᵢ = β aᵢ + (1 − β) aᵢ Σ_{j≠i}
 * aⱼ/(1 − aⱼ), with aᵢ = P(i is best), exact by numerical integration by default, else
 * estimated from `draws` posterior draws; the arm is drawn from ψ after the controls.
 *
 * @param options - as {@link thompsonSampling}, plus `leaderProbability` (β, default 0.5)
 * @returns a {@link ThompsonPolicy}
 * @throws ValidationError as {@link thompsonSampling}, or β outside [0, 1]
 * @example
 * ```ts
 * const tt = topTwoThompson({ arms: ['a', 'b', 'c'], leaderProbability: 0.5, seed: 2 });
 * tt.select().probabilities; // sums to 1
 * ```
 * @see Russo (2016), Simple Bayesian algorithms for best arm identification, COLT / Operations Research 68 (2020).
 */
export function topTwoThompson(options: TopTwoThompsonOptions): ThompsonPolicy {
  return buildThompson('topTwoThompson', options, true);
}

export function restoreThompson(s: PolicyState): ThompsonPolicy {
  const fn = 'restorePolicy';
  const base = baseFromState(fn, s);
  const k = base.arms.length;
  const p = s.params;
  const lik = oneOf(fn, 'state.params.likelihood', p.likelihood, ['bernoulli', 'normal'] as const);
  const draws = p.draws === null ? null : integer(fn, 'state.params.draws', p.draws, 1, 1e7);
  const leader = s.policy === 'topTwoThompson' ? probability(fn, 'state.params.leaderProbability', p.leaderProbability) : null;
  const st = emptyStats();
  const keys = lik === 'bernoulli' ? (['a', 'b'] as const) : (['m0', 'k0', 's0', 'r0', 'n', 'mean', 'm2'] as const);
  for (const key of keys) {
    st[key] = [...stateNumbers(fn, `state.stats.${key}`, s.stats[key], k)];
    // Beta parameters and NIG prior parameters must be > 0, counts and sums of squares ≥ 0
    // (a corrupted state would otherwise fail later, inside the sampler, or give NaN).
    const min = key === 'm0' || key === 'mean' ? null : key === 'n' || key === 'm2' ? 0 : 'positive';
    st[key].forEach((v, i) => {
      if (min === 'positive') positive(fn, `state.stats.${key}[${i}]`, v);
      else if (min === 0) nonNegative(fn, `state.stats.${key}[${i}]`, v);
    });
  }
  return withPosterior(s.policy as 'thompsonSampling' | 'topTwoThompson', base, new ThompsonCore(lik, draws, st, leader));
}

// ---------------------------------------------------------------- index / value policies

type ValueKind = 'ucb1' | 'epsilonGreedy' | 'softmax';

class ValueCore implements PolicyCore {
  readonly dimension = undefined;
  constructor(
    readonly kind: ValueKind,
    readonly param: number,
    readonly initialValue: number,
    readonly n: number[],
    readonly sum: number[],
  ) {}

  raw(_rng: Rng, active: readonly number[], _x: undefined, out: Float64Array, scores: Float64Array) {
    const k = active.length;
    if (this.kind === 'ucb1') {
      const untried = active.filter((i) => this.n[i] === 0);
      let total = 0;
      for (const i of active) total += this.n[i]!;
      for (const i of active) {
        const n = this.n[i]!;
        scores[i] = n === 0 ? Number.POSITIVE_INFINITY : this.sum[i]! / n + this.param * Math.sqrt(Math.log(total) / n);
      }
      const set = untried.length > 0 ? untried : argmaxSet(scores, active);
      for (const i of set) out[i] = 1 / set.length;
      return { method: 'exact' as const, scores: true };
    }
    for (const i of active) scores[i] = this.n[i]! === 0 ? this.initialValue : this.sum[i]! / this.n[i]!;
    if (this.kind === 'epsilonGreedy') {
      const set = argmaxSet(scores, active);
      for (const i of active) out[i] = this.param / k;
      for (const i of set) out[i]! += (1 - this.param) / set.length;
    } else {
      let mx = Number.NEGATIVE_INFINITY;
      for (const i of active) mx = Math.max(mx, scores[i]!);
      let t = 0;
      for (const i of active) {
        const v = Math.exp((scores[i]! - mx) / this.param);
        out[i] = v;
        t += v;
      }
      for (const i of active) out[i] = out[i]! / t;
    }
    return { method: 'exact' as const, scores: true };
  }

  checkReward(): void {}

  observe(i: number, r: number): void {
    this.n[i]!++;
    this.sum[i]! += r;
  }

  addArm(fn = 'addArm', prior?: unknown): void {
    if (prior !== undefined) fail(fn, 'prior', 'is not used by this policy (it has no per-arm prior)', prior);
    this.n.push(0);
    this.sum.push(0);
  }

  params(): { [key: string]: JsonValue } {
    return { param: this.param, initialValue: this.initialValue };
  }

  stats(): { [key: string]: JsonValue } {
    return { n: [...this.n], sum: [...this.sum] };
  }
}

/** Options of {@link ucb1}. */
export interface Ucb1Options extends PolicyBaseOptions {
  /**
   * c in the index mean + c·sqrt(ln N / n); √2 is Auer et al.'s UCB1 (rewards in [0, 1]).
   * @defaultValue Math.SQRT2
   */
  exploration?: number;
}

/** Options of {@link epsilonGreedy}. */
export interface EpsilonGreedyOptions extends PolicyBaseOptions {
  /**
   * Probability of a uniformly random arm.
   * @defaultValue 0.1
   */
  epsilon?: number;
  /**
   * Value assumed for an arm with no reward yet.
   * @defaultValue 0
   */
  initialValue?: number;
}

/** Options of {@link softmax}. */
export interface SoftmaxOptions extends PolicyBaseOptions {
  /**
   * Temperature τ in p ∝ exp(mean / τ).
   * @defaultValue 0.1
   */
  temperature?: number;
  /**
   * Value assumed for an arm with no reward yet.
   * @defaultValue 0
   */
  initialValue?: number;
}

function buildValue(kind: ValueKind, base: PolicyBase, param: number, initialValue: number): BanditPolicy {
  const k = base.arms.length;
  return makePolicy(kind, base, new ValueCore(kind, param, initialValue, new Array(k).fill(0), new Array(k).fill(0)));
}

/**
 * UCB1: untried arms first (equally), then the arg-max of mean + c·sqrt(ln N / n) (ties
 * split equally). Probabilities are exact.
 *
 * @param options - arms, exploration c, controls, seed
 * @returns a {@link BanditPolicy}
 * @throws ValidationError for bad options
 * @example
 * ```ts
 * const p = ucb1({ arms: ['a', 'b'], seed: 3 });
 * p.select().probabilities; // { a: 0.5, b: 0.5 } (both untried)
 * p.select().unscored; // ['a', 'b']: untried arms have no finite index, so `scores` omits them
 * ```
 * @see Auer, Cesa-Bianchi & Fischer (2002), Finite-time analysis of the multiarmed bandit problem, Machine Learning 47.
 */
export function ucb1(options: Ucb1Options): BanditPolicy {
  const fn = 'ucb1';
  const base = resolveBase(fn, options);
  return buildValue('ucb1', base, positive(fn, 'exploration', options.exploration ?? Math.SQRT2), 0);
}

/**
 * ε-greedy: probability ε/k for every arm plus (1 − ε) shared by the arms with the highest
 * mean reward. Probabilities are exact.
 *
 * @param options - arms, epsilon, initialValue, controls, seed
 * @returns a {@link BanditPolicy}
 * @throws ValidationError for ε outside [0, 1] or bad options
 * @example
 * ```ts
 * const p = epsilonGreedy({ arms: ['a', 'b'], epsilon: 0.2, seed: 4 });
 * p.update('a', 1);
 * p.select().probabilities; // { a: 0.9, b: 0.1 }
 * ```
 * @see Sutton & Barto (2018), Reinforcement Learning: An Introduction, 2nd ed., §2.2.
 */
export function epsilonGreedy(options: EpsilonGreedyOptions): BanditPolicy {
  const fn = 'epsilonGreedy';
  const base = resolveBase(fn, options);
  return buildValue(
    'epsilonGreedy',
    base,
    probability(fn, 'epsilon', options.epsilon ?? 0.1),
    finite(fn, 'initialValue', options.initialValue ?? 0),
  );
}

/**
 * Softmax (Boltzmann) exploration: p ∝ exp(mean / τ), computed stably. Probabilities are exact.
 *
 * @param options - arms, temperature, initialValue, controls, seed
 * @returns a {@link BanditPolicy}
 * @throws ValidationError for τ ≤ 0 or bad options
 * @example
 * ```ts
 * const p = softmax({ arms: ['a', 'b'], temperature: 1, seed: 5 });
 * p.update('a', 1);
 * p.select().probabilities.a; // returns ~0.731 (= e / (e + 1))
 * ```
 * @see Sutton & Barto (2018), Reinforcement Learning: An Introduction, 2nd ed., §2.8 (gradient bandit / softmax).
 */
export function softmax(options: SoftmaxOptions): BanditPolicy {
  const fn = 'softmax';
  const base = resolveBase(fn, options);
  return buildValue(
    'softmax',
    base,
    positive(fn, 'temperature', options.temperature ?? 0.1),
    finite(fn, 'initialValue', options.initialValue ?? 0),
  );
}

export function restoreValue(s: PolicyState): BanditPolicy {
  const fn = 'restorePolicy';
  const base = baseFromState(fn, s);
  const k = base.arms.length;
  const kind = s.policy as ValueKind;
  // The same ranges as the constructors: exploration c > 0, ε in [0, 1], temperature τ > 0.
  const param =
    kind === 'epsilonGreedy'
      ? probability(fn, 'state.params.param', s.params.param)
      : positive(fn, 'state.params.param', s.params.param);
  const init = finite(fn, 'state.params.initialValue', s.params.initialValue);
  const n = [...stateNumbers(fn, 'state.stats.n', s.stats.n, k)];
  for (let i = 0; i < k; i++) integer(fn, `state.stats.n[${i}]`, n[i], 0);
  return makePolicy(kind, base, new ValueCore(kind, param, init, n, [...stateNumbers(fn, 'state.stats.sum', s.stats.sum, k)]));
}
