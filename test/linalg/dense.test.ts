import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cholInverse,
  cholesky,
  rankOneAdd,
  scaledIdentity,
  shermanMorrison,
} from '../../src/linalg/dense.js';

const SEED = 20261128;

function mul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) c[i * d + j]! += a[i * d + k]! * b[k * d + j]!;
  return c;
}

describe('linear-algebra kernels', () => {
  it('L Lᵀ = A and A · A⁻¹ = I for random SPD matrices (λI + Σxxᵀ)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 8, maxLength: 8 }), { maxLength: 12 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (d, xs, lambda) => {
          const a = scaledIdentity(d, lambda);
          for (const x of xs) rankOneAdd(a, d, x);
          const l = new Float64Array(d * d);
          expect(cholesky(a, d, l)).toBe(0);
          const lt = new Float64Array(d * d);
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lt[i * d + j] = l[j * d + i]!;
          const llt = mul(l, lt, d);
          const scale = Math.max(...Array.from(a, Math.abs));
          for (let i = 0; i < d * d; i++) expect(Math.abs(llt[i]! - a[i]!)).toBeLessThan(1e-12 * scale);
          const inv = cholInverse(l, d, new Float64Array(d * d));
          const eye = mul(a, inv, d);
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(Math.abs(eye[i * d + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-8);
          // Sherman–Morrison agrees with re-inverting A + x xᵀ
          const x = xs[0] ?? [1, 2, 3, 4, 5, 6, 7, 8];
          const sm = Float64Array.from(inv);
          expect(shermanMorrison(sm, d, x, new Float64Array(d))).toBe(true);
          rankOneAdd(a, d, x);
          cholesky(a, d, l);
          const direct = cholInverse(l, d, new Float64Array(d * d));
          const big = Math.max(...Array.from(direct, Math.abs));
          for (let i = 0; i < d * d; i++) expect(Math.abs(sm[i]! - direct[i]!)).toBeLessThan(1e-7 * Math.max(1, big));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('singular and indefinite matrices get jitter, never NaN', () => {
    const d = 3;
    const singular = new Float64Array(d * d);
    rankOneAdd(singular, d, [1, 2, 3]); // rank 1
    const l = new Float64Array(d * d);
    const jitter = cholesky(singular, d, l);
    expect(jitter).toBeGreaterThan(0);
    expect(Number.isFinite(jitter)).toBe(true);
    for (const v of l) expect(Number.isFinite(v)).toBe(true);
    const bad = Float64Array.from([1, 0, 0, 0, Number.NaN, 0, 0, 0, 1]);
    expect(cholesky(bad, d, l)).toBe(Number.POSITIVE_INFINITY);
    for (const v of l) expect(Number.isFinite(v)).toBe(true);
  });
});
