import { describe, expect, it } from 'vitest';
import { createPrivacyAccountant, privateEffectForPooling, releaseNoiseVariance } from '../../src/index.js';
import { code } from '../helpers.js';

describe('privateEffectForPooling', () => {
  it('a public sd charges only the value; the total sd adds the noise variance', () => {
    const acc = createPrivacyAccountant({ epsilon: 2 });
    const r = privateEffectForPooling({ estimate: { mean: -2, sd: 0.9 }, bounds: [-8, 4], epsilon: 1.5, mechanism: 'laplace', sd: { release: 'public' }, accountant: acc });
    expect(acc.releases).toBe(1);
    expect(acc.spent().epsilon).toBeCloseTo(1.5, 12);
    expect(r.sdSource).toBe('public');
    expect(r.estimateSd).toBe(0.9);
    // Laplace scale ≈ Δ/ε = 12/1.5 = 8 (one grid step more): variance ≈ 2·8².
    expect(r.noiseVariance).toBeCloseTo(releaseNoiseVariance(r.valueRelease), 12);
    expect(Math.abs(r.noiseVariance / 128 - 1)).toBeLessThan(1e-5);
    expect(r.sd).toBeCloseTo(Math.sqrt(0.81 + r.noiseVariance), 12);
    expect(r.value).toBe(r.valueRelease.value);
  });

  it('a private sd is released under DP, clamped to its bounds, and charged too', () => {
    const acc = createPrivacyAccountant({ epsilon: 3, delta: 1e-5 });
    const r = privateEffectForPooling({
      estimate: { mean: -2, sd: 0.9 },
      bounds: [-8, 4],
      epsilon: 1,
      delta: 1e-6,
      mechanism: 'gaussian',
      sd: { release: 'private', bounds: [0.2, 3], epsilon: 1, delta: 1e-6 },
      accountant: acc,
    });
    expect(acc.releases).toBe(2);
    expect(acc.spent().epsilon).toBeCloseTo(2, 12);
    expect(acc.spent().delta).toBeCloseTo(2e-6, 15);
    expect(r.sdSource).toBe('private');
    expect(r.estimateSd).toBeGreaterThanOrEqual(0.2);
    expect(r.estimateSd).toBeLessThanOrEqual(3);
    expect(r.sdRelease?.mechanism).toBe('gaussian');
  });

  it('releases nothing when the two charges together exceed the budget', () => {
    const acc = createPrivacyAccountant({ epsilon: 1.5 });
    const o = { estimate: { mean: -2, sd: 0.9 }, bounds: [-8, 4] as [number, number], epsilon: 1, mechanism: 'laplace' as const, sd: { release: 'private' as const, bounds: [0.2, 3] as [number, number], epsilon: 1 }, accountant: acc };
    expect(code(() => privateEffectForPooling(o))).toBe('E_PRIVACY_BUDGET');
    expect(acc.releases).toBe(0);
  });

  it('validates everything before releasing anything', () => {
    const acc = createPrivacyAccountant({ epsilon: 5 });
    const base = { estimate: { mean: -2, sd: 0.9 }, bounds: [-8, 4] as [number, number], epsilon: 1, mechanism: 'laplace' as const, accountant: acc };
    expect(code(() => privateEffectForPooling({ ...base, sd: { release: 'private', bounds: [0, 3], epsilon: 1 } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => privateEffectForPooling({ ...base, sd: { release: 'private', bounds: [0.5, 3], epsilon: -1 } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => privateEffectForPooling({ ...base, sd: { release: 'sometimes' } as never }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => privateEffectForPooling({ ...base, estimate: { mean: Number.NaN, sd: 1 }, sd: { release: 'public' } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => privateEffectForPooling({ ...base, estimate: { mean: 1, sd: 0 }, sd: { release: 'public' } }))).toBe('E_INVALID_ARGUMENT');
    expect(acc.releases).toBe(0);
  });
});
