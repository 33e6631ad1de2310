/**
 * Shares of the arg-max: the one tie rule for "which is best" counts across n1kit (P(best) of
 * posterior draws in `bayes/`, `models/` and the bandits' allocation probabilities).
 *
 * Rule: in each joint draw, the item(s) with the largest `sign · value` win; `m` tied winners
 * each get `1/m` (ties split equally). Shares over `n` draws therefore sum to exactly `n`
 * (before division), and probabilities to 1. NaN values never win (callers validate first).
 */

/**
 * Adds one joint draw to `counts`: `row[offset + i·stride]` is item `i`'s value (`k` items).
 *
 * @param row - the values
 * @param offset - index of item 0
 * @param stride - distance between consecutive items
 * @param k - number of items (≥ 1)
 * @param sign - `1`: higher is better; `-1`: lower is better
 * @param counts - length ≥ k; item i's share is added to `counts[i]`
 * @internal
 */
export function addArgmaxShare(
  row: ArrayLike<number>,
  offset: number,
  stride: number,
  k: number,
  sign: 1 | -1,
  counts: Float64Array,
): void {
  let best = Number.NEGATIVE_INFINITY;
  let nBest = 0;
  for (let i = 0, p = offset; i < k; i++, p += stride) {
    const v = sign * (row[p] as number);
    if (v > best) {
      best = v;
      nBest = 1;
    } else if (v === best) nBest++;
  }
  if (nBest === 0) return;
  if (nBest === 1) {
    for (let i = 0, p = offset; i < k; i++, p += stride) {
      if (sign * (row[p] as number) === best) {
        counts[i] = (counts[i] as number) + 1;
        return;
      }
    }
  }
  const share = 1 / nBest;
  for (let i = 0, p = offset; i < k; i++, p += stride) {
    if (sign * (row[p] as number) === best) counts[i] = (counts[i] as number) + share;
  }
}

/**
 * P(best) of each of `k` items from `n` joint draws stored in one array: draw `t`, item `i` at
 * `values[t·drawStride + i·itemStride]` (row-major: `drawStride = k, itemStride = 1`; one
 * column per item: `drawStride = 1, itemStride = n`). Ties split equally.
 *
 * @param values - the draws
 * @param n - number of joint draws (≥ 1)
 * @param k - number of items (≥ 1)
 * @param sign - `1`: higher is better; `-1`: lower is better
 * @param drawStride - distance between draws of one item
 * @defaultValue drawStride = k
 * @param itemStride - distance between items within one draw
 * @defaultValue itemStride = 1
 * @returns probabilities (length k) summing to 1
 * @example
 * ```ts
 * // three draws of two items: [1, 2], [3, 3] (a tie), [0, 1]
 * argmaxShares([1, 2, 3, 3, 0, 1], 3, 2, 1); // returns [1/6, 5/6]
 * ```
 * @internal
 */
export function argmaxShares(
  values: ArrayLike<number>,
  n: number,
  k: number,
  sign: 1 | -1,
  drawStride = k,
  itemStride = 1,
): Float64Array {
  const counts = new Float64Array(k);
  for (let t = 0; t < n; t++) addArgmaxShare(values, t * drawStride, itemStride, k, sign, counts);
  for (let i = 0; i < k; i++) counts[i] = (counts[i] as number) / n;
  return counts;
}
