/**
 * The exact normal model's P(best) over three arms: the bivariate normal orthant routine
 * against closed forms (Sheppard's formula, independence, the degenerate limits) and an
 * independent quadrature, and the closed-form P(best) against arg-max counts of the exact
 * posterior's own draws (two-sided binomial bands).
 */
import { describe, expect, it } from 'vitest';
import { fixedDesign } from '../helpers.js';
import { cdf, normal } from '../../src/distributions/index.js';
import { createRng } from '../../src/rng/index.js';
import { bivariateNormalUpper } from '../../src/models/bvn.js';
import { analyzeTrial } from '../../src/models/index.js';
import type { AnalyzeTrialInput, TrialObservation } from '../../src/models/index.js';

const Phi = (x: number): number => cdf(normal(0, 1), x);

/** P(X > h, Y > k) = ∫_h^∞ φ(x) Φ((ρx − k)/√(1 − ρ²)) dx, composite Simpson on [max(h, −12), 12]. */
function quadrature(h: number, k: number, r: number): number {
  const a = Math.max(h, -12);
  const b = 12;
  const n = 4000;
  const dx = (b - a) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const x = a + i * dx;
    const f = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * Phi((r * x - k) / Math.sqrt(1 - r * r));
    s += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * f;
  }
  return (s * dx) / 3;
}

describe('bivariateNormalUpper', () => {
  it("matches Sheppard's formula P(X > 0, Y > 0) = 1/4 + asin(ρ)/(2π) on both branches", () => {
    for (const r of [-0.999, -0.95, -0.6, -0.2, 0.1, 0.5, 0.8, 0.93, 0.9999]) {
      expect(bivariateNormalUpper(0, 0, r)).toBeCloseTo(0.25 + Math.asin(r) / (2 * Math.PI), 13);
    }
  });
  it('factorises at ρ = 0 and handles infinite limits', () => {
    expect(bivariateNormalUpper(0.7, -1.2, 0)).toBeCloseTo((1 - Phi(0.7)) * (1 - Phi(-1.2)), 15);
    expect(bivariateNormalUpper(Number.NEGATIVE_INFINITY, 1.3, 0.4)).toBeCloseTo(1 - Phi(1.3), 15);
    expect(bivariateNormalUpper(1.3, Number.NEGATIVE_INFINITY, -0.4)).toBeCloseTo(1 - Phi(1.3), 15);
    expect(bivariateNormalUpper(Number.POSITIVE_INFINITY, 0, 0.4)).toBe(0);
  });
  it('agrees with an independent quadrature over a grid of limits and correlations (|error| < 1e-9)', () => {
    for (const r of [-0.999, -0.95, -0.8, -0.5, -0.1, 0.2, 0.6, 0.93, 0.99]) {
      for (const h of [-2.5, -0.3, 0, 1.1, 3]) {
        for (const k of [-1.7, 0, 0.4, 2.2]) {
          expect(Math.abs(bivariateNormalUpper(h, k, r) - quadrature(h, k, r))).toBeLessThan(1e-9);
        }
      }
    }
  });
});

describe('analyzeTrial exact path, three arms: closed-form P(best)', () => {
  const D = fixedDesign(['A', 'B', 'C', 'C', 'B', 'A'], 7);
  const rng = createRng(5);
  const eff: Record<string, number> = { A: 0, B: -0.4, C: -0.5 };
  const obs: TrialObservation[] = [];
  for (const p of D.periods) for (let d = p.startDay; d <= p.endDay; d++) obs.push({ day: d, value: 3 + (eff[p.treatment] ?? 0) + rng.normal() });
  const mix = { family: 'mixture', components: [
    { weight: 0.6, dist: { family: 'normal', mean: -0.3, sd: 0.3 } },
    { weight: 0.4, dist: { family: 'normal', mean: 0, sd: 2 } },
  ] } as const;
  for (const [label, priors] of [
    ['normal priors', undefined],
    ['a mixture prior (two combinations)', { effects: { C: mix } }],
  ] as const) {
    it(`agrees with arg-max counts of 100,000 exact posterior draws, ${label} (binomial band, z = 4)`, () => {
      const n = 25_000;
      const inp: AnalyzeTrialInput = {
        design: D,
        observations: obs,
        outcome: 'normal',
        reference: 'A',
        betterIs: 'lower',
        model: { sigma: 1 },
        ...(priors ? { priors } : {}),
        mcmc: { keepDraws: true, chains: 4, draws: n },
      };
      const r = analyzeTrial(inp);
      expect(r.method).toBe('exact');
      const b = r.draws?.effects.B as readonly number[];
      const c = r.draws?.effects.C as readonly number[];
      const total = 4 * n;
      expect(b.length).toBe(total);
      const counts = { A: 0, B: 0, C: 0 };
      for (let i = 0; i < total; i++) {
        const vb = b[i] as number;
        const vc = c[i] as number;
        if (0 < vb && 0 < vc) counts.A++;
        else if (vb < vc) counts.B++;
        else counts.C++;
      }
      let sum = 0;
      for (const t of ['A', 'B', 'C'] as const) {
        const pr = r.probBest[t] as number;
        sum += pr;
        const band = 4 * Math.sqrt((pr * (1 - pr)) / total) + 1e-6;
        expect(Math.abs(counts[t] / total - pr)).toBeLessThan(band);
      }
      expect(sum).toBeCloseTo(1, 12);
      // The arms are in the order of their posterior means: C (−0.5) and B (−0.4) ahead of A.
      expect(r.probBest.A as number).toBeLessThan(Math.min(r.probBest.B as number, r.probBest.C as number));
    });
  }
  it('flipping betterIs maps P(best) of the reference to P(both effects positive)', () => {
    const common: AnalyzeTrialInput = { design: D, observations: obs, outcome: 'normal', reference: 'A', betterIs: 'lower', model: { sigma: 1 } };
    const lo = analyzeTrial(common);
    const hi = analyzeTrial({ ...common, betterIs: 'higher' });
    // With betterIs 'higher' the reference is best when both effects are negative.
    const pBneg = lo.effects.B?.probBetter as number;
    const pCneg = lo.effects.C?.probBetter as number;
    expect(hi.probBest.A as number).toBeLessThanOrEqual(Math.min(pBneg, pCneg) + 1e-12);
    expect(hi.probBest.A as number).toBeGreaterThanOrEqual(pBneg + pCneg - 1 - 1e-12);
  });
});
