// Invariants that must hold for every design, checked over random options with fast-check
// (fixed seed: fast-check prints the seed and counterexample on failure).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designSummary, designTrial, type Randomization, validateDesign } from '../../src/index.js';

const SEED = 20_261_128;
const LABELS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

const optionsArb = fc
  .record({
    k: fc.integer({ min: 2, max: 8 }),
    blocks: fc.integer({ min: 1, max: 8 }),
    periodDays: fc.integer({ min: 1, max: 30 }),
    washoutFraction: fc.double({ min: 0, max: 0.99, noNaN: true }),
    runInDays: fc.integer({ min: 0, max: 21 }),
    randomization: fc.constantFrom<Randomization>('block', 'complete', 'williams', 'counterbalanced', 'fixed'),
    maxConsecutive: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    seed: fc.oneof(fc.integer(), fc.string()),
  })
  .map((r) => ({
    treatments: LABELS.slice(0, r.k),
    blocks: r.blocks,
    periodDays: r.periodDays,
    washoutDays: Math.floor(r.washoutFraction * r.periodDays),
    runInDays: r.runInDays,
    randomization: r.randomization,
    maxConsecutive: r.maxConsecutive,
    seed: r.seed,
  }));

/** Deterministic schemes cannot meet every maxConsecutive: those must throw, the rest succeed. */
function tryDesign(o: Parameters<typeof designTrial>[0]) {
  try {
    return designTrial(o);
  } catch (e) {
    expect((e as { code?: string }).code).toBe('E_INVALID_ARGUMENT');
    expect((e as { field?: string }).field).toBe('maxConsecutive');
    // only these combinations may be impossible
    const r = o.randomization;
    const impossible =
      o.maxConsecutive === 1 &&
      o.blocks >= 2 &&
      (r === 'counterbalanced' || (r === 'williams' && o.treatments.length === 2));
    expect(impossible).toBe(true);
    return undefined;
  }
}

describe('design invariants over random options', () => {
  it('periods tile [runIn, totalDays) with no gap or overlap; washout inside the period', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const d = tryDesign(o);
        if (d === undefined) return;
        expect(d.periods.length).toBe(o.treatments.length * o.blocks);
        let next = o.runInDays;
        for (const p of d.periods) {
          expect(p.startDay).toBe(next);
          expect(p.endDay - p.startDay + 1).toBe(o.periodDays);
          expect(p.washoutEndDay - p.startDay + 1).toBe(o.washoutDays);
          next = p.endDay + 1;
        }
        expect(next).toBe(d.totalDays);
        expect(validateDesign(JSON.parse(JSON.stringify(d)))).toBeTruthy();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('block-structured schemes hold every treatment once per block; complete has equal counts', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const d = tryDesign(o);
        if (d === undefined) return;
        const k = o.treatments.length;
        if (o.randomization === 'complete') {
          for (const c of Object.values(designSummary(d).counts)) expect(c).toBe(o.blocks);
        } else {
          for (let b = 0; b < o.blocks; b++) {
            const block = d.periods.slice(b * k, b * k + k);
            expect(block.every((p) => p.block === b)).toBe(true);
            expect(new Set(block.map((p) => p.treatment)).size).toBe(k);
          }
        }
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });

  it('maxConsecutive holds, across block boundaries too', () => {
    fc.assert(
      fc.property(optionsArb, fc.integer({ min: 1, max: 3 }), (o, m) => {
        const d = tryDesign({ ...o, maxConsecutive: m });
        if (d === undefined) return;
        const seq = d.periods.map((p) => p.treatment);
        let run = 0;
        seq.forEach((t, i) => {
          run = i > 0 && seq[i - 1] === t ? run + 1 : 1;
          expect(run).toBeLessThanOrEqual(m);
        });
      }),
      { seed: SEED + 2, numRuns: 300 },
    );
  });

  it('Williams designs are first-order carryover balanced for 2..8 treatments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.option(fc.constant(1), { nil: undefined }),
        fc.integer(),
        (k, copies, m, seed) => {
          const size = k % 2 === 0 ? k : 2 * k;
          const treatments = LABELS.slice(0, k);
          const d = tryDesign({ treatments, blocks: copies * size, periodDays: 1, randomization: 'williams', maxConsecutive: m, seed });
          if (d === undefined) return;
          // count ordered neighbour pairs within blocks, directly from the periods
          const pairs = new Map<string, number>();
          for (let i = 1; i < d.periods.length; i++) {
            const a = d.periods[i - 1];
            const b = d.periods[i];
            if (a === undefined || b === undefined || a.block !== b.block) continue;
            pairs.set(a.treatment + b.treatment, (pairs.get(a.treatment + b.treatment) ?? 0) + 1);
          }
          const expected = (copies * size * (k - 1)) / (k * (k - 1));
          for (const a of treatments) for (const b of treatments) expect(pairs.get(a + b) ?? 0).toBe(a === b ? 0 : expected);
          expect(designSummary(d).carryoverBalanced).toBe(true);
        },
      ),
      { seed: SEED + 3, numRuns: 120 },
    );
  });
});
