import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyAllocationControls } from '../../src/adaptive/index.js';

const SEED = 20261128;

/** Random probability tables of 2–8 arms (some exactly 0). */
const tableArb = fc
  .array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 8 })
  .filter((xs) => xs.some((x) => x > 0))
  .map((xs) => {
    const s = xs.reduce((a, b) => a + b, 0);
    const t: Record<string, number> = {};
    xs.forEach((x, i) => {
      t[`arm${i}`] = x / s;
    });
    return t;
  });

describe('applyAllocationControls', () => {
  it('respects floor and cap, sums to 1, keeps the order of the raw probabilities', () => {
    fc.assert(
      fc.property(tableArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (t, u, v) => {
        const k = Object.keys(t).length;
        const lo = (u * 1) / k; // feasible floor: k·lo ≤ 1
        const hi = 1 / k + v * (1 - 1 / k); // feasible cap: k·hi ≥ 1
        if (lo > hi) return;
        const q = applyAllocationControls(t, { minProbability: lo, maxProbability: hi }, 10);
        const keys = Object.keys(t);
        const s = keys.reduce((a, key) => a + q[key]!, 0);
        expect(Math.abs(s - 1)).toBeLessThan(1e-12);
        for (const key of keys) {
          expect(q[key]!).toBeGreaterThanOrEqual(lo - 1e-12);
          expect(q[key]!).toBeLessThanOrEqual(hi + 1e-12);
        }
        for (const a of keys) for (const b of keys) if (t[a]! > t[b]!) expect(q[a]!).toBeGreaterThanOrEqual(q[b]! - 1e-12);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('leaves a table that already meets the bounds unchanged', () => {
    fc.assert(
      fc.property(tableArb, (t) => {
        const vals = Object.values(t);
        const lo = Math.min(...vals);
        const hi = Math.max(...vals);
        const q = applyAllocationControls(t, { minProbability: lo, maxProbability: hi }, 0);
        for (const key of Object.keys(t)) expect(q[key]!).toBeCloseTo(t[key]!, 12);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('matches hand-computed projections', () => {
    // Floor 0.1 on (0.98, 0.02): b lifted to 0.1, a gets the rest.
    const q = applyAllocationControls({ a: 0.98, b: 0.02 }, { minProbability: 0.1 });
    expect(q.a).toBeCloseTo(0.9, 14);
    expect(q.b).toBeCloseTo(0.1, 14);
    // Cap 0.5 on (0.7, 0.2, 0.1): a capped, the 0.5 left is shared 2:1.
    const r = applyAllocationControls({ a: 0.7, b: 0.2, c: 0.1 }, { maxProbability: 0.5 });
    expect(r.a).toBeCloseTo(0.5, 14);
    expect(r.b).toBeCloseTo(1 / 3, 14);
    expect(r.c).toBeCloseTo(1 / 6, 14);
    // Zero arms at the floor.
    const z = applyAllocationControls({ a: 1, b: 0, c: 0 }, { minProbability: 0.05 });
    expect(z).toEqual({ a: 0.9, b: 0.05, c: 0.05 });
  });

  it('applies Thall–Wathen power p^c / Σp^c with c = t / (2N), and burn-in', () => {
    const t = { a: 0.8, b: 0.2 };
    // c = 50 / (2·100) = 0.25
    const q = applyAllocationControls(t, { power: { horizon: 100 } }, 50);
    const c = 0.25;
    expect(q.a).toBeCloseTo(0.8 ** c / (0.8 ** c + 0.2 ** c), 14);
    const s = applyAllocationControls(t, { power: 2 }, 0);
    expect(s.a).toBeCloseTo(0.64 / 0.68, 14);
    // c = 0 at the start: equal allocation.
    expect(applyAllocationControls(t, { power: { horizon: 100 } }, 0)).toEqual({ a: 0.5, b: 0.5 });
    expect(applyAllocationControls(t, { burnIn: 5 }, 4)).toEqual({ a: 0.5, b: 0.5 });
    expect(applyAllocationControls(t, { burnIn: 5 }, 5)).toEqual(t);
  });

  it('rejects floors and caps that cannot sum to 1, with E_INVALID_ARGUMENT', () => {
    const bad = [
      () => applyAllocationControls({ a: 0.5, b: 0.3, c: 0.2 }, { minProbability: 0.4 }),
      () => applyAllocationControls({ a: 0.5, b: 0.3, c: 0.2 }, { maxProbability: 0.3 }),
      () => applyAllocationControls({ a: 0.5, b: 0.5 }, { minProbability: 0.4, maxProbability: 0.3 }),
      () => applyAllocationControls({ a: 0.5, b: 0.6 }, {}),
      () => applyAllocationControls({ a: Number.NaN, b: 1 }, {}),
      () => applyAllocationControls({ a: 0.5, b: 0.5 }, { power: -1 }),
      () => applyAllocationControls({ a: 0.5, b: 0.5 }, { burnIn: 1.5 }),
    ];
    for (const f of bad) {
      expect(f).toThrowError();
      try {
        f();
      } catch (e) {
        expect((e as { code: string }).code).toBe('E_INVALID_ARGUMENT');
      }
    }
  });
});
