import { addArgmaxShare } from '../bayes/argmax.js';
import type { Rng } from '../rng/index.js';
import { fail, integer, nonNegative, positive } from '../validate.js';
import {
  backSolveT,
  cholInverse,
  cholSolve,
  cholesky,
  dot,
  forwardSolve,
  matVec,
  quadForm,
  rankOneAdd,
  scaledIdentity,
  shermanMorrison,
} from '../linalg/dense.js';
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
import type { PBestWork } from './pbest.js';
import { normalBestProbabilities, pbestWork } from './pbest.js';

/** Options shared by the contextual policies. */
export interface ContextualOptions extends PolicyBaseOptions {
  /** Context length d (≥ 1). Include a constant 1 yourself if you want an intercept. */
  dimension: number;
  /**
   * Ridge / prior precision λ: Aₐ starts at λI.
   * @defaultValue 1
   */
  lambda?: number;
}

/** Options of {@link linUCB}. */
export interface LinUcbOptions extends ContextualOptions {
  /**
   * α in θ̂ₐᵀx + α·sqrt(xᵀAₐ⁻¹x).
   * @defaultValue 1
   */
  alpha?: number;
}

/** Options of {@link linearThompson}. */
export interface LinearThompsonOptions extends ContextualOptions {
  /**
   * v: the posterior of θₐ is N(Aₐ⁻¹bₐ, v²Aₐ⁻¹) (v is the noise sd of Bayesian linear
   * regression with prior N(0, v²/λ I); Agrawal & Goyal's exploration scale).
   * @defaultValue 1
   */
  noiseSd?: number;
  /**
   * How the allocation probabilities are obtained when more than two arms are active (two
   * active arms always use the exact Φ formula, and the arm is drawn from it with one
   * `rng.uniform`).
   *
   * Not given (the default): exactly, P(arm has the highest score) of the independent normal
   * scores by numerical integration (`method: 'exact'`, about 1e-12 accurate). When the
   * controls leave the allocation unchanged (no floor, no cap, power 1, after burn-in), the
   * arm is the arg-max of one score draw per active arm (classical Thompson sampling: one
   * `rng.normal` per active arm, plus one `rng.uniform` only on an exact tie), chosen with
   * probability exactly P(best), and the probabilities are computed when `probabilities` is
   * first read; otherwise they are computed first and the arm is drawn from them after the
   * controls with one `rng.uniform`.
   *
   * A number D: the arg-max shares of D score draws (ties split equally), from which the arm
   * is drawn after the controls (`1`: classical TS, whose reported probabilities are a 0/1
   * one-draw estimate).
   * @defaultValue exact (no draws)
   */
  draws?: number;
}

/** Options of {@link logisticThompson}. */
export interface LogisticThompsonOptions extends ContextualOptions {
  /**
   * How the allocation probabilities are obtained when more than two arms are active (two
   * active arms always use the exact Φ formula, and the arm is drawn from it with one
   * `rng.uniform`).
   *
   * Not given (the default): exactly, P(arm has the highest score) of the independent normal
   * scores by numerical integration (`method: 'exact'`, about 1e-12 accurate). When the
   * controls leave the allocation unchanged (no floor, no cap, power 1, after burn-in), the
   * arm is the arg-max of one score draw per active arm (classical Thompson sampling: one
   * `rng.normal` per active arm, plus one `rng.uniform` only on an exact tie), chosen with
   * probability exactly P(best), and the probabilities are computed when `probabilities` is
   * first read; otherwise they are computed first and the arm is drawn from them after the
   * controls with one `rng.uniform`.
   *
   * A number D: the arg-max shares of D score draws (ties split equally), from which the arm
   * is drawn after the controls (`1`: classical TS, whose reported probabilities are a 0/1
   * one-draw estimate).
   * @defaultValue exact (no draws)
   */
  draws?: number;
}

function resolveContextual(fn: string, o: ContextualOptions): { base: PolicyBase; d: number; lambda: number } {
  const base = resolveBase(fn, o);
  const d = integer(fn, 'dimension', o.dimension, 1, 10_000);
  const lambda = positive(fn, 'lambda', o.lambda ?? 1);
  return { base, d, lambda };
}

// ------------------------------------------------------------------------------ LinUCB

class LinUcbCore implements PolicyCore {
  private readonly tmp: Float64Array;
  private readonly l: Float64Array;
  /** θ̂ₐ = Aₐ⁻¹bₐ, recomputed when arm a changes. */
  private readonly theta: Float64Array[] = [];
  constructor(
    readonly dimension: number,
    readonly lambda: number,
    readonly alpha: number,
    readonly A: Float64Array[],
    readonly Ainv: Float64Array[],
    readonly b: Float64Array[],
  ) {
    this.tmp = new Float64Array(dimension);
    this.l = new Float64Array(dimension * dimension);
    for (let i = 0; i < Ainv.length; i++) this.theta.push(matVec(Ainv[i]!, dimension, b[i]!, new Float64Array(dimension)));
  }

  private reinvert(i: number): void {
    const d = this.dimension;
    cholesky(this.A[i]!, d, this.l);
    cholInverse(this.l, d, this.Ainv[i]!);
    matVec(this.Ainv[i]!, d, this.b[i]!, this.theta[i]!);
  }

  raw(_rng: Rng, active: readonly number[], x: Float64Array | undefined, out: Float64Array, scores: Float64Array) {
    const d = this.dimension;
    const cx = x!;
    for (const i of active) {
      let q = quadForm(this.Ainv[i]!, d, cx);
      if (!Number.isFinite(q)) {
        this.reinvert(i);
        q = quadForm(this.Ainv[i]!, d, cx);
      }
      const s = dot(this.theta[i]!, cx, d) + this.alpha * Math.sqrt(Math.max(q, 0));
      scores[i] = Number.isFinite(s) ? s : 0;
    }
    const set = argmaxSet(scores, active);
    for (const i of set) out[i] = 1 / set.length;
    return { method: 'exact' as const, scores: true };
  }

  checkReward(): void {}

  observe(i: number, r: number, x: Float64Array | undefined): void {
    const d = this.dimension;
    const cx = x!;
    rankOneAdd(this.A[i]!, d, cx);
    const b = this.b[i]!;
    for (let j = 0; j < d; j++) b[j]! += r * cx[j]!;
    if (!shermanMorrison(this.Ainv[i]!, d, cx, this.tmp)) this.reinvert(i);
    else matVec(this.Ainv[i]!, d, b, this.theta[i]!);
  }

  addArm(fn = 'addArm', prior?: unknown): void {
    if (prior !== undefined) fail(fn, 'prior', 'is not used by this policy (it has no per-arm prior)', prior);
    const d = this.dimension;
    this.A.push(scaledIdentity(d, this.lambda));
    this.Ainv.push(scaledIdentity(d, 1 / this.lambda));
    this.b.push(new Float64Array(d));
    this.theta.push(new Float64Array(d));
  }

  params(): { [key: string]: JsonValue } {
    return { dimension: this.dimension, lambda: this.lambda, alpha: this.alpha };
  }

  stats(): { [key: string]: JsonValue } {
    return {
      A: this.A.map((m) => Array.from(m)),
      Ainv: this.Ainv.map((m) => Array.from(m)),
      b: this.b.map((v) => Array.from(v)),
    };
  }
}

/**
 * Disjoint LinUCB: chooses the arg-max of θ̂ₐᵀx + α·sqrt(xᵀAₐ⁻¹x) with Aₐ = λI + Σ xxᵀ,
 * θ̂ₐ = Aₐ⁻¹bₐ (ties split equally; probabilities exact, one-hot without controls). Aₐ⁻¹ is
 * kept by Sherman–Morrison in O(d²) per update and recomputed by Cholesky (with jitter) if
 * rounding ever makes it indefinite, so near-singular designs never give NaN.
 *
 * @param options - arms, dimension, alpha, lambda, controls, seed
 * @returns a {@link BanditPolicy} whose `select` and `update` require a context of length d
 * @throws ValidationError for dimension 0, λ ≤ 0, or a context of the wrong length
 * @example
 * ```ts
 * const p = linUCB({ arms: ['a', 'b'], dimension: 2, alpha: 1, seed: 6 });
 * const s = p.select(undefined, [1, 0.5]);
 * p.update(s.arm, 1, [1, 0.5]);
 * ```
 * @see Li, Chu, Langford & Schapire (2010), A contextual-bandit approach to personalized news article recommendation, WWW (Algorithm 1).
 */
export function linUCB(options: LinUcbOptions): BanditPolicy {
  const fn = 'linUCB';
  const { base, d, lambda } = resolveContextual(fn, options);
  const alpha = options.alpha ?? 1;
  if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) fail(fn, 'alpha', 'must be a finite number >= 0', alpha);
  const core = new LinUcbCore(d, lambda, alpha, [], [], []);
  for (let i = 0; i < base.arms.length; i++) core.addArm();
  return makePolicy('linUCB', base, core);
}

function matrices(fn: string, field: string, v: unknown, k: number, len: number): Float64Array[] {
  if (!Array.isArray(v) || v.length !== k) fail(fn, field, `must be ${k} arrays`, v);
  return v.map((m, i) => Float64Array.from(stateNumbers(fn, `${field}[${i}]`, m, len)));
}

export function restoreLinUcb(s: PolicyState): BanditPolicy {
  const fn = 'restorePolicy';
  const base = baseFromState(fn, s);
  const k = base.arms.length;
  const d = integer(fn, 'state.params.dimension', s.params.dimension, 1, 10_000);
  const core = new LinUcbCore(
    d,
    positive(fn, 'state.params.lambda', s.params.lambda),
    nonNegative(fn, 'state.params.alpha', s.params.alpha),
    matrices(fn, 'state.stats.A', s.stats.A, k, d * d),
    matrices(fn, 'state.stats.Ainv', s.stats.Ainv, k, d * d),
    matrices(fn, 'state.stats.b', s.stats.b, k, d),
  );
  return makePolicy('linUCB', base, core);
}

// ---------------------------------------------------------------- Gaussian-score sampler

/**
 * P(arm has the highest of independent N(mᵢ, sᵢ²) scores): exact for one or two arms
 * (Φ((m₁ − m₂) / sqrt(s₁² + s₂²))) and, with `draws` null, for any number of arms (numerical
 * integration); else the arg-max shares over `draws` draws (ties split equally).
 * Returns true when exact.
 */
function normalArgmaxShares(
  rng: Rng,
  active: readonly number[],
  m: Float64Array,
  s: Float64Array,
  draws: number | null,
  out: Float64Array,
): boolean {
  const k = active.length;
  if (k <= 2 || draws === null) {
    const mm = Float64Array.from(active, (i) => m[i]!);
    const ss = Float64Array.from(active, (i) => s[i]!);
    const q = normalBestProbabilities(mm, ss, k, new Float64Array(k));
    for (let j = 0; j < k; j++) out[active[j]!] = q[j]!;
    return true;
  }
  const counts = new Float64Array(k);
  const row = new Float64Array(k);
  for (let t = 0; t < draws; t++) {
    for (let j = 0; j < k; j++) {
      const i = active[j]!;
      row[j] = m[i]! + s[i]! * rng.normal();
    }
    addArgmaxShare(row, 0, 1, k, 1, counts);
  }
  for (let j = 0; j < k; j++) out[active[j]!] = counts[j]! / draws;
  return false;
}

/** A classical Thompson draw among normal scores, with the means and sds it was drawn from. */
class NormalDraw implements DirectDraw {
  constructor(
    readonly chosen: number,
    readonly m: number[],
    readonly s: number[],
    /** The policy's P(best) work arrays (one per policy, reused across decisions). */
    private readonly work: PBestWork,
  ) {}
  allocation(out: Float64Array): void {
    normalBestProbabilities(this.m, this.s, this.m.length, out, this.work);
  }
  scores(out: Float64Array): void {
    for (let j = 0; j < this.m.length; j++) out[j] = this.m[j]!;
  }
}

// ------------------------------------- shared by linear and logistic Thompson sampling

/**
 * A Thompson core whose per-arm posterior is (approximately) normal with mean μₐ and precision
 * Lₐ Lₐᵀ/scale²: the score xᵀθₐ is then N(xᵀμₐ, scale²‖Lₐ⁻¹x‖²), and the allocation follows
 * from {@link normalArgmaxShares}. Subclasses say how an arm's (μₐ, Lₐ) are refitted.
 */
abstract class GaussianScoreCore {
  protected readonly L: Float64Array[] = [];
  protected readonly mu: Float64Array[] = [];
  private readonly dirty: boolean[] = [];
  protected readonly tmp: Float64Array;
  private readonly w: Float64Array;
  private sds = new Float64Array(0);
  private row = new Float64Array(0);
  /** Work arrays of the exact P(best) of this policy's draws. */
  private readonly pbest = pbestWork();
  constructor(
    readonly dimension: number,
    /** Monte Carlo draws for more than two arms, or null: exact. */
    readonly draws: number | null,
    /** The score sd is `scale`·‖L⁻¹x‖. */
    readonly scale: number,
  ) {
    this.tmp = new Float64Array(dimension);
    this.w = new Float64Array(dimension);
  }

  /** Adds the per-arm caches of one more arm (marked stale). */
  protected cache(): void {
    const d = this.dimension;
    this.L.push(new Float64Array(d * d));
    this.mu.push(new Float64Array(d));
    this.dirty.push(true);
  }

  /** Marks arm i's posterior stale after new data. */
  protected touch(i: number): void {
    this.dirty[i] = true;
  }

  /** Recomputes L[i] and mu[i] from arm i's data. */
  protected abstract refit(i: number): void;

  /** Refits arm i if its data changed since the last fit. */
  protected refresh(i: number): void {
    if (!this.dirty[i]) return;
    this.refit(i);
    this.dirty[i] = false;
  }

  /** Score mean and sd of arm i at context x. */
  private score(i: number, cx: Float64Array): [number, number] {
    const d = this.dimension;
    this.refresh(i);
    forwardSolve(this.L[i]!, d, cx, this.w);
    return [dot(this.mu[i]!, cx, d), this.scale * Math.sqrt(dot(this.w, this.w, d))];
  }

  direct(rng: Rng, active: readonly number[], x: Float64Array | undefined): DirectDraw | null {
    const k = active.length;
    if (this.draws !== null || k <= 2) return null;
    const cx = x!;
    // plain arrays: small typed arrays per decision cost an off-heap buffer each
    const m: number[] = new Array<number>(k);
    const s: number[] = new Array<number>(k);
    for (let j = 0; j < k; j++) {
      const [mj, sj] = this.score(active[j]!, cx);
      // Non-finite scores (overflow): the eager path splits among the largest means.
      if (!Number.isFinite(mj) || !Number.isFinite(sj)) return null;
      m[j] = mj;
      s[j] = sj;
    }
    if (this.row.length < k) this.row = new Float64Array(k);
    const v = this.row;
    for (let j = 0; j < k; j++) v[j] = m[j]! + s[j]! * rng.normal();
    return new NormalDraw(argmaxRandomTie(v, k, rng), m, s, this.pbest);
  }

  raw(rng: Rng, active: readonly number[], x: Float64Array | undefined, out: Float64Array, scores: Float64Array) {
    const cx = x!;
    if (this.sds.length !== scores.length) this.sds = new Float64Array(scores.length);
    const sds = this.sds;
    for (const i of active) {
      const [mi, si] = this.score(i, cx);
      scores[i] = mi;
      sds[i] = si;
    }
    return normalArgmaxShares(rng, active, scores, sds, this.draws, out)
      ? { method: 'exact' as const, scores: true }
      : { method: 'monte-carlo' as const, draws: this.draws!, scores: true };
  }
}

// ------------------------------------------------------------------- linear Thompson

class LinTsCore extends GaussianScoreCore implements PolicyCore {
  constructor(
    dimension: number,
    readonly lambda: number,
    readonly noiseSd: number,
    draws: number | null,
    readonly A: Float64Array[],
    readonly b: Float64Array[],
  ) {
    // xᵀθ with θ = μ + v L⁻ᵀz has sd v·‖L⁻¹x‖ exactly.
    super(dimension, draws, noiseSd);
    for (let i = 0; i < A.length; i++) this.cache();
  }

  /** L Lᵀ = Aᵢ (jitter fallback), μ = Aᵢ⁻¹bᵢ. */
  protected refit(i: number): void {
    const d = this.dimension;
    cholesky(this.A[i]!, d, this.L[i]!);
    cholSolve(this.L[i]!, d, this.b[i]!, this.mu[i]!, this.tmp);
  }

  checkReward(): void {}

  observe(i: number, r: number, x: Float64Array | undefined): void {
    const d = this.dimension;
    const cx = x!;
    rankOneAdd(this.A[i]!, d, cx);
    const b = this.b[i]!;
    for (let j = 0; j < d; j++) b[j]! += r * cx[j]!;
    this.touch(i);
  }

  addArm(fn = 'addArm', prior?: unknown): void {
    if (prior !== undefined) fail(fn, 'prior', 'is not used by this policy (it has no per-arm prior)', prior);
    this.A.push(scaledIdentity(this.dimension, this.lambda));
    this.b.push(new Float64Array(this.dimension));
    this.cache();
  }

  /** Posterior mean and Cholesky factor of the precision of arm i. */
  posterior(i: number): { mean: Float64Array; cholPrecision: Float64Array } {
    this.refresh(i);
    return { mean: this.mu[i]!, cholPrecision: this.L[i]! };
  }

  params(): { [key: string]: JsonValue } {
    return { dimension: this.dimension, lambda: this.lambda, noiseSd: this.noiseSd, draws: this.draws };
  }

  stats(): { [key: string]: JsonValue } {
    return { A: this.A.map((m) => Array.from(m)), b: this.b.map((v) => Array.from(v)) };
  }
}

/** A linear Thompson-sampling policy with coefficient sampling exposed. */
export interface LinearThompsonPolicy extends BanditPolicy {
  /**
   * One draw of arm `arm`'s coefficients θ = μ + v·L⁻ᵀz, z ~ N(0, I), where L Lᵀ = Aₐ
   * (Cholesky, no SVD: the same numbers on every platform).
   */
  sampleCoefficients(arm: string, rng: Rng): number[];
  /** Posterior mean Aₐ⁻¹bₐ of arm `arm`'s coefficients. */
  coefficientMean(arm: string): number[];
}

function withCoefficients(base: PolicyBase, core: LinTsCore): LinearThompsonPolicy {
  const policy = makePolicy('linearThompson', base, core) as LinearThompsonPolicy;
  const idx = (fn: string, arm: string): number => {
    const i = base.arms.indexOf(arm);
    if (i < 0) fail(fn, 'arm', 'must be one of the arms', arm);
    return i;
  };
  policy.coefficientMean = (arm) => Array.from(core.posterior(idx('linearThompson.coefficientMean', arm)).mean);
  policy.sampleCoefficients = (arm, rng) => {
    const d = core.dimension;
    const { mean, cholPrecision } = core.posterior(idx('linearThompson.sampleCoefficients', arm));
    const z = new Float64Array(d);
    for (let j = 0; j < d; j++) z[j] = rng.normal();
    const w = backSolveT(cholPrecision, d, z, new Float64Array(d));
    return Array.from(mean, (m, j) => m + core.noiseSd * w[j]!);
  };
  return policy;
}

/**
 * Linear Thompson sampling: Bayesian linear regression per arm, θₐ ~ N(Aₐ⁻¹bₐ, v²Aₐ⁻¹),
 * Aₐ = λI + Σxxᵀ. The score xᵀθₐ is then exactly N(xᵀμₐ, v²‖Lₐ⁻¹x‖²) with Lₐ the Cholesky
 * factor of Aₐ (jitter fallback), so the allocation P(arm has the highest sampled score) is
 * exact for two active arms (Φ((m₁ − m₂)/sqrt(s₁² + s₂²))), exact by numerical integration
 * for more arms by default (then, without floor, cap or power, the arm is the arg-max of one
 * score draw per arm and the probabilities are computed when `probabilities` is read), and
 * estimated from `draws` score draws when `draws` is given. The arm is always drawn with the
 * reported probabilities (after the controls), so they are honest propensities.
 *
 * @param options - arms, dimension, lambda, noiseSd, draws, controls, seed
 * @returns a {@link LinearThompsonPolicy}
 * @throws ValidationError for dimension 0, λ ≤ 0, or a context of the wrong length
 * @example
 * ```ts
 * const p = linearThompson({ arms: ['a', 'b'], dimension: 2, seed: 7 });
 * const s = p.select(undefined, [1, -0.3]);
 * p.update(s.arm, 0.4, [1, -0.3]);
 * ```
 * @see Agrawal & Goyal (2013), Thompson sampling for contextual bandits with linear payoffs, ICML.
 */
export function linearThompson(options: LinearThompsonOptions): LinearThompsonPolicy {
  const fn = 'linearThompson';
  const { base, d, lambda } = resolveContextual(fn, options);
  const v = positive(fn, 'noiseSd', options.noiseSd ?? 1);
  const draws = options.draws === undefined ? null : integer(fn, 'draws', options.draws, 1, 1e7);
  const core = new LinTsCore(d, lambda, v, draws, [], []);
  for (let i = 0; i < base.arms.length; i++) core.addArm();
  return withCoefficients(base, core);
}

export function restoreLinearThompson(s: PolicyState): LinearThompsonPolicy {
  const fn = 'restorePolicy';
  const base = baseFromState(fn, s);
  const k = base.arms.length;
  const d = integer(fn, 'state.params.dimension', s.params.dimension, 1, 10_000);
  const core = new LinTsCore(
    d,
    positive(fn, 'state.params.lambda', s.params.lambda),
    positive(fn, 'state.params.noiseSd', s.params.noiseSd),
    s.params.draws === null ? null : integer(fn, 'state.params.draws', s.params.draws, 1, 1e7),
    matrices(fn, 'state.stats.A', s.stats.A, k, d * d),
    matrices(fn, 'state.stats.b', s.stats.b, k, d),
  );
  return withCoefficients(base, core);
}

// ----------------------------------------------------------------- logistic Thompson

class LogisticCore extends GaussianScoreCore implements PolicyCore {
  constructor(
    dimension: number,
    readonly lambda: number,
    draws: number | null,
    readonly xs: number[][][],
    readonly ys: number[][],
  ) {
    super(dimension, draws, 1);
    for (let i = 0; i < xs.length; i++) this.cache();
  }

  /** Laplace approximation: Newton (with step halving) to the posterior mode, H at the mode. */
  protected refit(i: number): void {
    const d = this.dimension;
    const X = this.xs[i]!;
    const y = this.ys[i]!;
    const theta = this.mu[i]!;
    // Cold start at 0 on every refit: the mode is then a function of the data alone, so a
    // restored policy (which stores only the data) computes exactly the same numbers.
    theta.fill(0);
    const H = new Float64Array(d * d);
    const g = new Float64Array(d);
    const step = new Float64Array(d);
    const tmp = new Float64Array(d);
    const L = this.L[i]!;
    const logPost = (th: Float64Array): number => {
      let s = 0;
      for (let r = 0; r < X.length; r++) {
        const eta = dot(X[r]!, th, d);
        // y·η − log(1 + e^η), stably
        s += y[r]! * eta - (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
      }
      return s - 0.5 * this.lambda * dot(th, th, d);
    };
    const hessGrad = (): void => {
      H.fill(0);
      for (let j = 0; j < d; j++) {
        H[j * d + j] = this.lambda;
        g[j] = -this.lambda * theta[j]!;
      }
      for (let r = 0; r < X.length; r++) {
        const xr = X[r]!;
        const eta = dot(xr, theta, d);
        const p = 1 / (1 + Math.exp(-eta));
        rankOneAdd(H, d, xr, p * (1 - p));
        for (let j = 0; j < d; j++) g[j]! += (y[r]! - p) * xr[j]!;
      }
    };
    let lp = logPost(theta);
    for (let it = 0; it < 100; it++) {
      hessGrad();
      cholesky(H, d, L);
      cholSolve(L, d, g, step, tmp);
      let t = 1;
      const cand = new Float64Array(d);
      let accepted = false;
      for (let h = 0; h < 30; h++) {
        for (let j = 0; j < d; j++) cand[j] = theta[j]! + t * step[j]!;
        const lc = logPost(cand);
        if (lc >= lp) {
          theta.set(cand);
          const gain = lc - lp;
          lp = lc;
          accepted = gain > 1e-12 * (1 + Math.abs(lp));
          break;
        }
        t /= 2;
      }
      if (!accepted) break;
    }
    hessGrad();
    cholesky(H, d, L);
  }

  checkReward(fn: string, field: string, r: number): void {
    if (!(r >= 0 && r <= 1)) fail(fn, field, 'must be in [0, 1] for logistic rewards', r);
  }

  observe(i: number, r: number, x: Float64Array | undefined): void {
    this.xs[i]!.push(Array.from(x!));
    this.ys[i]!.push(r);
    this.touch(i);
  }

  addArm(fn = 'addArm', prior?: unknown): void {
    if (prior !== undefined) fail(fn, 'prior', 'is not used by this policy (it has no per-arm prior)', prior);
    this.xs.push([]);
    this.ys.push([]);
    this.cache();
  }

  params(): { [key: string]: JsonValue } {
    return { dimension: this.dimension, lambda: this.lambda, draws: this.draws };
  }

  stats(): { [key: string]: JsonValue } {
    return { x: this.xs.map((m) => m.map((r) => [...r])), y: this.ys.map((v) => [...v]) };
  }
}

/**
 * Logistic Thompson sampling for 0/1 rewards: per arm, the posterior of logistic-regression
 * coefficients under the prior N(0, λ⁻¹I) is approximated by a normal at the mode (Laplace;
 * Newton's method with step halving, refitted on every arm's full data when it changes),
 * covariance H⁻¹. The linear score xᵀθ is then normal, and the allocation is computed as
 * for {@link linearThompson} (exact by default, from `draws` draws when given). Cost grows with each arm's number of rewards.
 *
 * @param options - arms, dimension, lambda, draws, controls, seed
 * @returns a {@link BanditPolicy}
 * @throws ValidationError for dimension 0, rewards outside [0, 1], or a wrong context length
 * @example
 * ```ts
 * const p = logisticThompson({ arms: ['a', 'b'], dimension: 2, seed: 8 });
 * const s = p.select(undefined, [1, 0]);
 * p.update(s.arm, 1, [1, 0]);
 * ```
 * @see Chapelle & Li (2011), An empirical evaluation of Thompson sampling, NeurIPS (Laplace approximation for logistic TS).
 */
export function logisticThompson(options: LogisticThompsonOptions): BanditPolicy {
  const fn = 'logisticThompson';
  const { base, d, lambda } = resolveContextual(fn, options);
  const draws = options.draws === undefined ? null : integer(fn, 'draws', options.draws, 1, 1e7);
  const core = new LogisticCore(d, lambda, draws, [], []);
  for (let i = 0; i < base.arms.length; i++) core.addArm();
  return makePolicy('logisticThompson', base, core);
}

export function restoreLogisticThompson(s: PolicyState): BanditPolicy {
  const fn = 'restorePolicy';
  const base = baseFromState(fn, s);
  const k = base.arms.length;
  const d = integer(fn, 'state.params.dimension', s.params.dimension, 1, 10_000);
  const xs = s.stats.x;
  const ys = s.stats.y;
  if (!Array.isArray(xs) || xs.length !== k || !Array.isArray(ys) || ys.length !== k) {
    fail(fn, 'state.stats', `must hold x and y for ${k} arms`, s.stats);
  }
  const X = xs.map((rows, i) => {
    if (!Array.isArray(rows)) fail(fn, `state.stats.x[${i}]`, 'must be an array of contexts', rows);
    return rows.map((r, j) => [...stateNumbers(fn, `state.stats.x[${i}][${j}]`, r, d)]);
  });
  const Y = ys.map((v, i) => [...stateNumbers(fn, `state.stats.y[${i}]`, v, X[i]!.length)]);
  const core = new LogisticCore(
    d,
    positive(fn, 'state.params.lambda', s.params.lambda),
    s.params.draws === null ? null : integer(fn, 'state.params.draws', s.params.draws, 1, 1e7),
    X,
    Y,
  );
  return makePolicy('logisticThompson', base, core);
}
