// Plain-words helpers of the command, against closed forms.
import { describe, expect, it } from 'vitest';
import { designWarnings, distSummary, parseFeatures } from '../../src/cli/words.js';
import { designTrial } from '../../src/design/index.js';
import { mixture, normal } from '../../src/distributions/index.js';

describe('distSummary', () => {
  it('summarises a two-component mixture by its exact moments and quantiles', () => {
    // 0.8·N(−2, 1) + 0.2·N(0, 3): mean −1.6; variance = Σw(s² + m²) − mean² = 0.8·5 + 0.2·9 − 2.56 = 3.24.
    const s = distSummary(mixture([[0.8, normal(-2, 1)], [0.2, normal(0, 3)]]));
    expect(s.family).toBe('mixture of 2');
    expect(s.mean).toBe('-1.60');
    expect(s.sd).toBe('1.80');
    expect(distSummary(normal(1, 2)).interval).toBe('[-2.92, 4.92]'); // 1 ± 1.95996·2
  });
});

describe('designWarnings', () => {
  it('flags Williams designs that are not whole squares, and only those', () => {
    const even = designTrial({ treatments: ['a', 'b', 'c', 'd'], blocks: 4, periodDays: 7, randomization: 'williams', seed: 1 });
    expect(designWarnings(even).filter((w) => w.includes('Williams'))).toEqual([]);
    const short = designTrial({ treatments: ['a', 'b', 'c', 'd'], blocks: 2, periodDays: 7, randomization: 'williams', seed: 1 });
    expect(designWarnings(short).some((w) => w.includes('multiple of 4 blocks'))).toBe(true);
  });

  it('names every back-to-back run with its days', () => {
    const d = designTrial({ treatments: ['a', 'b'], blocks: 2, periodDays: 7, randomization: 'fixed', seed: 1 });
    const order = ['a', 'b', 'b', 'a'];
    const abba = { ...d, periods: d.periods.map((p, i) => ({ ...p, treatment: order[i] as string })) };
    const w = designWarnings(abba);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^b runs back to back in periods 2–3 \(14 days in a row/);
    const cons = designTrial({ treatments: ['a', 'b'], blocks: 3, periodDays: 7, maxConsecutive: 1, seed: 2 });
    expect(designWarnings(cons)).toEqual([]);
  });
});

describe('parseFeatures', () => {
  it('parses numbers and booleans, keeps text, refuses malformed pairs and prototype names', () => {
    expect(parseFeatures('ageBand=30-39, age=34,smoker=false')).toEqual({ ageBand: '30-39', age: 34, smoker: false });
    expect(() => parseFeatures('ageBand')).toThrow(/name=value/);
    expect(() => parseFeatures('__proto__=1')).toThrow(/may not use/);
  });
});
