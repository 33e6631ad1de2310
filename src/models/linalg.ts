/**
 * Linear algebra for the samplers, on top of the shared kernels in `src/linalg/dense.ts`: p×p
 * symmetric positive-definite matrices stored row-major in `Float64Array`s (p is the number of
 * regression coefficients, at most ~10).
 *
 * @packageDocumentation
 */
import { backSolveT, cholInverse, choleskyTry, forwardSolve } from '../linalg/dense.js';
import type { Rng } from '../rng/index.js';

/**
 * Cholesky factor of the SPD matrix `a` written to `l` (`a` untouched); retries with a growing
 * diagonal jitter (1e-10, 1e-8, ... times the largest diagonal entry) when round-off makes a
 * pivot non-positive. Returns false if that fails too.
 * @internal
 */
export function choleskyInto(a: Float64Array, p: number, l: Float64Array): boolean {
  if (choleskyTry(a, p, 0, l)) return true;
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i] as number));
  for (let attempt = 1; attempt < 6; attempt++) {
    if (choleskyTry(a, p, (maxDiag || 1) * 1e-12 * 10 ** (2 * attempt), l)) return true;
  }
  return false;
}

/** In-place Cholesky factorisation (lower triangle of `a` becomes L, upper zeroed); see {@link choleskyInto}. @internal */
export function choleskyInPlace(a: Float64Array, p: number): boolean {
  return choleskyInto(a.slice(), p, a);
}

/**
 * Draws β ~ N(Q⁻¹·b, Q⁻¹) given the precision Q (p×p) and the linear term b (overwritten by
 * the mean). The result goes to `out`. Returns false when Q is not positive definite even
 * after jitter. `q` is left unchanged; `l` is scratch for its factor.
 * @see Rue (2001), Fast sampling of Gaussian Markov random fields, JRSS B 63(2) (algorithm 2.5).
 * @internal
 */
export function drawFromPrecision(
  q: Float64Array,
  b: Float64Array,
  p: number,
  rng: Rng,
  out: Float64Array,
  z: Float64Array,
  l: Float64Array = new Float64Array(p * p),
): boolean {
  if (!choleskyInto(q, p, l)) return false;
  forwardSolve(l, p, b, b);
  backSolveT(l, p, b, b); // b = Q⁻¹ b
  for (let i = 0; i < p; i++) z[i] = rng.normal();
  backSolveT(l, p, z, z); // z = L⁻ᵀ ε ~ N(0, Q⁻¹)
  for (let i = 0; i < p; i++) out[i] = (b[i] as number) + (z[i] as number);
  return true;
}

/** Inverse of an SPD matrix through its Cholesky factor (returns a new array; null when not SPD). @internal */
export function spdInverse(a: Float64Array, p: number): Float64Array | null {
  const l = a.slice();
  if (!choleskyInPlace(l, p)) return null;
  return cholInverse(l, p, new Float64Array(p * p));
}

/** log det of an SPD matrix via Cholesky (NaN when not SPD). @internal */
export function spdLogDet(a: Float64Array, p: number): number {
  const l = a.slice();
  if (!choleskyInPlace(l, p)) return Number.NaN;
  let s = 0;
  for (let i = 0; i < p; i++) s += Math.log(l[i * p + i] as number);
  return 2 * s;
}
