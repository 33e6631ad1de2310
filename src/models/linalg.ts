/**
 * Small dense linear algebra for the samplers: p×p symmetric positive-definite matrices stored
 * row-major in `Float64Array`s (p is the number of regression coefficients, at most ~10).
 *
 * @packageDocumentation
 */
import type { Rng } from '../rng/index.js';

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a p×p SPD matrix (lower triangle of `a` becomes
 * L; the strict upper triangle is zeroed). Adds a growing diagonal jitter when a pivot is not
 * positive (round-off), and returns false only if even that fails.
 * @internal
 */
export function choleskyInPlace(a: Float64Array, p: number): boolean {
  const src = a.slice();
  return choleskyInto(src, p, a);
}

/**
 * Cholesky factor of the SPD matrix `a` written to `l` (`a` untouched); retries with a growing
 * diagonal jitter when round-off makes a pivot non-positive. Returns false if that fails too.
 * @internal
 */
export function choleskyInto(a: Float64Array, p: number, l: Float64Array): boolean {
  let maxDiag = 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    let jitter = 0;
    if (attempt > 0) {
      if (maxDiag === 0) for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i] as number));
      jitter = (maxDiag || 1) * 1e-12 * 10 ** (2 * attempt);
    }
    if (choleskyOnce(a, p, l, jitter)) return true;
  }
  return false;
}

function choleskyOnce(a: Float64Array, p: number, l: Float64Array, jitter: number): boolean {
  for (let j = 0; j < p; j++) {
    let d = (a[j * p + j] as number) + jitter;
    for (let k = 0; k < j; k++) {
      const v = l[j * p + k] as number;
      d -= v * v;
    }
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * p + k] as number) * (l[j * p + k] as number);
      l[i * p + j] = s / ljj;
    }
    for (let i = 0; i < j; i++) l[i * p + j] = 0;
  }
  return true;
}

/** Solves L·x = b in place (L lower triangular from {@link choleskyInPlace}). @internal */
export function forwardSolve(l: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * p + k] as number) * (b[k] as number);
    b[i] = s / (l[i * p + i] as number);
  }
}

/** Solves Lᵀ·x = b in place. @internal */
export function backSolve(l: Float64Array, p: number, b: Float64Array): void {
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < p; k++) s -= (l[k * p + i] as number) * (b[k] as number);
    b[i] = s / (l[i * p + i] as number);
  }
}

/**
 * Draws β ~ N(Q⁻¹·b, Q⁻¹) given the precision Q (p×p, overwritten by its Cholesky factor) and
 * the linear term b (overwritten by the mean). The result goes to `out`. Returns false when Q is
 * not positive definite even after jitter. `q` is left unchanged; `l` is scratch for its factor.
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
  forwardSolve(l, p, b);
  backSolve(l, p, b); // b = Q⁻¹ b
  for (let i = 0; i < p; i++) z[i] = rng.normal();
  backSolve(l, p, z); // z = L⁻ᵀ ε ~ N(0, Q⁻¹)
  for (let i = 0; i < p; i++) out[i] = (b[i] as number) + (z[i] as number);
  return true;
}

/** Inverse of an SPD matrix through its Cholesky factor (returns a new array). @internal */
export function spdInverse(a: Float64Array, p: number): Float64Array | null {
  const l = a.slice();
  if (!choleskyInPlace(l, p)) return null;
  const inv = new Float64Array(p * p);
  const col = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    col.fill(0);
    col[j] = 1;
    forwardSolve(l, p, col);
    backSolve(l, p, col);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i] as number;
  }
  return inv;
}

/** log det of an SPD matrix via Cholesky (NaN when not SPD). @internal */
export function spdLogDet(a: Float64Array, p: number): number {
  const l = a.slice();
  if (!choleskyInPlace(l, p)) return Number.NaN;
  let s = 0;
  for (let i = 0; i < p; i++) s += Math.log(l[i * p + i] as number);
  return 2 * s;
}
