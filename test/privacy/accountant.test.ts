import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPrivacyAccountant, type PrivacyBudgetError, restorePrivacyAccountant } from '../../src/privacy/index.js';

function refusal(f: () => unknown): PrivacyBudgetError {
  try {
    f();
  } catch (e) {
    return e as PrivacyBudgetError;
  }
  throw new Error('expected a PrivacyBudgetError');
}

describe('createPrivacyAccountant: basic composition', () => {
  it('adds ε and δ, reports remaining(), and refuses past the budget spending nothing', () => {
    const acc = createPrivacyAccountant({ epsilon: 1, delta: 1e-5 });
    expect(acc.remaining()).toEqual({ epsilon: 1, delta: 1e-5 });
    expect(acc.spend({ epsilon: 0.25 })).toEqual({ epsilon: 0.25, delta: 0 });
    acc.spend({ epsilon: 0.5, delta: 4e-6, label: 'cohort mean' });
    expect(acc.spent()).toEqual({ epsilon: 0.75, delta: 4e-6 });
    expect(acc.remaining()).toEqual({ epsilon: 0.25, delta: 1e-5 - 4e-6 });
    expect(acc.canSpend({ epsilon: 0.3 })).toBe(false);
    const e = refusal(() => acc.spend({ epsilon: 0.3 }));
    expect(e.code).toBe('E_PRIVACY_BUDGET');
    expect(e.requested).toEqual({ epsilon: 0.3, delta: 0 });
    expect(e.remaining).toEqual({ epsilon: 0.25, delta: 1e-5 - 4e-6 });
    expect(refusal(() => acc.spend({ epsilon: 0.1, delta: 7e-6 })).code).toBe('E_PRIVACY_BUDGET');
    expect(acc.releases).toBe(2);
    acc.spend({ epsilon: 0.25, delta: 6e-6 });
    expect(acc.remaining().epsilon).toBe(0);
  });

  it('ten releases of 0.1 fit a budget of 1 despite rounding; an eleventh does not', () => {
    const acc = createPrivacyAccountant({ epsilon: 1 });
    for (let i = 0; i < 10; i++) acc.spend({ epsilon: 0.1 });
    expect(refusal(() => acc.spend({ epsilon: 1e-9 })).code).toBe('E_PRIVACY_BUDGET');
  });

  it('never lets basic totals exceed the budget (property, seed 8301)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 0.7, noNaN: true }), { maxLength: 40 }), (eps) => {
        const acc = createPrivacyAccountant({ epsilon: 2 });
        let total = 0;
        for (const e of eps) {
          if (total + e <= 2 * (1 - 1e-9)) {
            acc.spend({ epsilon: e });
            total += e;
          } else if (total + e > 2 * (1 + 1e-9)) {
            expect(() => acc.spend({ epsilon: e })).toThrow(expect.objectContaining({ code: 'E_PRIVACY_BUDGET' }));
          }
        }
        expect(acc.spent().epsilon).toBeLessThanOrEqual(2 * (1 + 1e-12));
      }),
      { seed: 8301, numRuns: 200 },
    );
  });
});

describe('createPrivacyAccountant: advanced composition', () => {
  it('admits exactly the k releases allowed by max(basic, DRV 2010 advanced) closed forms', () => {
    const eps0 = 0.01;
    const dPrime = 1e-6;
    // advanced: ε(k) = √(2k ln(1/δ′))·ε0 + k·ε0·(e^ε0 − 1), δ(k) = δ′
    const adv = (k: number) => Math.sqrt(2 * k * Math.log(1 / dPrime)) * eps0 + k * eps0 * Math.expm1(eps0);
    let kAdv = 0;
    while (adv(kAdv + 1) <= 1) kAdv++;
    expect(kAdv).toBeGreaterThan(100); // more than basic composition's 100
    const acc = createPrivacyAccountant({ epsilon: 1, delta: dPrime, composition: 'advanced', advancedDelta: dPrime });
    for (let i = 0; i < kAdv; i++) acc.spend({ epsilon: eps0 });
    expect(acc.spent().epsilon).toBeCloseTo(adv(kAdv), 12);
    expect(acc.spent().delta).toBe(dPrime);
    expect(refusal(() => acc.spend({ epsilon: eps0 })).code).toBe('E_PRIVACY_BUDGET');
  });

  it('falls back to basic composition when it is tighter (few, large releases)', () => {
    const acc = createPrivacyAccountant({ epsilon: 3, delta: 1e-5, composition: 'advanced' });
    acc.spend({ epsilon: 1 });
    acc.spend({ epsilon: 1 });
    expect(acc.spent()).toEqual({ epsilon: 2, delta: 0 });
  });
});

describe('serialisation', () => {
  it('round-trips through JSON and continues where it stopped', () => {
    const acc = createPrivacyAccountant({ epsilon: 1, delta: 1e-5, composition: 'advanced', advancedDelta: 2e-6 });
    acc.spend({ epsilon: 0.2, label: 'week 1' });
    acc.spend({ epsilon: 0.3, delta: 1e-6 });
    const state = JSON.parse(JSON.stringify(acc));
    expect(state).toMatchObject({ kind: 'n1kit.privacyAccountant', version: 1, composition: 'advanced', advancedDelta: 2e-6 });
    expect(state.releases[0]).toEqual({ epsilon: 0.2, delta: 0, label: 'week 1' });
    const again = restorePrivacyAccountant(state);
    expect(again.spent()).toEqual(acc.spent());
    expect(again.remaining()).toEqual(acc.remaining());
    expect(again.releases).toBe(2);
    expect(() => again.spend({ epsilon: 0.6 })).toThrow(expect.objectContaining({ code: 'E_PRIVACY_BUDGET' }));
  });

  it('rejects a tampered state that overspends', () => {
    const acc = createPrivacyAccountant({ epsilon: 1 });
    acc.spend({ epsilon: 0.9 });
    const state = JSON.parse(JSON.stringify(acc));
    state.releases.push({ epsilon: 0.5, delta: 0 });
    expect(() => restorePrivacyAccountant(state)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    expect(() => restorePrivacyAccountant({ kind: 'other' } as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
  });
});

describe('bad input', () => {
  it('throws ValidationError (E_INVALID_ARGUMENT)', () => {
    const bad: unknown[] = [
      { epsilon: 0 },
      { epsilon: -1 },
      { epsilon: 1, delta: 1 },
      { epsilon: 1, delta: -1e-9 },
      { epsilon: 1, composition: 'fancy' },
      { epsilon: 1, composition: 'advanced' },
      { epsilon: 1, delta: 1e-5, composition: 'advanced', advancedDelta: 1e-4 },
      { epsilon: 1, advancedDelta: 1e-6 },
    ];
    for (const o of bad) expect(() => createPrivacyAccountant(o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    const acc = createPrivacyAccountant({ epsilon: 1 });
    for (const c of [{ epsilon: 0 }, { epsilon: Number.NaN }, { epsilon: 0.1, delta: 2 }]) {
      expect(() => acc.spend(c)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    }
    expect(acc.releases).toBe(0);
  });
});
