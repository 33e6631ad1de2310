import { describe, expect, it } from 'vitest';
import {
  designSummary,
  designTrial,
  isWashoutDay,
  periodOfDay,
  treatmentOnDay,
  validateDesign,
  williamsSquare,
} from '../../src/index.js';
import { addDays } from '../../src/design/dates.js';
import fixture from '../fixtures/design.json';

const PAPER = ['magnesium', 'sleep regularity', 'placebo'];

describe("the paper's case: 3 treatments, 6 periods of 2 weeks, block randomisation", () => {
  const design = designTrial({ treatments: PAPER, blocks: 2, periodDays: 14, seed: 'paper', startDate: fixture.paper.startDate });

  it('has 6 periods of 14 days: days and dates as computed independently (Python datetime)', () => {
    expect(design.randomization).toBe('block');
    expect(design.totalDays).toBe(84);
    expect(design.periods.map(({ index, startDay, endDay, startDate, endDate }) => ({ index, startDay, endDay, startDate, endDate }))).toEqual(
      fixture.paper.periods,
    );
    for (const p of design.periods) expect(p.washoutEndDay).toBe(p.startDay - 1);
  });

  it('holds every treatment once in each of its 2 blocks', () => {
    expect(design.periods.map((p) => p.block)).toEqual([0, 0, 0, 1, 1, 1]);
    for (const b of [0, 1]) {
      expect(design.periods.filter((p) => p.block === b).map((p) => p.treatment).sort()).toEqual([...PAPER].sort());
    }
    expect(designSummary(design).counts).toEqual({ magnesium: 2, 'sleep regularity': 2, placebo: 2 });
    expect(designSummary(design).blocks).toBe(2);
  });

  it("counts the blocks of a hand-made 'fixed' schedule by its block numbers (ABA: 3 blocks, not 1.5)", () => {
    const hand = {
      treatments: ['A', 'B'],
      randomization: 'fixed',
      seed: 1,
      periodDays: 7,
      washoutDays: 0,
      runInDays: 0,
      totalDays: 21,
      periods: [0, 1, 2].map((i) => ({ index: i, block: i, treatment: i === 1 ? 'B' : 'A', startDay: 7 * i, endDay: 7 * i + 6, washoutEndDay: 7 * i - 1 })),
    } as const;
    expect(designSummary(hand).blocks).toBe(3);
    expect(designSummary(hand).counts).toEqual({ A: 2, B: 1 });
  });
});

describe('day numbers follow the contract', () => {
  const d = designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, washoutDays: 2, runInDays: 5, seed: 1 });

  it('run-in [0, runIn), period i = [runIn + 7i, runIn + 7i + 6], washout = first 2 days', () => {
    expect(d.totalDays).toBe(5 + 4 * 7);
    d.periods.forEach((p, i) => {
      expect(p.index).toBe(i);
      expect(p.startDay).toBe(5 + 7 * i);
      expect(p.endDay).toBe(5 + 7 * i + 6);
      expect(p.washoutEndDay).toBe(5 + 7 * i + 1);
    });
  });

  it('periodOfDay / treatmentOnDay / isWashoutDay agree with the periods', () => {
    for (let day = -3; day < d.totalDays + 3; day++) {
      const p = d.periods.find((q) => q.startDay <= day && day <= q.endDay);
      expect(periodOfDay(d, day)).toBe(p);
      expect(treatmentOnDay(d, day)).toBe(p?.treatment);
      expect(isWashoutDay(d, day)).toBe(p !== undefined && day <= p.startDay + 1);
    }
  });

  it('lookups reject non-integer days', () => {
    for (const fn of [periodOfDay, treatmentOnDay, isWashoutDay] as const) {
      for (const bad of [1.5, Number.NaN, '3' as unknown as number]) {
        expect(() => fn(d, bad)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field: 'day' }));
      }
    }
  });
});

describe('schemes', () => {
  it("'fixed' repeats the order given", () => {
    const d = designTrial({ treatments: ['B', 'A', 'C'], blocks: 3, periodDays: 1, randomization: 'fixed', seed: 0 });
    expect(d.periods.map((p) => p.treatment).join('')).toBe('BACBACBAC');
  });

  it("'counterbalanced' with two treatments gives ABBA BAAB pairs (A drawn at random)", () => {
    const seen = new Set<string>();
    for (let s = 0; s < 20; s++) {
      const d = designTrial({ treatments: ['A', 'B'], blocks: 6, periodDays: 1, randomization: 'counterbalanced', seed: s });
      const seq = d.periods.map((p) => p.treatment).join('');
      seen.add(seq);
      expect(['ABBABAABABBA', 'BAABABBABAAB']).toContain(seq);
    }
    expect(seen.size).toBe(2);
  });

  it("'counterbalanced' with more treatments alternates an order and its reverse, balancing mean position", () => {
    const d = designTrial({ treatments: ['A', 'B', 'C', 'D'], blocks: 4, periodDays: 1, randomization: 'counterbalanced', seed: 3 });
    const seq = d.periods.map((p) => p.treatment);
    const b0 = seq.slice(0, 4);
    expect(seq.slice(4, 8)).toEqual([...b0].reverse());
    expect(seq.slice(8, 12)).toEqual([...b0].reverse());
    expect(seq.slice(12, 16)).toEqual(b0);
    // every treatment's mean position within its block is (k - 1) / 2 over each pair of blocks
    for (const t of ['A', 'B', 'C', 'D']) {
      const pos = seq.flatMap((x, i) => (x === t ? [i % 4] : []));
      expect(pos.reduce((a, b) => a + b, 0) / pos.length).toBe(1.5);
    }
  });

  it('williamsSquare(4) is the standard Williams square (first row 0,1,3,2; rows shifted by one)', () => {
    expect(williamsSquare(4)).toEqual([
      [0, 1, 3, 2],
      [1, 2, 0, 3],
      [2, 3, 1, 0],
      [3, 0, 2, 1],
    ]);
    expect(williamsSquare(3)).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
      [0, 2, 1],
      [1, 0, 2],
    ]);
  });

  it("'williams' with blocks a multiple of the size uses every row equally often", () => {
    const d = designTrial({ treatments: ['A', 'B', 'C', 'D', 'E'], blocks: 20, periodDays: 1, randomization: 'williams', seed: 'w' });
    const rows = new Map<string, number>();
    for (let b = 0; b < 20; b++) {
      const row = d.periods.slice(b * 5, b * 5 + 5).map((p) => p.treatment).join('');
      rows.set(row, (rows.get(row) ?? 0) + 1);
    }
    expect([...rows.values()]).toEqual(new Array(10).fill(2));
    expect(designSummary(d).carryoverBalanced).toBe(true);
  });
});

describe('determinism and data', () => {
  const opts = {
    treatments: ['A', 'B', 'C'],
    blocks: 4,
    periodDays: 10,
    washoutDays: 3,
    runInDays: 7,
    randomization: 'williams' as const,
    maxConsecutive: 1,
    seed: 'alice',
    startDate: '2026-02-20',
  };

  it('the same options and seed give the same design; another seed another one', () => {
    expect(designTrial(opts)).toEqual(designTrial(opts));
    const others = new Set(
      Array.from({ length: 10 }, (_, i) => designTrial({ ...opts, seed: `bob-${i}` }).periods.map((p) => p.treatment).join('')),
    );
    expect(others.size).toBeGreaterThan(1);
  });

  it('records its seed and options, so designTrial(design) re-creates it', () => {
    const d = designTrial(opts);
    expect(designTrial({ ...d, treatments: [...d.treatments], blocks: d.blocks as number })).toEqual(d);
  });

  it('round-trips through JSON and passes validateDesign', () => {
    const d = designTrial(opts);
    const back = JSON.parse(JSON.stringify(d));
    expect(back).toEqual(d);
    expect(validateDesign(back)).toBe(back);
  });

  it('calendar dates match Python datetime across month, leap-year and DST edges', () => {
    for (const { start, offset, date } of fixture.dates) expect(addDays(start, offset)).toBe(date);
  });
});

describe('restricted randomisation that is hard for rejection', () => {
  it('complete, 2 treatments × 40 blocks, maxConsecutive 1 alternates (exact sampler)', () => {
    const d = designTrial({ treatments: ['A', 'B'], blocks: 40, periodDays: 1, randomization: 'complete', maxConsecutive: 1, seed: 9 });
    const seq = d.periods.map((p) => p.treatment).join('');
    expect(['AB'.repeat(40), 'BA'.repeat(40)]).toContain(seq);
  });

  it('complete, 3 treatments × 30 blocks, maxConsecutive 1 keeps counts and runs', () => {
    const d = designTrial({ treatments: ['A', 'B', 'C'], blocks: 30, periodDays: 1, randomization: 'complete', maxConsecutive: 1, seed: 9 });
    const s = designSummary(d);
    expect(s.counts).toEqual({ A: 30, B: 30, C: 30 });
    expect(s.longestRun).toBe(1);
  });

  it('williams, 3 treatments × 18 blocks, maxConsecutive 1', () => {
    const d = designTrial({ treatments: ['A', 'B', 'C'], blocks: 18, periodDays: 1, randomization: 'williams', maxConsecutive: 1, seed: 2 });
    const s = designSummary(d);
    expect(s.longestRun).toBe(1);
    expect(s.carryoverBalanced).toBe(true);
  });
});
