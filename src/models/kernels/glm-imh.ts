/**
 * Independence Metropolis–Hastings for the binomial (logit) and Poisson (log, exposure) models
 * without AR(1), on collapsed data: the likelihood depends on the data only through the sums
 * (successes and trials; counts and exposure) per distinct row of the design matrix. The
 * proposal is a multivariate t centred at the posterior mode with the Laplace covariance; a
 * pilot sample from it gives the Pareto k̂ and the relative ESS of the importance ratios (400
 * draws, extended to 1,000 unless k̂ < 1 − 1/log₁₀ 400 and the relative ESS ≥ 0.6); when the
 * 1,000-draw pilot has k̂ ≥ 0.7 or relative ESS < 0.5 (a poor approximation, e.g. separation
 * under a vague prior) the caller falls back to the exact Gibbs or Metropolis sampler.
 *
 * @packageDocumentation
 */
import { backSolveT, choleskyOk } from '../../linalg/dense.js';
import type { Rng } from '../../rng/index.js';
import type { NormalMixture } from '../data.js';
import { mixtureMoments } from '../data.js';
import type { ModelSpec } from '../engine.js';
import { paretoKHat } from '../psis.js';

/** Collapsed data of a GLM: distinct rows of X with their sufficient statistics. @internal */
export interface CollapsedGlm {
  readonly outcome: 'binomial' | 'poisson';
  /** Number of distinct rows. */
  readonly rows: number;
  readonly p: number;
  /** rows × p, row-major. */
  readonly X: Float64Array;
  /** Σ y per row. */
  readonly sumY: Float64Array;
  /** Σ trials (binomial) or Σ exposure (Poisson) per row. */
  readonly sumN: Float64Array;
}

/** Up to this many distinct rows, a new row is matched by a linear scan (no string key). */
const SCAN_ROWS = 16;

/**
 * Groups the observations by their row of X and sums the sufficient statistics. Distinct rows
 * keep their order of first appearance. The first {@link SCAN_ROWS} distinct rows are matched
 * by comparing the p numbers (`===`, as the string key would: 0 and −0 are one row); past
 * that (a trend column makes every day distinct) a map keyed by the row's text takes over.
 * @internal
 */
export function collapseGlm(spec: ModelSpec, outcome: 'binomial' | 'poisson'): CollapsedGlm {
  const { n, p, X, y, trials, exposure } = spec.data;
  const bin = outcome === 'binomial';
  let index: Map<string, number> | undefined;
  const xs: number[] = [];
  const sy: number[] = [];
  const sn: number[] = [];
  const keyOf = (i: number): string => {
    let key = '';
    for (let a = 0; a < p; a++) key += `${X[i * p + a] as number},`;
    return key;
  };
  for (let i = 0; i < n; i++) {
    let r: number | undefined;
    if (index === undefined) {
      for (let q = 0; q < sy.length && r === undefined; q++) {
        let same = true;
        for (let a = 0; a < p && same; a++) same = (xs[q * p + a] as number) === (X[i * p + a] as number);
        if (same) r = q;
      }
    } else r = index.get(keyOf(i));
    if (r === undefined) {
      r = sy.length;
      if (index === undefined && r >= SCAN_ROWS) {
        index = new Map();
        for (let q = 0; q < r; q++) {
          let key = '';
          for (let a = 0; a < p; a++) key += `${xs[q * p + a] as number},`;
          index.set(key, q);
        }
      }
      index?.set(keyOf(i), r);
      for (let a = 0; a < p; a++) xs.push(X[i * p + a] as number);
      sy.push(0);
      sn.push(0);
    }
    sy[r] = (sy[r] as number) + (y[i] as number);
    sn[r] = (sn[r] as number) + (bin ? (trials[i] as number) : (exposure[i] as number));
  }
  return { outcome, rows: sy.length, p, X: Float64Array.from(xs), sumY: Float64Array.from(sy), sumN: Float64Array.from(sn) };
}

/** log(1 + e^x) without overflow. */
function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * log posterior (up to a constant) and, when `g`/`h` are given, its gradient and the negative
 * Hessian (the mixture priors' curvature floored at the widest component's precision so that
 * the matrix stays positive definite).
 */
function logPosterior(
  c: CollapsedGlm,
  coef: readonly NormalMixture[],
  b: Float64Array,
  g?: Float64Array,
  h?: Float64Array,
): number {
  const p = c.p;
  let lp = 0;
  if (g) g.fill(0);
  if (h) h.fill(0);
  for (let a = 0; a < p; a++) {
    const mix = coef[a] as NormalMixture;
    const x = b[a] as number;
    const k = mix.w.length;
    if (k === 1) {
      const s = mix.s[0] as number;
      const d = (x - (mix.m[0] as number)) / s;
      lp += -0.5 * d * d;
      if (g) g[a] = -d / s;
      if (h) h[a * p + a] = 1 / (s * s);
      continue;
    }
    // Mixture: log Σ w_j N(x; m_j, s_j) (the normal constants matter between components).
    const lj = (j: number): number => {
      const s = mix.s[j] as number;
      const d = (x - (mix.m[j] as number)) / s;
      return Math.log(mix.w[j] as number) - Math.log(s) - 0.5 * d * d;
    };
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) mx = Math.max(mx, lj(j));
    let tot = 0;
    for (let j = 0; j < k; j++) tot += Math.exp(lj(j) - mx);
    lp += mx + Math.log(tot);
    if (g || h) {
      let d1 = 0;
      let d2 = 0;
      let minPrec = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        const r = Math.exp(lj(j) - mx) / tot;
        const s2 = (mix.s[j] as number) ** 2;
        const u = ((mix.m[j] as number) - x) / s2;
        d1 += r * u;
        d2 += r * (u * u - 1 / s2);
        minPrec = Math.min(minPrec, 1 / s2);
      }
      d2 -= d1 * d1;
      if (g) g[a] = d1;
      if (h) h[a * p + a] = Math.max(-d2, minPrec);
    }
  }
  const { rows, X, sumY, sumN } = c;
  const bin = c.outcome === 'binomial';
  const derivs = g !== undefined || h !== undefined;
  for (let r = 0; r < rows; r++) {
    let eta = 0;
    for (let a = 0; a < p; a++) eta += (X[r * p + a] as number) * (b[a] as number);
    const yr = sumY[r] as number;
    const nr = sumN[r] as number;
    if (!derivs) {
      lp += bin ? yr * eta - nr * log1pExp(eta) : yr * eta - nr * Math.exp(eta);
      continue;
    }
    let mu: number;
    let wgt: number;
    if (bin) {
      lp += yr * eta - nr * log1pExp(eta);
      const pr = 1 / (1 + Math.exp(-eta));
      mu = nr * pr;
      wgt = nr * pr * (1 - pr);
    } else {
      const m = nr * Math.exp(eta);
      lp += yr * eta - m;
      mu = m;
      wgt = m;
    }
    if (g) for (let a = 0; a < p; a++) g[a] = (g[a] as number) + (X[r * p + a] as number) * (yr - mu);
    if (h) {
      for (let a = 0; a < p; a++) {
        const xa = (X[r * p + a] as number) * wgt;
        if (xa === 0) continue;
        for (let q = 0; q < p; q++) h[a * p + q] = (h[a * p + q] as number) + xa * (X[r * p + q] as number);
      }
    }
  }
  return lp;
}

/**
 * The log posterior without derivatives, for the pilot and the chains (the hot path): the
 * prior is compiled once into flat arrays (normal coefficients: mean and 1/s; mixtures: per
 * component log w − log s, mean and 1/s), so each call is a loop over the p coefficients and
 * the collapsed rows with no property look-up, closure or branch on the outcome. It computes
 * the same function as {@link logPosterior} (up to rounding: a product by 1/s instead of a
 * division by s), so the Newton line search and the sampler see one target.
 */
function compileLogPosterior(c: CollapsedGlm, coef: readonly NormalMixture[]): (b: Float64Array) => number {
  const p = c.p;
  const single: number[] = [];
  const mean: number[] = [];
  const inv: number[] = [];
  const mixIdx: number[] = [];
  const mixLc: Float64Array[] = [];
  const mixM: Float64Array[] = [];
  const mixInv: Float64Array[] = [];
  for (let a = 0; a < p; a++) {
    const mix = coef[a] as NormalMixture;
    if (mix.w.length === 1) {
      single.push(a);
      mean.push(mix.m[0] as number);
      inv.push(1 / (mix.s[0] as number));
    } else {
      mixIdx.push(a);
      mixLc.push(Float64Array.from(mix.w, (w, j) => Math.log(w) - Math.log(mix.s[j] as number)));
      mixM.push(Float64Array.from(mix.m));
      mixInv.push(Float64Array.from(mix.s, (v) => 1 / v));
    }
  }
  const sIdx = Int32Array.from(single);
  const sMean = Float64Array.from(mean);
  const sInv = Float64Array.from(inv);
  const ns = sIdx.length;
  const nm = mixIdx.length;
  const { rows, X, sumY, sumN } = c;
  const bin = c.outcome === 'binomial';
  const mixScratch = new Float64Array(Math.max(1, ...mixLc.map((v) => v.length)));
  return (b) => {
    let lp = 0;
    for (let q = 0; q < ns; q++) {
      const d = ((b[sIdx[q] as number] as number) - (sMean[q] as number)) * (sInv[q] as number);
      lp -= 0.5 * d * d;
    }
    for (let q = 0; q < nm; q++) {
      const x = b[mixIdx[q] as number] as number;
      const lc = mixLc[q] as Float64Array;
      const m = mixM[q] as Float64Array;
      const iv = mixInv[q] as Float64Array;
      let mx = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < lc.length; j++) {
        const d = (x - (m[j] as number)) * (iv[j] as number);
        const l = (lc[j] as number) - 0.5 * d * d;
        mixScratch[j] = l;
        if (l > mx) mx = l;
      }
      let tot = 0;
      for (let j = 0; j < lc.length; j++) tot += Math.exp((mixScratch[j] as number) - mx);
      lp += mx + Math.log(tot);
    }
    if (bin) {
      for (let r = 0, o = 0; r < rows; r++, o += p) {
        let eta = 0;
        for (let a = 0; a < p; a++) eta += (X[o + a] as number) * (b[a] as number);
        lp += (sumY[r] as number) * eta - (sumN[r] as number) * log1pExp(eta);
      }
    } else {
      for (let r = 0, o = 0; r < rows; r++, o += p) {
        let eta = 0;
        for (let a = 0; a < p; a++) eta += (X[o + a] as number) * (b[a] as number);
        lp += (sumY[r] as number) * eta - (sumN[r] as number) * Math.exp(eta);
      }
    }
    return lp;
  };
}

/**
 * Standard normal and Gamma(ν/2, ν/2) draws for the t proposal, from the stream's uniforms:
 * the same exact algorithms as `createRng` (Marsaglia's polar method, keeping the second
 * normal of each pair; Marsaglia & Tsang's (2000) squeeze-and-reject gamma for shape ≥ 1),
 * inlined here with the constants of the fixed shape ν/2 = 3.5 computed once and without the
 * argument checks of the public methods. One source per stream (the pilot, each chain), so
 * no spare normal crosses from one stream to another.
 * @internal
 */
export class ProposalSource {
  private spare = 0;
  private hasSpare = false;
  constructor(private readonly r: Rng) {}

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = this.r;
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * r.uniform() - 1;
      v = 2 * r.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** A Gamma(ν/2, rate ν/2) draw, i.e. χ²_ν / ν. */
  gammaNu(): number {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + MT_C * x;
      } while (v <= 0);
      v = v * v * v;
      let u = this.r.uniform();
      while (u === 0) u = this.r.uniform();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return (MT_D * v) / (NU / 2);
      if (Math.log(u) < 0.5 * x2 + MT_D * (1 - v + Math.log(v))) return (MT_D * v) / (NU / 2);
    }
  }
}

/** What the planner decided, reported in the diagnostics. @internal */
export interface GlmImhPlan {
  /** True when the independence sampler is used (k̂ below the threshold). */
  readonly usable: boolean;
  /** Pareto k̂ of the pilot importance ratios. */
  readonly paretoK: number;
  /** Pilot importance-sampling ESS over the number of pilot draws ((Σw)²/Σw²/S). */
  readonly relativeEss: number;
  /** Distinct design rows the likelihood was collapsed to. */
  readonly rows: number;
  /** Proposal draws the pilot took: 400 when its first stage passed, 1,000 otherwise (0 when the mode search failed). */
  readonly pilotDraws: number;
  /** Independence step: draws β row-major (layout: the p coefficients). */
  run(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array;
  /** Mean acceptance rate over the chains run so far (NaN before any). */
  acceptance(): number;
}

/** Degrees of freedom and the k̂ threshold of the proposal. */
const NU = 7;
/** Marsaglia–Tsang constants of shape ν/2: d = ν/2 − 1/3, c = 1/√(9d). */
const MT_D = NU / 2 - 1 / 3;
const MT_C = 1 / Math.sqrt(9 * MT_D);
const K_MAX = 0.7;
const PILOT = 1000;
/**
 * The pilot's first stage and its k̂ threshold. Vehtari et al. (2024, §3.2.4, eq. 13) make
 * the k̂ threshold depend on the number of draws S: min(1 − 1/log₁₀ S, 0.7), because k̂ from
 * fewer draws is noisier and the sample size needed for a reliable estimate grows as
 * 10^(1/(1−k)) (eq. 11). At S = 400 that is 1 − 1/log₁₀ 400 ≈ 0.616 (tail of
 * ⌈min(0.2 S, 3√S)⌉ = 60 ratios). So: 400 draws first; if k̂ < 0.616 and the relative
 * ESS ≥ 0.6 ({@link REL_FIRST}) the proposal is accepted; otherwise the pilot goes on to
 * 1,000 draws and the full-pilot rule (k̂ < 0.7, relative ESS ≥ 0.5) decides. The first stage only ever accepts
 * with a stricter threshold than the paper's for its S, and a Laplace t proposal with p ≤ 3
 * usually has k̂ far below it (bounded ratios: k < 0), so most analyses stop at 400.
 * Whatever the gate decides, the IMH chain is exact (the t proposal's support is all of
 * ℝᵖ); the gate only guards its efficiency, and the chains' R-hat and ESS are still reported.
 */
const PILOT_FIRST = 400;
const K_FIRST = 1 - 1 / Math.log10(PILOT_FIRST);
/**
 * The pilot's log ratios, reused from one plan to the next (they are read only inside
 * `planGlmImh`, before it returns, so no two plans or chains share live data).
 */
/** Minimum pilot relative ESS: below it most proposals would be rejected (poor approximation). */
const REL_ESS_MIN = 0.5;
/**
 * The first stage's relative-ESS bar, 0.1 above {@link REL_ESS_MIN}: the ESS ratio of 400
 * draws scatters by about ±0.05–0.1 around that of 1,000 near 0.5 (heavy-ish weights), so the
 * first stage accepts only proposals clearly above the full-pilot bar. On 1,200 small vague-prior
 * binomial data sets the two-stage gate then made the single 1,000-draw gate's decision in
 * all but 2 (both k̂ ≈ 0.75 tails that 400 draws had not reached); with default priors
 * the relative ESS is ≥ 0.6 in practice (84 days, 2 arms, 300 data sets each: minimum 0.63 at
 * a success rate of 0.05; at 0.01 one in 300 below 0.6).
 */
const REL_FIRST = 0.6;

/**
 * Builds the collapsed likelihood, finds the posterior mode by damped Newton–Raphson, and
 * tests a multivariate-t(ν = 7) proposal at the Laplace approximation with a two-stage pilot
 * (Pareto k̂ and relative ESS of the importance ratios): 400 draws against k̂ < 1 − 1/log₁₀ 400
 * and relative ESS ≥ 0.6, else 1,000 draws against k̂ < 0.7 and relative ESS ≥ 0.5 (see
 * {@link PILOT_FIRST}). When `usable`, `run` has the signature of the
 * other chain runners (`runBinomialChain(spec, rng, warmup, draws)`).
 *
 * @param spec - the model (binomial or Poisson, no AR(1))
 * @param outcome - 'binomial' (logit link) or 'poisson' (log link, exposure offset)
 * @param rng - stream for the pilot draws
 * @returns the plan (`usable: false` when the mode search fails, or the 1,000-draw pilot has k̂ ≥ 0.7 or relative ESS < 0.5)
 * @see Vehtari et al. (2024), Pareto smoothed importance sampling, JMLR 25(72) (k̂ < 0.7;
 *   the sample-size-specific threshold 1 − 1/log₁₀ S, §3.2.4).
 * @see Tierney (1994), Markov chains for exploring posterior distributions, Ann. Statist.
 *   22(4) (independence Metropolis–Hastings).
 * @internal
 */
export function planGlmImh(spec: ModelSpec, outcome: 'binomial' | 'poisson', rng: Rng): GlmImhPlan {
  const c = collapseGlm(spec, outcome);
  const p = c.p;
  const coef = spec.coef;
  const lpost = compileLogPosterior(c, coef);
  // Start: prior means, the intercept at the pooled rate.
  const mode = new Float64Array(p);
  for (let a = 0; a < p; a++) mode[a] = mixtureMoments(coef[a] as NormalMixture).mean;
  let sy = 0;
  let sn = 0;
  for (let r = 0; r < c.rows; r++) {
    sy += c.sumY[r] as number;
    sn += c.sumN[r] as number;
  }
  mode[0] = outcome === 'binomial' ? Math.log((sy + 0.5) / (sn - sy + 0.5)) : Math.log((sy + 0.5) / sn);
  const g = new Float64Array(p);
  const h = new Float64Array(p * p);
  const l = new Float64Array(p * p);
  const step = new Float64Array(p);
  const trial = new Float64Array(p);
  let lp = logPosterior(c, coef, mode, g, h);
  let ok = Number.isFinite(lp);
  for (let it = 0; it < 100 && ok; it++) {
    if (!choleskyOk(h, p, l)) {
      ok = false;
      break;
    }
    // step = H⁻¹ g
    for (let a = 0; a < p; a++) {
      let s = g[a] as number;
      for (let q = 0; q < a; q++) s -= (l[a * p + q] as number) * (step[q] as number);
      step[a] = s / (l[a * p + a] as number);
    }
    backSolveT(l, p, step, step);
    let t = 1;
    let moved = false;
    for (let half = 0; half < 30; half++) {
      for (let a = 0; a < p; a++) trial[a] = (mode[a] as number) + t * (step[a] as number);
      const lpt = lpost(trial);
      if (lpt >= lp - 1e-12) {
        mode.set(trial);
        lp = logPosterior(c, coef, mode, g, h);
        moved = true;
        break;
      }
      t /= 2;
    }
    let mx = 0;
    for (let a = 0; a < p; a++) mx = Math.max(mx, Math.abs(t * (step[a] as number)));
    if (!moved || mx < 1e-9) break;
  }
  // Proposal: β = mode + L⁻ᵀ z / √(w/ν)... with Q = H = L Lᵀ the Laplace precision.
  ok = ok && Number.isFinite(lp) && choleskyOk(h, p, l);
  let logDetL = 0;
  for (let a = 0; a < p; a++) logDetL += Math.log(l[a * p + a] as number);
  const z = new Float64Array(p);
  const prop = new Float64Array(p);
  const halfNuP = -0.5 * (NU + p);
  /** Draws from the t proposal into `out`; returns its log density (up to a constant). */
  const drawProposal = (src: ProposalSource, out: Float64Array): number => {
    let m2 = 0;
    for (let a = 0; a < p; a++) {
      const e = src.normal();
      z[a] = e;
      m2 += e * e;
    }
    const w = src.gammaNu();
    backSolveT(l, p, z, z);
    const sc = 1 / Math.sqrt(w);
    for (let a = 0; a < p; a++) out[a] = (mode[a] as number) + sc * (z[a] as number);
    // Mahalanobis distance (β − mode)ᵀ Q (β − mode) = m2 / w.
    return halfNuP * Math.log1p(m2 / w / NU) + logDetL;
  };
  let paretoK = Number.POSITIVE_INFINITY;
  let relEss = 0;
  let pilotDraws = 0;
  if (ok) {
    const lr = new Float64Array(PILOT);
    const src = new ProposalSource(rng);
    let mx = Number.NEGATIVE_INFINITY;
    /** Extends the pilot to `upTo` draws, then sets k̂ and the relative ESS of all of them. */
    const extend = (upTo: number): void => {
      for (let s = pilotDraws; s < upTo; s++) {
        const lq = drawProposal(src, prop);
        const v = lpost(prop) - lq;
        lr[s] = v;
        mx = Math.max(mx, v);
      }
      pilotDraws = upTo;
      const all = lr.subarray(0, upTo);
      paretoK = paretoKHat(all);
      let sw = 0;
      let sw2 = 0;
      for (let s = 0; s < upTo; s++) {
        const w = Math.exp((all[s] as number) - mx);
        sw += w;
        sw2 += w * w;
      }
      relEss = Number.isFinite(mx) ? (sw * sw) / sw2 / upTo : 0;
    };
    extend(PILOT_FIRST);
    // Stage 2 only when stage 1 does not pass its own (stricter) threshold: the first
    // PILOT_FIRST draws are the first draws of the full pilot, so a fallback decision is the
    // one the single 1,000-draw pilot made.
    if (!(paretoK < K_FIRST && relEss >= REL_FIRST)) extend(PILOT);
  }
  const first = pilotDraws === PILOT_FIRST;
  let accepted = 0;
  let proposed = 0;
  const usable = ok && (first ? paretoK < K_FIRST && relEss >= REL_FIRST : paretoK < K_MAX && relEss >= REL_ESS_MIN);
  return {
    usable,
    paretoK,
    relativeEss: relEss,
    rows: c.rows,
    pilotDraws,
    acceptance: () => (proposed > 0 ? accepted / proposed : Number.NaN),
    run(_spec, r, warmup, draws) {
      const out = new Float64Array(draws * p);
      const cur = new Float64Array(p);
      const cand = new Float64Array(p);
      const src = new ProposalSource(r);
      const lq0 = drawProposal(src, cur);
      let lwCur = lpost(cur) - lq0;
      const total = warmup + draws;
      let acc = 0;
      for (let it = 0; it < total; it++) {
        const lqC = drawProposal(src, cand);
        const lwC = lpost(cand) - lqC;
        if (lwC >= lwCur || Math.log(r.uniform()) < lwC - lwCur) {
          // Element loops, not TypedArray#set: p is a handful and the builtin call costs more.
          for (let a = 0; a < p; a++) cur[a] = cand[a] as number;
          lwCur = lwC;
          acc++;
        }
        if (it >= warmup) for (let a = 0, o = (it - warmup) * p; a < p; a++) out[o + a] = cur[a] as number;
      }
      proposed += total;
      accepted += acc;
      return out;
    },
  };
}
