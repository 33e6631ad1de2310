/**
 * P(arm is best) for independent continuous posteriors, by numerical integration:
 * Pᵢ = ∫ fᵢ(x) Π_{j≠i} Fⱼ(x) dx. Used by the Thompson-sampling policies for their allocation
 * probabilities at default options (no Monte Carlo draws, no random numbers).
 *
 * Method: composite 16-point Gauss–Legendre on panels laid out from the arms' locations and
 * scales (width two scales inside ±4 scales of an arm, then growing geometrically, so narrow
 * posteriors are resolved and heavy tails covered); the cdfs Fⱼ at the nodes come from the
 * same density values by the spectral integration matrix of the panel (Fⱼ(node) = Fⱼ(panel
 * start) + ∫ of the degree-15 interpolant of fⱼ), so each node costs one density evaluation per
 * arm and no incomplete-beta or erfc call. Accuracy about 1e-12 absolute (tests: closed forms
 * and SciPy quadrature); the probabilities are renormalised to sum to 1.
 *
 * @see Press et al. (2007), Numerical Recipes, 3rd ed., §4.6 (Gauss–Legendre); Trefethen (2000),
 *   Spectral Methods in MATLAB, ch. 12 (integration matrices on Gauss nodes).
 * @packageDocumentation
 */
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

/** Fills `f[l·k + j]` with arm j's density at x (k arms). */
type Densities = (x: number, f: Float64Array, offset: number) => void;

/**
 * Panel width at x: two scales within 4 scales of an arm, else half the distance to it (one
 * scale gave the same results to 1e-14 against SciPy at twice the cost).
 */
function width(x: number, k: number, m: Float64Array, s: Float64Array): number {
  let w = Number.POSITIVE_INFINITY;
  for (let j = 0; j < k; j++) {
    const sj = 2 * s[j]!;
    const d = 0.5 * Math.abs(x - m[j]!);
    const wj = Math.max(d , sj);
    if (wj < w) w = wj;
  }
  return w;
}

/**
 * The composite rule over [lo, hi]. `F` holds every arm's cdf at `lo` on entry (and at `hi`
 * on return); `out[j]` receives ∫ fⱼ Π_{i≠j} Fᵢ. `grade0`/`grade1`: refine geometrically
 * towards lo / hi (for densities with a fractional power there), down to `hmin`.
 */
function integrate(
  k: number,
  lo: number,
  hi: number,
  m: Float64Array,
  s: Float64Array,
  dens: Densities,
  F: Float64Array,
  out: Float64Array,
  grade0: boolean,
  grade1: boolean,
  hmin: number,
): void {
  const f = new Float64Array(N * k);
  const Fn = new Float64Array(N * k);
  const pre = new Float64Array(k + 1);
  out.fill(0, 0, k);
  let x = lo;
  let panels = 0;
  while (x < hi && panels < 100_000) {
    panels++;
    let w = width(x, k, m, s);
    if (grade0) {
      const g = Math.max(hmin, x - lo);
      if (g < w) w = g;
    }
    if (grade1) {
      const g = Math.max(hmin, 0.5 * (hi - x));
      if (g < w) w = g;
    }
    let b = x + w;
    if (b >= hi || hi - b < 1e-3 * w) b = hi;
    if (!(b > x)) b = hi; // w below the spacing of doubles at x
    const h = 0.5 * (b - x);
    const c = 0.5 * (b + x);
    for (let l = 0; l < N; l++) dens(c + h * T[l]!, f, l * k);
    // cdfs at the nodes
    for (let j = 0; j < k; j++) {
      const F0 = F[j]!;
      let mx = 0;
      for (let l = 0; l < N; l++) if (f[l * k + j]! > mx) mx = f[l * k + j]!;
      if (mx * h < 1e-19) {
        // negligible mass of arm j on this panel: its cdf is constant here
        for (let i = 0; i < N; i++) Fn[i * k + j] = F0;
        continue;
      }
      for (let i = 0; i < N; i++) {
        let v = 0;
        const row = i * N;
        for (let l = 0; l < N; l++) v += S[row + l]! * f[l * k + j]!;
        const Fi = F0 + h * v;
        Fn[i * k + j] = Fi < 0 ? 0 : Math.min(Fi , 1);
      }
    }
    // ∫ fⱼ Π_{i≠j} Fᵢ over the panel (prefix and suffix products)
    for (let i = 0; i < N; i++) {
      const o = i * k;
      pre[0] = 1;
      for (let j = 0; j < k; j++) pre[j + 1] = pre[j]! * Fn[o + j]!;
      let suf = 1;
      const wi = W[i]! * h;
      for (let j = k - 1; j >= 0; j--) {
        out[j]! += wi * f[o + j]! * pre[j]! * suf;
        suf *= Fn[o + j]!;
      }
    }
    for (let j = 0; j < k; j++) {
      let v = 0;
      for (let l = 0; l < N; l++) v += W[l]! * f[l * k + j]!;
      const Fb = F[j]! + h * v;
      F[j] = Fb < 0 ? 0 : Math.min(Fb , 1);
    }
    x = b;
  }
}

function normalise(out: Float64Array, k: number): void {
  let t = 0;
  for (let j = 0; j < k; j++) {
    const v = out[j]!;
    out[j] = Math.max(v , 0);
    t += out[j]!;
  }
  if (t > 0 && Number.isFinite(t)) for (let j = 0; j < k; j++) out[j] = out[j]! / t;
  else out.fill(1 / k, 0, k);
}

/**
 * P(arm j has the largest draw) for independent Beta(aⱼ, bⱼ), all aⱼ, bⱼ ≥ 1 (bounded
 * densities; smaller shapes have endpoint singularities this rule does not resolve).
 *
 * @param a - first shapes (≥ 1)
 * @param b - second shapes (≥ 1)
 * @param k - number of arms (≥ 1)
 * @param out - receives the k probabilities (sum 1)
 * @returns `out`
 * @example
 * ```ts
 * betaBestProbabilities(Float64Array.of(2, 1), Float64Array.of(1, 1), 2, new Float64Array(2)); // [2/3, 1/3]
 * ```
 * @see Chapelle & Li (2011), An empirical evaluation of Thompson sampling, NeurIPS (P(best) of Beta posteriors).
 * @internal
 */
export function betaBestProbabilities(a: ArrayLike<number>, b: ArrayLike<number>, k: number, out: Float64Array): Float64Array {
  if (k === 1) {
    out[0] = 1;
    return out;
  }
  const m = new Float64Array(k);
  const s = new Float64Array(k);
  const am1 = new Float64Array(k);
  const bm1 = new Float64Array(k);
  const lnB = new Float64Array(k);
  let frac0 = false;
  let frac1 = false;
  for (let j = 0; j < k; j++) {
    const aj = a[j]!;
    const bj = b[j]!;
    const n = aj + bj;
    m[j] = aj / n;
    s[j] = Math.sqrt((aj * bj) / (n * n * (n + 1)));
    am1[j] = aj - 1;
    bm1[j] = bj - 1;
    lnB[j] = betaln(aj, bj);
    // A fractional power of x (or 1 − x) is not smooth at the endpoint: grade the panels there
    // when the arm has mass near it.
    // (x^α with α ≥ 6 is smooth enough: 16-point Gauss–Legendre errs by ~16^(−2α−2).)
    if (aj !== Math.floor(aj) && aj < 7) frac0 = true;
    if (bj !== Math.floor(bj) && bj < 7) frac1 = true;
  }
  const dens: Densities = (x, f, o) => {
    const lx = Math.log(x);
    const l1x = Math.log1p(-x);
    for (let j = 0; j < k; j++) f[o + j] = Math.exp(am1[j]! * lx + bm1[j]! * l1x - lnB[j]!);
  };
  const F = new Float64Array(k);
  // The two ends are graded separately (from 0 up to 1/2, from 1/2 up to 1).
  integrateSplit(k, m, s, dens, F, out, frac0, frac1);
  normalise(out, k);
  return out;
}

function integrateSplit(
  k: number,
  m: Float64Array,
  s: Float64Array,
  dens: Densities,
  F: Float64Array,
  out: Float64Array,
  grade0: boolean,
  grade1: boolean,
): void {
  const part = new Float64Array(k);
  // Pᵢ over [0, ½] needs the cdfs at ½ for the second half; integrate() carries them in F.
  integrate(k, 0, 0.5, m, s, dens, F, part, grade0, false, 1e-10);
  integrate(k, 0.5, 1, m, s, dens, F, out, false, grade1, 1e-10);
  for (let j = 0; j < k; j++) out[j]! += part[j]!;
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
export function normalBestProbabilities(m: ArrayLike<number>, s: ArrayLike<number>, k: number, out: Float64Array): Float64Array {
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
  const cont: number[] = [];
  for (let j = 0; j < k; j++) {
    if (s[j]! > 0) cont.push(j);
    else if (m[j]! > M) M = m[j]!;
  }
  out.fill(0, 0, k);
  const kc = cont.length;
  const mc = new Float64Array(kc);
  const sc = new Float64Array(kc);
  const c0 = new Float64Array(kc);
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const Z = 9.5; // Φ(−9.5) ≈ 1e-21
  cont.forEach((j, q) => {
    mc[q] = m[j]!;
    sc[q] = s[j]!;
    c0[q] = -0.5 * Math.log(2 * Math.PI) - Math.log(s[j]!);
    lo = Math.max(lo, m[j]! - Z * s[j]!);
    hi = Math.max(hi, m[j]! + Z * s[j]!);
  });
  if (M > lo) lo = M;
  let atMass = 1; // P(every continuous arm < lo)
  const F = new Float64Array(kc);
  for (let q = 0; q < kc; q++) {
    F[q] = normalCdf((lo - mc[q]!) / sc[q]!, 0, 1);
    atMass *= F[q]!;
  }
  if (kc > 0 && lo < hi) {
    const part = new Float64Array(kc);
    const dens: Densities = (x, f, o) => {
      for (let q = 0; q < kc; q++) {
        const z = (x - mc[q]!) / sc[q]!;
        f[o + q] = Math.exp(c0[q]! - 0.5 * z * z);
      }
    };
    integrate(kc, lo, hi, mc, sc, dens, F, part, false, false, 0);
    cont.forEach((j, q) => {
      out[j] = part[q]!;
    });
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
  integrate(k, lo, hi, mc, sc, dens, F, out, false, false, 0);
  normalise(out, k);
  return out;
}
