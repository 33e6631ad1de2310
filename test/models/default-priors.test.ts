/**
 * Issue 15, item 12: the default priors are symmetric between arms. With neither
 * `priors.intercept` nor `priors.effects` given, each arm's level is a + u_k with u_k iid
 * N(0, s/√2) (the reference included), so each effect keeps its documented N(0, s) prior and
 * relabelling the arms permutes the prior exactly.
 * - against JAGS on that model (test/fixtures/models-default-priors.json, made by
 *   scripts/fixtures/models_default_priors.py): normal, binomial, Poisson, and data that carry
 *   no information;
 * - swapping the reference mirrors the result: exactly on the closed-form path, within Monte
 *   Carlo bands on the MCMC paths;
 * - data without information give P(better) = 1/2 (it was 0.75 for whichever arm was not the reference).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeTrial } from '../../src/models/index.js';
import type { AnalyzeTrialInput, EffectSummary, TrialAnalysis } from '../../src/models/index.js';
import { fixedDesign } from '../helpers.js';
import { compareEffect, jagsEss, probBand } from './prob-band.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/models-default-priors.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: AnalyzeTrialInput; expected: { effects: Record<string, EffectSummary>; probBest: Record<string, number> }; jags?: { ess?: Record<string, number> } }
>;

const mcmc = (seed: string) => ({ chains: 4, draws: 5000, warmup: 1000, seed });
const minEss = (r: TrialAnalysis): number => (r.method === 'exact' ? 20_000 : Math.min(...Object.values(r.diagnostics!.ess)));

describe('symmetric default priors agree with JAGS', () => {
  for (const name of ['normal', 'binomial', 'poisson', 'noInformation'] as const) {
    it(name, () => {
      const fx = fixtures[name]!;
      expect(fx.input.priors).toBeUndefined();
      const r = analyzeTrial({ ...fx.input, mcmc: mcmc(`sym-${name}`) });
      const ess = minEss(r);
      const essRef = jagsEss(fx.jags?.ess);
      for (const [t, exp] of Object.entries(fx.expected.effects)) compareEffect(r.effects[t]!, exp, ess, essRef);
      for (const [t, p] of Object.entries(fx.expected.probBest)) expect(Math.abs(r.probBest[t]! - p)).toBeLessThan(probBand(p, ess, essRef));
    });
  }
});

/** Two-arm trial: 4 periods of 7 days; `value(arm, day)` gives each day's value. */
function twoArm(value: (arm: string, day: number) => number, extra: Partial<{ trials: number; exposure: number }> = {}): Pick<AnalyzeTrialInput, 'design' | 'observations'> {
  const design = fixedDesign(['drug', 'placebo', 'placebo', 'drug'], 7);
  const observations = design.periods.flatMap((p) => Array.from({ length: 7 }, (_, d) => ({ day: p.startDay + d, value: value(p.treatment, p.startDay + d), ...extra })));
  return { design, observations };
}

describe('swapping the reference mirrors the result', () => {
  it('closed form (normal, known sigma): exactly, with unequal numbers of days per arm', () => {
    // Balanced arms with the intercept prior centred at ȳ mirror even in the reference coding;
    // unbalanced ones (a drug period half recorded) do not, unless the prior is symmetric.
    const full = twoArm((arm, d) => (arm === 'drug' ? 3 : 4) + ((d * 7) % 5) * 0.3);
    const data = { ...full, observations: full.observations.filter((o) => !(o.day >= 3 && o.day < 7)) };
    const base = { ...data, outcome: 'normal' as const, betterIs: 'lower' as const, model: { sigma: 1 } };
    const a = analyzeTrial({ ...base, reference: 'placebo' });
    const b = analyzeTrial({ ...base, reference: 'drug' });
    expect(a.method).toBe('exact');
    const ea = a.effects.drug!;
    const eb = b.effects.placebo!;
    expect(eb.mean).toBeCloseTo(-ea.mean, 12);
    expect(eb.sd).toBeCloseTo(ea.sd, 12);
    expect(eb.probBetter).toBeCloseTo(1 - ea.probBetter, 12);
    expect(b.probBest.drug).toBeCloseTo(a.probBest.drug!, 12);
  });

  it('three arms, closed form: P(best) is the same whichever arm is the reference', () => {
    const design = fixedDesign(['a', 'b', 'c', 'c', 'a', 'b'], 5);
    const level: Record<string, number> = { a: 1, b: 1.4, c: 0.7 };
    const observations = design.periods.flatMap((p) => Array.from({ length: 5 }, (_, d) => ({ day: p.startDay + d, value: level[p.treatment]! + ((d % 3) - 1) * 0.4 })));
    const base = { design, observations, outcome: 'normal' as const, betterIs: 'higher' as const, model: { sigma: 1 } };
    const rs = ['a', 'b', 'c'].map((reference) => analyzeTrial({ ...base, reference }));
    for (const r of rs.slice(1)) for (const t of ['a', 'b', 'c']) expect(r.probBest[t]).toBeCloseTo(rs[0]!.probBest[t]!, 10);
    // b − a from reference a equals −(a − b) from reference b.
    expect(rs[1]!.effects.a!.mean).toBeCloseTo(-rs[0]!.effects.b!.mean, 10);
  });

  const mcmcCases: [string, Pick<AnalyzeTrialInput, 'design' | 'observations' | 'outcome'>][] = [
    ['normal, unknown sigma', { ...twoArm((arm, d) => (arm === 'drug' ? 3 : 3.6) + ((d * 7) % 5) * 0.4), outcome: 'normal' }],
    ['binomial', { ...twoArm((arm, d) => ((d * 3) % 7 < (arm === 'drug' ? 2 : 4) ? 1 : 0), { trials: 1 }), outcome: 'binomial' }],
    ['Poisson', { ...twoArm((arm, d) => ((d * 5) % 4) + (arm === 'drug' ? 0 : 1)), outcome: 'poisson' }],
  ];
  for (const [name, data] of mcmcCases) {
    it(`${name}: P(better) mirrors within the Monte Carlo band`, () => {
      const a = analyzeTrial({ ...data, reference: 'placebo', betterIs: 'lower', mcmc: mcmc(`m-${name}`) });
      const b = analyzeTrial({ ...data, reference: 'drug', betterIs: 'lower', mcmc: mcmc(`m2-${name}`) });
      const ea = a.effects.drug!;
      const eb = b.effects.placebo!;
      const ess = Math.min(minEss(a), minEss(b));
      expect(Math.abs(eb.probBetter - (1 - ea.probBetter))).toBeLessThan(probBand(ea.probBetter, ess, ess));
      expect(Math.abs(eb.mean + ea.mean)).toBeLessThan(0.05 * ea.sd);
      expect(Math.abs(eb.sd / ea.sd - 1)).toBeLessThan(0.05);
    });
  }
});

describe('data that carry no information', () => {
  const cases: [string, Pick<AnalyzeTrialInput, 'design' | 'observations' | 'outcome'>][] = [
    ['every day a success on both arms', { ...twoArm(() => 1, { trials: 1 }), outcome: 'binomial' }],
    ['all-zero counts', { ...twoArm(() => 0), outcome: 'poisson' }],
  ];
  for (const [name, data] of cases) {
    for (const reference of ['placebo', 'drug']) {
      it(`${name}, reference ${reference}: P(better) = 1/2`, () => {
        const r = analyzeTrial({ ...data, reference, betterIs: 'higher', mcmc: mcmc(`ni-${name}-${reference}`) });
        const other = reference === 'drug' ? 'placebo' : 'drug';
        const ess = minEss(r);
        expect(Math.abs(r.effects[other]!.probBetter - 0.5)).toBeLessThan(probBand(0.5, ess, Number.POSITIVE_INFINITY));
        expect(Math.abs(r.effects[other]!.mean)).toBeLessThan(0.05 * r.effects[other]!.sd);
      });
    }
  }

  it('with explicit priors the reference coding is kept (an intercept prior given: the documented asymmetry)', () => {
    const data = { ...twoArm(() => 1, { trials: 1 }), outcome: 'binomial' as const };
    const r = analyzeTrial({ ...data, reference: 'placebo', betterIs: 'higher', priors: { intercept: { family: 'normal', mean: 0, sd: 2.5 } }, mcmc: mcmc('ni-explicit') });
    // α ~ N(0, 2.5) holds the reference while the effect drifts up: P(better) well above 1/2.
    expect(r.effects.drug!.probBetter).toBeGreaterThan(0.65);
  });
});
