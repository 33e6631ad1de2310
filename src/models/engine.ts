/**
 * The single-trial models as specs over the shared kernels (`./kernels/`), run by the one
 * driver (`./driver.ts`): normal (Gaussian β block, σ² update, optional AR(1) ρ), binomial
 * (Pólya-Gamma sweep + β block) and Poisson (independence-t and random-walk Metropolis).
 *
 * @packageDocumentation
 */
import type { Dist } from '../distributions/index.js';
import type { Rng } from '../rng/index.js';
import type { NormalMixture, PreparedTrial } from './data.js';
import { mixtureMoments } from './data.js';
import type { ChainModel } from './driver.js';
import { runChain } from './driver.js';
import { arKernel, initRho, rhoKernel } from './kernels/ar1.js';
import { coefScratch, componentPrior, crossProducts, drawCoefficients, redrawComponents } from './kernels/coefficients.js';
import { sampleMoments } from './kernels/moments.js';
import { polyaGammaLinear, polyaGammaSweep } from './kernels/polya-gamma.js';
import type { PoissonTrialState } from './kernels/poisson.js';
import { poissonTrialKernel } from './kernels/poisson.js';
import { residualSS, varianceKernel } from './kernels/variance.js';

export { arKernel, checkRhoPrior, initRho, rhoLogPrior } from './kernels/ar1.js';
export type { ArKernel } from './kernels/ar1.js';
export { poissonLaplace } from './kernels/poisson.js';

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

/** Initial β: prior means (moment-matched) with a little noise, the intercept at a data-based value. */
function initBeta(spec: ModelSpec, rng: Rng, intercept: number, beta: Float64Array): void {
  const p = spec.data.p;
  for (let j = 0; j < p; j++) {
    const mm = mixtureMoments(spec.coef[j] as NormalMixture);
    beta[j] = mm.mean + 0.1 * Math.min(mm.sd, 1) * rng.normal();
  }
  beta[0] = intercept + 0.1 * rng.normal();
}

/** State of the normal and binomial chains. */
interface GaussianBlockState {
  readonly beta: Float64Array;
  readonly comp: Int32Array;
  sigma2: number;
  rho: number;
}

/**
 * The normal model: β | σ², ρ, indicators (Gaussian block on the whitened cross-products);
 * mixture indicators; σ² | β, ρ (conjugate, or slice on log σ); ρ | β, σ² (slice). @internal
 */
export function normalModel(spec: ModelSpec): ChainModel<GaussianBlockState> {
  const d = spec.data;
  const { n, p, X, y } = d;
  const lay = layoutOf(spec, 'normal');
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yty = spec.autocorrelation ? 0 : crossProducts(X, n, p, null, y, xtx, xty);
  const ar = spec.autocorrelation ? arKernel(d) : null;
  const rhoK = ar !== null ? rhoKernel(ar, spec.rho) : null;
  const varK = spec.sigma === undefined && spec.variance !== undefined ? varianceKernel(spec.variance) : null;
  const ws = coefScratch(p);
  const pm = new Float64Array(p);
  const ps = new Float64Array(p);
  const logw = new Float64Array(16);
  const ym = sampleMoments(y);
  const vy = n > 1 ? ym.variance : 1;
  return {
    width: lay.width,
    init(rng) {
      const sigma2 = spec.sigma !== undefined ? spec.sigma * spec.sigma : vy > 0 ? vy * Math.exp(0.2 * rng.normal()) : 1;
      const rho = spec.autocorrelation ? initRho(spec.rho, rng) : 0;
      const beta = new Float64Array(p);
      initBeta(spec, rng, ym.mean, beta);
      const comp = new Int32Array(p);
      redrawComponents(spec.coef, beta, comp, rng, logw);
      return { beta, comp, sigma2, rho };
    },
    step(rng, s) {
      if (ar !== null) yty = ar.crossStats(s.rho, xtx, xty);
      componentPrior(spec.coef, s.comp, pm, ps);
      drawCoefficients(xtx, xty, 1 / s.sigma2, pm, ps, p, rng, s.beta, ws);
      redrawComponents(spec.coef, s.beta, s.comp, rng, logw);
      if (varK !== null) s.sigma2 = varK.step(rng, s.sigma2, n, residualSS(xtx, xty, yty, s.beta, p));
      if (rhoK !== null) s.rho = rhoK.step(rng, s.rho, s.beta, s.sigma2);
      return s;
    },
    write(s, out, o) {
      out.set(s.beta, o);
      if (lay.sigmaIndex >= 0) out[o + lay.sigmaIndex] = Math.sqrt(s.sigma2);
      if (lay.rhoIndex >= 0) out[o + lay.rhoIndex] = s.rho;
    },
  };
}

/**
 * The logistic model by Pólya-Gamma data augmentation: ω_t | β ~ PG(n_t, x_tᵀβ),
 * β | ω ~ N(Q⁻¹b, Q⁻¹), Q = XᵀΩX + prior precision, b = Xᵀκ + prior precision·mean, κ = y − n/2.
 * @internal
 */
export function binomialModel(spec: ModelSpec): ChainModel<GaussianBlockState> {
  const d = spec.data;
  const { n, p, X, y, trials } = d;
  const xtk = new Float64Array(p);
  polyaGammaLinear(X, n, p, y, trials, xtk);
  const omega = new Float64Array(n);
  const xtwx = new Float64Array(p * p);
  const ws = coefScratch(p);
  const pm = new Float64Array(p);
  const ps = new Float64Array(p);
  const logw = new Float64Array(16);
  let sy = 0;
  let sn = 0;
  for (let i = 0; i < n; i++) {
    sy += y[i] as number;
    sn += trials[i] as number;
  }
  const pbar = (sy + 0.5) / (sn + 1);
  return {
    width: p,
    init(rng) {
      const beta = new Float64Array(p);
      initBeta(spec, rng, Math.log(pbar / (1 - pbar)), beta);
      const comp = new Int32Array(p);
      redrawComponents(spec.coef, beta, comp, rng, logw);
      return { beta, comp, sigma2: 1, rho: 0 };
    },
    step(rng, s) {
      polyaGammaSweep(X, n, p, trials, s.beta, rng, omega);
      crossProducts(X, n, p, omega, null, xtwx, null);
      componentPrior(spec.coef, s.comp, pm, ps);
      drawCoefficients(xtwx, xtk, 1, pm, ps, p, rng, s.beta, ws);
      redrawComponents(spec.coef, s.beta, s.comp, rng, logw);
      return s;
    },
    write(s, out, o) {
      out.set(s.beta, o);
    },
  };
}

/** The Poisson log-linear model (see {@link poissonTrialKernel}). @internal */
export function poissonModel(spec: ModelSpec): ChainModel<PoissonTrialState> {
  const k = poissonTrialKernel(spec.data, spec.coef);
  return {
    width: spec.data.p,
    init: (rng) => k.init(rng),
    step: (rng, s, warmIt) => k.step(rng, s, warmIt),
    write(s, out, o) {
      out.set(s.beta, o);
    },
  };
}

/** One chain of the normal model, row-major draws (draws × width). @internal */
export function runNormalChain(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array {
  return runChain(normalModel(spec), rng, warmup, draws);
}

/** One chain of the logistic model, row-major draws (draws × p). @internal */
export function runBinomialChain(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array {
  return runChain(binomialModel(spec), rng, warmup, draws);
}

/** One chain of the Poisson model, row-major draws (draws × p). @internal */
export function runPoissonChain(spec: ModelSpec, rng: Rng, warmup: number, draws: number): Float64Array {
  return runChain(poissonModel(spec), rng, warmup, draws);
}
