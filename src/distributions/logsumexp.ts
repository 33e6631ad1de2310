/**
 * log-sum-exp in its own module: it needs no special function, so the design code (which
 * uses it) does not pull the `@stdlib` kernels of `special.ts` into a bundle.
 *
 * @packageDocumentation
 */

/**
 * log(Σ exp(xs[i])) without overflow or underflow.
 *
 * @example
 * ```ts
 * logSumExp([1000, 1000]); // returns ~1000.693
 * ```
 */
export function logSumExp(xs: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) if ((xs[i] as number) > m) m = xs[i] as number;
  if (m === Number.NEGATIVE_INFINITY || m === Number.POSITIVE_INFINITY) return m;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp((xs[i] as number) - m);
  return m + Math.log(s);
}
