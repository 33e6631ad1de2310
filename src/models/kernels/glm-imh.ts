/**
 * Independence Metropolis–Hastings for the binomial (logit) and Poisson (log, exposure) models
 * without AR(1), on collapsed data: the likelihood depends on the data only through the sums
 * (successes and trials; counts and exposure) per distinct row of the design matrix. The
 * proposal is a multivariate t centred at the posterior mode with the Laplace covariance; a
 * pilot sample from it gives the Pareto k̂ and the relative ESS of the importance ratios; when
 * k̂ ≥ 0.7 or the relative ESS < 0.5 (a poor approximation, e.g. separation under a vague
 * prior) the caller falls back to the exact Gibbs or Metropolis sampler.
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

/** Groups the observations by their row of X and sums the sufficient statistics. @internal */
export function collapseGlm(spec: ModelSpec, outcome: 'binomial' | 'poisson'): CollapsedGlm {
  const { n, p, X, y, trials, exposure } = spec.data;
  const index = new Map<string, number>();
  const xs: number[] = [];
  const sy: number[] = [];
  const sn: number[] = [];
  for (let i = 0; i < n; i++) {
    let key = '';
    for (let a = 0; a < p; a++) key += `${X[i * p + a] as number},`;
    let r = index.get(key);
    if (r === undefined) {
      r = sy.length;
      index.set(key, r);
      for (let a = 0; a < p; a++) xs.push(X[i * p + a] as number);
      sy.push(0);
      sn.push(0);
    }
    sy[r] = (sy[r] as number) + (y[i] as number);
    sn[r] = (sn[r] as number) + (outcome === 'binomial' ? (trials[i] as number) : (exposure[i] as number));
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
  /** Independence step: draws β row-major (layout: the p coefficients). */
  run(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array;
  /** Mean acceptance rate over the chains run so far (NaN before any). */
  acceptance(): number;
}

/** Degrees of freedom and the k̂ threshold of the proposal. */
const NU = 7;
const K_MAX = 0.7;
const PILOT = 1000;
/** Minimum pilot relative ESS: below it most proposals would be rejected (poor approximation). */
const REL_ESS_MIN = 0.5;

/**
 * Builds the collapsed likelihood, finds the posterior mode by damped Newton–Raphson, and
 * tests a multivariate-t(ν = 7) proposal at the Laplace approximation with a pilot of 1,000
 * draws (Pareto k̂ of the importance ratios). When `usable`, `run` has the signature of the
 * other chain runners (`runBinomialChain(spec, rng, warmup, draws)`).
 *
 * @param spec - the model (binomial or Poisson, no AR(1))
 * @param outcome - 'binomial' (logit link) or 'poisson' (log link, exposure offset)
 * @param rng - stream for the pilot draws
 * @returns the plan (`usable: false` when the mode search fails, k̂ ≥ 0.7 or the pilot's relative ESS < 0.5)
 * @see Vehtari et al. (2024), Pareto smoothed importance sampling, JMLR 25(72) (k̂ < 0.7).
 * @see Tierney (1994), Markov chains for exploring posterior distributions, Ann. Statist.
 *   22(4) (independence Metropolis–Hastings).
 * @internal
 */
export function planGlmImh(spec: ModelSpec, outcome: 'binomial' | 'poisson', rng: Rng): GlmImhPlan {
  const c = collapseGlm(spec, outcome);
  const p = c.p;
  const coef = spec.coef;
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
      const lpt = logPosterior(c, coef, trial);
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
  /** Draws from the t proposal into `out`; returns its log density (up to a constant). */
  const drawProposal = (r: Rng, out: Float64Array): number => {
    let m2 = 0;
    for (let a = 0; a < p; a++) {
      const e = r.normal();
      z[a] = e;
      m2 += e * e;
    }
    const w = r.gamma(NU / 2, NU / 2);
    backSolveT(l, p, z, z);
    const sc = 1 / Math.sqrt(w);
    for (let a = 0; a < p; a++) out[a] = (mode[a] as number) + sc * (z[a] as number);
    // Mahalanobis distance (β − mode)ᵀ Q (β − mode) = m2 / w.
    return -0.5 * (NU + p) * Math.log1p(m2 / w / NU) + logDetL;
  };
  let paretoK = Number.POSITIVE_INFINITY;
  let relEss = 0;
  if (ok) {
    const lr = new Float64Array(PILOT);
    for (let s = 0; s < PILOT; s++) {
      const lq = drawProposal(rng, prop);
      lr[s] = logPosterior(c, coef, prop) - lq;
    }
    paretoK = paretoKHat(lr);
    let mx = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < PILOT; s++) mx = Math.max(mx, lr[s] as number);
    let sw = 0;
    let sw2 = 0;
    for (let s = 0; s < PILOT; s++) {
      const w = Math.exp((lr[s] as number) - mx);
      sw += w;
      sw2 += w * w;
    }
    relEss = Number.isFinite(mx) ? (sw * sw) / sw2 / PILOT : 0;
  }
  let accepted = 0;
  let proposed = 0;
  const usable = ok && paretoK < K_MAX && relEss >= REL_ESS_MIN;
  return {
    usable,
    paretoK,
    relativeEss: relEss,
    rows: c.rows,
    acceptance: () => (proposed > 0 ? accepted / proposed : Number.NaN),
    run(_spec, r, warmup, draws) {
      const out = new Float64Array(draws * p);
      const cur = new Float64Array(p);
      const cand = new Float64Array(p);
      const lq0 = drawProposal(r, cur);
      let lwCur = logPosterior(c, coef, cur) - lq0;
      const total = warmup + draws;
      for (let it = 0; it < total; it++) {
        const lqC = drawProposal(r, cand);
        const lwC = logPosterior(c, coef, cand) - lqC;
        proposed++;
        if (lwC >= lwCur || Math.log(r.uniform()) < lwC - lwCur) {
          cur.set(cand);
          lwCur = lwC;
          accepted++;
        }
        if (it >= warmup) out.set(cur, (it - warmup) * p);
      }
      return out;
    },
  };
}
