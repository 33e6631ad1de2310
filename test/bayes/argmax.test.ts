// argmaxShares: the one tie rule (ties split equally) behind every P(best) count.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addArgmaxShare, argmaxShares } from '../../src/bayes/argmax.js';

describe('argmaxShares', () => {
  it('counts winners and splits ties equally (hand-worked draws)', () => {
    // draws [1, 2] → item 1; [3, 3] → half each; [0, 1] → item 1: shares 0.5/3 and 2.5/3.
    const p = argmaxShares([1, 2, 3, 3, 0, 1], 3, 2, 1);
    expect(p[0]).toBeCloseTo(1 / 6, 15);
    expect(p[1]).toBeCloseTo(5 / 6, 15);
    // lower is better: [1, 2] → item 0; tie; [0, 1] → item 0.
    const q = argmaxShares([1, 2, 3, 3, 0, 1], 3, 2, -1);
    expect(q[0]).toBeCloseTo(5 / 6, 15);
  });

  it('reads column layouts through the strides', () => {
    // item 0's draws [5, 0, 2], item 1's [1, 4, 2] (one column each): item 0, item 1, tie.
    const p = argmaxShares([5, 0, 2, 1, 4, 2], 3, 2, 1, 1, 3);
    expect(Array.from(p)).toEqual([0.5, 0.5]);
    const p3 = argmaxShares([5, 0, 1, 1, 4, 0], 3, 2, 1, 1, 3);
    expect(p3[0]).toBeCloseTo(2 / 3, 15);
  });

  it('a three-way tie gives a third each; a single item always wins', () => {
    const c = new Float64Array(3);
    addArgmaxShare([7, 7, 7], 0, 1, 3, 1, c);
    expect(Array.from(c)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(argmaxShares([-1, 4, 2], 3, 1, 1))).toEqual([1]);
  });

  it('property: shares sum to 1, are invariant to permuting items, and reverse under sign', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 150, maxLength: 150 }),
        (k, n, pool) => {
          const vals = pool.slice(0, n * k);
          while (vals.length < n * k) vals.push(0);
          const p = argmaxShares(vals, n, k, 1);
          const sum = p.reduce((s, v) => s + v, 0);
          expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
          // reversing the item order reverses the shares
          const rev = vals.slice();
          for (let t = 0; t < n; t++) for (let i = 0; i < k; i++) rev[t * k + i] = vals[t * k + (k - 1 - i)]!;
          const pr = argmaxShares(rev, n, k, 1);
          for (let i = 0; i < k; i++) expect(pr[i]).toBeCloseTo(p[k - 1 - i]!, 12);
          // lower-is-better on negated values equals higher-is-better
          const neg = vals.map((v) => -v);
          const pn = argmaxShares(neg, n, k, -1);
          for (let i = 0; i < k; i++) expect(pn[i]).toBeCloseTo(p[i]!, 12);
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  });
});
