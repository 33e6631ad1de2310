// The migraine diary as a yes/no (binomial) outcome, and the days-per-30 prior on the log-odds scale.
import { describe, expect, it } from 'vitest';
import {
  analyzeTrial,
  designTrial,
  migrainePriorRequest,
  migrainePriorToLogOdds,
  mixture,
  normal,
  simulateMigraineDiary,
  staticPriorProvider,
  startPersonalization,
} from '../../src/index.js';
import { code } from '../helpers.js';

describe('migrainePriorToLogOdds', () => {
  it('maps N(m, s) days per 30 to N(logit((b+m)/30) − logit(b/30), s/(30 q(1−q))) (closed form)', () => {
    const lor = migrainePriorToLogOdds(
      { effects: { mg: normal(-6, 2), mix: mixture([[0.8, normal(-3, 1)], [0.2, normal(0, 6)]]) }, scale: 'difference', source: { provider: 'static' } },
      { baselineDays: 12 },
    );
    expect(lor.scale).toBe('logOddsRatio');
    const mg = lor.effects.mg as { mean: number; sd: number };
    // q = 6/30 = 0.2: ln(0.25) − ln(2/3) = −0.980829..., sd = 2 / (30 · 0.2 · 0.8) = 0.416666...
    expect(mg.mean).toBeCloseTo(Math.log(0.25) - Math.log(2 / 3), 12);
    expect(mg.sd).toBeCloseTo(2 / 4.8, 12);
    const mix = lor.effects.mix as unknown as { components: { weight: number; dist: { mean: number; sd: number } }[] };
    expect(mix.components.map((c) => c.weight)).toEqual([0.8, 0.2]);
    // q = 9/30 = 0.3: ln(3/7) − ln(2/3); sd 1 / (30 · 0.3 · 0.7) = 1/6.3; the 0-centred one stays at 0, sd 6/7.2.
    expect(mix.components[0]?.dist.mean).toBeCloseTo(Math.log(3 / 7) - Math.log(2 / 3), 12);
    expect(mix.components[0]?.dist.sd).toBeCloseTo(1 / 6.3, 12);
    expect(mix.components[1]?.dist.mean).toBeCloseTo(0, 12);
    expect(mix.components[1]?.dist.sd).toBeCloseTo(6 / 7.2, 12);
  });

  it('makes startPersonalization plan a binomial analysis; bad input is refused', async () => {
    const days = await staticPriorProvider().elicit(migrainePriorRequest());
    const plan = startPersonalization({ prior: migrainePriorToLogOdds(days), betterIs: 'lower', seed: 'alice', mcid: 2 / 30 });
    expect(plan.settings.outcome).toBe('binomial');
    const lor = migrainePriorToLogOdds(days);
    expect(code(() => migrainePriorToLogOdds(lor))).toBe('E_INVALID_ARGUMENT'); // already on the log-odds scale
    expect(code(() => migrainePriorToLogOdds(days, { baselineDays: 30 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => migrainePriorToLogOdds({ ...days, effects: { x: { family: 'uniform', min: 0, max: 1 } } }))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('simulateMigraineDiary, binary coding', () => {
  it('writes 1/0 with trials 1, at the arm rates (binomial band), and the logistic model recovers the effect', () => {
    const design = designTrial({ treatments: ['magnesium', 'placebo'], blocks: 15, periodDays: 30, seed: 4 });
    const diary = simulateMigraineDiary(design, { effects: { magnesium: -6 }, rng: 'bin' });
    expect(new Set(diary.map((o) => o.value))).toEqual(new Set([0, 1]));
    expect(diary.every((o) => o.trials === 1)).toBe(true);
    const rate = (arm: string) => {
      const xs = diary.filter((o) => design.periods.find((p) => o.day >= p.startDay && o.day <= p.endDay)?.treatment === arm);
      return { p: xs.reduce((a, o) => a + o.value, 0) / xs.length, n: xs.length };
    };
    for (const [arm, want] of [
      ['magnesium', 0.2],
      ['placebo', 0.4],
    ] as const) {
      const { p, n } = rate(arm);
      expect(Math.abs(p - want)).toBeLessThan(4.5 * Math.sqrt((want * (1 - want)) / n));
    }
    const fit = analyzeTrial({ design, observations: diary, outcome: 'binomial', reference: 'placebo', betterIs: 'lower', thresholds: { magnesium: 2 / 30 }, mcmc: { draws: 500, seed: 1 } });
    // True log odds ratio: ln(0.25) − ln(2/3) = −0.98; 450 days per arm give an sd of about 0.11.
    const e = fit.effects.magnesium!;
    expect(Math.abs(e.mean - (Math.log(0.25) - Math.log(2 / 3)))).toBeLessThan(4.5 * e.sd);
    expect(e.probClinicallyBetter).toBeGreaterThan(0.9);
    expect(code(() => simulateMigraineDiary(design, { effects: {}, rng: 1, coding: 'counts' as 'binary' }))).toBe('E_INVALID_ARGUMENT');
  });
});
