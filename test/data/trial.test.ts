// trialFromTable / seriesFromTable / trialToTable: diaries as recorded, deviations from the plan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeTrial,
  designTrial,
  parseTable,
  periodOfDay,
  seriesFromTable,
  treatmentOnDay,
  trialFromTable,
  trialToTable,
  validateDesign,
} from '../../src/index.js';
import type { TrialDesign, TrialObservation } from '../../src/index.js';
import { code, fixedDesign } from '../helpers.js';

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

const spans = (d: TrialDesign) => d.periods.map((p) => [p.treatment, p.startDay, p.endDay]);

describe('trialFromTable: days and dates', () => {
  it('counts calendar days across a month end, a leap day and the DST changes, in any time zone', () => {
    // 2024-02-28 .. 2024-03-02 crosses a leap day; 2026-03-29 is the EU spring-forward day,
    // 2026-03-08 the US one; 2026-10-25 the EU fall-back day.
    const rows = parseTable(
      'date,treatment,value\n2026-03-27,A,1\n2026-03-28,A,2\n2026-03-29,B,3\n2026-03-30,B,4\n2026-03-31,B,5\n2026-04-01,A,6\n',
    );
    const t = trialFromTable(rows, { value: 'value' });
    expect(t.observations.map((o) => o.day)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(spans(t.design)).toEqual([
      ['A', 0, 1],
      ['B', 2, 4],
      ['A', 5, 5],
    ]);
    expect(t.design.startDate).toBe('2026-03-27');
    expect(t.design.periods.map((p) => [p.startDate, p.endDate])).toEqual([
      ['2026-03-27', '2026-03-28'],
      ['2026-03-29', '2026-03-31'],
      ['2026-04-01', '2026-04-01'],
    ]);
    const leap = trialFromTable(parseTable('date,treatment,value\n2024-02-28,A,1\n2024-03-01,B,2\n2026-10-24,B,3\n2026-10-26,A,4\n'), {
      value: 'value',
    });
    // 2024-02-28 → 2024-03-01 is 2 days (leap year); 2024-02-28 → 2026-10-24 is 969 days.
    expect(leap.observations.map((o) => o.day)).toEqual([0, 2, 969, 971]);
  });

  it('sorts unsorted rows and keeps every row of a duplicate day, reported', () => {
    const rows = parseTable('day,treatment,value\n3,B,4\n0,A,1\n2,B,3\n1,A,2\n2,B,3.5\n');
    const t = trialFromTable(rows, { value: 'value' });
    expect(t.observations).toEqual([
      { day: 0, value: 1 },
      { day: 1, value: 2 },
      { day: 2, value: 3 },
      { day: 2, value: 3.5 },
      { day: 3, value: 4 },
    ]);
    expect(t.deviations).toEqual([
      expect.objectContaining({ kind: 'duplicate-day', day: 2, recorded: 'B', line: 6 }),
    ]);
  });

  it('keeps blank values out of the observations but uses their treatment for the periods', () => {
    const rows = parseTable('date,treatment,pain\n2026-03-01,A,5\n2026-03-02,A,\n2026-03-03,B,\n2026-03-04,B,2\n');
    const t = trialFromTable(rows, { value: 'pain' });
    expect(t.observations).toEqual([
      { day: 0, value: 5 },
      { day: 3, value: 2 },
    ]);
    expect(spans(t.design)).toEqual([
      ['A', 0, 1],
      ['B', 2, 3],
    ]);
  });

  it('treats leading rows without a treatment as run-in', () => {
    const t = trialFromTable(parseTable('day,treatment,value\n0,,9\n1,,8\n2,A,1\n3,B,2\n'), { value: 'value' });
    expect(t.design.runInDays).toBe(2);
    expect(t.deviations).toEqual([]);
    const fit = analyzeTrial({ ...t, outcome: 'normal', reference: 'A', betterIs: 'lower', model: { sigma: 1 } });
    expect(fit.data.droppedRunIn).toBe(2);
  });

  it('names the line and column of a bad cell, and a text column given as the value', () => {
    const rows = parseTable('date,treatment,mood\n2026-03-01,A,5\n2026-03-02,A,good\n');
    expect(errorOf(() => trialFromTable(rows, { value: 'mood' }))).toContain("at line 3, column 3 ('mood')");
    expect(errorOf(() => trialFromTable(rows, { value: 'treatment' }))).toContain("at line 2, column 2 ('treatment')");
    const dates = parseTable('date,treatment,v\n01/03/2026,A,5\n');
    expect(errorOf(() => trialFromTable(dates, { value: 'v' }))).toContain('YYYY-MM-DD at line 2, column 1');
    expect(errorOf(() => trialFromTable(parseTable('day,treatment,v\n1.5,A,5\n'), { value: 'v' }))).toContain('whole day number');
    expect(code(() => trialFromTable(rows, { value: 'nope' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => trialFromTable(rows, { value: 'mood', date: 'date', day: 'date' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => trialFromTable([], { value: 'mood' }))).toBe('E_INVALID_ARGUMENT');
    expect(errorOf(() => trialFromTable(parseTable('day,value\n0,1\n'), { value: 'value' }))).toContain('no plan');
    expect(errorOf(() => trialFromTable(parseTable('day,treatment,value\n0,A,1\n1,A,2\n'), { value: 'value' }))).toContain('at least two treatments');
    expect(errorOf(() => trialFromTable(parseTable('day,treatment,value\n0,A,1\n0,B,2\n1,B,2\n'), { value: 'value' }))).toContain('lines 2 and 3');
    expect(code(() => trialFromTable(parseTable('day,treatment,value\n0,A,1\n1,B,2\n'), { value: 'value', asTreated: false }))).toBe(
      'E_INVALID_ARGUMENT',
    );
  });
});

describe('trialFromTable against a plan: deviations', () => {
  // A B | B A, 3 days each: days 0-2 A, 3-5 B, 6-8 B, 9-11 A.
  const plan = fixedDesign(['A', 'B', 'B', 'A'], 3);
  const fullDiary = (treat: (day: number) => string | null, value: (day: number) => number | null = (d) => d) =>
    Array.from({ length: 12 }, (_, day) => ({ day, treatment: treat(day), value: value(day) }));

  it('a diary that follows the plan has no deviation and gives back the plan', () => {
    const t = trialFromTable(fullDiary((d) => treatmentOnDay(plan, d) as string), { value: 'value', design: plan });
    expect(t.deviations).toEqual([]);
    expect(spans(t.design)).toEqual(spans(plan));
    expect(t.design.origin).toBe('recorded');
    expect(t.analysis).toBe('as-treated');
  });

  it('a swapped period: one deviation per day, analysed as treated (or as randomised when asked)', () => {
    // Period 4 (days 9-11) taken as B instead of A.
    const rows = fullDiary((d) => (d >= 9 ? 'B' : (treatmentOnDay(plan, d) as string)));
    const t = trialFromTable(rows, { value: 'value', design: plan });
    expect(t.deviations.map((d) => [d.kind, d.day, d.planned, d.recorded, d.period])).toEqual([
      ['treatment-differs', 9, 'A', 'B', 3],
      ['treatment-differs', 10, 'A', 'B', 3],
      ['treatment-differs', 11, 'A', 'B', 3],
    ]);
    // As treated, days 9-11 count for B (its own period: the plan starts a new one there).
    expect(spans(t.design)).toEqual([
      ['A', 0, 2],
      ['B', 3, 5],
      ['B', 6, 8],
      ['B', 9, 11],
    ]);
    expect(periodOfDay(t.design, 10)?.treatment).toBe('B');
    const itt = trialFromTable(rows, { value: 'value', design: plan, asTreated: false });
    expect(itt.design).toBe(plan);
    expect(itt.analysis).toBe('as-randomised');
    expect(itt.deviations).toEqual(t.deviations);
  });

  it('a missing period is reported and the neighbouring periods absorb its days', () => {
    const rows = fullDiary(
      (d) => (d >= 6 && d <= 8 ? null : (treatmentOnDay(plan, d) as string)),
      (d) => (d >= 6 && d <= 8 ? null : d),
    ).filter((r) => r.day < 6 || r.day > 8);
    const t = trialFromTable(rows, { value: 'value', design: plan });
    expect(t.deviations).toEqual([
      expect.objectContaining({ kind: 'missing-period', day: 6, endDay: 8, period: 2, planned: 'B', recorded: null }),
    ]);
    // B's period (3-5) runs until A starts again on its planned first day 9.
    expect(spans(t.design)).toEqual([
      ['A', 0, 2],
      ['B', 3, 8],
      ['A', 9, 11],
    ]);
    const fit = analyzeTrial({ ...t, outcome: 'normal', reference: 'A', betterIs: 'lower', model: { sigma: 1 } });
    expect(fit.data.used).toBe(9);
  });

  it('an extra day after the plan is reported and, as treated, extends the last period', () => {
    const rows = [...fullDiary((d) => treatmentOnDay(plan, d) as string), { day: 12, treatment: 'A', value: 12 }];
    const t = trialFromTable(rows, { value: 'value', design: plan });
    expect(t.deviations).toEqual([expect.objectContaining({ kind: 'outside-trial', day: 12, recorded: 'A' })]);
    expect(t.design.totalDays).toBe(13);
    expect(t.design.periods[3]).toMatchObject({ treatment: 'A', startDay: 9, endDay: 12 });
    expect(t.observations).toHaveLength(13);
    expect(validateDesign(JSON.parse(JSON.stringify(t.design)))).toBeTruthy();
  });

  it('a treatment not in the plan becomes its own arm, reported as unplanned', () => {
    const rows = fullDiary((d) => (d === 4 || d === 5 ? 'C' : (treatmentOnDay(plan, d) as string)));
    const t = trialFromTable(rows, { value: 'value', design: plan });
    expect(t.deviations.map((d) => [d.kind, d.day, d.planned, d.recorded])).toEqual([
      ['unplanned-treatment', 4, 'B', 'C'],
      ['unplanned-treatment', 5, 'B', 'C'],
    ]);
    expect(t.design.treatments).toEqual(['A', 'B', 'C']);
    expect(spans(t.design)).toEqual([
      ['A', 0, 2],
      ['B', 3, 3],
      ['C', 4, 5],
      ['B', 6, 8],
      ['A', 9, 11],
    ]);
  });

  it('a value without a treatment takes the plan and is reported; dates map to the plan start date', () => {
    const dated = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 2, randomization: 'fixed', seed: 1, startDate: '2026-03-28' });
    const rows = parseTable('date,treatment,value\n2026-03-28,A,1\n2026-03-29,,2\n2026-03-30,B,3\n2026-03-31,B,4\n2026-03-27,A,0\n');
    const t = trialFromTable(rows, { value: 'value', design: dated });
    expect(t.deviations.map((d) => [d.kind, d.day, d.date, d.planned, d.recorded, d.line])).toEqual([
      ['outside-trial', -1, '2026-03-27', null, 'A', 6],
      ['missing-treatment', 1, '2026-03-29', 'A', null, 3],
    ]);
    expect(t.observations.map((o) => o.day)).toEqual([0, 1, 2, 3]);
    expect(spans(t.design)).toEqual(spans(dated));
  });
});

describe('unequal periods through the model', () => {
  it('analyzeTrial on a recorded design with unequal periods matches the closed form with known sigma', () => {
    // A: days 0-1 (values 5, 7), B: days 2-6 (values 2, 4, 3, 3, 3). Known sigma 1 and flat-ish
    // priors: the effect B − A has mean ≈ 3 − 6 = −3 and sd ≈ sqrt(1/2 + 1/5).
    const rows = [5, 7, 2, 4, 3, 3, 3].map((value, day) => ({ day, treatment: day < 2 ? 'A' : 'B', value }));
    const t = trialFromTable(rows, { value: 'value' });
    expect(t.design.periodDays).toBe(5); // the most common (here, the longest of two) recorded length
    const fit = analyzeTrial({
      ...t,
      outcome: 'normal',
      reference: 'A',
      betterIs: 'lower',
      model: { sigma: 1 },
      priors: { effects: { B: { family: 'normal', mean: 0, sd: 1e6 } }, intercept: { family: 'normal', mean: 0, sd: 1e6 } },
    });
    expect(fit.effects.B?.mean).toBeCloseTo(-3, 6);
    expect(fit.effects.B?.sd).toBeCloseTo(Math.sqrt(0.5 + 0.2), 6);
  });

  it('validateDesign checks recorded designs: contiguous periods, totalDays, clipped washouts', () => {
    const t = trialFromTable(
      [0, 1, 2, 3, 4].map((day) => ({ day, treatment: day === 0 ? 'A' : 'B', value: day })),
      { value: 'value', washoutDays: 1 },
    );
    expect(t.design.periods.map((p) => p.washoutEndDay)).toEqual([0, 1]);
    const p = t.design.periods;
    expect(code(() => validateDesign({ ...t.design, totalDays: 9 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => validateDesign({ ...t.design, periods: [p[0], { ...p[1], startDay: 2 }] }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => validateDesign({ ...t.design, periods: [{ ...p[0], washoutEndDay: 1 }, p[1]] }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => validateDesign({ ...t.design, origin: 'guessed' }))).toBe('E_INVALID_ARGUMENT');
    // Without the 'recorded' mark the same unequal periods are refused.
    const { origin: _o, ...planned } = t.design;
    expect(code(() => validateDesign(planned))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('seriesFromTable', () => {
  it('splits a long table by patient, each with its own day 0 and deviations', () => {
    const rows = parseTable(
      'patient,date,treatment,value\n7,2026-01-05,A,1\n7,2026-01-06,B,2\nP2,2026-03-30,B,3\nP2,2026-03-31,A,4\nP2,2026-03-31,A,5\n',
    );
    const { trials } = seriesFromTable(rows, { value: 'value' });
    expect(trials.map((t) => [t.id, t.design.startDate, t.observations.map((o) => o.day)])).toEqual([
      ['7', '2026-01-05', [0, 1]],
      ['P2', '2026-03-30', [0, 1, 1]],
    ]);
    expect(trials[1]?.deviations.map((d) => d.kind)).toEqual(['duplicate-day']);
    expect(trials[0]?.deviations).toEqual([]);
  });

  it('keeps every arm of the series in each design, also for a patient who never took one', () => {
    const rows = parseTable('patient,day,treatment,value\n1,0,A,1\n1,1,B,2\n2,0,A,3\n2,1,A,4\n3,0,C,5\n3,1,B,6\n');
    const { trials } = seriesFromTable(rows, { value: 'value' });
    expect(trials.map((t) => t.design.treatments)).toEqual([
      ['A', 'B', 'C'],
      ['A', 'B', 'C'],
      ['A', 'B', 'C'],
    ]);
    expect(spans(trials[1]?.design as TrialDesign)).toEqual([['A', 0, 1]]);
    expect(validateDesign(trials[1]?.design).periods).toHaveLength(1);
  });

  it('names the patient and line of a bad cell', () => {
    const rows = parseTable('patient,day,treatment,value\n1,0,A,1\n1,1,B,2\n2,0,A,x\n');
    expect(errorOf(() => seriesFromTable(rows, { value: 'value' }))).toContain('line 4, column 4');
    expect(errorOf(() => seriesFromTable(rows, { value: 'value' }))).toContain('patient "2"');
    expect(code(() => seriesFromTable(parseTable('patient,day,treatment,value\n,0,A,1\n'), { value: 'value' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => seriesFromTable(rows, { value: 'value', patient: 'id' }))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('trialToTable → trialFromTable round trip (property)', () => {
  const arb = fc
    .record({
      k: fc.integer({ min: 2, max: 4 }),
      blocks: fc.integer({ min: 1, max: 3 }),
      periodDays: fc.integer({ min: 1, max: 6 }),
      washout: fc.integer({ min: 0, max: 5 }),
      runInDays: fc.integer({ min: 0, max: 3 }),
      seed: fc.integer(),
      dated: fc.boolean(),
      keep: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
      values: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 60, maxLength: 60 }),
    })
    .map((r) => {
      const design = designTrial({
        treatments: ['A', 'B', 'C', 'D'].slice(0, r.k),
        blocks: r.blocks,
        periodDays: r.periodDays,
        washoutDays: Math.min(r.washout, r.periodDays - 1),
        runInDays: r.runInDays,
        seed: r.seed,
        ...(r.dated ? { startDate: '2026-03-20' } : {}),
      });
      const observations: TrialObservation[] = [];
      for (let day = 0; day < design.totalDays; day++) {
        if ((r.keep[day % 60] as number) < 0.7) observations.push({ day, value: r.values[day % 60] as number });
      }
      return { design, observations };
    });

  it('with the plan: gives back the design’s periods and the observations, no deviation', () => {
    fc.assert(
      fc.property(arb, ({ design, observations }) => {
        const t = trialFromTable(trialToTable(design, observations), { value: 'value', design });
        expect(spans(t.design)).toEqual(spans(design));
        expect(t.design.periods.map((p) => p.washoutEndDay)).toEqual(design.periods.map((p) => p.washoutEndDay));
        expect(t.design.totalDays).toBe(design.totalDays);
        expect(t.design.runInDays).toBe(design.runInDays);
        expect(t.observations).toEqual(observations);
        expect(t.deviations.filter((d) => d.kind !== 'missing-period')).toEqual([]);
      }),
      { seed: 20_261_201, numRuns: 100 },
    );
  });

  it('without the plan: the same periods, with back-to-back periods of one treatment merged', () => {
    fc.assert(
      fc.property(arb, ({ design, observations }) => {
        const table = trialToTable(design, observations, { dates: false });
        const t = trialFromTable(table, { value: 'value', washoutDays: 0 });
        const merged: [string, number, number][] = [];
        for (const p of design.periods) {
          const last = merged[merged.length - 1];
          if (last !== undefined && last[0] === p.treatment) last[2] = p.endDay;
          else merged.push([p.treatment, p.startDay, p.endDay]);
        }
        expect(spans(t.design)).toEqual(merged);
        expect(t.observations).toEqual(observations);
      }),
      { seed: 20_261_202, numRuns: 100 },
    );
  });
});

describe('one row per period (a table of period summaries)', () => {
  it('without a plan, the last period lasts as long as the others (the table cannot show its end)', () => {
    const rows = [
      { day: 0, treatment: 'A', value: 3 },
      { day: 14, treatment: 'B', value: 4 },
      { day: 28, treatment: 'B', value: 4.5 },
      { day: 42, treatment: 'A', value: 2.5 },
    ].map((r) => ({ ...r }));
    const { design, observations } = trialFromTable(rows, { value: 'value', day: 'day', treatment: 'treatment' });
    // B's two rows are one run (one period of 28 days), so the periods are 14, 28 and 14 days.
    expect(design.periods.map((p) => [p.treatment, p.startDay, p.endDay])).toEqual([
      ['A', 0, 13],
      ['B', 14, 41],
      ['A', 42, 55],
    ]);
    expect(design.totalDays).toBe(56);
    expect(observations).toHaveLength(4);
  });

  it('the published gabapentin table without its plan: every patient with six rows gets six 14-day periods', async () => {
    const { readFileSync } = await import('node:fs');
    const rows = parseTable(readFileSync(new URL('../../examples/data/gabapentin.csv', import.meta.url), 'utf8'), { comment: '#' });
    const { trials } = seriesFromTable(rows, { value: 'pain' });
    let checked = 0;
    for (const t of trials) {
      if (t.design.periods.length !== 6) continue;
      expect(t.design.periods.every((p) => p.endDay - p.startDay + 1 === 14)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('a daily diary keeps a short last period as recorded', () => {
    const rows = [...Array.from({ length: 7 }, (_, d) => ({ day: d, treatment: 'A', value: 1 })), ...Array.from({ length: 3 }, (_, d) => ({ day: 7 + d, treatment: 'B', value: 2 }))];
    const { design } = trialFromTable(rows, { value: 'value', day: 'day', treatment: 'treatment' });
    expect(design.periods.map((p) => p.endDay - p.startDay + 1)).toEqual([7, 3]);
  });
});
