/**
 * Exactly rounded floating-point sums (Shewchuk's partials), so partial results of shards
 * merge to the same bits in any order and any split.
 *
 * @packageDocumentation
 */

/**
 * Adds `x` to the non-overlapping partials `p` (in place): afterwards the partials sum exactly
 * to the old exact sum plus `x`.
 * @internal
 * @see Shewchuk (1997), Adaptive precision floating-point arithmetic and fast robust geometric
 *   predicates, Discrete Comput Geom 18:305 (GROW-EXPANSION); Python's `math.fsum`.
 */
export function exactAdd(p: number[], x: number): void {
  let i = 0;
  for (let j = 0; j < p.length; j++) {
    let y = p[j] as number;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[i++] = lo;
    x = hi;
  }
  p.length = i;
  p.push(x);
}

/**
 * The correctly rounded value of the exact sum the partials hold (independent of the order
 * in which the terms were added).
 * @internal
 * @see Python's `math.fsum` (msum with a correct final rounding, half-even)
 */
export function exactValue(p: readonly number[]): number {
  let n = p.length;
  if (n === 0) return 0;
  let hi = p[--n] as number;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n] as number;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && (p[n - 1] as number) < 0) || (lo > 0 && (p[n - 1] as number) > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

/** Merges partials `q` into `p` (in place). @internal */
export function exactMerge(p: number[], q: readonly number[]): void {
  for (const v of q) exactAdd(p, v);
}
