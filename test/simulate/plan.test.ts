// planTrial: the pick must be the first (shortest) design of the grid at or above the target,
// or the most powerful one with a plain statement when none reaches it; its options feed
// startPersonalization. (The powers themselves are checked against the closed form in trials.test.ts.)
import { describe, expect, it } from 'vitest';
import { startPersonalization } from '../../src/hybrid/index.js';
import { migrainePriorRequest, staticPriorProvider } from '../../src/prior/index.js';
import { planTrial } from '../../src/simulate/index.js';

const base = {
  design: { treatments: ['magnesium', 'placebo'], blocks: 1, periodDays: 14 },
  scenario: { outcome: 'normal' as const, baseline: 12, effects: { magnesium: -2 }, sd: 6 },
  analysis: { reference: 'placebo', betterIs: 'lower' as const, model: { sigma: 6 } },
  replicates: 300,
  seed: 'plan',
};

describe('planTrial', () => {
  it('picks the shortest design reaching the target and feeds startPersonalization', async () => {
    const plan = await planTrial({ ...base, search: { blocks: [1, 2, 3, 4, 6] }, target: { power: 0.8 } });
    expect(plan.grid.map((g) => g.totalDays)).toEqual([28, 56, 84, 112, 168]);
    const first = plan.grid.find((g) => g.power >= 0.8);
    expect(plan.reached).toBe(first !== undefined);
    if (first) expect(plan.chosen).toBe(first);
    expect(plan.summary).toContain(`${plan.chosen.blocks} blocks of 14 days`);
    const prior = await staticPriorProvider().elicit(migrainePriorRequest());
    const p = startPersonalization({ prior, betterIs: 'lower', seed: 'alice', trial: plan.trial });
    if (p.design) expect(p.design.periodDays).toBe(14);
    if (p.design) expect(p.design.periods.length).toBe(plan.chosen.blocks * p.design.treatments.length);
  }, 30_000);

  it('says so when no design reaches the target', async () => {
    const plan = await planTrial({ ...base, replicates: 100, search: { blocks: [1, 2] }, target: { power: 0.99 } });
    expect(plan.reached).toBe(false);
    expect(plan.chosen.power).toBe(Math.max(...plan.grid.map((g) => g.power)));
    expect(plan.summary).toMatch(/^No design in the grid reaches 99%.*the best is/);
  });

  it('refuses a bad grid or target', async () => {
    const c = async (x: unknown) => {
      try {
        await planTrial(x as never);
        return 'no error';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(await c({ ...base, search: { blocks: [] }, target: { power: 0.8 } })).toBe('E_INVALID_ARGUMENT');
    expect(await c({ ...base, search: { blocks: [2] }, target: { power: 1.2 } })).toBe('E_INVALID_ARGUMENT');
    expect(await c({ ...base, search: { blokcs: [2] }, target: { power: 0.8 } })).toBe('E_INVALID_ARGUMENT');
    expect(await c({ ...base, search: { periodDays: [3], washoutDays: [5] }, target: { power: 0.8 } })).toBe('E_INVALID_ARGUMENT');
  });
});

describe("Alice's plan specs in scripts/bench (the README's and docs/simulation.md's examples)", () => {
  for (const name of ['simulate-alice-plan.json', 'simulate-alice-migraine-plan.json', 'simulate-alice-migraine-vague-plan.json']) {
    it(`${name} is a valid plan input (run here on a small grid with few replicates)`, async () => {
      const { readFileSync } = await import('node:fs');
      const spec = JSON.parse(readFileSync(new URL(`../../scripts/bench/${name}`, import.meta.url), 'utf8'));
      const plan = await planTrial({ ...spec, replicates: 20, search: { blocks: [spec.search.blocks[0]], periodDays: [14] } });
      expect(plan.grid).toHaveLength(1);
      expect(plan.summary).toContain('magnesium');
      if (spec.scenario.outcome === 'binomial') expect(plan.summary).toContain('log odds ratio -0.288: 40.0% → 33.3% of days');
    }, 30_000);
  }
});
