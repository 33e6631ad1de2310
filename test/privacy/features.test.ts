import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimizeFeatures, projectFeatures } from '../../src/privacy/index.js';

const STD = { age: { mean: 50, sd: 10 }, bmi: { mean: 25, sd: 5 }, smoker: { mean: 0.2, sd: 0.4 } };
const ALICE = { age: 60, bmi: 30, smoker: true, name: 'Alice', postcode: 'N1 9GU' };

describe('minimizeFeatures', () => {
  it('keeps only allow-listed features', () => {
    expect(minimizeFeatures(ALICE, ['age', 'smoker', 'height'])).toEqual({ age: 60, smoker: true });
    expect(minimizeFeatures(ALICE, [])).toEqual({});
  });

  it('never returns a key outside the allow list (property, seed 8401)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        fc.uniqueArray(fc.string({ minLength: 1 }).filter((s) => s.trim().length > 0)),
        (features, allow) => {
          const out = minimizeFeatures(features, allow);
          for (const k of Object.keys(out)) expect(allow).toContain(k);
          for (const k of allow) if (Object.hasOwn(features, k)) expect(out[k]).toBe(features[k]);
        },
      ),
      { seed: 8401, numRuns: 200 },
    );
  });

  it('bad input throws ValidationError', () => {
    expect(() => minimizeFeatures(ALICE, ['age', 'age'])).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    expect(() => minimizeFeatures({ x: Number.NaN }, ['x'])).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    expect(() => minimizeFeatures({ x: {} } as never, ['x'])).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    expect(() => minimizeFeatures(ALICE, 'age' as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
  });
});

describe('projectFeatures', () => {
  it('is deterministic in the seed, ignores key order and non-listed features', () => {
    const a = projectFeatures(ALICE, { dimension: 4, seed: 's1', standardize: STD });
    expect(a).toHaveLength(4);
    const reordered = { postcode: 'X', smoker: true, bmi: 30, age: 60 };
    expect(projectFeatures(reordered, { dimension: 4, seed: 's1', standardize: STD })).toEqual(a);
    expect(projectFeatures(ALICE, { dimension: 4, seed: 's2', standardize: STD })).not.toEqual(a);
  });

  it('is linear in the standardised features: each feature adds its own column', () => {
    const o = { dimension: 6, seed: 42 };
    const both = projectFeatures({ age: 60, bmi: 30 }, { ...o, standardize: { age: STD.age, bmi: STD.bmi } });
    const age = projectFeatures({ age: 60 }, { ...o, standardize: { age: STD.age } });
    const bmi = projectFeatures({ bmi: 30 }, { ...o, standardize: { bmi: STD.bmi } });
    both.forEach((v, i) => {
      expect(v).toBeCloseTo(age[i]! + bmi[i]!, 12);
    });
    // z = (60 − 50)/10 = 1 → twice z (age 70) gives twice the column
    const age70 = projectFeatures({ age: 70 }, { ...o, standardize: { age: STD.age } });
    age70.forEach((v, i) => {
      expect(v).toBeCloseTo(2 * age[i]!, 12);
    });
    // a feature at its mean contributes nothing
    expect(projectFeatures({ age: 50 }, { ...o, standardize: { age: STD.age } })).toEqual(new Array(6).fill(0));
  });

  it('preserves squared norms in expectation: mean of ‖Rz‖²/‖z‖² over 400 seeds ≈ 1 (Johnson–Lindenstrauss)', () => {
    const k = 8;
    const f = { age: 65, bmi: 20, smoker: false };
    const z2 = 1.5 ** 2 + 1 ** 2 + 0.5 ** 2;
    let sum = 0;
    const seeds = 400;
    for (let s = 0; s < seeds; s++) {
      const y = projectFeatures(f, { dimension: k, seed: `jl-${s}`, standardize: STD });
      sum += y.reduce((a, v) => a + v * v, 0) / z2;
    }
    // each ratio is χ²_k / k: mean 1, variance 2/k; 6 standard errors
    expect(Math.abs(sum / seeds - 1)).toBeLessThan(6 * Math.sqrt(2 / k / seeds));
  });

  it('bad input throws ValidationError', () => {
    const bad: [Record<string, unknown>, Record<string, unknown>][] = [
      [ALICE, { dimension: 0, seed: 1, standardize: STD }],
      [ALICE, { dimension: 2.5, seed: 1, standardize: STD }],
      [ALICE, { dimension: 2, seed: Number.NaN, standardize: STD }],
      [ALICE, { dimension: 2, seed: 1, standardize: {} }],
      [ALICE, { dimension: 2, seed: 1, standardize: { age: { mean: 50, sd: 0 } } }],
      [ALICE, { dimension: 2, seed: 1, standardize: { height: { mean: 170, sd: 10 } } }],
      [ALICE, { dimension: 2, seed: 1, standardize: { name: { mean: 0, sd: 1 } } }],
    ];
    for (const [f, o] of bad) {
      expect(() => projectFeatures(f as never, o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    }
  });
});
