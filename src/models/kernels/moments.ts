/**
 * The one mean/variance helper of the models (data scales for default priors, chain starts).
 *
 * @packageDocumentation
 */

/** Sample mean and variance (divisor n − 1; 0 for fewer than two values). @internal */
export interface SampleMoments {
  readonly mean: number;
  readonly variance: number;
  readonly sd: number;
}

/**
 * Mean and unbiased variance of `x` (two passes, so a large level does not cancel the spread).
 * An empty input gives mean 0, variance 0. @internal
 */
export function sampleMoments(x: ArrayLike<number>): SampleMoments {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] as number;
  m = n > 0 ? m / n : 0;
  let v = 0;
  for (let i = 0; i < n; i++) v += ((x[i] as number) - m) ** 2;
  v = n > 1 ? v / (n - 1) : 0;
  return { mean: m, variance: v, sd: Math.sqrt(v) };
}
