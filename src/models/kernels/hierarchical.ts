/**
 * The population level of a series: each treatment k has a mean effect μ_k (normal or
 * mixture-of-normals prior, through a component indicator) and a between-patient sd τ_k (any
 * prior on (0, ∞)), and patient j's effect is β_jk ~ N(μ_k, τ_k²). Two moves per sweep:
 *
 * - centred: μ_k | β conjugate, τ_k | β, μ_k by a slice step on log τ_k;
 * - ancillary (ASIS, Yu & Meng 2011): with η_jk = (β_jk − μ_k)/τ_k held fixed, τ_k and then μ_k
 *   are redrawn given the data, which breaks the funnel between τ_k and the effects that slows
 *   the centred steps when τ_k is small.
 *
 * The ancillary move reads each patient's likelihood in β_jk through two or three sufficient
 * sums, collected in one pass over the patients: a Gaussian likelihood (normal outcome given σ_j²,
 * or binomial given the Pólya-Gamma ω) is −½A·x² + h·x in x = β_jk, with A and h from the
 * patient's precision and linear term and its other coefficients; a Poisson likelihood with a
 * 0/1 treatment column is Y·x − E·eˣ. So its cost per sweep is linear in the patients, each
 * density evaluation is O(1) (Gaussian) or O(patients) (Poisson), and nothing is allocated.
 *
 * @packageDocumentation
 */
import type { Dist } from '../../distributions/index.js';
import { logPdfRaw } from '../../distributions/index.js';
import type { Rng } from '../../rng/index.js';
import type { NormalMixture } from '../data.js';
import { mixtureMoments } from '../data.js';
import { drawIndicator, sliceStep } from '../samplers.js';
import { startInSupport } from './support.js';

/**
 * Which patients carry each treatment: for treatment k, entries `start[k] .. start[k+1]` give
 * the patient and the index of that treatment's coefficient in the patient's vector. @internal
 */
export interface Membership {
  readonly K: number;
  readonly start: Int32Array;
  readonly patient: Int32Array;
  readonly column: Int32Array;
}

/**
 * Builds the membership from each patient's treatment of coefficient 1, 2, ... (`colTreatment[j][c − 1]`
 * is the global treatment of patient j's coefficient c). @internal
 */
export function membership(colTreatment: readonly Int32Array[], K: number): Membership {
  const count = new Int32Array(K + 1);
  for (const ct of colTreatment) for (const k of ct) count[k + 1] = (count[k + 1] as number) + 1;
  const start = new Int32Array(K + 1);
  for (let k = 0; k < K; k++) start[k + 1] = (start[k] as number) + (count[k + 1] as number);
  const fill = start.slice(0, K);
  const total = start[K] as number;
  const patient = new Int32Array(total);
  const column = new Int32Array(total);
  colTreatment.forEach((ct, j) => {
    ct.forEach((k, c) => {
      const e = fill[k] as number;
      patient[e] = j;
      column[e] = c + 1;
      fill[k] = e + 1;
    });
  });
  return { K, start, patient, column };
}

/** μ, τ and μ's mixture components. @internal */
export interface PopulationState {
  readonly mu: Float64Array;
  readonly tau: Float64Array;
  readonly muComp: Int32Array;
}

/**
 * Each patient's likelihood of its coefficients, as the ancillary move reads it. `gaussian`:
 * s_j·(cᵀl_j − ½cᵀP_jc) with P_j (p_j×p_j) and l_j current (σ_j² and ρ_j, or ω, of this sweep);
 * `poisson`: the Poisson log-likelihood of the patient's data (treatment columns 0/1).
 * @internal
 */
export type PatientLikelihood =
  | {
      readonly kind: 'gaussian';
      readonly p: Int32Array;
      readonly prec: readonly Float64Array[];
      readonly lin: readonly Float64Array[];
      readonly scale: Float64Array;
    }
  | {
      readonly kind: 'poisson';
      readonly X: readonly Float64Array[];
      readonly y: readonly Float64Array[];
      readonly logE: readonly Float64Array[];
      readonly n: Int32Array;
      readonly p: Int32Array;
    };

/** The population kernel of a series. @internal */
export interface PopulationKernel {
  init(rng: Rng, scale: number): PopulationState;
  /** Centred μ | β, τ then τ | β, μ. */
  centred(rng: Rng, s: PopulationState, coefs: readonly Float64Array[]): void;
  /** The ancillary (interweaving) move; rewrites β_jk = μ_k + τ_k η_jk. */
  ancillary(rng: Rng, s: PopulationState, coefs: readonly Float64Array[], lik: PatientLikelihood): void;
}

/** Builds the population kernel. @internal */
export function populationKernel(
  muPrior: readonly NormalMixture[],
  tauPrior: readonly Dist[],
  mem: Membership,
): PopulationKernel {
  const K = mem.K;
  const total = mem.start[K] as number;
  const eta = new Float64Array(total);
  // Poisson: per entry, the column's two values (the arm's rows `hi`, the others `lo`: 1 and 0 in
  // the reference coding, 1 − 1/K and −1/K in the symmetric one) and the sums of y and of
  // exp(rest of the linear predictor) over each group of rows.
  const yS = new Float64Array(total);
  const eS = new Float64Array(total);
  const yS0 = new Float64Array(total);
  const eS0 = new Float64Array(total);
  const hiV = new Float64Array(total).fill(Number.NaN);
  const loV = new Float64Array(total);
  const logw = new Float64Array(16);
  // Targets of the slice steps, with their data in closure variables (no allocation per step).
  let tPrior: Dist = tauPrior[0] as Dist;
  let cnt = 0;
  let ssk = 0;
  const tauCentred = (lt: number): number => {
    const t = Math.exp(lt);
    return logPdfRaw(tPrior, t) + lt - cnt * lt - ssk / (2 * t * t);
  };
  let sAeta = 0;
  let sAeta2 = 0;
  let sHeta = 0;
  let m0 = 0;
  const tauGauss = (lt: number): number => {
    const t = Math.exp(lt);
    return logPdfRaw(tPrior, t) + lt - 0.5 * t * t * sAeta2 + t * (sHeta - m0 * sAeta);
  };
  let e0 = 0;
  let e1 = 0;
  const poisLik = (m: number, t: number): number => {
    let v = 0;
    for (let e = e0; e < e1; e++) {
      const x = m + t * (eta[e] as number);
      const h = (hiV[e] as number) * x;
      v += h * (yS[e] as number) - Math.exp(h) * (eS[e] as number);
      const lo = loV[e] as number;
      if (lo !== 0) {
        const l = lo * x;
        v += l * (yS0[e] as number) - Math.exp(l) * (eS0[e] as number);
      }
    }
    return v;
  };
  const tauPois = (lt: number): number => {
    const t = Math.exp(lt);
    return logPdfRaw(tPrior, t) + lt + poisLik(m0, t);
  };
  let pmMean = 0;
  let pmSd = 1;
  let t1 = 1;
  const muPois = (m: number): number => -0.5 * ((m - pmMean) / pmSd) ** 2 + poisLik(m, t1);

  return {
    init(rng, scale) {
      const mu = new Float64Array(K);
      const tau = new Float64Array(K);
      for (let k = 0; k < K; k++) {
        const m = mixtureMoments(muPrior[k] as NormalMixture);
        mu[k] = m.mean + 0.1 * Math.min(1, m.sd) * rng.normal();
        const pr = tauPrior[k] as Dist;
        tau[k] = startInSupport(scale * (0.2 + 0.3 * rng.uniform()), (t) => logPdfRaw(pr, t), pr, 0, Number.POSITIVE_INFINITY, rng);
      }
      return { mu, tau, muComp: new Int32Array(K) };
    },
    centred(rng, s, coefs) {
      const { mu, tau, muComp } = s;
      for (let k = 0; k < K; k++) {
        const a = mem.start[k] as number;
        const b = mem.start[k + 1] as number;
        let sum = 0;
        for (let e = a; e < b; e++) sum += (coefs[mem.patient[e] as number] as Float64Array)[mem.column[e] as number] as number;
        const mix = muPrior[k] as NormalMixture;
        const s0 = mix.s[muComp[k] as number] as number;
        const t2 = (tau[k] as number) ** 2;
        const prec = 1 / (s0 * s0) + (b - a) / t2;
        const mean = ((mix.m[muComp[k] as number] as number) / (s0 * s0) + sum / t2) / prec;
        mu[k] = mean + rng.normal() / Math.sqrt(prec);
        if (mix.w.length > 1) muComp[k] = drawIndicator(mix, mu[k] as number, rng, logw);
      }
      for (let k = 0; k < K; k++) {
        const a = mem.start[k] as number;
        const b = mem.start[k + 1] as number;
        const m = mu[k] as number;
        let ss = 0;
        for (let e = a; e < b; e++) ss += (((coefs[mem.patient[e] as number] as Float64Array)[mem.column[e] as number] as number) - m) ** 2;
        tPrior = tauPrior[k] as Dist;
        cnt = b - a;
        ssk = ss;
        tau[k] = Math.exp(sliceStep(Math.log(tau[k] as number), tauCentred, 1, -30, 30, rng));
      }
    },
    ancillary(rng, s, coefs, lik) {
      const { mu, tau, muComp } = s;
      for (let k = 0; k < K; k++) {
        const a = mem.start[k] as number;
        const b = mem.start[k + 1] as number;
        if (a === b) continue;
        m0 = mu[k] as number;
        const t0 = tau[k] as number;
        tPrior = tauPrior[k] as Dist;
        const mix = muPrior[k] as NormalMixture;
        pmMean = mix.m[muComp[k] as number] as number;
        pmSd = mix.s[muComp[k] as number] as number;
        let t: number;
        let m: number;
        if (lik.kind === 'gaussian') {
          let sA = 0;
          let sH = 0;
          sAeta = 0;
          sAeta2 = 0;
          sHeta = 0;
          for (let e = a; e < b; e++) {
            const j = mem.patient[e] as number;
            const c = mem.column[e] as number;
            const p = lik.p[j] as number;
            const P = lik.prec[j] as Float64Array;
            const cf = coefs[j] as Float64Array;
            const sc = lik.scale[j] as number;
            let other = 0;
            for (let d = 0; d < p; d++) if (d !== c) other += (P[c * p + d] as number) * (cf[d] as number);
            const A = sc * (P[c * p + c] as number);
            const h = sc * (((lik.lin[j] as Float64Array)[c] as number) - other);
            const et = ((cf[c] as number) - m0) / t0;
            eta[e] = et;
            sA += A;
            sH += h;
            sAeta += A * et;
            sAeta2 += A * et * et;
            sHeta += h * et;
          }
          t = Math.exp(sliceStep(Math.log(t0), tauGauss, 1, -30, 30, rng));
          // μ | η, τ: the normal prior component times a Gaussian likelihood in μ.
          const prec = 1 / (pmSd * pmSd) + sA;
          m = (pmMean / (pmSd * pmSd) + sH - t * sAeta) / prec + rng.normal() / Math.sqrt(prec);
        } else {
          for (let e = a; e < b; e++) {
            const j = mem.patient[e] as number;
            const c = mem.column[e] as number;
            const p = lik.p[j] as number;
            const n = lik.n[j] as number;
            const X = lik.X[j] as Float64Array;
            const y = lik.y[j] as Float64Array;
            const logE = lik.logE[j] as Float64Array;
            const cf = coefs[j] as Float64Array;
            if (Number.isNaN(hiV[e] as number)) {
              // The column's values are data: found once.
              let hi = Number.NEGATIVE_INFINITY;
              let lo = Number.POSITIVE_INFINITY;
              for (let i = 0; i < n; i++) {
                hi = Math.max(hi, X[i * p + c] as number);
                lo = Math.min(lo, X[i * p + c] as number);
              }
              hiV[e] = hi;
              loV[e] = lo === hi ? 0 : lo;
            }
            const hi = hiV[e] as number;
            const lo = loV[e] as number;
            let ys = 0;
            let es = 0;
            let ys0 = 0;
            let es0 = 0;
            for (let i = 0; i < n; i++) {
              const xc = X[i * p + c] as number;
              if (xc !== hi && lo === 0) continue;
              let lin = logE[i] as number;
              for (let d = 0; d < p; d++) if (d !== c) lin += (X[i * p + d] as number) * (cf[d] as number);
              if (xc === hi) {
                ys += y[i] as number;
                es += Math.exp(lin);
              } else {
                ys0 += y[i] as number;
                es0 += Math.exp(lin);
              }
            }
            yS[e] = ys;
            eS[e] = es;
            yS0[e] = ys0;
            eS0[e] = es0;
            eta[e] = ((cf[c] as number) - m0) / t0;
          }
          e0 = a;
          e1 = b;
          t = Math.exp(sliceStep(Math.log(t0), tauPois, 1, -30, 30, rng));
          t1 = t;
          m = sliceStep(m0, muPois, Math.max(0.1 * pmSd, 0.05), Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, rng);
        }
        tau[k] = t;
        mu[k] = m;
        for (let e = a; e < b; e++) {
          (coefs[mem.patient[e] as number] as Float64Array)[mem.column[e] as number] = m + t * (eta[e] as number);
        }
        if (mix.w.length > 1) muComp[k] = drawIndicator(mix, m, rng, logw);
      }
    },
  };
}
