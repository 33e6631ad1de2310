/**
 * The Gaussian coefficient block: cross-products of a design matrix, the conditional draw
 * β | rest ~ N(Q⁻¹b, Q⁻¹) with Q = s·XᵀWX + diag(1/sd²), b = s·XᵀWv + mean/sd², and the
 * normal-mixture component indicators of the coefficients' priors. Shared by the normal
 * (W = I, s = 1/σ²), Pólya-Gamma (W = Ω, s = 1) and series models.
 *
 * @packageDocumentation
 */
import { drawFromPrecision } from '../../linalg/dense.js';
import type { Rng } from '../../rng/index.js';
import type { NormalMixture } from '../data.js';
import { drawIndicator } from '../samplers.js';

/**
 * Weighted cross-products of the rows of the n×p row-major `X`: `xtx` = Σ wᵢ xᵢxᵢᵀ (full,
 * symmetric; skipped when null), `xtv` = Σ wᵢ xᵢ vᵢ (when `v` and `xtv` are given); returns
 * Σ wᵢ vᵢ² (0 without `v`). `w` null means unit weights. Zero entries of X (treatment dummies)
 * are skipped. @internal
 */
export function crossProducts(
  X: Float64Array,
  n: number,
  p: number,
  w: ArrayLike<number> | null,
  v: ArrayLike<number> | null,
  xtx: Float64Array | null,
  xtv: Float64Array | null,
): number {
  if (xtx !== null) xtx.fill(0, 0, p * p);
  if (xtv !== null) xtv.fill(0, 0, p);
  let vv = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : (w[i] as number);
    const vi = v === null ? 0 : (v[i] as number);
    vv += wi * vi * vi;
    for (let a = 0; a < p; a++) {
      const xa = X[i * p + a] as number;
      if (xa === 0) continue;
      const wx = wi * xa;
      if (xtv !== null) xtv[a] = (xtv[a] as number) + wx * vi;
      if (xtx !== null) for (let b = 0; b <= a; b++) xtx[a * p + b] = (xtx[a * p + b] as number) + wx * (X[i * p + b] as number);
    }
  }
  if (xtx !== null) {
    for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) xtx[a * p + b] = xtx[b * p + a] as number;
  }
  return vv;
}

/** Scratch of {@link drawCoefficients} for up to `p` coefficients (allocate once per chain). @internal */
export interface CoefScratch {
  readonly q: Float64Array;
  readonly l: Float64Array;
  readonly b: Float64Array;
  readonly z: Float64Array;
}

/** Allocates a {@link CoefScratch}. @internal */
export function coefScratch(p: number): CoefScratch {
  return { q: new Float64Array(p * p), l: new Float64Array(p * p), b: new Float64Array(p), z: new Float64Array(p) };
}

/**
 * Draws β ~ N(Q⁻¹b, Q⁻¹), Q = s·`xtx` + diag(1/`sd`²), b = s·`xtv` + `mean`/`sd`², into `out`
 * (unchanged when Q cannot be factorised). No allocation. @internal
 */
export function drawCoefficients(
  xtx: Float64Array,
  xtv: Float64Array,
  s: number,
  mean: ArrayLike<number>,
  sd: ArrayLike<number>,
  p: number,
  rng: Rng,
  out: Float64Array,
  ws: CoefScratch,
): void {
  const { q, b } = ws;
  for (let a = 0; a < p; a++) {
    const sa = sd[a] as number;
    const prec = 1 / (sa * sa);
    for (let c = 0; c < p; c++) q[a * p + c] = s * (xtx[a * p + c] as number);
    q[a * p + a] = (q[a * p + a] as number) + prec;
    b[a] = s * (xtv[a] as number) + prec * (mean[a] as number);
  }
  drawFromPrecision(q, b, p, rng, out, ws.z, ws.l);
}

/** Writes the mean and sd of each coefficient's current prior component. @internal */
export function componentPrior(
  coef: readonly NormalMixture[],
  comp: Int32Array,
  mean: Float64Array,
  sd: Float64Array,
): void {
  for (let a = 0; a < coef.length; a++) {
    const mix = coef[a] as NormalMixture;
    const k = comp[a] as number;
    mean[a] = mix.m[k] as number;
    sd[a] = mix.s[k] as number;
  }
}

/** Redraws the mixture component of every coefficient with a mixture prior. @internal */
export function redrawComponents(
  coef: readonly NormalMixture[],
  beta: ArrayLike<number>,
  comp: Int32Array,
  rng: Rng,
  logw: Float64Array,
): void {
  for (let a = 0; a < coef.length; a++) {
    const mix = coef[a] as NormalMixture;
    if (mix.w.length > 1) comp[a] = drawIndicator(mix, beta[a] as number, rng, logw);
  }
}
