/**
 * P(arm is best) for independent continuous posteriors, by numerical integration:
 * Pᵢ = ∫ fᵢ(x) Π_{j≠i} Fⱼ(x) dx. Used by the Thompson-sampling policies for their allocation
 * probabilities at default options (no Monte Carlo draws, no random numbers).
 *
 * Method: composite 16-point Gauss–Legendre on panels laid out from the arms' locations and
 * scales (a fixed number of scales wide near an arm, then growing geometrically, so narrow
 * posteriors are resolved and tails covered); the cdfs Fⱼ at the nodes come from the same
 * density values by the spectral integration matrix of the panel (Fⱼ(node) = Fⱼ(panel start)
 * + ∫ of the degree-15 interpolant of fⱼ), so each node costs one density evaluation per arm
 * and no incomplete-beta or erfc call (the matrix is folded by the nodes' symmetry: half the
 * multiply-adds). The range is cut to where the density of the maximum lives: from a point
 * where the mass below, Π Fⱼ, is under 1e-16, to one where every arm's cdf is above
 * 1 − 1e-16; arms that cannot win (all their mass below that range; for normal scores, a
 * probability below Φ(−8.5) of beating the top mean) get 0. Accuracy about 1e-13 absolute
 * (tests: closed forms and SciPy quadrature, including bandit states with a + b up to 10⁵);
 * the probabilities are renormalised to sum to 1.
 *
 * Beta arms ({@link BetaBestCache}): between two decisions of a Bernoulli bandit one arm's
 * posterior changes. The grid is a function of the arms' posteriors rounded to half-octaves of
 * their scales (so it stays the same over many decisions), each arm's densities and cdfs on
 * the grid are kept, and only the changed arm's column and the panels it touches are
 * recomputed; the result is bit for bit the one a fresh computation gives (the cache is a
 * memo of a pure function of the shapes).
 *
 * @see Press et al. (2007), Numerical Recipes, 3rd ed., §4.6 (Gauss–Legendre); Trefethen (2000),
 *   Spectral Methods in MATLAB, ch. 12 (integration matrices on Gauss nodes); Marchal & Arbel
 *   (2017), On the sub-Gaussianity of the Beta and Dirichlet distributions, Electron. Commun.
 *   Probab. 22:54 (Beta(a, b) is 1/(4(a + b + 1))-sub-Gaussian: the tail cut-offs).
 * @packageDocumentation
 */
import betainc from '@stdlib/math-base-special-betainc';
import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

const N = 16;

/** Gauss–Legendre nodes t (ascending, on [−1, 1]), weights w, and S[i·N + l] = ∫_{−1}^{tᵢ} ℓₗ. */
const { T, W, S } = (() => {
  const t = new Float64Array(N);
  const w = new Float64Array(N);
  const legendre = (n: number, x: number): [number, number] => {
    // P_n(x) and P_{n−1}(x) by the three-term recurrence
    let p0 = 1;
    let p1 = x;
    if (n === 0) return [1, 0];
    for (let k = 2; k <= n; k++) {
      const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    return [p1, p0];
  };
  for (let i = 0; i < N; i++) {
    let x = -Math.cos((Math.PI * (i + 0.75)) / (N + 0.5));
    for (let it = 0; it < 100; it++) {
      const [p, q] = legendre(N, x);
      const dp = (N * (x * p - q)) / (x * x - 1);
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const [p, q] = legendre(N, x);
    const dp = (N * (x * p - q)) / (x * x - 1);
    t[i] = x;
    w[i] = 2 / ((1 - x * x) * dp * dp);
  }
  // ℓₗ(x) = Σₙ cₗₙ Pₙ(x), cₗₙ = (2n + 1)/2 · wₗ Pₙ(tₗ) (Gauss quadrature is exact for the
  // degree ≤ 2N − 2 products); ∫_{−1}^{x} Pₙ = (P_{n+1}(x) − P_{n−1}(x)) / (2n + 1), n ≥ 1.
  const s = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    const xi = t[i]!;
    const integ = new Float64Array(N);
    integ[0] = xi + 1;
    for (let n = 1; n < N; n++) integ[n] = (legendre(n + 1, xi)[0] - legendre(n - 1, xi)[0]) / (2 * n + 1);
    for (let l = 0; l < N; l++) {
      let v = 0;
      for (let n = 0; n < N; n++) v += ((2 * n + 1) / 2) * w[l]! * legendre(n, t[l]!)[0] * integ[n]!;
      s[i * N + l] = v;
    }
  }
  return { T: t, W: w, S: s };
})();

/**
 * The integration matrix folded by the rule's symmetry (tₙ₋₁₋ᵢ = −tᵢ, so
 * S[N−1−i, l] = w_l − S[i, N−1−l]): with the even and odd parts e_l = (f_l + f_{N−1−l})/2,
 * o_l = (f_l − f_{N−1−l})/2 (l < N/2), row i of S·f is Σ A[i,l]e_l + Σ B[i,l]o_l and row N−1−i
 * is W·f − Σ A[i,l]e_l + Σ B[i,l]o_l, with A = S[i,l] + S[i,N−1−l], B = S[i,l] − S[i,N−1−l]:
 * half the multiply-adds.
 */
const HALF = N / 2;
const { SA, SB } = (() => {
  const a = new Float64Array(HALF * HALF);
  const b = new Float64Array(HALF * HALF);
  for (let i = 0; i < HALF; i++) {
    for (let l = 0; l < HALF; l++) {
      a[i * HALF + l] = S[i * N + l]! + S[i * N + N - 1 - l]!;
      b[i * HALF + l] = S[i * N + l]! - S[i * N + N - 1 - l]!;
    }
  }
  return { SA: a, SB: b };
})();
/**
 * Work arrays of the P(best) rules (filled and read within one synchronous call): owned by the
 * caller (a policy keeps one across decisions; a one-off call makes its own), never module-level.
 * @internal
 */
export interface PBestWork {
  readonly even: Float64Array;
  readonly odd: Float64Array;
  readonly arrays: Float64Array[];
}

/** New work arrays for the P(best) rules. @internal */
export function pbestWork(): PBestWork {
  return { even: new Float64Array(HALF), odd: new Float64Array(HALF), arrays: [] };
}
/**
 * The same folding for Sᵀ·g (Σ_l g_l S[l, m]): with U_m = Σ TA[m,l]e_l and V_m = Σ TB[m,l]o_l
 * (e, o: even and odd parts of g), entry m is U_m + V_m and entry N−1−m is w_m·Σg − U_m + V_m.
 */
const { TA, TB } = (() => {
  const a = new Float64Array(HALF * HALF);
  const b = new Float64Array(HALF * HALF);
  for (let m = 0; m < HALF; m++) {
    for (let l = 0; l < HALF; l++) {
      a[m * HALF + l] = S[l * N + m]! + S[(N - 1 - l) * N + m]!;
      b[m * HALF + l] = S[l * N + m]! - S[(N - 1 - l) * N + m]!;
    }
  }
  return { TA: a, TB: b };
})();


/** Fills `f[l·k + j]` with arm j's density at x (k arms). */
type Densities = (x: number, f: Float64Array, offset: number) => void;

/**
 * Panel width at x: `c` scales within 2c scales of an arm, else half the distance to it.
 */
function width(x: number, k: number, m: ArrayLike<number>, s: ArrayLike<number>, c: number): number {
  let w = Number.POSITIVE_INFINITY;
  for (let j = 0; j < k; j++) {
    const d = 0.5 * Math.abs(x - m[j]!);
    const wj = Math.max(d, c * s[j]!);
    if (wj < w) w = wj;
  }
  return w;
}

/**
 * Panel edges over [lo, hi] (at least one panel). `grade0`/`grade1`: refine geometrically
 * towards lo / hi (for densities with a fractional power there), down to `hmin`. A remainder
 * shorter than `merge` panel widths joins the last panel.
 */
function panelEdges(
  lo: number,
  hi: number,
  k: number,
  m: ArrayLike<number>,
  s: ArrayLike<number>,
  c: number,
  grade0: boolean,
  grade1: boolean,
  hmin: number,
  merge = 1e-3,
): number[] {
  const edges = [lo];
  let x = lo;
  while (x < hi && edges.length < 100_000) {
    let w = width(x, k, m, s, c);
    if (grade0) {
      const g = Math.max(hmin, x - lo);
      if (g < w) w = g;
    }
    if (grade1) {
      const g = Math.max(hmin, 0.5 * (hi - x));
      if (g < w) w = g;
    }
    let b = x + w;
    if (b >= hi || hi - b < merge * w) b = hi; // a short remainder joins the last panel
    if (!(b > x)) b = hi; // w below the spacing of doubles at x
    edges.push(b);
    x = b;
  }
  if (edges.length === 1) edges.push(hi);
  return edges;
}

/**
 * The cdfs of one arm at the N nodes of a panel of half-width h from its densities
 * `f[o + l·stride]` (l < N) and its cdf F0 at the panel start, into `Fn[o + l·stride]`;
 * returns the cdf at the panel end (both clamped to [0, 1]).
 */
function panelCdf(f: Float64Array, Fn: Float64Array, o: number, stride: number, h: number, F0: number, w: PBestWork): number {
  const EVEN = w.even;
  const ODD = w.odd;
  let mx = 0;
  for (let l = 0; l < N; l++) if (f[o + l * stride]! > mx) mx = f[o + l * stride]!;
  if (mx * h < 1e-19) {
    // negligible mass on this panel: the cdf is constant here
    for (let i = 0; i < N; i++) Fn[o + i * stride] = F0;
    return F0;
  }
  let wf = 0;
  for (let l = 0; l < HALF; l++) {
    const x = f[o + l * stride]!;
    const y = f[o + (N - 1 - l) * stride]!;
    EVEN[l] = 0.5 * (x + y);
    ODD[l] = 0.5 * (x - y);
    wf += W[l]! * (x + y);
  }
  for (let i = 0; i < HALF; i++) {
    let u = 0;
    let v = 0;
    const row = i * HALF;
    for (let l = 0; l < HALF; l++) {
      u += SA[row + l]! * EVEN[l]!;
      v += SB[row + l]! * ODD[l]!;
    }
    const Fi = F0 + h * (u + v);
    const Fj = F0 + h * (wf - u + v);
    Fn[o + i * stride] = Fi < 0 ? 0 : Math.min(Fi, 1);
    Fn[o + (N - 1 - i) * stride] = Fj < 0 ? 0 : Math.min(Fj, 1);
  }
  const Fb = F0 + h * wf;
  return Fb < 0 ? 0 : Math.min(Fb, 1);
}

/** The cdf at the end of a panel, as {@link panelCdf} returns it (same arithmetic), without the nodes. */
function panelEnd(f: Float64Array, o: number, stride: number, h: number, F0: number): number {
  let mx = 0;
  for (let l = 0; l < N; l++) if (f[o + l * stride]! > mx) mx = f[o + l * stride]!;
  if (mx * h < 1e-19) return F0;
  let wf = 0;
  for (let l = 0; l < HALF; l++) wf += W[l]! * (f[o + l * stride]! + f[o + (N - 1 - l) * stride]!);
  const Fb = F0 + h * wf;
  return Fb < 0 ? 0 : Math.min(Fb, 1);
}

/**
 * ∫ fⱼ Π_{i≠j} Fᵢ over one panel (half-width h) from the densities and cdfs at its nodes
 * (`f[o + l·k + j]`), added to `acc[a + j]` (prefix and suffix products).
 */
function panelProducts(f: Float64Array, Fn: Float64Array, o: number, k: number, h: number, pre: Float64Array, acc: Float64Array, a: number): void {
  for (let i = 0; i < N; i++) {
    const oi = o + i * k;
    pre[0] = 1;
    for (let j = 0; j < k; j++) pre[j + 1] = pre[j]! * Fn[oi + j]!;
    let suf = 1;
    const wi = W[i]! * h;
    for (let j = k - 1; j >= 0; j--) {
      acc[a + j]! += wi * f[oi + j]! * pre[j]! * suf;
      suf *= Fn[oi + j]!;
    }
  }
}

/**
 * The composite rule over the panels `edges`. `F` holds every arm's cdf at the first edge on
 * entry (and at the last on return); `out[j]` receives ∫ fⱼ Π_{i≠j} Fᵢ.
 */
function integrate(k: number, edges: readonly number[], dens: Densities, F: Float64Array, out: Float64Array): void {
  const w = pbestWork();
  const f = new Float64Array(N * k);
  const Fn = new Float64Array(N * k);
  const pre = new Float64Array(k + 1);
  out.fill(0, 0, k);
  for (let p = 0; p + 1 < edges.length; p++) {
    const x = edges[p]!;
    const b = edges[p + 1]!;
    const h = 0.5 * (b - x);
    const c = 0.5 * (b + x);
    for (let l = 0; l < N; l++) dens(c + h * T[l]!, f, l * k);
    for (let j = 0; j < k; j++) F[j] = panelCdf(f, Fn, j, k, h, F[j]!, w);
    panelProducts(f, Fn, 0, k, h, pre, out, 0);
  }
}

function normalise(out: Float64Array, k: number): void {
  let t = 0;
  for (let j = 0; j < k; j++) {
    const v = out[j]!;
    out[j] = Math.max(v, 0);
    t += out[j]!;
  }
  if (t > 0 && Number.isFinite(t)) for (let j = 0; j < k; j++) out[j] = out[j]! / t;
  else out.fill(1 / k, 0, k);
}

// ------------------------------------------------------------------------- Beta arms

/** ln(2/ε) with ε = 1e-16: the one-sided sub-Gaussian tail bound exp(−t²/2σ²) = ε/2. */
const LN_TAIL = Math.log(2 / 1e-16);
/** Beta panels: this many (rounded-down) scales wide near an arm. */
const BETA_WIDTH = 4;
/** Per-arm grid key: octave of the sd, mean in units of M_UNIT such sds, octave of a + b + 1, fractional flags. */
const KEY = 4;
/** The grid sees each arm's mean rounded to M_UNIT rounded-down sds (so it changes rarely). */
const M_UNIT = 2;

/** Grid key of one arm into key[o..o + KEY): see {@link KEY}. */
function armKey(aj: number, bj: number, key: Float64Array, o: number): void {
  const n = aj + bj;
  const s = Math.sqrt((aj * bj) / (n * n * (n + 1)));
  const e = Math.floor(Math.log2(s));
  key[o] = e;
  key[o + 1] = Math.round(aj / n / (M_UNIT * 2 ** e));
  key[o + 2] = Math.floor(Math.log2(n + 1));
  // A fractional power of x (or 1 − x) is not smooth at the endpoint: grade the panels there
  // when the arm has mass near it (x^α with α ≥ 6 is smooth enough: 16-point Gauss–Legendre
  // errs by ~16^(−2α−2)).
  key[o + 3] = (aj !== Math.floor(aj) && aj < 7 ? 1 : 0) + (bj !== Math.floor(bj) && bj < 7 ? 2 : 0);
}

/**
 * What the grid depends on, from the arms' keys: [lo, hi, grading flags, then (mean, scale)
 * of every arm whose mass reaches above lo, and its index].
 */
function gridOf(key: Float64Array, k: number): number[] {
  let lo = 0;
  let hi = 0;
  const top = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const sh = 2 ** key[KEY * j]!; // ≤ sd < 2·sh
    const mh = key[KEY * j + 1]! * M_UNIT * sh; // |mh − mean| ≤ M_UNIT·sh/2
    const t = Math.sqrt(LN_TAIL / (2 * 2 ** key[KEY * j + 2]!)); // ≥ the arm's tail cut-off
    const margin = 0.5 * M_UNIT * sh;
    lo = Math.max(lo, mh - margin - t);
    top[j] = mh + margin + t;
    hi = Math.max(hi, top[j]!);
  }
  hi = Math.min(hi, 1);
  const g = [lo, hi, 0];
  let flags = 0;
  for (let j = 0; j < k; j++) {
    if (!(top[j]! > lo)) continue; // mass below lo: does not shape the grid
    g.push(j, key[KEY * j + 1]! * M_UNIT * 2 ** key[KEY * j]!, 2 ** key[KEY * j]!);
    flags |= key[KEY * j + 3]!;
  }
  g[2] = (flags & 1 && lo === 0 ? 1 : 0) + (flags & 2 && hi === 1 ? 2 : 0);
  return g;
}

/**
 * P(arm j has the largest draw) for independent Beta(aⱼ, bⱼ), all aⱼ, bⱼ ≥ 1, memoised
 * across calls: see the module notes. One instance per policy; {@link BetaBestCache.compute}
 * gives, for the same shapes, bit for bit the same numbers whatever was computed before.
 *
 * Layout: per node, the densities fⱼ and cdfs Fⱼ of every arm; the pivot c (the arm with the
 * most data, a + b largest: in a running bandit the one updated most often) is factored out,
 * R = w·Π_{i≠c} Fᵢ and gⱼ = w·fⱼ·Π_{i≠j,c} Fᵢ, so that a change of the pivot alone costs one
 * multiply-add per node and arm (P_c = Σ f_c R, Pⱼ = Σ gⱼ F_c) on the panels it touches.
 * @internal
 */
export class BetaBestCache {
  private k = -1;
  private pivot = -1;
  private readonly work = pbestWork();
  private key: Float64Array = new Float64Array(0);
  private grid: number[] = [];
  private tmpKey = new Float64Array(KEY);
  private ca = new Float64Array(0);
  private cb = new Float64Array(0);
  /** Panel edges (P + 1), half-widths (P); node logs ln x, ln(1 − x) (P·N). */
  private edges = new Float64Array(0);
  private hw = new Float64Array(0);
  private lx = new Float64Array(0);
  private l1x = new Float64Array(0);
  /** Densities, cdfs and the factors gⱼ at the nodes, [(p·N + l)·k + j]; R at [p·N + l]. */
  private fv = new Float64Array(0);
  private Fv = new Float64Array(0);
  private gv = new Float64Array(0);
  private Rv = new Float64Array(0);
  /** Hⱼ = Sᵀgⱼ at the nodes, [(p·N + m)·k + j]; Gⱼ = Σ gⱼ and each arm's cdf at the panel start, [p·k + j]. */
  private Hv = new Float64Array(0);
  private Gv = new Float64Array(0);
  private Fs = new Float64Array(0);
  /** 1 when arm j's cdfs at the nodes are kept (every arm but the pivot). */
  private nodes = new Uint8Array(0);
  /** Each arm's panel range [r0, r1] (r1 < r0: none, cdf 1 everywhere). */
  private r0 = new Int32Array(0);
  private r1 = new Int32Array(0);
  /** Per panel and arm: ∫ fⱼ Π Fᵢ over the panel. */
  private psum = new Float64Array(0);
  /** Per panel: 1 = sums to redo, 2 = factors and sums to redo. */
  private mark = new Uint8Array(0);
  private pre = new Float64Array(0);
  /** Calls served by updating the kept grid / by building a new one (for tests and benchmarks). */
  hits = 0;
  rebuilds = 0;

  /**
   * @param a - first shapes (≥ 1)
   * @param b - second shapes (≥ 1)
   * @param k - number of arms (≥ 1)
   * @param out - receives the k probabilities (sum 1)
   * @returns `out`
   */
  compute(a: ArrayLike<number>, b: ArrayLike<number>, k: number, out: Float64Array): Float64Array {
    if (k === 1) {
      out[0] = 1;
      return out;
    }
    if (!this.update(a, b, k)) {
      this.rebuild(a, b, k);
      this.rebuilds++;
    } else this.hits++;
    const P = this.hw.length;
    const ps = this.psum;
    out.fill(0, 0, k);
    for (let p = 0; p < P; p++) {
      const o = p * k;
      for (let j = 0; j < k; j++) out[j]! += ps[o + j]!;
    }
    normalise(out, k);
    return out;
  }

  /** Brings the kept grid up to date with (a, b); false when the grid itself must change. */
  private update(a: ArrayLike<number>, b: ArrayLike<number>, k: number): boolean {
    if (k !== this.k) return false;
    const key = this.key;
    const tk = this.tmpKey;
    let changed = false;
    let rekey = false;
    for (let j = 0; j < k; j++) {
      if (a[j] === this.ca[j] && b[j] === this.cb[j]) continue;
      armKey(a[j]!, b[j]!, tk, 0);
      for (let q = 0; q < KEY; q++) {
        if (tk[q] !== key[KEY * j + q]) {
          key[KEY * j + q] = tk[q]!;
          rekey = true;
        }
      }
      changed = true;
    }
    if (!changed) return true;
    if (rekey) {
      // a key changed: the grid stays if what it depends on did not
      const g = gridOf(key, k);
      const h = this.grid;
      if (g.length !== h.length) return false;
      for (let q = 0; q < g.length; q++) if (g[q] !== h[q]) return false;
    }
    const P = this.hw.length;
    const pivot = pivotOf(a, b, k);
    const mark = this.mark;
    mark.fill(0);
    const old = this.pivot;
    if (pivot !== old && a[old] === this.ca[old] && b[old] === this.cb[old]) {
      // the old pivot's cdfs at the nodes were not kept: it needs them now
      this.column(old, a[old]!, b[old]!, true, true);
    }
    for (let j = 0; j < k; j++) {
      if (a[j] === this.ca[j] && b[j] === this.cb[j]) continue;
      const o0 = this.r0[j]!;
      const o1 = this.r1[j]!;
      const withNodes = j !== pivot;
      this.column(j, a[j]!, b[j]!, withNodes && this.nodes[j] === 0, withNodes);
      const lo = Math.max(Math.min(o0, this.r0[j]!), 0);
      const hi = Math.min(Math.max(o1, this.r1[j]!), P - 1);
      const v = j === pivot ? 1 : 2;
      for (let p = lo; p <= hi; p++) if (mark[p]! < v) mark[p] = v;
    }
    if (pivot !== old) {
      this.pivot = pivot;
      mark.fill(2);
    }
    for (let p = 0; p < P; p++) {
      if (mark[p] === 2) this.factors(p);
      if (mark[p]! > 0) this.sums(p);
    }
    return true;
  }

  /** The grid from the rounded posteriors, then every column and panel. */
  private rebuild(a: ArrayLike<number>, b: ArrayLike<number>, k: number): void {
    const key = new Float64Array(KEY * k);
    for (let j = 0; j < k; j++) armKey(a[j]!, b[j]!, key, KEY * j);
    const g = gridOf(key, k);
    this.grid = g;
    const ml: number[] = [];
    const sl: number[] = [];
    for (let q = 3; q < g.length; q += 3) {
      ml.push(g[q + 1]!);
      sl.push(g[q + 2]!);
    }
    const edges = panelEdges(g[0]!, g[1]!, ml.length, ml, sl, BETA_WIDTH, (g[2]! & 1) !== 0, (g[2]! & 2) !== 0, 1e-10);
    const P = edges.length - 1;
    this.k = k;
    this.key = key;
    this.edges = Float64Array.from(edges);
    this.hw = new Float64Array(P);
    this.lx = new Float64Array(P * N);
    this.l1x = new Float64Array(P * N);
    for (let p = 0; p < P; p++) {
      const h = 0.5 * (edges[p + 1]! - edges[p]!);
      const c = 0.5 * (edges[p + 1]! + edges[p]!);
      this.hw[p] = h;
      for (let l = 0; l < N; l++) {
        const x = c + h * T[l]!;
        this.lx[p * N + l] = Math.log(x);
        this.l1x[p * N + l] = Math.log1p(-x);
      }
    }
    this.fv = new Float64Array(P * N * k);
    this.Fv = new Float64Array(P * N * k);
    this.gv = new Float64Array(P * N * k);
    this.Rv = new Float64Array(P * N);
    this.psum = new Float64Array(P * k);
    this.mark = new Uint8Array(P);
    this.pre = new Float64Array(k + 1);
    this.ca = new Float64Array(k).fill(Number.NaN);
    this.cb = new Float64Array(k).fill(Number.NaN);
    this.Hv = new Float64Array(P * N * k);
    this.Gv = new Float64Array(P * k);
    this.Fs = new Float64Array(P * k);
    this.nodes = new Uint8Array(k);
    this.r0 = new Int32Array(k);
    this.r1 = new Int32Array(k).fill(-1);
    this.pivot = pivotOf(a, b, k);
    for (let j = 0; j < k; j++) this.column(j, a[j]!, b[j]!, true, j !== this.pivot);
    for (let p = 0; p < P; p++) {
      this.factors(p);
      this.sums(p);
    }
  }

  /**
   * Arm j's densities and cdfs on the grid for Beta(aj, bj): computed on the panels that meet
   * its [mean − t, mean + t] (t: the 1e-16 sub-Gaussian tail cut-off), density 0 and cdf 0
   * below them, cdf 1 above. Writes every panel on `all`, else the panels between the old and
   * the new range; the cdfs at the nodes only `withNodes` (the pivot's are not needed).
   */
  private column(j: number, aj: number, bj: number, all: boolean, withNodes: boolean): void {
    const k = this.k;
    const P = this.hw.length;
    const e = this.edges;
    const n = aj + bj;
    const m = aj / n;
    const t = Math.sqrt(LN_TAIL / (2 * (n + 1)));
    const lo = m - t;
    const hi = m + t;
    let p0 = 0;
    let p1 = -1;
    if (hi > e[0]!) {
      while (p0 < P - 1 && e[p0 + 1]! <= lo) p0++;
      p1 = P - 1;
      while (p1 > p0 && e[p1]! >= hi) p1--;
    }
    const w0 = all ? 0 : Math.min(p0, this.r0[j]!);
    const w1 = all ? P - 1 : Math.max(p1, this.r1[j]!);
    const fv = this.fv;
    const Fv = this.Fv;
    const Fs = this.Fs;
    for (let p = w0; p < p0; p++) {
      Fs[p * k + j] = 0;
      for (let l = 0; l < N; l++) {
        const o = (p * N + l) * k + j;
        fv[o] = 0;
        Fv[o] = 0;
      }
    }
    if (p1 >= p0) {
      const am1 = aj - 1;
      const bm1 = bj - 1;
      const lnB = betaln(aj, bj);
      const lx = this.lx;
      const l1x = this.l1x;
      // the cdf at the start of the range: 0 unless the arm's mass reaches below the grid
      let F = p0 === 0 && lo < e[0]! && e[0]! > 0 ? betainc(e[0]!, aj, bj) : 0;
      for (let p = p0; p <= p1; p++) {
        const base = p * N * k + j;
        const q = p * N;
        for (let l = 0; l < N; l++) fv[base + l * k] = Math.exp(am1 * lx[q + l]! + bm1 * l1x[q + l]! - lnB);
        Fs[p * k + j] = F;
        F = withNodes ? panelCdf(fv, Fv, base, k, this.hw[p]!, F, this.work) : panelEnd(fv, base, k, this.hw[p]!, F);
      }
    }
    for (let p = Math.max(p1 + 1, w0); p <= w1; p++) {
      Fs[p * k + j] = 1;
      for (let l = 0; l < N; l++) {
        const o = (p * N + l) * k + j;
        fv[o] = 0;
        Fv[o] = 1;
      }
    }
    this.r0[j] = p0;
    this.r1[j] = p1;
    this.ca[j] = aj;
    this.cb[j] = bj;
    this.nodes[j] = withNodes ? 1 : 0;
  }

  /** R and gⱼ at the nodes of panel p (prefix and suffix products over the arms but the pivot). */
  private factors(p: number): void {
    const k = this.k;
    const c = this.pivot;
    const fv = this.fv;
    const Fv = this.Fv;
    const gv = this.gv;
    const pre = this.pre;
    const h = this.hw[p]!;
    for (let l = 0; l < N; l++) {
      const o = (p * N + l) * k;
      const wh = W[l]! * h;
      pre[0] = 1;
      for (let j = 0; j < k; j++) pre[j + 1] = j === c ? pre[j]! : pre[j]! * Fv[o + j]!;
      let suf = 1;
      for (let j = k - 1; j >= 0; j--) {
        if (j === c) {
          this.Rv[p * N + l] = wh * pre[j]! * suf;
          gv[o + j] = 0;
          continue;
        }
        gv[o + j] = wh * fv[o + j]! * pre[j]! * suf;
        suf *= Fv[o + j]!;
      }
    }
    // Hⱼ = Sᵀgⱼ and Gⱼ = Σ gⱼ (folded as in panelCdf); H_c = G_c = 0
    const Hv = this.Hv;
    const EVEN = this.work.even;
    const ODD = this.work.odd;
    const base = p * N * k;
    for (let j = 0; j < k; j++) {
      let G = 0;
      for (let l = 0; l < HALF; l++) {
        const x = gv[base + l * k + j]!;
        const y = gv[base + (N - 1 - l) * k + j]!;
        EVEN[l] = 0.5 * (x + y);
        ODD[l] = 0.5 * (x - y);
        G += x + y;
      }
      this.Gv[p * k + j] = G;
      for (let m = 0; m < HALF; m++) {
        let u = 0;
        let v = 0;
        const row = m * HALF;
        for (let l = 0; l < HALF; l++) {
          u += TA[row + l]! * EVEN[l]!;
          v += TB[row + l]! * ODD[l]!;
        }
        Hv[base + m * k + j] = u + v;
        Hv[base + (N - 1 - m) * k + j] = W[m]! * G - u + v;
      }
    }
  }

  /**
   * Panel p's ∫ fⱼ Π Fᵢ. For j ≠ c, Σ_l gⱼ F_c with F_c at the nodes = F_c(start) + h·S·f_c,
   * that is F_c(start)·Gⱼ + h·Σ_m f_c[m] Hⱼ[m] (no cdf of the pivot at the nodes); for the
   * pivot, Σ f_c R.
   */
  private sums(p: number): void {
    const k = this.k;
    const c = this.pivot;
    const fv = this.fv;
    const Hv = this.Hv;
    const ps = this.psum;
    const a = p * k;
    ps.fill(0, a, a + k);
    let pc = 0;
    for (let m = 0; m < N; m++) {
      const o = (p * N + m) * k;
      const fc = fv[o + c]!;
      if (fc === 0) continue;
      for (let j = 0; j < k; j++) ps[a + j]! += fc * Hv[o + j]!; // H_c = 0
      pc += fc * this.Rv[p * N + m]!;
    }
    const h = this.hw[p]!;
    const F0 = this.Fs[a + c]!;
    for (let j = 0; j < k; j++) ps[a + j] = F0 * this.Gv[a + j]! + h * ps[a + j]!;
    ps[a + c] = pc;
  }
}

/** The pivot: the arm with the largest a + b (the first on ties). */
function pivotOf(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  let c = 0;
  let best = a[0]! + b[0]!;
  for (let j = 1; j < k; j++) {
    const n = a[j]! + b[j]!;
    if (n > best) {
      best = n;
      c = j;
    }
  }
  return c;
}

/**
 * P(arm j has the largest draw) for independent Beta(aⱼ, bⱼ), all aⱼ, bⱼ ≥ 1 (bounded
 * densities; smaller shapes have endpoint singularities this rule does not resolve).
 *
 * @param a - first shapes (≥ 1)
 * @param b - second shapes (≥ 1)
 * @param k - number of arms (≥ 1)
 * @param out - receives the k probabilities (sum 1)
 * @param cache - a {@link BetaBestCache} kept across calls (same result, faster when few arms change)
 * @returns `out`
 * @example
 * ```ts
 * betaBestProbabilities(Float64Array.of(2, 1), Float64Array.of(1, 1), 2, new Float64Array(2)); // [2/3, 1/3]
 * ```
 * @see Chapelle & Li (2011), An empirical evaluation of Thompson sampling, NeurIPS (P(best) of Beta posteriors).
 * @internal
 */
export function betaBestProbabilities(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  k: number,
  out: Float64Array,
  cache: BetaBestCache = new BetaBestCache(),
): Float64Array {
  return cache.compute(a, b, k, out);
}

// ----------------------------------------------------------------------- normal arms

/** Normal range cut-off in sds: Φ(−8.5) ≈ 9.5e-18. */
const Z_NORMAL = 8.5;
/** ln 1e-16: the mass left below the normal range. */
const LOG_TAIL_NORMAL = Math.log(1e-16);
/** Normal panels: this many sds wide near an arm. */
const NORMAL_WIDTH = 3;

/** Work array `i` of at least `n` entries, reused from `w` (filled and read within one synchronous call). */
function scratch(w: PBestWork, i: number, n: number): Float64Array {
  let a = w.arrays[i];
  if (a === undefined || a.length < n) {
    a = new Float64Array(Math.max(n, 2 * (a?.length ?? 8)));
    w.arrays[i] = a;
  }
  return a;
}

/**
 * The composite rule for normal densities (arms sorted by upper cut-off mⱼ + 8.5sⱼ, highest
 * first): on a panel starting above an arm's cut-off, that arm's density is taken as 0 and its
 * cdf as 1 (errors below Φ(−8.5)), so only the arms still below their cut-off are evaluated.
 */
function integrateNormal(
  k: number,
  edges: readonly number[],
  m: Float64Array,
  s: Float64Array,
  is: Float64Array,
  c0: Float64Array,
  F: Float64Array,
  out: Float64Array,
  w: PBestWork,
): void {
  const f = scratch(w, 0, N * k);
  const Fn = scratch(w, 1, N * k);
  const pre = scratch(w, 2, k + 1);
  out.fill(0, 0, k);
  let kl = k;
  for (let p = 0; p + 1 < edges.length; p++) {
    const x = edges[p]!;
    while (kl > 1 && x > m[kl - 1]! + Z_NORMAL * s[kl - 1]!) kl--;
    const b = edges[p + 1]!;
    const h = 0.5 * (b - x);
    const c = 0.5 * (b + x);
    for (let l = 0; l < N; l++) {
      const xl = c + h * T[l]!;
      const o = l * kl;
      for (let q = 0; q < kl; q++) {
        const z = (xl - m[q]!) * is[q]!;
        f[o + q] = Math.exp(c0[q]! - 0.5 * z * z);
      }
    }
    for (let q = 0; q < kl; q++) F[q] = panelCdf(f, Fn, q, kl, h, F[q]!, w);
    panelProducts(f, Fn, 0, kl, h, pre, out, 0);
  }
}

/**
 * P(arm j has the largest score) for independent N(mⱼ, sⱼ²) (sⱼ ≥ 0; sⱼ = 0 is a point mass,
 * ties between point masses split equally). Two arms: Φ((m₁ − m₂)/√(s₁² + s₂²)) exactly.
 *
 * @param m - means
 * @param s - standard deviations (≥ 0)
 * @param k - number of arms (≥ 1)
 * @param out - receives the k probabilities (sum 1)
 * @returns `out`
 * @example
 * ```ts
 * normalBestProbabilities(Float64Array.of(1, 0), Float64Array.of(1, 1), 2, new Float64Array(2)); // [Φ(1/√2), …]
 * ```
 * @see Gelman et al., Bayesian Data Analysis, 3rd ed., §3.7 (difference of normals).
 * @internal
 */
export function normalBestProbabilities(m: ArrayLike<number>, s: ArrayLike<number>, k: number, out: Float64Array, w: PBestWork = pbestWork()): Float64Array {
  if (k === 1) {
    out[0] = 1;
    return out;
  }
  for (let j = 0; j < k; j++) {
    if (!Number.isFinite(m[j]!) || !Number.isFinite(s[j]!)) return argmaxOfMeans(m, k, out);
  }
  if (k === 2) {
    const diff = m[0]! - m[1]!;
    const sd = Math.sqrt(s[0]! * s[0]! + s[1]! * s[1]!);
    const p = sd > 0 && Number.isFinite(sd) ? normalCdf(diff / sd, 0, 1) : diff > 0 ? 1 : diff < 0 ? 0 : 0.5;
    out[0] = p;
    out[1] = 1 - p;
    return out;
  }
  // Point masses: the largest, M, bounds the continuous arms' relevant range from below.
  let M = Number.NEGATIVE_INFINITY;
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < k; j++) {
    if (s[j]! > 0) {
      lo = Math.max(lo, m[j]! - Z_NORMAL * s[j]!);
      hi = Math.max(hi, m[j]! + Z_NORMAL * s[j]!);
    } else if (m[j]! > M) M = m[j]!;
  }
  if (M > lo) lo = M;
  // A continuous arm that beats the continuous arm of largest mean with probability
  // Φ((mⱼ − m_r)/√(sⱼ² + s_r²)) < Φ(−8.5) (or with all its mass below lo) gets 0 and a cdf of
  // 1: every probability then errs by at most that much.
  let r = -1;
  for (let j = 0; j < k; j++) if (s[j]! > 0 && (r < 0 || m[j]! > m[r]!)) r = j;
  const cont: number[] = [];
  for (let j = 0; j < k; j++) {
    if (!(s[j]! > 0) || !(m[j]! + Z_NORMAL * s[j]! > lo)) continue;
    if (j !== r && m[j]! - m[r]! < -Z_NORMAL * Math.sqrt(s[j]! * s[j]! + s[r]! * s[r]!)) continue;
    cont.push(j);
  }
  // by upper cut-off, highest first: the arms still below theirs are a prefix at every x
  cont.sort((i, j) => m[j]! + Z_NORMAL * s[j]! - (m[i]! + Z_NORMAL * s[i]!) || i - j);
  hi = cont.length > 0 ? m[cont[0]!]! + Z_NORMAL * s[cont[0]!]! : lo;
  out.fill(0, 0, k);
  const kc = cont.length;
  const mc = scratch(w, 3, kc);
  const sc = scratch(w, 4, kc);
  const c0 = scratch(w, 5, kc);
  const is = scratch(w, 6, kc);
  for (let q = 0; q < kc; q++) {
    const j = cont[q]!;
    mc[q] = m[j]!;
    sc[q] = s[j]!;
    is[q] = 1 / s[j]!;
    c0[q] = -0.5 * Math.log(2 * Math.PI) - Math.log(s[j]!);
  }
  // Raise lo while Π Fⱼ(lo) — the whole mass below lo — stays below 1e-16, by bisection on an
  // upper bound of Σ log Fⱼ (Φ(z) < φ(z)/|z| for z < −1, else Φ ≤ 1): with several similar
  // arms the maximum's density starts well above the largest mⱼ − 8.5sⱼ.
  if (kc > 1 && !(M >= lo)) {
    let top = mc[0]!;
    for (let q = 1; q < kc; q++) if (mc[q]! > top) top = mc[q]!;
    let a0 = lo;
    let b0 = top;
    for (let it = 0; it < 10; it++) {
      const x = 0.5 * (a0 + b0);
      let g = 0;
      for (let q = 0; q < kc; q++) {
        const z = (x - mc[q]!) * is[q]!;
        if (z < -1) g += -0.5 * z * z - Math.log(-z) - 0.9189385332046728;
      }
      if (g <= LOG_TAIL_NORMAL) a0 = x;
      else b0 = x;
    }
    lo = a0;
  }
  let atMass = 1; // P(every continuous arm < lo)
  const F = scratch(w, 7, kc);
  for (let q = 0; q < kc; q++) {
    F[q] = normalCdf((lo - mc[q]!) / sc[q]!, 0, 1);
    atMass *= F[q]!;
  }
  if (kc > 0 && lo < hi) {
    const part = scratch(w, 8, kc);
    integrateNormal(kc, panelEdges(lo, hi, kc, mc, sc, NORMAL_WIDTH, false, false, 0, 0.5), mc, sc, is, c0, F, part, w);
    for (let q = 0; q < kc; q++) out[cont[q]!] = part[q]!;
  }
  if (M > Number.NEGATIVE_INFINITY && M >= lo) {
    // the point masses at M share P(every continuous arm < M)
    const tied: number[] = [];
    for (let j = 0; j < k; j++) if (!(s[j]! > 0) && m[j] === M) tied.push(j);
    for (const j of tied) out[j] = (kc === 0 ? 1 : atMass) / tied.length;
  }
  normalise(out, k);
  return out;
}

/** Degenerate input (a non-finite mean or sd): the arm(s) with the largest mean, split equally. */
function argmaxOfMeans(m: ArrayLike<number>, k: number, out: Float64Array): Float64Array {
  let best = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let j = 0; j < k; j++) {
    const v = m[j]!;
    if (v > best) {
      best = v;
      n = 1;
    } else if (v === best) n++;
  }
  for (let j = 0; j < k; j++) out[j] = n === 0 ? 1 / k : m[j] === best ? 1 / n : 0;
  return out;
}

/**
 * P(arm j has the largest draw) for independent Student-t marginals tⱼ(νⱼ, mⱼ, sⱼ) (the
 * posterior of a normal mean under a normal–inverse-gamma posterior: ν = 2·shape,
 * m = mean, s = √(rate / (shape·kappa))).
 *
 * @param df - degrees of freedom (> 0)
 * @param m - locations
 * @param s - scales (> 0)
 * @param k - number of arms (≥ 1)
 * @param out - receives the k probabilities (sum 1)
 * @returns `out`
 * @example
 * ```ts
 * studentTBestProbabilities(Float64Array.of(4, 4), Float64Array.of(0, 0), Float64Array.of(1, 1), 2, new Float64Array(2)); // [0.5, 0.5]
 * ```
 * @see Murphy (2007), Conjugate Bayesian analysis of the Gaussian distribution, §6 (the marginal of μ).
 * @internal
 */
export function studentTBestProbabilities(
  df: ArrayLike<number>,
  m: ArrayLike<number>,
  s: ArrayLike<number>,
  k: number,
  out: Float64Array,
): Float64Array {
  if (k === 1) {
    out[0] = 1;
    return out;
  }
  const mc = Float64Array.from({ length: k }, (_, j) => m[j]!);
  const sc = Float64Array.from({ length: k }, (_, j) => s[j]!);
  const nu = Float64Array.from({ length: k }, (_, j) => df[j]!);
  const half = new Float64Array(k);
  const c0 = new Float64Array(k);
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < k; j++) {
    const v = nu[j]!;
    half[j] = 0.5 * (v + 1);
    c0[j] = gammaln(0.5 * (v + 1)) - gammaln(0.5 * v) - 0.5 * Math.log(v * Math.PI) - Math.log(sc[j]!);
    const q = -tQuantile(1e-17, v); // P(T > q) = 1e-17
    lo = Math.max(lo, mc[j]! - q * sc[j]!);
    hi = Math.max(hi, mc[j]! + q * sc[j]!);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return argmaxOfMeans(mc, k, out);
  const F = new Float64Array(k);
  for (let j = 0; j < k; j++) F[j] = tCdf((lo - mc[j]!) / sc[j]!, nu[j]!);
  const dens: Densities = (x, f, o) => {
    for (let j = 0; j < k; j++) {
      const z = (x - mc[j]!) / sc[j]!;
      f[o + j] = Math.exp(c0[j]! - half[j]! * Math.log1p((z * z) / nu[j]!));
    }
  };
  integrate(k, panelEdges(lo, hi, k, mc, sc, 2, false, false, 0), dens, F, out);
  normalise(out, k);
  return out;
}
