/**
 * Pareto k̂ diagnostic of importance weights (Pareto smoothed importance sampling), used to
 * decide whether a Laplace-based proposal is good enough for the GLM independence sampler.
 *
 * @packageDocumentation
 */

/**
 * Fits a generalized Pareto distribution to exceedances `x` (ascending, ≥ 0) by Zhang &
 * Stephens' (2009) empirical Bayes estimate, with Vehtari et al.'s weakly informative prior
 * pulling k̂ towards 0.5 (as the R package `loo` does).
 */
function gpdFitK(x: Float64Array): number {
  const n = x.length;
  const prior = 3;
  const m = 30 + Math.floor(Math.sqrt(n));
  const xstar = x[Math.max(0, Math.floor(n / 4 + 0.5) - 1)] as number;
  const xmax = x[n - 1] as number;
  const theta = new Float64Array(m);
  const lTheta = new Float64Array(m);
  let lmax = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < m; j++) {
    const th = 1 / xmax + (1 - Math.sqrt(m / (j + 1 - 0.5))) / prior / xstar;
    theta[j] = th;
    // Profile log-likelihood: n·(log(−θ/k) − k − 1), k = mean(log1p(−θx)).
    let k = 0;
    for (let i = 0; i < n; i++) k += Math.log1p(-th * (x[i] as number));
    k /= n;
    const l = n * (Math.log(-th / k) - k - 1);
    lTheta[j] = Number.isFinite(l) ? l : Number.NEGATIVE_INFINITY;
    if ((lTheta[j] as number) > lmax) lmax = lTheta[j] as number;
  }
  let wsum = 0;
  let thetaHat = 0;
  for (let j = 0; j < m; j++) {
    const w = Math.exp((lTheta[j] as number) - lmax);
    wsum += w;
    thetaHat += w * (theta[j] as number);
  }
  thetaHat /= wsum;
  let k = 0;
  for (let i = 0; i < n; i++) k += Math.log1p(-thetaHat * (x[i] as number));
  k /= n;
  // Weakly informative prior: (n·k + 10·0.5)/(n + 10).
  return (n * k + 10 * 0.5) / (n + 10);
}

/**
 * Pareto k̂ of a set of log importance ratios: a generalized Pareto distribution is fitted to
 * the M = ⌈min(0.2·S, 3·√S)⌉ largest ratios; its shape k̂ estimates how many moments the
 * ratios have (finite variance needs k < 0.5). Vehtari et al. deem importance sampling
 * reliable for k̂ < 0.7 (with enough draws), and useless above.
 *
 * @param logRatios - log p(θ_s) − log q(θ_s) for draws θ_s from the proposal q (any constant offset)
 * @returns k̂ (`Infinity` when a ratio is not finite or the tail is constant)
 * @example
 * ```ts
 * const rng = createRng(1);
 * // Ratios with a Pareto tail of shape 0.5: w = U^−0.5.
 * paretoKHat(Array.from({ length: 10000 }, () => -0.5 * Math.log(rng.uniform()))); // returns ~0.5
 * ```
 * @see Vehtari, Simpson, Gelman, Yao & Gabry (2024), Pareto smoothed importance sampling,
 *   Journal of Machine Learning Research 25(72).
 * @see Zhang & Stephens (2009), A new and efficient estimation method for the generalized Pareto
 *   distribution, Technometrics 51(3).
 * @internal
 */
export function paretoKHat(logRatios: ArrayLike<number>): number {
  const s = logRatios.length;
  if (s < 5) return Number.POSITIVE_INFINITY;
  const tail = Math.ceil(Math.min(0.2 * s, 3 * Math.sqrt(s)));
  if (tail < 5) return Number.POSITIVE_INFINITY;
  // A copy: the selection below reorders it.
  const lw = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    const v = logRatios[i] as number;
    if (!(Number.isFinite(v) || v === Number.NEGATIVE_INFINITY)) return Number.POSITIVE_INFINITY;
    lw[i] = v;
  }
  // Only the cutoff (the (tail+1)-th largest ratio) and the tail above it are needed in order:
  // select them to the end in O(S), then sort those tail + 1 values (the same values a full
  // sort would put there, so k̂ is unchanged).
  const k = s - tail - 1;
  selectKth(lw, k);
  lw.subarray(k).sort();
  const maxLw = lw[s - 1] as number;
  if (!Number.isFinite(maxLw)) return Number.POSITIVE_INFINITY;
  const cutoff = lw[k] as number;
  const expCut = Math.exp(cutoff - maxLw);
  const x = new Float64Array(tail);
  for (let i = 0; i < tail; i++) x[i] = Math.exp((lw[s - tail + i] as number) - maxLw) - expCut;
  if (!((x[tail - 1] as number) > (x[0] as number))) return Number.POSITIVE_INFINITY;
  return gpdFitK(x);
}


/**
 * Rearranges `a` so that a[k] is its k-th smallest value, with a[i] ≤ a[k] for i < k and
 * a[i] ≥ a[k] for i > k (Hoare's quickselect, median-of-three pivot; after 64 rounds, which
 * random-looking ratios never reach, it sorts the remaining range instead).
 */
function selectKth(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  for (let round = 0; hi > lo; round++) {
    if (round >= 64) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const mid = (lo + hi) >>> 1;
    // Median of three into a[mid].
    if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo);
    if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo);
    if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid);
    const pivot = a[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}
