/**
 * Reference test: analyzeSeries against JAGS posteriors of hierarchical models (normal with 8
 * patients; binomial and Poisson with 6; normal with per-patient AR(1) errors and washout gaps
 * with 5) on fixed data. Fixtures: test/fixtures/models.json,
 * made by scripts/fixtures/models_jags.py (rjags, 4 chains × 25,000 draws). Tolerances from the
 * issue: means within 0.05 posterior sd, sds within 5%, probabilities within a two-sided 4-sd
 * binomial band capped at 0.02 (test/models/prob-band.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSeries, jagsEss } from './prob-band.js';
import type { SeriesExpected } from './prob-band.js';
import { analyzeSeries, seriesToPrior } from '../../src/models/index.js';
import type { AnalyzeSeriesInput } from '../../src/models/index.js';


const fixtures = JSON.parse(readFileSync(new URL('../fixtures/models.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: AnalyzeSeriesInput; expected: SeriesExpected; jags?: { ess?: Record<string, number> } }
>;

describe('analyzeSeries agrees with JAGS (hierarchical effect)', () => {
  for (const name of ['series', 'binomialSeries', 'poissonSeries', 'seriesAr1']) {
  it(`${name}: population mean, heterogeneity and individual effects`, () => {
    const fx = fixtures[name]!;
    const draws = name === 'poissonSeries' || name === 'seriesAr1' ? 10000 : 6000;
    const r = analyzeSeries({ ...fx.input, mcmc: { chains: 4, draws, warmup: 1000, seed: `ref-${name}` } });
    const essRef = jagsEss(fx.jags?.ess);
    compareSeries(r, fx.expected, essRef);
    const pop = r.population.drug!;
    const prior = seriesToPrior(r, { predictive: false });
    expect(prior).toEqual({ family: 'normal', mean: pop.mean, sd: pop.sd });
    const pred = seriesToPrior(r, { treatment: 'drug' });
    expect(pred).toEqual({ family: 'normal', mean: pop.predictive.mean, sd: pop.predictive.sd });
    // Law of total variance: Var(μ + τz) = Var(μ) + E[τ²] ≥ Var(μ) + E[τ]².
    expect(pred.family === 'normal' && pred.sd ** 2 >= pop.sd ** 2 + pop.heterogeneity.mean ** 2 - 1e-12).toBe(true);
  });
  }
});

describe('analyzeSeries agrees with JAGS on a sparse series (issue 13)', () => {
  it('a patient with 2 observations, one who never took the drug, one with an unrecorded period', () => {
    const fx = JSON.parse(readFileSync(new URL('../fixtures/models-sparse-series.json', import.meta.url), 'utf8')) as {
      input: AnalyzeSeriesInput;
      expected: SeriesExpected;
    };
    expect(fx.input.trials.find((t) => t.id === 'p5')!.observations).toHaveLength(2);
    const r = analyzeSeries({ ...fx.input, mcmc: { chains: 4, draws: 6000, warmup: 1000, seed: 'ref-sparse' } });
    // JAGS: 100,000 draws of a well-mixing Gibbs sampler; 10,000 as its effective size is conservative.
    compareSeries(r, fx.expected, 10_000);
    // p6 never took the drug: no individual drug effect, and no drug parameter in its model.
    expect(r.individuals.p6).toEqual({});
    expect(Object.keys(r.diagnostics.parameters).filter((k) => k.startsWith('effect[p6,'))).toEqual([]);
  });
});
