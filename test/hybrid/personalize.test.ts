import { describe, expect, it } from 'vitest';
import { code } from '../helpers.js';
import {
  type PersonalizationPlan,
  type PopulationPrior,
  designTrial,
  migrainePriorRequest,
  normal,
  simulateMigraineDiary,
  startPersonalization,
  staticPriorProvider,
  updatePersonalization,
} from '../../src/index.js';


const migrainePrior = (): Promise<PopulationPrior> => staticPriorProvider().elicit(migrainePriorRequest());

describe('startPersonalization', () => {
  it("plans the paper's migraine trial: magnesium and sleep regularity against placebo, 6 periods of 2 weeks", async () => {
    const plan = startPersonalization({ prior: await migrainePrior(), betterIs: 'lower', seed: 'alice', mcid: 2 });
    expect(plan.kind).toBe('n1kit.personalizationPlan');
    expect(plan.decision.action).toBe('trial');
    expect([...plan.decision.arms].sort()).toEqual(['magnesium', 'placebo', 'sleepRegularity']);
    const d = plan.design!;
    expect(d.periods).toHaveLength(6);
    expect(d.periodDays).toBe(14);
    expect(d.totalDays).toBe(84);
    expect(d.randomization).toBe('block');
    for (const block of [0, 1]) {
      expect(
        d.periods
          .filter((p) => p.block === block)
          .map((p) => p.treatment)
          .sort(),
      ).toEqual(['magnesium', 'placebo', 'sleepRegularity']);
    }
    expect(plan.settings.outcome).toBe('normal');
    expect(plan.settings.mcid).toEqual({ magnesium: 2, sleepRegularity: 2, riboflavin: 2, coenzymeQ10: 2 });
    expect(plan.summary).toContain('6 periods of 14 days');
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('adopts a confidently best candidate without a trial, and then there is nothing to update', () => {
    const plan = startPersonalization({
      prior: { effects: { a: normal(-5, 0.5), b: normal(0, 0.5) }, scale: 'difference', source: { provider: 'test' } },
      betterIs: 'lower',
      seed: 1,
    });
    expect(plan.decision.action).toBe('adopt');
    expect(plan.design).toBeUndefined();
    expect(code(() => updatePersonalization(plan, []))).toBe('E_INVALID_ARGUMENT');
  });

  it('rejects bad input with E_INVALID_ARGUMENT', async () => {
    const prior = await migrainePrior();
    expect(code(() => startPersonalization({ prior, betterIs: 'lower', seed: 1, mcid: -2 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => startPersonalization({ prior, betterIs: 'lower', seed: 1, control: 'magnesium' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => startPersonalization({ prior, betterIs: 'sideways' as never, seed: 1 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => startPersonalization({ prior, betterIs: 'lower', seed: 1, mcid: { aspirin: 2 } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => startPersonalization({ prior, betterIs: 'lower', seed: 1, trial: { periodDays: 0 } }))).toBe('E_INVALID_ARGUMENT');
    const plan = startPersonalization({ prior, betterIs: 'lower', seed: 1 });
    expect(code(() => updatePersonalization({ ...plan, kind: 'other' } as never, []))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => updatePersonalization(plan, 'diary' as never))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => updatePersonalization(plan, [{ day: 9999, value: 30 }]))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('updatePersonalization on simulated migraine diaries', () => {
  it('puts high probability on the candidate that truly helps (magnesium −8 days, sleep regularity 0)', async () => {
    const plan = startPersonalization({ prior: await migrainePrior(), betterIs: 'lower', seed: 'alice', mcid: 2 });
    let recommended = 0;
    let helps = 0;
    const seeds = 8;
    for (let s = 0; s < seeds; s++) {
      const diary = simulateMigraineDiary(plan.design!, { coding: 'daysPer30', effects: { magnesium: -8, sleepRegularity: 0 }, rng: `alice-diary-${s}` });
      const u = updatePersonalization(plan, diary);
      if (u.recommendation.treatment === 'magnesium') recommended++;
      if (u.candidates.magnesium!.posterior.probBetter > 0.9) helps++;
      expect(Object.values(u.probBest).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(u.trialComplete).toBe(true);
      expect(u.stop.stop).toBe(true);
    }
    // Over 40 simulated patients (scratch run) magnesium was recommended in all and had
    // P(better than placebo) > 0.95 in 95%; allow one miss in 8.
    expect(recommended).toBeGreaterThanOrEqual(seeds - 1);
    expect(helps).toBeGreaterThanOrEqual(seeds - 1);
  });

  it('is plain data: a JSON round trip of the plan gives the same update; partial diaries continue', async () => {
    const plan = startPersonalization({ prior: await migrainePrior(), betterIs: 'lower', seed: 'alice', mcid: 2 });
    const diary = simulateMigraineDiary(plan.design!, { coding: 'daysPer30', effects: { magnesium: -8 }, rng: 'alice-diary-0' });
    const a = updatePersonalization(plan, diary);
    const b = updatePersonalization(JSON.parse(JSON.stringify(plan)) as PersonalizationPlan, diary);
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    const half = updatePersonalization(
      plan,
      diary.filter((o) => o.day < 42),
    );
    expect(half.trialComplete).toBe(false);
    expect(half.lastDay).toBe(41);
    // The robust component: N(0, unit-information sd) by default, sd = data sd · √2 / √(1/n_T + 1/n_C).
    const perArm = a.analysis.data.perArm;
    for (const c of ['magnesium', 'sleepRegularity']) {
      const cu = a.candidates[c]!;
      const unit = (cu.data.sd * Math.SQRT2) / Math.sqrt(1 / perArm[c]! + 1 / perArm.placebo!);
      expect(cu.robustPrior).toEqual({
        family: 'mixture',
        components: [
          { weight: 0.8, dist: plan.prior.effects[c] },
          { weight: 0.2, dist: { family: 'normal', mean: 0, sd: expect.closeTo(unit, 10) } },
        ],
      });
    }
    const fixed = updatePersonalization({ ...plan, settings: { ...plan.settings, robustSd: 6 } }, diary);
    const rp = fixed.candidates.magnesium!.robustPrior;
    expect(rp.family === 'mixture' && rp.components[1]).toEqual({ weight: 0.2, dist: { family: 'normal', mean: 0, sd: 6 } });
    expect(code(() => updatePersonalization({ ...plan, settings: { ...plan.settings, robustWeight: 2 } }, diary))).toBe(
      'E_INVALID_ARGUMENT',
    );
    // Half the data (3 of 6 periods) is not enough for 90% here (P(best) ≈ 0.65 at this seed).
    expect(half.recommendation.confident).toBe(false);
    expect(half.stop).toEqual({ stop: false, reason: 'continue' });
    expect(half.messages[0]).toMatch(/^Continue the trial \(day 42 of 84\)/);
    // A lower bar stops early once one arm reaches it.
    const eager = startPersonalization({ prior: await migrainePrior(), betterIs: 'lower', seed: 'alice', confident: 0.6 });
    const early = updatePersonalization(eager, simulateMigraineDiary(eager.design!, { coding: 'daysPer30', effects: { magnesium: -10 }, rng: 'x' }).filter((o) => o.day < 56));
    // A 10-day effect (12 → 2 migraine days) is obvious after 4 periods.
    expect(early.recommendation).toMatchObject({ treatment: 'magnesium', confident: true });
    expect(early.recommendation.probBest).toBeGreaterThanOrEqual(0.6);
    expect(early.stop).toEqual({ stop: true, reason: 'confident' });
    expect(early.messages[0]).toMatch(/^Stop: magnesium is most likely best/);
  });

  it("as the diary grows, the patient's data dominate: the posterior sd shrinks toward the data's", async () => {
    // The paper's step 3: "as personal data accumulate, individual-level patterns progressively
    // dominate the prior". Same patient, trials of 2, 4 and 8 blocks.
    const prior = await migrainePrior();
    const sds: number[] = [];
    const gaps: number[] = [];
    for (const blocks of [2, 4, 8]) {
      const plan = startPersonalization({ prior, betterIs: 'lower', seed: 'carol', trial: { blocks } });
      const diary = simulateMigraineDiary(plan.design!, { coding: 'daysPer30', effects: { magnesium: -6 }, rng: `carol-${blocks}` });
      const mg = updatePersonalization(plan, diary).candidates.magnesium!;
      sds.push(mg.posterior.sd);
      // Posterior sd relative to the data-alone sd: 1 would mean the prior no longer adds anything.
      gaps.push(mg.data.sd / mg.posterior.sd);
      expect(mg.posterior.sd).toBeLessThan(mg.data.sd);
    }
    expect(sds[1]!).toBeLessThan(sds[0]!);
    expect(sds[2]!).toBeLessThan(sds[1]!);
    expect(gaps[2]!).toBeLessThan(gaps[0]!);
  });

  it('with an optimistic but wrong prior, flags the conflict and the robust posterior follows the data', async () => {
    // The "LFM" is sure magnesium cuts 8 migraine days (sd 0.7) and sleep regularity 7; in truth
    // magnesium does nothing and sleep regularity cuts 6. 18 periods of 2 weeks.
    const wrong: PopulationPrior = {
      effects: { magnesium: normal(-8, 0.7), sleepRegularity: normal(-7, 1.5) },
      scale: 'difference',
      source: { provider: 'overconfident-llm' },
    };
    const plan = startPersonalization({ prior: wrong, betterIs: 'lower', seed: 'bob', mcid: 2, trial: { blocks: 6 } });
    expect(plan.decision.arms).toEqual(['magnesium', 'sleepRegularity', 'placebo']);
    const nonRobust: PersonalizationPlan = { ...plan, settings: { ...plan.settings, robustWeight: 0 } };
    const seeds = 6;
    const tally = { conflict: 0, followsData: 0, nonRobustFollowsPrior: 0, robustRight: 0, weightUp: 0 };
    for (let s = 0; s < seeds; s++) {
      const diary = simulateMigraineDiary(plan.design!, { coding: 'daysPer30', effects: { magnesium: 0, sleepRegularity: -6 }, rng: `bob-diary-${s}` });
      const r = updatePersonalization(plan, diary);
      const n = updatePersonalization(nonRobust, diary);
      const mg = r.candidates.magnesium!;
      const distToData = (m: number): number => Math.abs(m - mg.data.mean);
      const distToPrior = (m: number): number => Math.abs(m - mg.prior.mean);
      if (mg.conflict.conflict) {
        tally.conflict++;
        expect(r.conflict).toBe(true);
        expect(mg.conflict.message).toContain('contradict the population prior for magnesium');
        expect(r.messages.some((m) => m.includes('robust component now carries'))).toBe(true);
      }
      if (mg.conflict.robustWeight.posterior > mg.conflict.robustWeight.prior) tally.weightUp++;
      if (distToData(mg.posterior.mean) < distToPrior(mg.posterior.mean)) tally.followsData++;
      if (distToPrior(n.candidates.magnesium!.posterior.mean) < distToData(n.candidates.magnesium!.posterior.mean)) {
        tally.nonRobustFollowsPrior++;
      }
      if (r.recommendation.treatment === 'sleepRegularity') tally.robustRight++;
      expect(mg.conflict.robustWeight.prior).toBeCloseTo(0.2, 12);
      expect(n.candidates.magnesium!.conflict.robustWeight).toEqual({ prior: 0, posterior: 0 });
    }
    // Scratch run over 40 diaries: conflict flagged 90%, robust posterior nearer the data 85%,
    // non-robust posterior nearer the prior 100%, robust recommendation right 92%.
    expect(tally.nonRobustFollowsPrior).toBe(seeds);
    expect(tally.conflict).toBeGreaterThanOrEqual(seeds - 2);
    expect(tally.weightUp).toBeGreaterThanOrEqual(seeds - 1);
    expect(tally.followsData).toBeGreaterThanOrEqual(seeds - 2);
    expect(tally.robustRight).toBeGreaterThanOrEqual(seeds - 1);
  });
});

describe('simulateMigraineDiary', () => {
  it('reproduces the arm rates: mean value = migraine days per 30 days (binomial band)', () => {
    const design = designTrial({ treatments: ['magnesium', 'placebo'], blocks: 30, periodDays: 30, seed: 3 });
    const diary = simulateMigraineDiary(design, { coding: 'daysPer30', effects: { magnesium: -6 }, rng: 'sim', missing: 0.1 });
    const byArm: Record<string, number[]> = { magnesium: [], placebo: [] };
    for (const o of diary) {
      const p = design.periods.find((q) => o.day >= q.startDay && o.day <= q.endDay)!;
      byArm[p.treatment]!.push(o.value);
    }
    for (const [arm, rate] of [
      ['magnesium', 6 / 30],
      ['placebo', 12 / 30],
    ] as const) {
      const xs = byArm[arm]!;
      const m = xs.reduce((a, b) => a + b, 0) / xs.length / 30;
      expect(Math.abs(m - rate)).toBeLessThan(4.5 * Math.sqrt((rate * (1 - rate)) / xs.length));
    }
    // About 10% of days missing (binomial band over 1800 days).
    expect(Math.abs(diary.length / 1800 - 0.9)).toBeLessThan(4.5 * Math.sqrt((0.9 * 0.1) / 1800));
    expect(code(() => simulateMigraineDiary(design, { coding: 'daysPer30', effects: { aspirin: -1 }, rng: 1 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateMigraineDiary(design, { coding: 'daysPer30', effects: {}, rng: 1, baselineDays: 40 }))).toBe('E_INVALID_ARGUMENT');
  });
});
