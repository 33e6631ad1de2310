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
 * longer gap L (missing days, washout) are summed the same way per distinct L: their whitened
 * residual is (Z_t − ρ^L Z_{t−1}) / √f_L with f_L = (1 − ρ^{2L}) / (1 − ρ²), so each distinct gap
 * length costs O(p²) per evaluation, however many pairs have it.
 */
interface LagGroup {
  /** The gap in days. */
  readonly len: number;
  /** Pairs with this gap. */
  readonly count: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
}

interface LagSums {
  readonly m: number;
  /** Gap 1 (f = 1). */
  readonly one: LagGroup;
  /** Gaps of 2 or more days, one group per distinct length. */
  readonly gaps: readonly LagGroup[];
  readonly z0: Float64Array;
}

function lagSums(d: PreparedTrial): LagSums {
  const { n, p, X, y, day } = d;
  const m = p + 1;
  const groups = new Map<number, { count: number; a: Float64Array; b: Float64Array; c: Float64Array }>();
  const zt = new Float64Array(m);
  const zp = new Float64Array(m);
  const load = (i: number, out: Float64Array): void => {
    for (let k = 0; k < p; k++) out[k] = X[i * p + k] as number;
    out[p] = y[i] as number;
  };
  for (let i = 1; i < n; i++) {
    const g = (day[i] as number) - (day[i - 1] as number);
    let grp = groups.get(g);
    if (grp === undefined) {
      grp = { count: 0, a: new Float64Array(m * m), b: new Float64Array(m * m), c: new Float64Array(m * m) };
      groups.set(g, grp);
    }
    grp.count++;
    load(i, zt);
    load(i - 1, zp);
    const { a, b, c } = grp;
    for (let r = 0; r < m; r++) {
      const zr = zt[r] as number;
      const pr = zp[r] as number;
      for (let s = 0; s < m; s++) {
        a[r * m + s] = (a[r * m + s] as number) + zr * (zt[s] as number);
        b[r * m + s] = (b[r * m + s] as number) + zr * (zp[s] as number) + pr * (zt[s] as number);
        c[r * m + s] = (c[r * m + s] as number) + pr * (zp[s] as number);
      }
    }
  }
  const empty = (len: number): LagGroup => ({ len, count: 0, a: new Float64Array(m * m), b: new Float64Array(m * m), c: new Float64Array(m * m) });
  const g1 = groups.get(1);
  const one: LagGroup = g1 === undefined ? empty(1) : { len: 1, ...g1 };
  const gaps = [...groups.entries()]
    .filter(([len]) => len !== 1)
    .sort((u, v) => u[0] - v[0])
    .map(([len, g]) => ({ len, ...g }));
  const z0 = new Float64Array(m);
  if (n > 0) load(0, z0);
  return { m, one, gaps, z0 };
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
  const nGaps = ls.gaps.length;
  const v = new Float64Array(m);
  const mm = new Float64Array(m * m);
  // vᵀ A v, vᵀ B v, vᵀ C v per gap group (set with the coefficients).
  const ga = new Float64Array(nGaps);
  const gb = new Float64Array(nGaps);
  const gc = new Float64Array(nGaps);
  let qa = 0;
  let qb = 0;
  let qc = 0;
  let e0sq = 0;
  const cross = (r: number, mm: Float64Array): void => {
    const r2 = r * r;
    const one = 1 - r2;
    const { a, b, c } = ls.one;
    for (let k = 0; k < m * m; k++) mm[k] = (a[k] as number) - r * (b[k] as number) + r2 * (c[k] as number);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) mm[i * m + j] = (mm[i * m + j] as number) + one * (ls.z0[i] as number) * (ls.z0[j] as number);
    }
    for (let g = 0; g < nGaps; g++) {
      const grp = ls.gaps[g] as LagGroup;
      const phi = r ** grp.len;
      const inv = one / (1 - phi * phi);
      const phi2 = phi * phi;
      for (let k = 0; k < m * m; k++) {
        mm[k] = (mm[k] as number) + inv * ((grp.a[k] as number) - phi * (grp.b[k] as number) + phi2 * (grp.c[k] as number));
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
      qa = quadForm(ls.one.a, m, v);
      qb = quadForm(ls.one.b, m, v);
      qc = quadForm(ls.one.c, m, v);
      for (let g = 0; g < nGaps; g++) {
        const grp = ls.gaps[g] as LagGroup;
        ga[g] = quadForm(grp.a, m, v);
        gb[g] = quadForm(grp.b, m, v);
        gc[g] = quadForm(grp.c, m, v);
      }
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
        const grp = ls.gaps[g] as LagGroup;
        const phi = r ** grp.len;
        const f = (1 - phi * phi) / one;
        qf += ((ga[g] as number) - phi * (gb[g] as number) + phi * phi * (gc[g] as number)) / f;
        logdet += grp.count * Math.log(f);
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
