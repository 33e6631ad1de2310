import { describe, expect, it } from 'vitest';
import { adaptiveNof1 } from '../../src/adaptive/index.js';
import { cdf, pdf } from '../../src/distributions/index.js';

const Phi = (z: number) => cdf({ family: 'normal', mean: 0, sd: 1 }, z);
const code = expect.objectContaining({ code: 'E_INVALID_ARGUMENT' });

/** A full TrialAnalysis-shaped object (extra fields are ignored). */
const analysis = (effects: Record<string, { mean: number; sd: number }>) => ({
  method: 'exact' as const,
  effects: Object.fromEntries(
    Object.entries(effects).map(([k, e]) => [
      k,
      { ...e, median: e.mean, interval: [e.mean - 1.96 * e.sd, e.mean + 1.96 * e.sd] as [number, number], probBetter: Phi(e.mean / e.sd) },
    ]),
  ),
  probBest: {},
});

describe('adaptiveNof1', () => {
  it('three arms: exact ties (no uncertainty, same effect as the reference) split P(best) equally', () => {
    // b is 50 sd below 0, so it never wins; a (sd 0, mean 0) ties the reference in every draw.
    const an = analysis({ a: { mean: 0, sd: 1 }, b: { mean: -50, sd: 1 } });
    const a0 = { ...an.effects.a!, sd: 0, interval: [0, 0] as [number, number], probBetter: 0.5 };
    const r = adaptiveNof1({ analysis: { ...an, effects: { ...an.effects, a: a0 } }, reference: 'placebo', draws: 400, rng: 't' });
    expect(r.method).toBe('monte-carlo');
    expect(r.probBest.placebo).toBe(0.5);
    expect(r.probBest.a).toBe(0.5);
    expect(r.probBest.b).toBe(0);
  });

  it('two arms: P(best) = Φ(mean/sd) exactly, then the floor', () => {
    const r = adaptiveNof1({ analysis: analysis({ drug: { mean: 1.2, sd: 0.8 } }), reference: 'placebo', rng: 'a' });
    expect(r.method).toBe('exact');
    expect(r.probBest.drug).toBeCloseTo(Phi(1.5), 14);
    expect(r.probBest.placebo).toBeCloseTo(1 - Phi(1.5), 14);
    expect(r.probabilities.placebo).toBeCloseTo(0.1, 14); // default floor 0.1 lifts 0.067
    expect(r.probabilities.drug).toBeCloseTo(0.9, 14);
    expect(r.excluded).toBeNull();
    // lower is better: the sign flips
    const l = adaptiveNof1({
      analysis: analysis({ drug: { mean: 1.2, sd: 0.8 } }),
      reference: 'placebo',
      betterIs: 'lower',
      minProbability: 0,
      rng: 'a',
    });
    expect(l.probBest.drug).toBeCloseTo(Phi(-1.5), 14);
    expect(l.probabilities.drug).toBeCloseTo(Phi(-1.5), 14);
  });

  it('keeps crossing over: after maxConsecutive periods of one arm it is excluded', () => {
    const a = analysis({ drug: { mean: 3, sd: 0.5 } });
    const r = adaptiveNof1({ analysis: a, reference: 'placebo', history: ['placebo', 'drug', 'drug'], rng: 1 });
    expect(r.excluded).toBe('drug');
    expect(r.treatment).toBe('placebo');
    expect(r.probabilities).toEqual({ placebo: 1, drug: 0 });
    const s = adaptiveNof1({ analysis: a, reference: 'placebo', history: ['drug', 'drug'], maxConsecutive: 3, rng: 1 });
    expect(s.excluded).toBeNull();
  });

  it('three arms: Monte Carlo P(best) matches numerical integration of the normal approximation', () => {
    const eff = { low: { mean: 0.4, sd: 0.6 }, high: { mean: 0.7, sd: 0.9 } };
    const draws = 200_000;
    const r = adaptiveNof1({ analysis: analysis(eff), reference: 'ref', draws, rng: 'mc', minProbability: 0 });
    expect(r.method).toBe('monte-carlo');
    expect(r.draws).toBe(draws);
    // P(ref best) = Π Φ(−m/s); P(k best) = ∫_0^∞ φ_k(x) Φ_j(x) dx (trapezoid, fine grid).
    const pRef = Phi(-0.4 / 0.6) * Phi(-0.7 / 0.9);
    const integral = (k: { mean: number; sd: number }, j: { mean: number; sd: number }) => {
      let s = 0;
      const h = 1e-3;
      for (let x = 0; x < 12; x += h) {
        const f = (t: number) => pdf({ family: 'normal', ...k }, t) * cdf({ family: 'normal', ...j }, t);
        s += (h * (f(x) + f(x + h))) / 2;
      }
      return s;
    };
    const want: Record<string, number> = { ref: pRef, low: integral(eff.low, eff.high), high: integral(eff.high, eff.low) };
    expect(want.ref! + want.low! + want.high!).toBeCloseTo(1, 6);
    for (const k of ['ref', 'low', 'high']) {
      const p = want[k]!;
      expect(Math.abs(r.probBest[k]! - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / draws) + 1e-6);
      expect(r.probabilities[k]).toBe(r.probBest[k]); // no floor: used = P(best)
    }
  });

  it('the treatment is drawn with the reported probabilities', () => {
    const a = analysis({ drug: { mean: 0.3, sd: 1 } });
    const n = 4000;
    let drug = 0;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const r = adaptiveNof1({ analysis: a, reference: 'placebo', minProbability: 0.2, maxProbability: 0.6, rng: `draw-${i}` });
      p = r.probabilities.drug!;
      if (r.treatment === 'drug') drug++;
    }
    expect(p).toBeCloseTo(0.6, 14); // Φ(0.3) = 0.618 capped at 0.6
    expect(Math.abs(drug / n - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n));
  });

  it.each([
    ['unknown treatment in history', { history: ['nope'] }],
    ['NaN effect mean', { analysis: { effects: { drug: { mean: Number.NaN, sd: 1 } } } }],
    ['negative sd', { analysis: { effects: { drug: { mean: 0, sd: -1 } } } }],
    ['floor the arms cannot meet', { minProbability: 0.6 }],
    ['no treatment besides the reference', { analysis: { effects: {} } }],
    ['treatments without the reference', { treatments: ['drug'] }],
    ['maxConsecutive 0', { maxConsecutive: 0 }],
  ])('%s throws E_INVALID_ARGUMENT', (_n, extra) => {
    const o = { analysis: analysis({ drug: { mean: 1, sd: 1 } }), reference: 'placebo', rng: 1, ...extra };
    expect(() => adaptiveNof1(o as Parameters<typeof adaptiveNof1>[0])).toThrowError(code);
  });
});

describe('adaptiveNof1 burn-in and power', () => {
  it('equal allocation during burn-in; Thall–Wathen power afterwards', () => {
    const a = { effects: { drug: { mean: 1.2, sd: 0.8 } } };
    const b = adaptiveNof1({ analysis: a, reference: 'placebo', history: ['drug', 'placebo'], burnIn: 4, rng: 1 });
    expect(b.probabilities).toEqual({ placebo: 0.5, drug: 0.5 });
    // t = 4 periods, N = 8: c = 4 / 16 = 0.25
    const q = adaptiveNof1({
      analysis: a,
      reference: 'placebo',
      history: ['drug', 'placebo', 'placebo', 'drug'],
      power: { horizon: 8 },
      minProbability: 0,
      rng: 1,
    });
    const pd = Phi(1.5) ** 0.25;
    const pp = (1 - Phi(1.5)) ** 0.25;
    expect(q.probabilities.drug).toBeCloseTo(pd / (pd + pp), 14);
  });
});
