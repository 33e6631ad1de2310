/**
 * The Pólya-Gamma sweep of the logistic models: ω_i | β ~ PG(trials_i, x_iᵀβ) for every
 * observation, and the linear term Xᵀκ, κ = y − trials/2, of β | ω (Polson, Scott & Windle 2013).
 *
 * @packageDocumentation
 */
import type { Rng } from '../../rng/index.js';
import { polyaGammaMass, polyaGammaSumWithMass } from '../samplers.js';
import { crossProducts } from './coefficients.js';

/**
 * Draws ω_i ~ PG(trials_i, x_iᵀβ) into `omega` (length ≥ n). Consecutive observations usually
 * share the linear predictor (same period, no trend): the proposal weight is then reused. @internal
 */
export function polyaGammaSweep(
  X: Float64Array,
  n: number,
  p: number,
  trials: Float64Array,
  beta: ArrayLike<number>,
  rng: Rng,
  omega: Float64Array,
): void {
  let lastPsi = Number.NaN;
  let mass = 0;
  for (let i = 0; i < n; i++) {
    let psi = 0;
    for (let a = 0; a < p; a++) psi += (X[i * p + a] as number) * (beta[a] as number);
    if (psi !== lastPsi) {
      mass = polyaGammaMass(psi);
      lastPsi = psi;
    }
    omega[i] = polyaGammaSumWithMass(trials[i] as number, psi, mass, rng);
  }
}

/** Xᵀκ with κ_i = y_i − trials_i/2, into `out` (length p). @internal */
export function polyaGammaLinear(X: Float64Array, n: number, p: number, y: Float64Array, trials: Float64Array, out: Float64Array): void {
  const kappa = new Float64Array(n);
  for (let i = 0; i < n; i++) kappa[i] = (y[i] as number) - 0.5 * (trials[i] as number);
  crossProducts(X, n, p, null, kappa, null, out);
}
