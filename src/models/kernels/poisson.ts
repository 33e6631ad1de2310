/**
 * The Poisson log-linear pieces: the log-likelihood Σ y·η − e^η with η = log exposure + Xβ, its
 * Laplace approximation (Newton–Raphson), and the Metropolis kernels built on it: independence-t
 * plus adaptive random walk for one trial, a shaped random walk per patient of a series.
 *
 * @packageDocumentation
 */
import type { Dist } from '../../distributions/index.js';
import { logPdfRaw } from '../../distributions/index.js';
import { choleskyInPlace, lowerMulAdd, spdInverse } from '../../linalg/dense.js';
import type { Rng } from '../../rng/index.js';
import type { NormalMixture, PreparedTrial } from '../data.js';
import { mixtureMoments } from '../data.js';
import { crossProducts } from './coefficients.js';

/** Σ_i y_i·η_i − exp(η_i), η_i = logE_i + x_iᵀβ (the Poisson log-likelihood up to a constant). @internal */
export function poissonLogLik(
  X: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  logE: Float64Array,
  beta: ArrayLike<number>,
): number {
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let eta = logE[i] as number;
    for (let a = 0; a < p; a++) eta += (X[i * p + a] as number) * (beta[a] as number);
    ll += (y[i] as number) * eta - Math.exp(eta);
  }
  return ll;
}

/** log exposure of every observation. @internal */
export function logExposure(d: PreparedTrial): Float64Array {
  return d.exposure.map((e) => Math.log(e));
}

/**
 * Laplace approximation of a Poisson log-linear model with independent normal priors
 * N(means[a], sds[a]²): the posterior mode (Newton–Raphson, steps capped at 2) and the Cholesky
 * factor of the inverse Hessian there (0.1·I when that fails). @internal
 */
export function poissonLaplace(
  d: PreparedTrial,
  means: Float64Array,
  sds: Float64Array,
): { mode: Float64Array; chol: Float64Array } {
  const { n, p, X, y, exposure } = d;
  const logE = logExposure(d);
  const mode = means.slice();
  let sy = 0;
  let se = 0;
  for (let i = 0; i < n; i++) {
    sy += y[i] as number;
    se += exposure[i] as number;
  }
  mode[0] = Math.log((sy + 0.5) / se);
  const h = new Float64Array(p * p);
  const g = new Float64Array(p);
  const mu = new Float64Array(n);
  const resid = new Float64Array(n);
  for (let iter = 0; iter < 50; iter++) {
    for (let i = 0; i < n; i++) {
      let eta = logE[i] as number;
      for (let a = 0; a < p; a++) eta += (X[i * p + a] as number) * (mode[a] as number);
      mu[i] = Math.exp(eta);
      resid[i] = (y[i] as number) - (mu[i] as number);
    }
    crossProducts(X, n, p, mu, null, h, null);
    crossProducts(X, n, p, null, resid, null, g);
    for (let a = 0; a < p; a++) {
      const s2 = (sds[a] as number) ** 2;
      g[a] = (g[a] as number) - ((mode[a] as number) - (means[a] as number)) / s2;
      h[a * p + a] = (h[a * p + a] as number) + 1 / s2;
    }
    const inv = spdInverse(h, p);
    if (inv === null) break;
    let step = 0;
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += (inv[a * p + b] as number) * (g[b] as number);
      const st = Math.max(-2, Math.min(2, s));
      mode[a] = (mode[a] as number) + st;
      step = Math.max(step, Math.abs(st));
    }
    if (step < 1e-10) break;
  }
  const cov = spdInverse(h, p);
  const chol = new Float64Array(p * p);
  if (cov === null || !choleskyInPlace(cov, p)) {
    for (let a = 0; a < p; a++) chol[a * p + a] = 0.1;
  } else chol.set(cov);
  return { mode, chol };
}

/** The prior of each coefficient as a Dist (a normal, or a mixture of normals). @internal */
export function mixtureDists(coef: readonly NormalMixture[]): Dist[] {
  return coef.map((mix) =>
    mix.w.length === 1
      ? { family: 'normal', mean: mix.m[0] as number, sd: mix.s[0] as number }
      : {
          family: 'mixture',
          components: Array.from(mix.w, (w, k) => ({
            weight: w,
            dist: { family: 'normal', mean: mix.m[k] as number, sd: mix.s[k] as number } as Dist,
          })),
        },
  );
}

/** State of {@link poissonTrialKernel}: the coefficients, their log posterior and t log density, and the adaptation. @internal */
export interface PoissonTrialState {
  readonly beta: Float64Array;
  lp: number;
  lt: number;
  rwScale: number;
  accepted: number;
}

/** The Poisson kernel of one trial. @internal */
export interface PoissonTrialKernel {
  init(rng: Rng): PoissonTrialState;
  /** One independence-t step and one random-walk step; `warmupIteration` ≥ 0 adapts the walk (−1 after warm-up). */
  step(rng: Rng, s: PoissonTrialState, warmupIteration: number): PoissonTrialState;
}

/**
 * Independence Metropolis–Hastings with a multivariate-t(6) proposal at the Laplace
 * approximation (scaled 1.2), then a random-walk step shaped by the Laplace covariance whose
 * scale adapts toward 30% acceptance every 50 warm-up iterations (Roberts & Rosenthal 2009).
 * @internal
 */
export function poissonTrialKernel(d: PreparedTrial, coef: readonly NormalMixture[]): PoissonTrialKernel {
  const { n, p, X, y } = d;
  const logE = logExposure(d);
  const priors = mixtureDists(coef);
  const logPost = (b: Float64Array): number => {
    let lp = 0;
    for (let a = 0; a < p; a++) lp += logPdfRaw(priors[a] as Dist, b[a] as number);
    return lp + poissonLogLik(X, n, p, y, logE, b);
  };
  const mm = coef.map((mix) => mixtureMoments(mix));
  const { mode, chol: lchol } = poissonLaplace(
    d,
    Float64Array.from(mm, (x) => x.mean),
    Float64Array.from(mm, (x) => x.sd),
  );
  const nu = 6;
  const tScale = 1.2;
  const zTmp = new Float64Array(p);
  const logT = (b: Float64Array): number => {
    for (let a = 0; a < p; a++) {
      let s = (b[a] as number) - (mode[a] as number);
      for (let k = 0; k < a; k++) s -= (lchol[a * p + k] as number) * (zTmp[k] as number);
      zTmp[a] = s / (lchol[a * p + a] as number);
    }
    let m2 = 0;
    for (let a = 0; a < p; a++) m2 += (zTmp[a] as number) ** 2;
    m2 /= tScale * tScale;
    return -0.5 * (nu + p) * Math.log1p(m2 / nu);
  };
  const prop = new Float64Array(p);
  const eps = new Float64Array(p);
  return {
    init(rng) {
      const beta = new Float64Array(p);
      for (let a = 0; a < p; a++) {
        // sd of coordinate a under the Laplace covariance L Lᵀ: the norm of row a of L.
        let v = 0;
        for (let k = 0; k <= a; k++) v += (lchol[a * p + k] as number) ** 2;
        beta[a] = (mode[a] as number) + 0.5 * Math.sqrt(v) * rng.normal();
      }
      return { beta, lp: logPost(beta), lt: logT(beta), rwScale: 2.38 / Math.sqrt(p), accepted: 0 };
    },
    step(rng, s, warmIt) {
      const cur = s.beta;
      const w = rng.gamma(nu / 2, nu / 2);
      for (let a = 0; a < p; a++) eps[a] = rng.normal();
      lowerMulAdd(lchol, p, eps, mode, tScale / Math.sqrt(w), prop);
      const lpProp = logPost(prop);
      const ltProp = logT(prop);
      if (Math.log(rng.uniform()) < lpProp - s.lp - ltProp + s.lt) {
        cur.set(prop);
        s.lp = lpProp;
        s.lt = ltProp;
      }
      for (let a = 0; a < p; a++) eps[a] = rng.normal();
      lowerMulAdd(lchol, p, eps, cur, s.rwScale, prop);
      const lpRw = logPost(prop);
      const acc = Math.log(rng.uniform()) < lpRw - s.lp;
      if (acc) {
        cur.set(prop);
        s.lp = lpRw;
        s.lt = logT(cur);
      }
      if (warmIt >= 0) {
        s.accepted += acc ? 1 : 0;
        if ((warmIt + 1) % 50 === 0) {
          s.rwScale *= Math.exp(s.accepted / 50 - 0.3);
          s.accepted = 0;
        }
      }
      return s;
    },
  };
}

/**
 * Two random-walk Metropolis steps for one patient's coefficients `c` (updated in place) under
 * independent normal priors N(mean, sd²), shaped by the Cholesky factor `l` with scale
 * `scale[j]`; acceptances counted into `acc[j]` during warm-up, and every 25 warm-up iterations
 * the scale moves toward 30% acceptance. `prop` and `z` are scratch (length ≥ p). @internal
 */
export function poissonPatientStep(
  d: PreparedTrial,
  logE: Float64Array,
  l: Float64Array,
  mean: Float64Array,
  sd: Float64Array,
  c: Float64Array,
  j: number,
  scale: Float64Array,
  acc: Float64Array,
  warmIt: number,
  rng: Rng,
  prop: Float64Array,
  z: Float64Array,
): void {
  const p = d.p;
  let lpCur = logPostNormalPrior(d, logE, mean, sd, c);
  for (let rep = 0; rep < 2; rep++) {
    for (let a = 0; a < p; a++) z[a] = rng.normal();
    lowerMulAdd(l, p, z, c, scale[j] as number, prop);
    const lpProp = logPostNormalPrior(d, logE, mean, sd, prop);
    const ok = Math.log(rng.uniform()) < lpProp - lpCur;
    if (ok) {
      for (let a = 0; a < p; a++) c[a] = prop[a] as number;
      lpCur = lpProp;
    }
    if (warmIt >= 0) acc[j] = (acc[j] as number) + (ok ? 1 : 0);
  }
  if (warmIt >= 0 && (warmIt + 1) % 25 === 0) {
    scale[j] = (scale[j] as number) * Math.exp((acc[j] as number) / 50 - 0.3);
    acc[j] = 0;
  }
}

/** Poisson log-likelihood plus independent normal log priors N(mean, sd²) (up to constants). */
function logPostNormalPrior(d: PreparedTrial, logE: Float64Array, mean: Float64Array, sd: Float64Array, b: Float64Array): number {
  const p = d.p;
  let lp = 0;
  for (let a = 0; a < p; a++) {
    const dlt = ((b[a] as number) - (mean[a] as number)) / (sd[a] as number);
    lp -= 0.5 * dlt * dlt;
  }
  return lp + poissonLogLik(d.X, d.n, p, d.y, logE, b);
}
