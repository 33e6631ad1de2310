import { describe, expect, it } from 'vitest';
import { designSummary, designTrial, type DesignOptions, validateDesign } from '../../src/index.js';

const base: DesignOptions = { treatments: ['A', 'B', 'C'], blocks: 2, periodDays: 14, seed: 1 };

function expectInvalid(f: () => unknown, field: string, value?: unknown): void {
  try {
    f();
  } catch (e) {
    const err = e as { code?: string; field?: string; value?: unknown; message?: string };
    expect(err.code).toBe('E_INVALID_ARGUMENT');
    expect(err.field).toBe(field);
    if (value !== undefined) expect(err.value).toEqual(value);
    expect(err.message).toMatch(new RegExp(`^\\w+: \`${field.replace(/[[\].]/g, '\\$&')}\``));
    return;
  }
  throw new Error(`expected a ValidationError for ${field}`);
}

describe('designTrial rejects bad input with a ValidationError naming field and value', () => {
  it('fewer than 2 treatments', () => {
    expectInvalid(() => designTrial({ ...base, treatments: ['A'] }), 'treatments', ['A']);
    expectInvalid(() => designTrial({ ...base, treatments: [] }), 'treatments');
  });
  it('duplicate or empty labels', () => {
    expectInvalid(() => designTrial({ ...base, treatments: ['A', 'B', 'A'] }), 'treatments');
    expectInvalid(() => designTrial({ ...base, treatments: ['A', ' '] }), 'treatments[1]');
  });
  it('blocks < 1 or not an integer', () => {
    expectInvalid(() => designTrial({ ...base, blocks: 0 }), 'blocks', 0);
    expectInvalid(() => designTrial({ ...base, blocks: -2 }), 'blocks', -2);
    expectInvalid(() => designTrial({ ...base, blocks: 1.5 }), 'blocks', 1.5);
  });
  it('non-integer or zero days', () => {
    expectInvalid(() => designTrial({ ...base, periodDays: 0 }), 'periodDays', 0);
    expectInvalid(() => designTrial({ ...base, periodDays: 7.5 }), 'periodDays', 7.5);
    expectInvalid(() => designTrial({ ...base, runInDays: -1 }), 'runInDays', -1);
    expectInvalid(() => designTrial({ ...base, runInDays: Number.NaN }), 'runInDays');
    expectInvalid(() => designTrial({ ...base, washoutDays: 0.5 }), 'washoutDays', 0.5);
  });
  it('washout not shorter than the period', () => {
    expectInvalid(() => designTrial({ ...base, washoutDays: 14 }), 'washoutDays', 14);
    expectInvalid(() => designTrial({ ...base, washoutDays: 20 }), 'washoutDays', 20);
  });
  it('an impossible maxConsecutive', () => {
    expectInvalid(() => designTrial({ ...base, maxConsecutive: 0 }), 'maxConsecutive', 0);
    expectInvalid(() => designTrial({ ...base, randomization: 'counterbalanced', maxConsecutive: 1 }), 'maxConsecutive', 1);
    expectInvalid(
      () => designTrial({ ...base, treatments: ['A', 'B'], randomization: 'williams', maxConsecutive: 1 }),
      'maxConsecutive',
      1,
    );
  });
  it('an invalid startDate', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '26-01-01', '2026-1-5', '2026-01-05T00:00', 20260105, '0999-01-01']) {
      expectInvalid(() => designTrial({ ...base, startDate: bad as string }), 'startDate', bad);
    }
    expectInvalid(() => designTrial({ ...base, startDate: '9999-12-01' }), 'startDate');
  });
  it('an unknown randomization, a missing seed, a non-object', () => {
    expectInvalid(() => designTrial({ ...base, randomization: 'latin' as never }), 'randomization', 'latin');
    expectInvalid(() => designTrial({ ...base, seed: undefined as never }), 'seed');
    expectInvalid(() => designTrial({ ...base, seed: Number.POSITIVE_INFINITY }), 'seed');
    expectInvalid(() => designTrial(null as never), 'options');
  });
  it('accepts a leap day', () => {
    expect(designTrial({ ...base, startDate: '2028-02-29' }).periods[0]?.startDate).toBe('2028-02-29');
  });
});

describe('validateDesign rejects inconsistent designs from outside', () => {
  const good = JSON.parse(
    JSON.stringify(designTrial({ ...base, washoutDays: 2, runInDays: 3, maxConsecutive: 1, startDate: '2026-01-05' })),
  );
  const withPeriod = (i: number, patch: Record<string, unknown>) => ({
    ...good,
    periods: good.periods.map((p: object, j: number) => (j === i ? { ...p, ...patch } : p)),
  });

  it('accepts a design that round-tripped through JSON', () => {
    expect(validateDesign(good)).toBe(good);
  });
  it('names the field at fault', () => {
    expectInvalid(() => validateDesign('design'), 'design');
    expectInvalid(() => validateDesign({ ...good, periodDays: 0 }), 'periodDays', 0);
    expectInvalid(() => validateDesign({ ...good, washoutDays: 14 }), 'washoutDays', 14);
    expectInvalid(() => validateDesign({ ...good, totalDays: 80 }), 'totalDays', 80);
    expectInvalid(() => validateDesign({ ...good, blocks: 3 }), 'blocks', 3);
    expectInvalid(() => validateDesign({ ...good, periods: [] }), 'periods');
    expectInvalid(() => validateDesign(withPeriod(2, { startDay: 30 })), 'periods[2].startDay', 30);
    expectInvalid(() => validateDesign(withPeriod(2, { endDay: 99 })), 'periods[2].endDay', 99);
    expectInvalid(() => validateDesign(withPeriod(1, { washoutEndDay: 17 })), 'periods[1].washoutEndDay', 17);
    expectInvalid(() => validateDesign(withPeriod(1, { treatment: 'D' })), 'periods[1].treatment', 'D');
    expectInvalid(() => validateDesign(withPeriod(1, { index: 7 })), 'periods[1].index', 7);
    expectInvalid(() => validateDesign(withPeriod(4, { block: 0 })), 'periods[4].block', 0);
    expectInvalid(() => validateDesign(withPeriod(0, { startDate: '2026-01-09' })), 'periods[0].startDate', '2026-01-09');
  });
  it("checks the scheme's structure and maxConsecutive", () => {
    const swapped = { ...good, periods: good.periods.map((p: { treatment: string }, j: number) => ({ ...p, treatment: j < 2 ? 'A' : p.treatment })) };
    expectInvalid(() => validateDesign(swapped), 'periods[0..2]');
    expectInvalid(() => validateDesign({ ...swapped, randomization: 'complete' }), 'periods');
    // 'fixed' accepts any order of known treatments, but still checks maxConsecutive
    expectInvalid(() => validateDesign({ ...swapped, randomization: 'fixed' }), 'periods');
    const { maxConsecutive: _, ...noLimit } = swapped;
    expect(validateDesign({ ...noLimit, randomization: 'fixed' })).toBeTruthy();
  });
  it('designSummary validates its input too', () => {
    expectInvalid(() => designSummary({ ...good, runInDays: -1 }), 'runInDays', -1);
  });
});
