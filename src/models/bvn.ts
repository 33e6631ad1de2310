/**
 * Bivariate normal upper orthant probabilities (Drezner & Wesolowsky 1990 with Genz's 2004
 * refinements), used by the exact normal model for P(best) over three arms without Monte Carlo.
 *
 * @packageDocumentation
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

const phi = (x: number): number => normalCdf(x, 0, 1);

// Gauss–Legendre abscissae and weights on (0, 1] halves of [−1, 1], for 6, 12 and 20 points.
const W6 = [0.1713244923791705, 0.3607615730481384, 0.4679139345726904];
const X6 = [0.9324695142031522, 0.6612093864662647, 0.238619186083197];
const W12 = [
  0.04717533638651177, 0.1069393259953183, 0.1600783285433464, 0.2031674267230659, 0.2334925365383547, 0.2491470458134029,
];
const X12 = [
  0.9815606342467191, 0.904117256370475, 0.769902674194305, 0.5873179542866171, 0.3678314989981802, 0.1252334085114692,
];
const W20 = [
  0.01761400713915212, 0.04060142980038694, 0.06267204833410905, 0.08327674157670475, 0.1019301198172404,
  0.1181945319615184, 0.1316886384491766, 0.1420961093183821, 0.1491729864726037, 0.1527533871307259,
];
const X20 = [
  0.9931285991850949, 0.9639719272779138, 0.9122344282513259, 0.8391169718222188, 0.7463319064601508,
  0.636053680726515, 0.5108670019508271, 0.3737060887154196, 0.2277858511416451, 0.07652652113349732,
];

/**
 * P(X > h, Y > k) for a standard bivariate normal (X, Y) with correlation `r`, to about 1e-15
 * absolute accuracy.
 *
 * @param h - lower limit of X
 * @param k - lower limit of Y
 * @param r - correlation, in [−1, 1]
 * @returns the upper orthant probability, in [0, 1]
 * @example
 * ```ts
 * bivariateNormalUpper(0, 0, 0.5); // returns 1/4 + asin(0.5)/(2π) ≈ 0.3333
 * ```
 * @see Genz (2004), Numerical computation of rectangular bivariate and trivariate normal and t
 *   probabilities, Statistics and Computing 14, 251–260 (the BVNU algorithm).
 * @see Drezner & Wesolowsky (1990), J. Statist. Comput. Simul. 35, 101–107.
 * @internal
 */
export function bivariateNormalUpper(h: number, k: number, r: number): number {
  if (h === Number.POSITIVE_INFINITY || k === Number.POSITIVE_INFINITY) return 0;
  if (h === Number.NEGATIVE_INFINITY) return k === Number.NEGATIVE_INFINITY ? 1 : phi(-k);
  if (k === Number.NEGATIVE_INFINITY) return phi(-h);
  if (r === 0) return phi(-h) * phi(-k);
  const ar = Math.abs(r);
  const w = ar < 0.3 ? W6 : ar < 0.75 ? W12 : W20;
  const x = ar < 0.3 ? X6 : ar < 0.75 ? X12 : X20;
  const ng = w.length;
  let hk = h * k;
  let bvn = 0;
  if (ar < 0.925) {
    const hs = (h * h + k * k) / 2;
    const asr = Math.asin(r) / 2;
    for (let i = 0; i < ng; i++) {
      const wi = w[i] as number;
      const xi = x[i] as number;
      for (const t of [1 - xi, 1 + xi]) {
        const sn = Math.sin(asr * t);
        bvn += wi * Math.exp((sn * hk - hs) / (1 - sn * sn));
      }
    }
    bvn = (bvn * asr) / (2 * Math.PI) + phi(-h) * phi(-k);
  } else {
    let kk = k;
    if (r < 0) {
      kk = -k;
      hk = -hk;
    }
    if (ar < 1) {
      const as = (1 - r) * (1 + r);
      let a = Math.sqrt(as);
      const bs = (h - kk) * (h - kk);
      const c = (4 - hk) / 8;
      const d = (12 - hk) / 80;
      let asr = -(bs / as + hk) / 2;
      if (asr > -100) bvn = a * Math.exp(asr) * (1 - (c * (bs - as) * (1 - d * bs)) / 3 + c * d * as * as);
      if (hk > -100) {
        const b = Math.sqrt(bs);
        const sp = Math.sqrt(2 * Math.PI) * phi(-b / a);
        bvn -= Math.exp(-hk / 2) * sp * b * (1 - (c * bs * (1 - d * bs)) / 3);
      }
      a /= 2;
      let sum = 0;
      for (let i = 0; i < ng; i++) {
        const wi = w[i] as number;
        const xi = x[i] as number;
        for (const t of [1 - xi, 1 + xi]) {
          const xs = (a * t) ** 2;
          asr = -(bs / xs + hk) / 2;
          if (asr > -100) {
            const sp = 1 + c * xs * (1 + 5 * d * xs);
            const rs = Math.sqrt(1 - xs);
            const ep = Math.exp((-(hk / 2) * xs) / (1 + rs) ** 2) / rs;
            sum += wi * Math.exp(asr) * (sp - ep);
          }
        }
      }
      bvn = (a * sum - bvn) / (2 * Math.PI);
    }
    if (r > 0) bvn += phi(-Math.max(h, kk));
    else if (h >= kk) bvn = -bvn;
    else {
      const l = h < 0 ? phi(kk) - phi(h) : phi(-h) - phi(-kk);
      bvn = l - bvn;
    }
  }
  return Math.max(0, Math.min(1, bvn));
}
