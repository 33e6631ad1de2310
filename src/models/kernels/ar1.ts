/**
 * The AR(1) pieces of the normal models: the prior of ρ, the O(p²) whitened cross-products and
 * log-likelihood of one trial at any ρ (lag sums), and the slice update of ρ.
 *
 * @packageDocumentation
 */
import type { Dist } from '../../distributions/index.js';
import { cdfRaw, logPdfRaw } from '../../distributions/index.js';
import { quadForm } from '../../linalg/dense.js';
import type { Rng } from '../../rng/index.js';
import { fail } from '../../validate.js';
import type { PreparedTrial } from '../data.js';
import { sliceStep } from '../samplers.js';
import { startInSupport } from './support.js';

/** log prior density of ρ on (−1, 1); a beta Dist is read as a prior on (ρ + 1)/2. @internal */
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
 * from the middle half of the prior (e.g. a `uniform(0.5, 0.95)` prior; see
 * {@link startInSupport}). @internal
 */
export function initRho(d: Dist | undefined, rng: Rng): number {
  const r0 = 0.5 * (rng.uniform() - 0.5);
  if (d === undefined) return r0;
  const beta = d.family === 'beta';
  return startInSupport(r0, (r) => rhoLogPrior(d, r), d, beta ? 0 : -1, 1, rng, beta ? (q) => 2 * q - 1 : undefined);
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
  /**
   * The whitened cross-products at ρ = r split for the coefficient block: XᵀX into `xtx`
   * (p×p), Xᵀy into `xty`; returns yᵀy.
   */
  crossStats(r: number, xtx: Float64Array, xty: Float64Array): number;
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
  const mm = new Float64Array(m * m);
  let qa = 0;
  let qb = 0;
  let qc = 0;
  let e0sq = 0;
  const cross = (r: number, mm: Float64Array): void => {
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
  };
  return {
    m,
    cross,
    crossStats(r, xtx, xty) {
      cross(r, mm);
      const p = m - 1;
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) xtx[a * p + b] = mm[a * m + b] as number;
        xty[a] = mm[a * m + p] as number;
      }
      return mm[p * m + p] as number;
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

/** The slice update of ρ | β, σ² for one trial. @internal */
export interface RhoKernel {
  step(rng: Rng, rho: number, beta: ArrayLike<number>, sigma2: number): number;
}

/** Builds the ρ update of a trial's AR(1) kernel under `prior` (uniform on (−1, 1) when undefined). @internal */
export function rhoKernel(ker: ArKernel, prior: Dist | undefined): RhoKernel {
  let s2 = 1;
  const logf = (r: number): number => rhoLogPrior(prior, r) + ker.logLik(r, s2);
  return {
    step(rng, rho, beta, sigma2) {
      ker.setCoefficients(beta);
      s2 = sigma2;
      return sliceStep(rho, logf, 0.25, -1, 1, rng);
    },
  };
}
