/**
 * The per-chain samplers of the single-trial models (normal with optional AR(1), binomial via
 * Pólya-Gamma, Poisson via Metropolis) and the shared chain runner.
 *
 * @packageDocumentation
 */
import type { Dist } from '../distributions/index.js';
import { cdfRaw, logPdfRaw, quantileRaw } from '../distributions/index.js';
import { fail } from '../validate.js';
import type { Rng } from '../rng/index.js';
import type { NormalMixture, PreparedTrial } from './data.js';
import { mixtureMoments } from './data.js';
import { quadForm } from '../linalg/dense.js';
import { choleskyInPlace, drawFromPrecision, spdInverse } from './linalg.js';
import { drawIndicator, polyaGammaMass, polyaGammaSumWithMass, sliceStep } from './samplers.js';

/** Everything a chain needs. @internal */
export interface ModelSpec {
  readonly data: PreparedTrial;
  /** Prior of each column of X. */
  readonly coef: readonly NormalMixture[];
  /** Normal: residual-variance prior (invGamma on σ² or halfNormal on σ); undefined when σ is known. */
  readonly variance?: Dist;
  /** Known σ (normal). */
  readonly sigma?: number;
  readonly autocorrelation: boolean;
  readonly rho?: Dist;
}

/** Parameter layout of a chain's draws: β (p), then σ (normal, when estimated), then ρ. @internal */
export interface Layout {
  readonly p: number;
  readonly sigmaIndex: number;
  readonly rhoIndex: number;
  readonly width: number;
}

/** The layout of a model's draws. @internal */
export function layoutOf(spec: ModelSpec, outcome: 'normal' | 'binomial' | 'poisson'): Layout {
  const p = spec.data.p;
  let w = p;
  const sigmaIndex = outcome === 'normal' && spec.sigma === undefined ? w++ : -1;
  const rhoIndex = spec.autocorrelation ? w++ : -1;
  return { p, sigmaIndex, rhoIndex, width: w };
}

/** log prior density of ρ on (−1, 1); a beta Dist is read as a prior on (ρ + 1)/2. */
/** @internal */
export function rhoLogPrior(d: Dist | undefined, r: number): number {
  if (!(r > -1 && r < 1)) return Number.NEGATIVE_INFINITY;
  if (d === undefined) return 0;
  if (d.family === 'beta') return logPdfRaw(d, (r + 1) / 2);
  return logPdfRaw(d, r);
}

/**
 * Validates a ρ prior: it must put mass on (−1, 1) (a `beta` Dist, read on (ρ + 1)/2, always
 * does). @internal
 */
export function checkRhoPrior(fn: string, field: string, d: Dist): Dist {
  if (d.family !== 'beta' && !(cdfRaw(d, 1) - cdfRaw(d, -1) > 0)) fail(fn, field, 'must put mass on (−1, 1)', d);
  return d;
}

/**
 * Initial ρ of a chain: uniform on (−0.25, 0.25) when the prior allows it, otherwise a draw
 * from the middle half of the prior (e.g. a `uniform(0.5, 0.95)` prior): a slice sampler
 * started where the density is zero would never move. @internal
 */
export function initRho(d: Dist | undefined, rng: Rng): number {
  const r0 = 0.5 * (rng.uniform() - 0.5);
  if (rhoLogPrior(d, r0) > Number.NEGATIVE_INFINITY || d === undefined) return r0;
  const lo = d.family === 'beta' ? 0 : cdfRaw(d, -1);
  const hi = d.family === 'beta' ? 1 : cdfRaw(d, 1);
  for (let k = 0; k < 100; k++) {
    const q = quantileRaw(d, lo + (hi - lo) * (0.25 + 0.5 * rng.uniform()));
    const r = d.family === 'beta' ? 2 * q - 1 : q;
    if (rhoLogPrior(d, r) > Number.NEGATIVE_INFINITY) return r;
  }
  return r0;
}

/** Initial β: prior means (moment-matched), with the intercept at a data-based value. */
function initBeta(spec: ModelSpec, rng: Rng, intercept: number): Float64Array {
  const p = spec.data.p;
  const b = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const mm = mixtureMoments(spec.coef[j] as NormalMixture);
    b[j] = mm.mean + 0.1 * Math.min(mm.sd, 1) * rng.normal();
  }
  b[0] = intercept + 0.1 * rng.normal();
  return b;
}

/**
 * Cross-product sums of Z_t = [x_t, y_t] that make every AR(1) evaluation O(p²): over the pairs
 * of consecutive observations one day apart, A = Σ Z_t Z_tᵀ, B = Σ (Z_t Z_{t−1}ᵀ + Z_{t−1} Z_tᵀ),
 * C = Σ Z_{t−1} Z_{t−1}ᵀ, so Σ (Z_t − ρ Z_{t−1})(Z_t − ρ Z_{t−1})ᵀ = A − ρB + ρ²C. Pairs with a
 * longer gap (missing days, washout) are kept in a list and handled one by one.
 */
interface LagSums {
  readonly m: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly z0: Float64Array;
  /** Rows t with gap ≠ 1: Z_t and Z_{t−1} stacked, and the gap. */
  readonly gapZ: Float64Array;
  readonly gapPrev: Float64Array;
  readonly gapLen: Float64Array;
}

function lagSums(d: PreparedTrial): LagSums {
  const { n, p, X, y, day } = d;
  const m = p + 1;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m * m);
  const c = new Float64Array(m * m);
  const z = (i: number, k: number): number => (k < p ? (X[i * p + k] as number) : (y[i] as number));
  const gz: number[] = [];
  const gp: number[] = [];
  const gl: number[] = [];
  for (let i = 1; i < n; i++) {
    const g = (day[i] as number) - (day[i - 1] as number);
    if (g === 1) {
      for (let r = 0; r < m; r++) {
        const zr = z(i, r);
        const pr = z(i - 1, r);
        for (let s = 0; s < m; s++) {
          a[r * m + s] = (a[r * m + s] as number) + zr * z(i, s);
          b[r * m + s] = (b[r * m + s] as number) + zr * z(i - 1, s) + pr * z(i, s);
          c[r * m + s] = (c[r * m + s] as number) + pr * z(i - 1, s);
        }
      }
    } else {
      for (let r = 0; r < m; r++) {
        gz.push(z(i, r));
        gp.push(z(i - 1, r));
      }
      gl.push(g);
    }
  }
  const z0 = new Float64Array(m);
  for (let r = 0; r < m; r++) z0[r] = z(0, r);
  return { m, a, b, c, z0, gapZ: Float64Array.from(gz), gapPrev: Float64Array.from(gp), gapLen: Float64Array.from(gl) };
}

/** AR(1) likelihood pieces of one trial, O(p²) per evaluation (see {@link lagSums}). @internal */
export interface ArKernel {
  /** p + 1. */
  readonly m: number;
  /** Writes the whitened Σ Z Zᵀ at ρ = r into `mm` ((p+1)², row-major). */
  cross(r: number, mm: Float64Array): void;
  /** Fixes the coefficients β used by {@link ArKernel.logLik}. */
  setCoefficients(beta: ArrayLike<number>): void;
  /** log-likelihood (up to a constant) of ρ = r given σ² and the fixed coefficients. */
  logLik(r: number, s2: number): number;
}

/** Builds the AR(1) kernel of a trial. @internal */
export function arKernel(d: PreparedTrial): ArKernel {
  const ls = lagSums(d);
  const m = ls.m;
  const nGaps = ls.gapLen.length;
  const v = new Float64Array(m);
  const wrow = new Float64Array(m);
  let qa = 0;
  let qb = 0;
  let qc = 0;
  let e0sq = 0;
  return {
    m,
    cross(r, mm) {
      const r2 = r * r;
      const one = 1 - r2;
      for (let k = 0; k < m * m; k++) mm[k] = (ls.a[k] as number) - r * (ls.b[k] as number) + r2 * (ls.c[k] as number);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) mm[a * m + b] = (mm[a * m + b] as number) + one * (ls.z0[a] as number) * (ls.z0[b] as number);
      }
      for (let g = 0; g < nGaps; g++) {
        const phi = r ** (ls.gapLen[g] as number);
        const sf = 1 / Math.sqrt((1 - phi * phi) / one);
        for (let a = 0; a < m; a++) wrow[a] = ((ls.gapZ[g * m + a] as number) - phi * (ls.gapPrev[g * m + a] as number)) * sf;
        for (let a = 0; a < m; a++) {
          const wa = wrow[a] as number;
          for (let b = 0; b < m; b++) mm[a * m + b] = (mm[a * m + b] as number) + wa * (wrow[b] as number);
        }
      }
    },
    setCoefficients(beta) {
      for (let a = 0; a < m - 1; a++) v[a] = -(beta[a] as number);
      v[m - 1] = 1;
      qa = quadForm(ls.a, m, v);
      qb = quadForm(ls.b, m, v);
      qc = quadForm(ls.c, m, v);
      let e0 = 0;
      for (let a = 0; a < m; a++) e0 += (ls.z0[a] as number) * (v[a] as number);
      e0sq = e0 * e0;
    },
    logLik(r, s2) {
      if (!(r > -1 && r < 1)) return Number.NEGATIVE_INFINITY;
      const one = 1 - r * r;
      let qf = qa - r * qb + r * r * qc + one * e0sq;
      let logdet = -Math.log(one);
      for (let g = 0; g < nGaps; g++) {
        const phi = r ** (ls.gapLen[g] as number);
        const f = (1 - phi * phi) / one;
        let et = 0;
        let ep = 0;
        for (let a = 0; a < m; a++) {
          et += (ls.gapZ[g * m + a] as number) * (v[a] as number);
          ep += (ls.gapPrev[g * m + a] as number) * (v[a] as number);
        }
        const u = et - phi * ep;
        qf += (u * u) / f;
        logdet += Math.log(f);
      }
      return -0.5 * logdet - qf / (2 * s2);
    },
  };
}

/**
 * Runs one chain of the normal model (Gibbs: β block | σ², ρ; mixture indicators; σ² | β
 * conjugate or slice on log σ; ρ by slice sampling). Returns draws row-major (draws × width).
 * @internal
 */
export function runNormalChain(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array {
  const d = spec.data;
  const { n, p, X, y } = d;
  const lay = layoutOf(spec, 'normal');
  const out = new Float64Array(draws * lay.width);
  const m = p + 1;
  // M = whitened Σ Z Zᵀ; X'X = M[0:p, 0:p], X'y = M[0:p, p], y'y = M[p, p].
  const mm = new Float64Array(m * m);
  const q = new Float64Array(p * p);
  const lbuf = new Float64Array(p * p);
  const bvec = new Float64Array(p);
  const z = new Float64Array(p);
  const beta = new Float64Array(p);
  const v = new Float64Array(m);
  const comp = new Int32Array(p);
  const logw = new Float64Array(16);
  const ar = spec.autocorrelation ? arKernel(d) : null;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] as number;
  ybar /= n;
  let vy = 0;
  for (let i = 0; i < n; i++) vy += ((y[i] as number) - ybar) ** 2;
  vy = n > 1 ? vy / (n - 1) : 1;
  let sigma2 = spec.sigma !== undefined ? spec.sigma * spec.sigma : vy > 0 ? vy * Math.exp(0.2 * rng.normal()) : 1;
  let rho = spec.autocorrelation ? initRho(spec.rho, rng) : 0;
  beta.set(initBeta(spec, rng, ybar));
  for (let j = 0; j < p; j++) {
    const mix = spec.coef[j] as NormalMixture;
    comp[j] = mix.w.length > 1 ? drawIndicator(mix, beta[j] as number, rng, logw) : 0;
  }

  const crossProducts = (r: number): void => {
    if (ar !== null) {
      ar.cross(r, mm);
      return;
    }
    mm.fill(0);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < m; a++) {
        const za = a < p ? (X[i * p + a] as number) : (y[i] as number);
        if (za === 0) continue;
        for (let b = 0; b < m; b++) {
          const zb = b < p ? (X[i * p + b] as number) : (y[i] as number);
          mm[a * m + b] = (mm[a * m + b] as number) + za * zb;
        }
      }
    }
  };

  if (ar === null) crossProducts(0);
  const total = warmup + draws;
  const vPrior = spec.variance;
  for (let it = 0; it < total; it++) {
    if (ar !== null) crossProducts(rho);
    // β | σ², ρ, indicators
    for (let a = 0; a < p; a++) {
      const mix = spec.coef[a] as NormalMixture;
      const s = mix.s[comp[a] as number] as number;
      const prec = 1 / (s * s);
      for (let b = 0; b < p; b++) q[a * p + b] = (mm[a * m + b] as number) / sigma2;
      q[a * p + a] = (q[a * p + a] as number) + prec;
      bvec[a] = (mm[a * m + p] as number) / sigma2 + prec * (mix.m[comp[a] as number] as number);
    }
    drawFromPrecision(q, bvec, p, rng, beta, z, lbuf);
    for (let a = 0; a < p; a++) {
      const mix = spec.coef[a] as NormalMixture;
      if (mix.w.length > 1) comp[a] = drawIndicator(mix, beta[a] as number, rng, logw);
    }
    for (let a = 0; a < p; a++) v[a] = -(beta[a] as number);
    v[p] = 1;
    // σ² | β, ρ
    if (spec.sigma === undefined) {
      // Residual sum of squares vᵀMv with v = (−β, 1).
      let ssr = quadForm(mm, m, v);
      if (ssr < 0) ssr = 0;
      if (vPrior !== undefined && vPrior.family === 'invGamma') {
        sigma2 = 1 / rng.gamma(vPrior.shape + 0.5 * n, vPrior.scale + 0.5 * ssr);
      } else if (vPrior !== undefined && vPrior.family === 'halfNormal') {
        const sc = vPrior.scale;
        const logf = (lsd: number): number => {
          const s = Math.exp(lsd);
          return -n * lsd - ssr / (2 * s * s) - (s * s) / (2 * sc * sc) + lsd;
        };
        sigma2 = Math.exp(2 * sliceStep(0.5 * Math.log(sigma2), logf, 0.5, -50, 50, rng));
      }
    }
    // ρ | β, σ²
    if (ar !== null) {
      ar.setCoefficients(beta);
      const s2 = sigma2;
      rho = sliceStep(rho, (r) => rhoLogPrior(spec.rho, r) + ar.logLik(r, s2), 0.25, -1, 1, rng);
    }
    if (it >= warmup) {
      const o = (it - warmup) * lay.width;
      out.set(beta, o);
      if (lay.sigmaIndex >= 0) out[o + lay.sigmaIndex] = Math.sqrt(sigma2);
      if (lay.rhoIndex >= 0) out[o + lay.rhoIndex] = rho;
    }
  }
  return out;
}

/**
 * One chain of the logistic model by Pólya-Gamma data augmentation: ω_t | β ~ PG(n_t, x_tᵀβ),
 * β | ω ~ N(Q⁻¹b, Q⁻¹), Q = XᵀΩX + prior precision, b = Xᵀκ + prior precision·mean, κ = y − n/2.
 * @internal
 */
export function runBinomialChain(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array {
  const d = spec.data;
  const { n, p, X, y, trials } = d;
  const out = new Float64Array(draws * p);
  const q = new Float64Array(p * p);
  const lbuf = new Float64Array(p * p);
  const bvec = new Float64Array(p);
  const z = new Float64Array(p);
  const beta = new Float64Array(p);
  const comp = new Int32Array(p);
  const logw = new Float64Array(16);
  const kappa = new Float64Array(n);
  const xtk = new Float64Array(p);
  let sy = 0;
  let sn = 0;
  for (let i = 0; i < n; i++) {
    kappa[i] = (y[i] as number) - 0.5 * (trials[i] as number);
    sy += y[i] as number;
    sn += trials[i] as number;
    for (let a = 0; a < p; a++) xtk[a] = (xtk[a] as number) + (X[i * p + a] as number) * (kappa[i] as number);
  }
  const pbar = (sy + 0.5) / (sn + 1);
  beta.set(initBeta(spec, rng, Math.log(pbar / (1 - pbar))));
  for (let j = 0; j < p; j++) {
    const mix = spec.coef[j] as NormalMixture;
    comp[j] = mix.w.length > 1 ? drawIndicator(mix, beta[j] as number, rng, logw) : 0;
  }
  const total = warmup + draws;
  for (let it = 0; it < total; it++) {
    q.fill(0);
    // Consecutive observations usually share ψ (same period, no trend): reuse the proposal weight.
    let lastPsi = Number.NaN;
    let mass = 0;
    for (let i = 0; i < n; i++) {
      let psi = 0;
      for (let a = 0; a < p; a++) psi += (X[i * p + a] as number) * (beta[a] as number);
      if (psi !== lastPsi) {
        mass = polyaGammaMass(psi);
        lastPsi = psi;
      }
      const om = polyaGammaSumWithMass(trials[i] as number, psi, mass, rng);
      for (let a = 0; a < p; a++) {
        const xa = (X[i * p + a] as number) * om;
        if (xa === 0) continue;
        for (let b = 0; b <= a; b++) q[a * p + b] = (q[a * p + b] as number) + xa * (X[i * p + b] as number);
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = a + 1; b < p; b++) q[a * p + b] = q[b * p + a] as number;
      const mix = spec.coef[a] as NormalMixture;
      const s = mix.s[comp[a] as number] as number;
      const prec = 1 / (s * s);
      q[a * p + a] = (q[a * p + a] as number) + prec;
      bvec[a] = (xtk[a] as number) + prec * (mix.m[comp[a] as number] as number);
    }
    drawFromPrecision(q, bvec, p, rng, beta, z, lbuf);
    for (let a = 0; a < p; a++) {
      const mix = spec.coef[a] as NormalMixture;
      if (mix.w.length > 1) comp[a] = drawIndicator(mix, beta[a] as number, rng, logw);
    }
    if (it >= warmup) out.set(beta, (it - warmup) * p);
  }
  return out;
}

/**
 * One chain of the Poisson log-linear model: each iteration makes an independence
 * Metropolis–Hastings step with a multivariate-t proposal at the Laplace approximation and a
 * random-walk step whose scale adapts during warm-up (Roberts & Rosenthal 2009).
 * @internal
 */
export function runPoissonChain(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array {
  const d = spec.data;
  const { n, p, X, y, exposure } = d;
  const out = new Float64Array(draws * p);
  const logE = new Float64Array(n);
  for (let i = 0; i < n; i++) logE[i] = Math.log(exposure[i] as number);
  const priorDists: Dist[] = spec.coef.map((mix) =>
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
  const logPost = (b: Float64Array): number => {
    let lp = 0;
    for (let a = 0; a < p; a++) lp += logPdfRaw(priorDists[a] as Dist, b[a] as number);
    for (let i = 0; i < n; i++) {
      let eta = logE[i] as number;
      for (let a = 0; a < p; a++) eta += (X[i * p + a] as number) * (b[a] as number);
      lp += (y[i] as number) * eta - Math.exp(eta);
    }
    return lp;
  };
  // Laplace approximation with the moment-matched normal prior (Newton–Raphson).
  const mm = spec.coef.map((mix) => mixtureMoments(mix));
  const { mode, chol: lchol } = poissonLaplace(
    d,
    Float64Array.from(mm, (x) => x.mean),
    Float64Array.from(mm, (x) => x.sd),
  );
  const nu = 6;
  const tScale = 1.2;
  const zTmp = new Float64Array(p);
  // log density (up to a constant) of the t proposal.
  const logT = (b: Float64Array): number => {
    // Solve L u = (b − mode) to get the Mahalanobis distance.
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
  const cur = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    // sd of coordinate a under the Laplace covariance L Lᵀ: the norm of row a of L.
    let v = 0;
    for (let k = 0; k <= a; k++) v += (lchol[a * p + k] as number) ** 2;
    cur[a] = (mode[a] as number) + 0.5 * Math.sqrt(v) * rng.normal();
  }
  let lpCur = logPost(cur);
  let ltCur = logT(cur);
  const prop = new Float64Array(p);
  const eps = new Float64Array(p);
  let rwScale = 2.38 / Math.sqrt(p);
  let accRw = 0;
  const total = warmup + draws;
  for (let it = 0; it < total; it++) {
    // Independence step.
    const w = rng.gamma(nu / 2, nu / 2);
    for (let a = 0; a < p; a++) eps[a] = rng.normal();
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let k = 0; k <= a; k++) s += (lchol[a * p + k] as number) * (eps[k] as number);
      prop[a] = (mode[a] as number) + (tScale * s) / Math.sqrt(w);
    }
    const lpProp = logPost(prop);
    const ltProp = logT(prop);
    if (Math.log(rng.uniform()) < lpProp - lpCur - ltProp + ltCur) {
      cur.set(prop);
      lpCur = lpProp;
      ltCur = ltProp;
    }
    // Random-walk step.
    for (let a = 0; a < p; a++) eps[a] = rng.normal();
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let k = 0; k <= a; k++) s += (lchol[a * p + k] as number) * (eps[k] as number);
      prop[a] = (cur[a] as number) + rwScale * s;
    }
    const lpRw = logPost(prop);
    const acc = Math.log(rng.uniform()) < lpRw - lpCur;
    if (acc) {
      cur.set(prop);
      lpCur = lpRw;
      ltCur = logT(cur);
    }
    if (it < warmup) {
      accRw += acc ? 1 : 0;
      if ((it + 1) % 50 === 0) {
        const rate = accRw / 50;
        rwScale *= Math.exp(rate - 0.3);
        accRw = 0;
      }
    } else out.set(cur, (it - warmup) * p);
  }
  return out;
}

/**
 * Laplace approximation of a Poisson log-linear model with independent normal priors
 * N(means[a], sds[a]²): the posterior mode (Newton–Raphson) and the Cholesky factor of the
 * inverse Hessian there. @internal
 */
export function poissonLaplace(
  d: PreparedTrial,
  means: Float64Array,
  sds: Float64Array,
): { mode: Float64Array; chol: Float64Array } {
  const { n, p, X, y, exposure } = d;
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
  for (let iter = 0; iter < 50; iter++) {
    h.fill(0);
    for (let a = 0; a < p; a++) {
      const s2 = (sds[a] as number) ** 2;
      g[a] = -((mode[a] as number) - (means[a] as number)) / s2;
      h[a * p + a] = 1 / s2;
    }
    for (let i = 0; i < n; i++) {
      let eta = Math.log(exposure[i] as number);
      for (let a = 0; a < p; a++) eta += (X[i * p + a] as number) * (mode[a] as number);
      const mu = Math.exp(eta);
      for (let a = 0; a < p; a++) {
        const xa = X[i * p + a] as number;
        g[a] = (g[a] as number) + xa * ((y[i] as number) - mu);
        for (let b = 0; b < p; b++) h[a * p + b] = (h[a * p + b] as number) + mu * xa * (X[i * p + b] as number);
      }
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
