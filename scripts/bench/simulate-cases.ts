// The three benchmark cases of docs/bench/simulate.md (the R loop in simulate-r-loop.R fits the same).
import type { SimulationSpec } from '../../src/simulate/index.js';

const design = { treatments: ['drug', 'placebo'], blocks: 3, periodDays: 14 };
const analysis = { reference: 'placebo', betterIs: 'lower' as const };

export const CASES: Record<'exact' | 'ar1' | 'binomial', (replicates: number) => SimulationSpec> = {
  exact: (replicates) => ({
    design,
    scenario: { outcome: 'normal', baseline: 10, effects: { drug: -1.5 }, sd: 3 },
    analysis: { ...analysis, model: { sigma: 3 } },
    replicates,
    seed: 'bench',
  }),
  ar1: (replicates) => ({
    design,
    scenario: { outcome: 'normal', baseline: 10, effects: { drug: -1.5 }, sd: 3, rho: 0.4 },
    analysis: { ...analysis, model: { autocorrelation: true }, mcmc: { chains: 2, draws: 400, warmup: 200 } },
    replicates,
    seed: 'bench',
  }),
  binomial: (replicates) => ({
    design,
    scenario: { outcome: 'binomial', baseline: 0.4, effects: { drug: -1 } },
    analysis: { ...analysis, mcmc: { chains: 2, draws: 400, warmup: 200 } },
    replicates,
    seed: 'bench',
  }),
};
