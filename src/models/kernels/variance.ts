/**
 * The residual-variance update of the normal models: σ² | β ~ InvGamma(a + n/2, b + SSR/2)
 * (conjugate) for an `invGamma` prior on σ², or one slice step on log σ for a `halfNormal`
 * prior on σ. The kernel holds its target's data in fields, so a step allocates nothing.
 *
 * @packageDocumentation
 */
import type { Dist } from '../../distributions/index.js';
import type { Rng } from '../../rng/index.js';
import { sliceStep } from '../samplers.js';

/**
 * The residual sum of squares yᵀy − 2cᵀXᵀy + cᵀXᵀXc from cross-products (at least 0). @internal
 */
export function residualSS(xtx: Float64Array, xty: Float64Array, yty: number, c: ArrayLike<number>, p: number): number {
  let ssr = yty;
  for (let a = 0; a < p; a++) {
    const ca = c[a] as number;
    let r = 0;
    for (let b = 0; b < p; b++) r += (xtx[a * p + b] as number) * (c[b] as number);
    ssr += ca * (r - 2 * (xty[a] as number));
  }
  return Math.max(ssr, 0);
}

/** The σ² update for one prior. @internal */
export interface VarianceKernel {
  /** A new σ² given the current one, the number of observations and the residual sum of squares. */
  step(rng: Rng, sigma2: number, n: number, ssr: number): number;
}

/** Builds the σ² update of an `invGamma` (on σ²) or `halfNormal` (on σ) prior. @internal */
export function varianceKernel(prior: Dist): VarianceKernel {
  if (prior.family === 'invGamma') {
    const { shape, scale } = prior;
    return { step: (rng, _s2, n, ssr) => 1 / rng.gamma(shape + 0.5 * n, scale + 0.5 * ssr) };
  }
  if (prior.family !== 'halfNormal') throw new Error(`varianceKernel: unsupported prior family ${prior.family}`);
  const sc2 = 2 * prior.scale * prior.scale;
  let nObs = 0;
  let ss = 0;
  // log density of log σ: −n·log σ − SSR/(2σ²) − σ²/(2·scale²) + log σ (Jacobian).
  const logf = (lsd: number): number => {
    const s2 = Math.exp(2 * lsd);
    return (1 - nObs) * lsd - ss / (2 * s2) - s2 / sc2;
  };
  return {
    step(rng, sigma2, n, ssr) {
      nObs = n;
      ss = ssr;
      return Math.exp(2 * sliceStep(0.5 * Math.log(sigma2), logf, 0.5, -50, 50, rng));
    },
  };
}
