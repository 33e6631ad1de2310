/**
 * Chain starts inside a prior's support: a slice sampler started where the density is zero
 * would never move (e.g. a `uniform(0, 0.01)` prior on τ, or `uniform(0.5, 0.95)` on ρ).
 *
 * @packageDocumentation
 */
import type { Dist } from '../../distributions/index.js';
import { cdfRaw, quantileRaw } from '../../distributions/index.js';
import type { Rng } from '../../rng/index.js';

/**
 * Returns `x0` when `logPrior(x0)` is finite, otherwise a draw from the middle half of the
 * prior `d` restricted to (lo, hi) on `d`'s own scale, mapped to the parameter by `toParam`
 * (identity unless the Dist lives on another scale, as a beta prior on (ρ + 1)/2 does); up to
 * 100 tries, then `x0`. @internal
 */
export function startInSupport(
  x0: number,
  logPrior: (x: number) => number,
  d: Dist,
  lo: number,
  hi: number,
  rng: Rng,
  toParam: (q: number) => number = (q) => q,
): number {
  if (logPrior(x0) > Number.NEGATIVE_INFINITY) return x0;
  const a = cdfRaw(d, lo);
  const b = cdfRaw(d, hi);
  for (let k = 0; k < 100; k++) {
    const x = toParam(quantileRaw(d, a + (b - a) * (0.25 + 0.5 * rng.uniform())));
    if (logPrior(x) > Number.NEGATIVE_INFINITY) return x;
  }
  return x0;
}
