/**
 * Pooling private releases into a population prior: the normal–normal random-effects model
 * with known within-release variances, y_i ~ N(θ_i, s_i²), θ_i ~ N(μ, τ²), μ ~ normal (or a
 * mixture of normals), τ ~ any prior on [0, ∞). μ is integrated out in closed form; the
 * one-dimensional posterior of τ is integrated by adaptive Gauss–Kronrod quadrature.
 *
 * @packageDocumentation
 */
import { goldenSectionMax } from '../bayes/quadrature.js';
import type { Dist } from '../distributions/index.js';
import erfc from '@stdlib/math-base-special-erfc';
import { cdfRaw, logPdfRaw, logSumExp, normalQuantileStd, quantileRaw, validateDist } from '../distributions/index.js';
import type { EffectSummary } from '../models/types.js';
import type { Seed } from '../rng/index.js';
import { fail, integer, oneOf, plainObject, seed as seedGuard } from '../validate.js';
import { type Groups, type PoolInput, type ReleaseGroup, groupReleases, readGroups } from './releases.js';

/** Priors of the random-effects model. */
export interface PoolPriors {
  /** Prior of the population mean effect μ: a `normal` or a `mixture` of normals (e.g. the LFM's prior). */
  readonly mean: Dist;
  /**
   * Prior of the between-patient sd τ, on [0, ∞): `halfNormal` (the usual choice), `gamma`,
   * `invGamma`, `uniform` with min ≥ 0, `beta` (τ < 1), or a mixture of these.
   */
  readonly heterogeneity: Dist;
}

/** Options shared by {@link poolPrivateReleases} and {@link poolReleaseGroups}. */
export interface PoolCommonOptions {
  readonly priors: PoolPriors;
  /** Sets `probBetter` of μ's summary: P(μ > 0) for 'higher', P(μ < 0) for 'lower'. @defaultValue 'higher' */
  readonly betterIs?: 'higher' | 'lower';
  /**
   * Accepted for the API contract; the quadrature is deterministic, so the result does not
   * depend on it. @defaultValue none
   */
  readonly seed?: Seed;
  /** Most components of the predictive mixture (per component of the μ prior). @defaultValue 32 */
  readonly components?: number;
}

/** Options of {@link poolPrivateReleases}. */
export interface PoolPrivateReleasesOptions extends PoolCommonOptions {
  /** The releases: `{ value, sd }` (sd total) or `{ release, sd }` (sd of the estimate before noise). */
  readonly releases: readonly PoolInput[];
}

/** Options of {@link poolReleaseGroups}. */
export interface PoolReleaseGroupsOptions extends PoolCommonOptions {
  /** Additive statistics per distinct total sd (see {@link releaseGroups}). */
  readonly groups: readonly ReleaseGroup[];
}

/** Posterior summary of the between-patient sd τ. */
export interface HeterogeneitySummary {
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  /** Central 95% credible interval. */
  readonly interval: readonly [number, number];
}

/** The result of {@link poolPrivateReleases} (plain data). */
export interface PooledPrior {
  /** Always 'quadrature': exact up to the stated quadrature error. */
  readonly method: 'quadrature';
  /** Number of releases pooled. */
  readonly releases: number;
  /** Posterior of the population mean effect μ. */
  readonly mean: EffectSummary;
  /** Posterior of the between-patient sd τ. */
  readonly heterogeneity: HeterogeneitySummary;
  /**
   * Posterior predictive of a new patient's effect θ_new ~ N(μ, τ²): a normal mixture (moment-
   * matched over equal-mass bins of τ), usable as a prior by `analyzeTrial` and `robustify`.
   */
  readonly predictive: Dist;
  /** log p(releases) under the random-effects model and these priors (the evidence, for model weights). */
  readonly logEvidence: number;
  readonly quadrature: {
    /** Evaluations of p(τ | y) in all (each is one pass over the groups of releases). */
    readonly evaluations: number;
    /** Nodes at which p(τ | y) was evaluated in the final rule. */
    readonly nodes: number;
    /** Sub-intervals of the final Gauss–Kronrod rule. */
    readonly intervals: number;
    /** Relative error estimate of the normalising constant (Kronrod minus Gauss). */
    readonly relativeError: number;
    /** The integration range of τ. */
    readonly range: readonly [number, number];
    /** Largest |F_full − F_predictive| at the 1, 2.5, 10, 25, 50, 75, 90, 97.5 and 99% quantiles of the untrimmed predictive: the cost of trimming. */
    readonly predictiveCdfError: number;
  };
}

const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911, 0.4058451513773972,
  0.20778495500789848, 0,
];
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679, 0.19035057806478542,
  0.20443294007529889, 0.20948214108472782,
];
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];
/** The 15 Kronrod abscissae in increasing order on [−1, 1], with weights and Gauss (7-point) weights (0 off the Gauss nodes). */
const X15 = new Float64Array(15);
const W15 = new Float64Array(15);
const G15 = new Float64Array(15);
for (let j = 0; j < 7; j++) {
  X15[j] = -(XGK[j] as number);
  X15[14 - j] = XGK[j] as number;
  W15[j] = WGK[j] as number;
  W15[14 - j] = WGK[j] as number;
  const g = j % 2 === 1 ? (WG[(j - 1) / 2] as number) : 0;
  G15[j] = g;
  G15[14 - j] = g;
}
X15[7] = 0;
W15[7] = WGK[7] as number;
G15[7] = WG[3] as number;
/** The 7-point Gauss rule (odd Kronrod indices), for partial integrals. */
const X7 = [1, 3, 5, 7, 9, 11, 13].map((i) => X15[i] as number);
const W7 = [1, 3, 5, 7, 9, 11, 13].map((i) => G15[i] as number);

/** Barycentric weights of the 15 Kronrod nodes (for interpolating the density inside an interval). */
const BARY = new Float64Array(15);
for (let j = 0; j < 15; j++) {
  let p = 1;
  for (let k = 0; k < 15; k++) if (k !== j) p *= (X15[j] as number) - (X15[k] as number);
  BARY[j] = 1 / p;
}

/** The degree-14 interpolant through an interval's 15 node densities, at x ∈ [−1, 1]. */
function interpolate(f: Float64Array, x: number): number {
  let num = 0;
  let den = 0;
  for (let j = 0; j < 15; j++) {
    const d = x - (X15[j] as number);
    if (d === 0) return f[j] as number;
    const t = (BARY[j] as number) / d;
    num += t * (f[j] as number);
    den += t;
  }
  return num / den;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** Below the maximum log density by this much, the density is negligible (e^-46 ≈ 1e-20). */
const LOG_CUTOFF = 46;
const REL_TOL = 1e-9;
const MAX_INTERVALS = 300;
const MAX_MEAN_COMPONENTS = 64;
const DEFAULT_COMPONENTS = 32;

interface MeanComponent {
  readonly w: number;
  readonly m: number;
  readonly v: number;
}

function flattenMean(fn: string, d: Dist, w: number, out: MeanComponent[]): void {
  if (d.family === 'normal') {
    out.push({ w, m: d.mean, v: d.sd * d.sd });
    return;
  }
  if (d.family === 'mixture') {
    for (const c of d.components) flattenMean(fn, c.dist, w * c.weight, out);
    return;
  }
  fail(fn, 'priors.mean', 'must be a normal or a mixture of normals', d.family);
}

/** [lo, hi] of the τ prior's support; refuses priors with mass below 0. */
function tauSupport(fn: string, d: Dist): [number, number] {
  switch (d.family) {
    case 'halfNormal':
    case 'gamma':
    case 'invGamma':
      return [0, Number.POSITIVE_INFINITY];
    case 'beta':
      return [0, 1];
    case 'uniform':
      if (d.min < 0) fail(fn, 'priors.heterogeneity.min', 'must be >= 0 (τ is an sd)', d.min);
      return [d.min, d.max];
    case 'mixture': {
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      for (const c of d.components) {
        const [a, b] = tauSupport(fn, c.dist);
        lo = Math.min(lo, a);
        hi = Math.max(hi, b);
      }
      return [lo, hi];
    }
    default:
      return fail(fn, 'priors.heterogeneity', "must be a prior on [0, ∞) (halfNormal, gamma, invGamma, uniform with min >= 0, beta, or a mixture of these)", d.family);
  }
}

/** Evaluates the marginal likelihood of τ: everything the rest needs, without allocation. */
class Evaluator {
  readonly g: Groups;
  readonly comps: readonly MeanComponent[];
  readonly prior: Dist;
  readonly constant: number;
  readonly terms: Float64Array;
  readonly shift: number;
  /** Results of the last call: Σ w, the weighted mean. */
  W = 0;
  ybar = 0;
  calls = 0;

  constructor(g: Groups, comps: readonly MeanComponent[], prior: Dist) {
    this.g = g;
    this.comps = comps;
    this.prior = prior;
    this.constant = -0.5 * (g.releases - 1) * LOG_2PI;
    this.terms = new Float64Array(comps.length);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < g.size; i++) {
      sum += (g.count[i] as number) * (g.mean[i] as number);
      n += g.count[i] as number;
    }
    this.shift = sum / n;
  }

  /** Σ log(s² + τ²) over [from, to) for unit counts (the slow path of a block). */
  blockLogs(from: number, to: number, t2: number): number {
    let L = 0;
    for (let i = from; i < to; i++) if ((this.g.count[i] as number) === 1) L += Math.log((this.g.s2[i] as number) + t2);
    return L;
  }

  /** log p(τ) + log p(y | τ) (μ integrated out), up to no constant. Sets W and ybar. */
  logPost(tau: number): number {
    this.calls++;
    const lp = logPdfRaw(this.prior, tau);
    if (lp === Number.NEGATIVE_INFINITY || Number.isNaN(lp)) {
      this.W = Number.NaN;
      return Number.NEGATIVE_INFINITY;
    }
    const t2 = tau * tau;
    const { s2, count, mean, m2, size } = this.g;
    const shift = this.shift;
    // Sums around a fixed shift (the unweighted mean), then centred: Q = Σ w (y − ȳ)².
    // Σ log v by products of 16 terms (one log per block; a block that would over- or
    // underflow is redone term by term).
    let W = 0;
    let S = 0;
    let Q2 = 0;
    let L = 0;
    let p = 1;
    let start = 0;
    for (let i = 0; i < size; i++) {
      const v = (s2[i] as number) + t2;
      const iv = 1 / v;
      const c = count[i] as number;
      const w = c * iv;
      const d = (mean[i] as number) - shift;
      W += w;
      S += w * d;
      Q2 += w * d * d + (m2[i] as number) * iv;
      if (c === 1) p *= v;
      else L += c * Math.log(v);
      if ((i & 15) === 15) {
        L += p > 1e-280 && p < 1e280 ? Math.log(p) : this.blockLogs(start, i + 1, t2);
        p = 1;
        start = i + 1;
      }
    }
    if (start < size) L += p > 1e-280 && p < 1e280 ? Math.log(p) : this.blockLogs(start, size, t2);
    const mu = shift + S / W;
    const Q = Math.max(0, Q2 - (S * S) / W);
    this.W = W;
    this.ybar = mu;
    const k = this.comps.length;
    for (let j = 0; j < k; j++) {
      const c = this.comps[j] as MeanComponent;
      const vv = 1 / W + c.v;
      const dd = mu - c.m;
      this.terms[j] = Math.log(c.w) - 0.5 * (LOG_2PI + Math.log(vv) + (dd * dd) / vv);
    }
    const mix = k === 1 ? (this.terms[0] as number) : logSumExp(this.terms);
    return lp + this.constant - 0.5 * (L + Q + Math.log(W)) + mix;
  }
}

interface Interval {
  a: number;
  b: number;
  /** Kronrod and Gauss estimates (relative to exp(ℓmax)). */
  k: number;
  e: number;
  /** Per node: τ, f (relative density), weight·f, W, ybar. */
  tau: Float64Array;
  f: Float64Array;
  wf: Float64Array;
  W: Float64Array;
  ybar: Float64Array;
}

function gkInterval(ev: Evaluator, a: number, b: number, lmax: number): Interval {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const tau = new Float64Array(15);
  const fv = new Float64Array(15);
  const wf = new Float64Array(15);
  const W = new Float64Array(15);
  const ybar = new Float64Array(15);
  let kron = 0;
  let gauss = 0;
  for (let j = 0; j < 15; j++) {
    const t = c + h * (X15[j] as number);
    tau[j] = t;
    const l = ev.logPost(t);
    const f = l === Number.NEGATIVE_INFINITY ? 0 : Math.exp(l - lmax);
    fv[j] = f;
    W[j] = ev.W;
    ybar[j] = ev.ybar;
    wf[j] = h * (W15[j] as number) * f;
    kron += wf[j] as number;
    gauss += h * (G15[j] as number) * f;
  }
  return { a, b, k: kron, e: Math.abs(kron - gauss), tau, f: fv, wf, W, ybar };
}

function resolveCommon(fn: string, o: Record<string, unknown>): { comps: MeanComponent[]; prior: Dist; betterIs: 'higher' | 'lower'; components: number } {
  const priors = plainObject(fn, 'priors', o.priors);
  const mean = validateDist(priors.mean, fn, 'priors.mean');
  const het = validateDist(priors.heterogeneity, fn, 'priors.heterogeneity');
  const comps: MeanComponent[] = [];
  flattenMean(fn, mean, 1, comps);
  if (comps.length > MAX_MEAN_COMPONENTS) fail(fn, 'priors.mean', `must have at most ${MAX_MEAN_COMPONENTS} components`, comps.length);
  tauSupport(fn, het);
  const betterIs = o.betterIs === undefined ? 'higher' : oneOf(fn, 'betterIs', o.betterIs, ['higher', 'lower'] as const);
  if (o.seed !== undefined) seedGuard(fn, 'seed', o.seed);
  const components = o.components === undefined ? DEFAULT_COMPONENTS : integer(fn, 'components', o.components, 1, 1000);
  const known = new Set(['releases', 'groups', 'priors', 'betterIs', 'seed', 'components']);
  for (const k of Object.keys(o)) if (!known.has(k)) fail(fn, k, 'is not an option', o[k]);
  return { comps, prior: het, betterIs, components };
}

/**
 * Pools differentially private effect releases into a population prior: the normal–normal
 * random-effects model y_i ~ N(θ_i, s_i²), θ_i ~ N(μ, τ²) with known s_i (a release's variance
 * is the patient's own posterior variance plus the DP noise variance).
 *
 * **Method.** Given τ, μ is conjugate: with weights w_i = 1/(s_i² + τ²), W = Σ w_i and ȳ the
 * weighted mean, p(y | τ) = (2π)^(−(n−1)/2) Π(s_i² + τ²)^(−1/2) W^(−1/2) exp(−½ Σ w_i (y_i − ȳ)²)
 * · Σ_k π_k N(ȳ; m_k, 1/W + s_k²) for a prior Σ π_k N(m_k, s_k²) on μ, and μ | τ, y is a
 * mixture of normals with precisions W + 1/s_k². So p(τ | y) ∝ p(τ) p(y | τ) is one-
 * dimensional and every posterior quantity is an integral over τ. These are computed by
 * globally adaptive Gauss–Kronrod (7–15) quadrature (the rule of `src/bayes/quadrature.ts`,
 * here keeping its final nodes so one rule serves the normaliser, the moments of τ and the
 * mixture for μ): the posterior mode is located on a logarithmic grid refined by golden-section
 * search, the range is widened until the log density is 46 below its maximum (density ratio
 * 1e-20), the range is cut into 8 panels and the panel with the largest error is bisected until
 * the relative error estimate is below 1e-11. Gauss–Kronrod suits the smooth, possibly very
 * peaked integrand (with 10⁵ releases the posterior of τ is ~0.3% wide); the error estimate
 * comes free. Each evaluation is one pass over the groups of releases with equal sd (no
 * allocation); releases that share an sd (a common design and mechanism) cost one term.
 *
 * μ's summary comes from the exact mixture over the nodes; τ's median and interval by Newton
 * steps on the quadrature's cumulative integral. The predictive θ_new | y is
 * ∫ N(θ; m_k(τ), v_k(τ) + τ²) dP(τ, k | y), a normal mixture over the nodes; it is trimmed to
 * `components` bins of equal posterior mass in τ, each moment-matched (mean and variance of
 * the predictive are kept exactly; `quadrature.predictiveCdfError` reports the cdf error).
 *
 * What a release may contain: see `privateEffectForPooling` (the value under DP; the sd public
 * from the design for a known-σ trial, otherwise released under DP too). Release the patient's
 * data estimate (a vague-prior posterior), not a posterior under the population prior, or the
 * prior is counted twice.
 *
 * @param options - `{ releases, priors: { mean, heterogeneity }, betterIs?, seed?, components? }`
 * @returns a {@link PooledPrior}: μ's {@link EffectSummary}, τ's summary, the predictive `Dist`,
 *   the log evidence and the quadrature's diagnostics
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) for no releases, a release without a finite
 *   value and positive sd, a mean prior that is not normal (or a normal mixture), a
 *   heterogeneity prior with mass below 0, or an unknown option
 * @example
 * ```ts
 * const pooled = poolPrivateReleases({
 *   releases: [{ value: -3.1, sd: 2 }, { value: -1.2, sd: 2.5 }, { value: -4.0, sd: 1.8 }],
 *   priors: { mean: normal(0, 5), heterogeneity: halfNormal(2) },
 *   betterIs: 'lower',
 * });
 * pooled.mean.mean;   // ~ -2.5
 * analyzeTrial({ ...trial, priors: { effects: { magnesium: pooled.predictive } } });
 * ```
 * @see Röver (2020), Bayesian random-effects meta-analysis using the bayesmeta R package, JSS 93(6).
 * @see DerSimonian & Laird (1986), Meta-analysis in clinical trials, Controlled Clinical Trials 7: 177–188.
 * @see Piessens et al. (1983), QUADPACK (QAG, Gauss–Kronrod 7–15).
 */
export function poolPrivateReleases(options: PoolPrivateReleasesOptions): PooledPrior {
  const fn = 'poolPrivateReleases';
  const o = plainObject(fn, 'options', options);
  if (o.groups !== undefined) fail(fn, 'groups', 'is an option of poolReleaseGroups, not poolPrivateReleases', o.groups);
  const c = resolveCommon(fn, o);
  return pool(groupReleases(fn, o.releases), c.comps, c.prior, c.betterIs, c.components);
}

/**
 * {@link poolPrivateReleases} from additive statistics: one `{ sd, count, sum, sumSquares }`
 * per distinct total sd, as an SQL `GROUP BY sd` or a stream processor sums them. Same model,
 * same method; the result equals pooling the releases themselves (up to the rounding of
 * Σy² − (Σy)²/n, negligible unless the values are far from 0 relative to their spread).
 *
 * @param options - `{ groups, priors, betterIs?, seed?, components? }`
 * @returns a {@link PooledPrior}
 * @throws ValidationError for no groups, a bad count, sd or sums (Σy² < (Σy)²/n), or bad priors
 * @example
 * ```ts
 * const groups = releaseGroups(releases);     // or SELECT sd, COUNT(*), SUM(value), SUM(value*value) ... GROUP BY sd
 * poolReleaseGroups({ groups, priors: { mean: normal(0, 5), heterogeneity: halfNormal(2) } });
 * ```
 * @see Röver (2020), Bayesian random-effects meta-analysis using the bayesmeta R package, JSS 93(6).
 */
export function poolReleaseGroups(options: PoolReleaseGroupsOptions): PooledPrior {
  const fn = 'poolReleaseGroups';
  const o = plainObject(fn, 'options', options);
  if (o.releases !== undefined) fail(fn, 'releases', 'is an option of poolPrivateReleases, not poolReleaseGroups', o.releases);
  const c = resolveCommon(fn, o);
  return pool(readGroups(fn, o.groups), c.comps, c.prior, c.betterIs, c.components);
}

function pool(g: Groups, comps: readonly MeanComponent[], prior: Dist, betterIs: 'higher' | 'lower', maxComponents: number): PooledPrior {
  const ev = new Evaluator(g, comps, prior);
  const [supLo, supHi] = tauSupport('poolPrivateReleases', prior);
  // Search range: the prior's bulk and the data's spread.
  let spread = 0;
  let maxS2 = 0;
  {
    let W = 0;
    let mu = 0;
    let Q = 0;
    for (let i = 0; i < g.size; i++) {
      const c = g.count[i] as number;
      const Wn = W + c;
      const d = (g.mean[i] as number) - mu;
      mu += (d * c) / Wn;
      Q += c * d * ((g.mean[i] as number) - mu) + (g.m2[i] as number);
      W = Wn;
      maxS2 = Math.max(maxS2, g.s2[i] as number);
    }
    spread = Math.sqrt(Q / W);
  }
  const priorHi = quantileRaw(prior, 1 - 1e-12);
  let top = Math.max(Number.isFinite(priorHi) ? priorHi : 0, 10 * (spread + Math.sqrt(maxS2)));
  top = Math.min(top, supHi);
  const bottom = Math.max(supLo, top * 1e-9);
  // 1. Mode on a log grid, refined by golden section in log τ.
  const gridN = 33;
  const lb = Math.log(bottom);
  const lt = Math.log(top);
  let best = 0;
  let bestL = Number.NEGATIVE_INFINITY;
  const gridL = new Float64Array(gridN);
  for (let i = 0; i < gridN; i++) {
    const l = ev.logPost(Math.exp(lb + ((lt - lb) * i) / (gridN - 1)));
    gridL[i] = l;
    if (l > bestL) {
      bestL = l;
      best = i;
    }
  }
  if (bestL === Number.NEGATIVE_INFINITY) {
    fail('poolPrivateReleases', 'priors.heterogeneity', 'gives no posterior mass on the searched range of τ', prior);
  }
  const step = (lt - lb) / (gridN - 1);
  const uLo = lb + step * Math.max(0, best - 1);
  const uHi = lb + step * Math.min(gridN - 1, best + 1);
  const uMode = goldenSectionMax((u) => ev.logPost(Math.exp(u)), uLo, uHi, 24);
  let mode = Math.exp(uMode);
  let lmax = ev.logPost(mode);
  if (bestL > lmax) {
    lmax = bestL;
    mode = Math.exp(lb + step * best);
  }
  // 2. Range: widen from the mode until the log density is LOG_CUTOFF below the maximum.
  const thr = lmax - LOG_CUTOFF;
  const curvH = mode * 1e-3;
  let h0 = mode * 0.1;
  if (mode - curvH > supLo) {
    const d2 = (ev.logPost(mode + curvH) - 2 * lmax + ev.logPost(mode - curvH)) / (curvH * curvH);
    if (d2 < 0 && Number.isFinite(d2)) h0 = Math.min(mode, 1 / Math.sqrt(-d2));
  }
  if (!(h0 > 0)) h0 = top * 1e-3;
  let b = mode;
  for (let h = h0, i = 0; i < 200; i++, h *= 2) {
    b = Math.min(supHi, mode + h);
    if (b >= supHi || ev.logPost(b) < thr) break;
  }
  let a = mode;
  for (let h = h0, i = 0; i < 200; i++, h *= 2) {
    a = Math.max(supLo, mode - h);
    if (a <= supLo || ev.logPost(a) < thr) break;
  }
  if (supLo === 0 && a < bottom) a = 0;
  // 3. Adaptive Gauss–Kronrod on [a, b].
  const ivs: Interval[] = [];
  const panels = 8;
  for (let i = 0; i < panels; i++) ivs.push(gkInterval(ev, a + ((b - a) * i) / panels, i === panels - 1 ? b : a + ((b - a) * (i + 1)) / panels, lmax));
  let total = 0;
  let err = 0;
  const sums = () => {
    total = 0;
    err = 0;
    for (const iv of ivs) {
      total += iv.k;
      err += iv.e;
    }
  };
  sums();
  while (err > REL_TOL * total && ivs.length < MAX_INTERVALS) {
    let worst = 0;
    for (let i = 1; i < ivs.length; i++) if ((ivs[i] as Interval).e > (ivs[worst] as Interval).e) worst = i;
    const iv = ivs[worst] as Interval;
    const m = 0.5 * (iv.a + iv.b);
    if (m <= iv.a || m >= iv.b) break;
    ivs[worst] = gkInterval(ev, iv.a, m, lmax);
    ivs.push(gkInterval(ev, m, iv.b, lmax));
    sums();
  }
  ivs.sort((x, y) => x.a - y.a);
  const logEvidence = lmax + Math.log(total);

  // 4. Nodes in increasing τ with normalised weights.
  const nNodes = ivs.length * 15;
  const tau = new Float64Array(nNodes);
  const q = new Float64Array(nNodes);
  const Wn = new Float64Array(nNodes);
  const yb = new Float64Array(nNodes);
  ivs.forEach((iv, i) => {
    for (let j = 0; j < 15; j++) {
      const idx = i * 15 + j;
      tau[idx] = iv.tau[j] as number;
      q[idx] = (iv.wf[j] as number) / total;
      Wn[idx] = iv.W[j] as number;
      yb[idx] = iv.ybar[j] as number;
    }
  });

  // 5. μ | τ, y per node and component.
  const K = comps.length;
  const cw = new Float64Array(nNodes * K);
  const cm = new Float64Array(nNodes * K);
  const cv = new Float64Array(nNodes * K);
  const lt2 = new Float64Array(K);
  for (let j = 0; j < nNodes; j++) {
    const W = Wn[j] as number;
    const y = yb[j] as number;
    if (!((q[j] as number) > 0) || !Number.isFinite(W)) continue;
    for (let k = 0; k < K; k++) {
      const c = comps[k] as MeanComponent;
      const vv = 1 / W + c.v;
      const dd = y - c.m;
      lt2[k] = Math.log(c.w) - 0.5 * (Math.log(vv) + (dd * dd) / vv);
      const prec = W + 1 / c.v;
      cm[j * K + k] = (W * y + c.m / c.v) / prec;
      cv[j * K + k] = 1 / prec;
    }
    const lse = K === 1 ? (lt2[0] as number) : logSumExp(lt2);
    for (let k = 0; k < K; k++) cw[j * K + k] = (q[j] as number) * Math.exp((lt2[k] as number) - lse);
  }
  let muMean = 0;
  let tauMean = 0;
  for (let j = 0; j < nNodes; j++) {
    tauMean += (q[j] as number) * (tau[j] as number);
    for (let k = 0; k < K; k++) muMean += (cw[j * K + k] as number) * (cm[j * K + k] as number);
  }
  let muVar = 0;
  let tauVar = 0;
  for (let j = 0; j < nNodes; j++) {
    const dt = (tau[j] as number) - tauMean;
    tauVar += (q[j] as number) * dt * dt;
    for (let k = 0; k < K; k++) {
      const d = (cm[j * K + k] as number) - muMean;
      muVar += (cw[j * K + k] as number) * (d * d + (cv[j * K + k] as number));
    }
  }
  const csd = cv.map(Math.sqrt);
  const interval: [number, number] = [mixQuantile(cw, cm, csd, 0.025), mixQuantile(cw, cm, csd, 0.975)];
  let cwTotal = 0;
  for (let i = 0; i < cw.length; i++) cwTotal += cw[i] as number;
  const pLower0 = mixCdf(cw, cm, csd, cwTotal, 0);
  // P(μ > 0) summed directly (no 1 − cdf cancellation): Φ(m/s) per component.
  let pUpper0 = 0;
  for (let i = 0; i < cw.length; i++) if ((cw[i] as number) > 0) pUpper0 += (cw[i] as number) * 0.5 * erfc(-(cm[i] as number) / ((csd[i] as number) * Math.SQRT2));
  pUpper0 /= cwTotal;
  const mean: EffectSummary = {
    mean: muMean,
    sd: Math.sqrt(muVar),
    median: mixQuantile(cw, cm, csd, 0.5),
    interval,
    probBetter: Math.min(1, Math.max(0, betterIs === 'higher' ? pUpper0 : pLower0)),
  };

  // 6. τ quantiles by Newton steps on the cumulative integral.
  const cum = new Float64Array(ivs.length + 1);
  for (let i = 0; i < ivs.length; i++) cum[i + 1] = (cum[i] as number) + (ivs[i] as Interval).k / total;
  const tauQuantile = (p: number): number => {
    let i = 0;
    while (i < ivs.length - 1 && (cum[i + 1] as number) < p) i++;
    const iv = ivs[i] as Interval;
    const base = cum[i] as number;
    const mass = (cum[i + 1] as number) - base;
    const target = p - base;
    let lo = iv.a;
    let hi = iv.b;
    let t = iv.a + (iv.b - iv.a) * Math.min(1, Math.max(0, target / mass));
    // Inside the interval the density is its 15-node interpolant (as accurate as the rule itself),
    // so the partial integrals cost no further passes over the releases.
    const c0 = 0.5 * (iv.a + iv.b);
    const h0 = 0.5 * (iv.b - iv.a);
    const dens = (x: number): number => Math.max(0, interpolate(iv.f, (x - c0) / h0)) / total;
    for (let it = 0; it < 60; it++) {
      const c = 0.5 * (iv.a + t);
      const h = 0.5 * (t - iv.a);
      let part = 0;
      for (let j = 0; j < 7; j++) part += (W7[j] as number) * dens(c + h * (X7[j] as number));
      const F = part * h - target;
      if (Math.abs(F) <= 1e-14) break;
      if (F > 0) hi = t;
      else lo = t;
      const d = dens(t);
      let next = d > 0 ? t - F / d : Number.NaN;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) {
        t = next;
        break;
      }
      t = next;
    }
    return t;
  };
  const heterogeneity: HeterogeneitySummary = {
    mean: tauMean,
    sd: Math.sqrt(tauVar),
    median: tauQuantile(0.5),
    interval: [tauQuantile(0.025), tauQuantile(0.975)],
  };

  // 7. The predictive: per node and component N(m, v + τ²); trimmed by equal-mass bins of τ.
  const pv = new Float64Array(nNodes * K);
  for (let j = 0; j < nNodes; j++) {
    const t2 = (tau[j] as number) * (tau[j] as number);
    for (let k = 0; k < K; k++) pv[j * K + k] = (cv[j * K + k] as number) + t2;
  }
  const psd = pv.map(Math.sqrt);
  const bins = Math.min(maxComponents, nNodes);
  const binOf = new Int32Array(nNodes);
  let acc = 0;
  for (let j = 0; j < nNodes; j++) {
    const mid = acc + 0.5 * (q[j] as number);
    acc += q[j] as number;
    binOf[j] = Math.min(bins - 1, Math.floor(mid * bins));
  }
  const bw = new Float64Array(bins * K);
  const bm = new Float64Array(bins * K);
  const bv = new Float64Array(bins * K);
  for (let j = 0; j < nNodes; j++) {
    for (let k = 0; k < K; k++) {
      const idx = (binOf[j] as number) * K + k;
      const w = cw[j * K + k] as number;
      bw[idx] = (bw[idx] as number) + w;
      bm[idx] = (bm[idx] as number) + w * (cm[j * K + k] as number);
    }
  }
  for (let i = 0; i < bins * K; i++) if ((bw[i] as number) > 0) bm[i] = (bm[i] as number) / (bw[i] as number);
  for (let j = 0; j < nNodes; j++) {
    for (let k = 0; k < K; k++) {
      const idx = (binOf[j] as number) * K + k;
      const w = cw[j * K + k] as number;
      const d = (cm[j * K + k] as number) - (bm[idx] as number);
      bv[idx] = (bv[idx] as number) + w * (d * d + (pv[j * K + k] as number));
    }
  }
  for (let i = 0; i < bins * K; i++) if ((bw[i] as number) > 0) bv[i] = (bv[i] as number) / (bw[i] as number);
  const predictive = nodeMixture(bw, bm, bv, 1e-14);
  let cdfErr = 0;
  for (const p of [0.01, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 0.99]) {
    const x = mixQuantile(cw, cm, psd, p);
    cdfErr = Math.max(cdfErr, Math.abs(cdfRaw(predictive, x) - p));
  }
  return {
    method: 'quadrature',
    releases: g.releases,
    mean,
    heterogeneity,
    predictive,
    logEvidence,
    quadrature: { evaluations: ev.calls, nodes: nNodes, intervals: ivs.length, relativeError: err / total, range: [a, b], predictiveCdfError: cdfErr },
  };
}

/** Σ w_i Φ((x − m_i)/s_i) for parallel arrays (weights summing to `total`), divided by `total`. */
function mixCdf(w: Float64Array, m: Float64Array, sd: Float64Array, total: number, x: number): number {
  let c = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number;
    if (wi > 0) c += wi * 0.5 * erfc(((m[i] as number) - x) / ((sd[i] as number) * Math.SQRT2));
  }
  return Math.min(1, Math.max(0, c / total));
}

function mixPdf(w: Float64Array, m: Float64Array, sd: Float64Array, total: number, x: number): number {
  let d = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number;
    if (wi > 0) {
      const z = (x - (m[i] as number)) / (sd[i] as number);
      d += (wi * Math.exp(-0.5 * z * z)) / (sd[i] as number);
    }
  }
  return d / (total * Math.sqrt(2 * Math.PI));
}

/** The p-quantile of a normal mixture from parallel arrays: safeguarded Newton inside the components' quantiles. */
function mixQuantile(w: Float64Array, m: Float64Array, sd: Float64Array, p: number): number {
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i] as number;
  const z = normalQuantileStd(p);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let x = 0;
  for (let i = 0; i < w.length; i++) {
    if (!((w[i] as number) > 0)) continue;
    const q = (m[i] as number) + (sd[i] as number) * z;
    lo = Math.min(lo, q);
    hi = Math.max(hi, q);
    x += ((w[i] as number) / total) * q;
  }
  if (!(hi > lo)) return lo;
  for (let it = 0; it < 100; it++) {
    const F = mixCdf(w, m, sd, total, x) - p;
    if (Math.abs(F) <= 1e-15) return x;
    if (F > 0) hi = x;
    else lo = x;
    const d = mixPdf(w, m, sd, total, x);
    let next = d > 0 ? x - F / d : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x)) || hi - lo <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** A normal mixture from parallel arrays (weights normalised; tiny weights dropped when `drop` is set). */
function nodeMixture(w: Float64Array, m: Float64Array, v: Float64Array, drop: number | null): Dist {
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i] as number;
  const comps: { weight: number; dist: Dist }[] = [];
  let kept = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = (w[i] as number) / total;
    if (!(wi > 0) || (drop !== null && wi < drop)) continue;
    kept += wi;
    comps.push({ weight: wi, dist: { family: 'normal', mean: m[i] as number, sd: Math.sqrt(v[i] as number) } });
  }
  if (comps.length === 1) return (comps[0] as { dist: Dist }).dist;
  for (const c of comps) c.weight /= kept;
  return { family: 'mixture', components: comps };
}
