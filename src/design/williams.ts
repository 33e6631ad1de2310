/**
 * Williams designs: Latin squares balanced for first-order carryover.
 *
 * @packageDocumentation
 */
import { integer, LIMITS } from '../validate.js';

/**
 * The rows of a Williams design for `k` treatments, as 0-based treatment indices: `k` rows for
 * even `k`; for odd `k`, the square and its mirror image, `2k` rows. Across the rows every
 * treatment appears once in every position per square, and every ordered pair (a, b) with
 * a ≠ b appears as neighbours (a directly before b) exactly once (even k) or twice (odd k).
 *
 * Construction: first row 0, 1, k−1, 2, k−2, 3, …; row i adds i (mod k) to every entry; for
 * odd k the reversed rows are appended.
 *
 * @param k - number of treatments, an integer in [2, 1000] (1000 × 1000 entries at most)
 * @returns the rows (k or 2k arrays of length k)
 * @throws ValidationError when `k` is not an integer in [2, 1000]
 * @example
 * ```ts
 * williamsSquare(4);
 * // [[0,1,3,2],[1,2,0,3],[2,3,1,0],[3,0,2,1]]
 * ```
 * @see Williams, E. J. (1949). Experimental designs balanced for the estimation of residual
 * effects of treatments. Australian Journal of Scientific Research, Series A, 2(2), 149–168.
 */
export function williamsSquare(k: number): number[][] {
  integer('williamsSquare', 'k', k, 2, LIMITS.squareOrder);
  const first: number[] = [0];
  for (let j = 1; first.length < k; j++) {
    first.push(j);
    if (first.length < k) first.push(k - j);
  }
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) rows.push(first.map((t) => (t + i) % k));
  if (k % 2 === 1) for (let i = 0; i < k; i++) rows.push([...(rows[i] as number[])].reverse());
  return rows;
}
