/**
 * Small dense linear-algebra kernels on row-major `Float64Array`s, shared by the contextual
 * bandits (`src/adaptive`) and the MCMC samplers (`src/models`): Cholesky with a jitter
 * fallback, triangular solves (in place when `out` is the input), Sherman–Morrison rank-one
 * inverse updates. Internal (not exported from the package root); `bench/adaptive.bench.ts`
 * compares them with mathjs, which allocates a matrix object per call and is far slower at d = 20.
 *
 * Only additions, multiplications, divisions and `Math.sqrt` are used, in a fixed order, so
 * results are identical on every IEEE-754 platform (no SVD, no BLAS).
 *
 * @packageDocumentation
 */

/** The d×d identity times `s`. */
export function scaledIdentity(d: number, s: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = s;
  return m;
}

/**
 * In-place attempt at the lower Cholesky factor `L` of the symmetric matrix `a` (only its
 * lower triangle is read) plus `jitter` on the diagonal. Returns false when a pivot is not
 * positive and finite. The upper triangle of `out` is zeroed.
 */
export function choleskyTry(a: Float64Array, d: number, jitter: number, out: Float64Array): boolean {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]! + jitter;
    for (let k = 0; k < j; k++) {
      const l = out[j * d + k]!;
      s -= l * l;
    }
    if (!(s > 0) || !Number.isFinite(s)) return false;
    const ljj = Math.sqrt(s);
    out[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k++) t -= out[i * d + k]! * out[j * d + k]!;
      out[i * d + j] = t / ljj;
    }
    for (let i = 0; i < j; i++) out[i * d + j] = 0;
  }
  return true;
}

/**
 * Lower Cholesky factor of a symmetric positive (semi-)definite matrix: the one jitter policy of
 * the package (bandits and samplers alike). The plain factorisation is tried first; when
 * round-off makes a pivot non-positive, diagonal jitter of 1e-10, 1e-9, ... up to 1 times the
 * mean absolute diagonal is added, smallest first. If even that fails (non-finite input), `out`
 * becomes the identity scaled to the diagonal so that callers never see NaN, and the return
 * value is `Infinity`. Returns the jitter used (0 when none was needed).
 */
export function cholesky(a: Float64Array, d: number, out: Float64Array): number {
  if (choleskyTry(a, d, 0, out)) return 0;
  let scale = 0;
  for (let i = 0; i < d; i++) scale += Math.abs(a[i * d + i]!);
  scale = Number.isFinite(scale) && scale > 0 ? scale / d : 1;
  for (let e = -10; e <= 0; e++) {
    const jitter = scale * 10 ** e;
    if (choleskyTry(a, d, jitter, out)) return jitter;
  }
  out.fill(0);
  for (let i = 0; i < d; i++) out[i * d + i] = Math.sqrt(scale);
  return Number.POSITIVE_INFINITY;
}

/**
 * {@link cholesky} as a success flag: true when the factor is exact or jittered, false when the
 * matrix could not be factorised at all (then `out` holds the scaled identity).
 */
export function choleskyOk(a: Float64Array, d: number, out: Float64Array): boolean {
  return cholesky(a, d, out) !== Number.POSITIVE_INFINITY;
}

/** Solves L y = b (L lower triangular) into `out` (which may be `b` itself). */
export function forwardSolve(l: Float64Array, d: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * out[k]!;
    out[i] = s / l[i * d + i]!;
  }
  return out;
}

/** Solves Lᵀ x = y (L lower triangular) into `out` (which may be `y` itself). */
export function backSolveT(l: Float64Array, d: number, y: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * out[k]!;
    out[i] = s / l[i * d + i]!;
  }
  return out;
}

/** Solves (L Lᵀ) x = b into `out` using `tmp` as scratch. */
export function cholSolve(l: Float64Array, d: number, b: ArrayLike<number>, out: Float64Array, tmp: Float64Array): Float64Array {
  forwardSolve(l, d, b, tmp);
  return backSolveT(l, d, tmp, out);
}

/** The inverse of L Lᵀ (symmetric, full) into `out`. */
export function cholInverse(l: Float64Array, d: number, out: Float64Array): Float64Array {
  const e = new Float64Array(d);
  const col = new Float64Array(d);
  const tmp = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    cholSolve(l, d, e, col, tmp);
    for (let i = 0; i < d; i++) out[i * d + j] = col[i]!;
  }
  // Symmetrise exactly.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (out[i * d + j]! + out[j * d + i]!);
      out[i * d + j] = v;
      out[j * d + i] = v;
    }
  }
  return out;
}

/** out = base + s · L z for a lower-triangular L (a correlated proposal); `out` must not alias `z`. */
export function lowerMulAdd(
  l: Float64Array,
  d: number,
  z: ArrayLike<number>,
  base: ArrayLike<number>,
  s: number,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < d; i++) {
    let t = 0;
    for (let k = 0; k <= i; k++) t += l[i * d + k]! * z[k]!;
    out[i] = base[i]! + s * t;
  }
  return out;
}

/**
 * Draws β ~ N(Q⁻¹·b, Q⁻¹) given the precision Q (d×d, stride d) and the linear term b
 * (overwritten by the mean); the draw goes to `out`, `z` and `l` are scratch (`l` receives Q's
 * factor). Buffers may be longer than needed. Returns false when Q cannot be factorised even
 * with {@link cholesky}'s jitter (then `out` is untouched).
 * @see Rue (2001), Fast sampling of Gaussian Markov random fields, JRSS B 63(2) (algorithm 2.5).
 */
export function drawFromPrecision(
  q: Float64Array,
  b: Float64Array,
  d: number,
  rng: { normal(): number },
  out: Float64Array,
  z: Float64Array,
  l: Float64Array = new Float64Array(d * d),
): boolean {
  if (!choleskyOk(q, d, l)) return false;
  forwardSolve(l, d, b, b);
  backSolveT(l, d, b, b); // b = Q⁻¹ b
  for (let i = 0; i < d; i++) z[i] = rng.normal();
  backSolveT(l, d, z, z); // z = L⁻ᵀ ε ~ N(0, Q⁻¹)
  for (let i = 0; i < d; i++) out[i] = b[i]! + z[i]!;
  return true;
}

/** Inverse of an SPD matrix through {@link cholesky} (a new array; null when it cannot be factorised). */
export function spdInverse(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  if (!choleskyOk(a, d, l)) return null;
  return cholInverse(l, d, new Float64Array(d * d));
}

/** log det of an SPD matrix through {@link cholesky} (NaN when it cannot be factorised). */
export function spdLogDet(a: Float64Array, d: number): number {
  const l = new Float64Array(d * d);
  if (!choleskyOk(a, d, l)) return Number.NaN;
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]!);
  return 2 * s;
}

/** In-place Cholesky (the lower triangle of `a` becomes L, the upper is zeroed); false when it fails. */
export function choleskyInPlace(a: Float64Array, d: number): boolean {
  return choleskyOk(a.slice(), d, a);
}

/** xᵀ M x. */
export function quadForm(m: Float64Array, d: number, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < d; i++) {
    let r = 0;
    for (let j = 0; j < d; j++) r += m[i * d + j]! * x[j]!;
    s += x[i]! * r;
  }
  return s;
}

/** M x into `out`. */
export function matVec(m: Float64Array, d: number, x: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let r = 0;
    for (let j = 0; j < d; j++) r += m[i * d + j]! * x[j]!;
    out[i] = r;
  }
  return out;
}

/** Σ xᵢ yᵢ. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += x[i]! * y[i]!;
  return s;
}

/** A += w · x xᵀ (full symmetric update). */
export function rankOneAdd(a: Float64Array, d: number, x: ArrayLike<number>, w = 1): void {
  for (let i = 0; i < d; i++) {
    const xi = w * x[i]!;
    for (let j = 0; j < d; j++) a[i * d + j]! += xi * x[j]!;
  }
}

/**
 * Sherman–Morrison: given `inv` = A⁻¹ (symmetric), overwrites it with (A + x xᵀ)⁻¹ =
 * A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x). Returns false (leaving `inv` untouched) when the
 * denominator is not finite and ≥ 1, i.e. when accumulated rounding made A⁻¹ indefinite; the
 * caller then recomputes the inverse from A by Cholesky.
 */
export function shermanMorrison(inv: Float64Array, d: number, x: ArrayLike<number>, tmp: Float64Array): boolean {
  matVec(inv, d, x, tmp);
  const denom = 1 + dot(x, tmp, d);
  if (!(denom >= 1) || !Number.isFinite(denom)) return false;
  for (let i = 0; i < d; i++) {
    const ui = tmp[i]! / denom;
    for (let j = 0; j < d; j++) inv[i * d + j]! -= ui * tmp[j]!;
  }
  return true;
}
