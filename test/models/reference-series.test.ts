/**
 * Reference test: analyzeSeries against JAGS posteriors of hierarchical models (normal with 8
 * patients; binomial and Poisson with 6; normal with per-patient AR(1) errors and washout gaps
 * with 5) on fixed data. Fixtures: test/fixtures/models.json,
 * made by scripts/fixtures/models_jags.py (rjags, 4 chains × 25,000 draws). Tolerances from the
 * issue: means within 0.05 posterior sd, sds within 5%, probabilities within 0.02.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSeries, seriesToPrior } from '../../src/models/index.js';
import type { AnalyzeSeriesInput, EffectSummary } from '../../src/models/index.js';

interface SeriesExpected {
  population: { drug: EffectSummary & { heterogeneity: { mean: number; sd: number; median: number } } };
  individuals: Record<string, { drug: EffectSummary }>;
}

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/models.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: AnalyzeSeriesInput; expected: SeriesExpected }
>;

describe('analyzeSeries agrees with JAGS (hierarchical effect)', () => {
  for (const name of ['series', 'binomialSeries', 'poissonSeries', 'seriesAr1']) {
  it(`${name}: population mean, heterogeneity and individual effects`, () => {
    const fx = fixtures[name]!;
    const draws = name === 'poissonSeries' || name === 'seriesAr1' ? 10000 : 6000;
    const r = analyzeSeries({ ...fx.input, mcmc: { chains: 4, draws, warmup: 1000, seed: `ref-${name}` } });
    expect(r.diagnostics.converged).toBe(true);
    const pop = r.population.drug!;
    const exp = fx.expected.population.drug;
    expect(Math.abs(pop.mean - exp.mean)).toBeLessThan(0.05 * exp.sd);
    expect(Math.abs(pop.sd / exp.sd - 1)).toBeLessThan(0.05);
    expect(Math.abs(pop.probBetter - exp.probBetter)).toBeLessThan(0.02);
    expect(Math.abs(pop.heterogeneity.mean - exp.heterogeneity.mean)).toBeLessThan(0.05 * exp.heterogeneity.sd);
    expect(Math.abs(pop.heterogeneity.sd / exp.heterogeneity.sd - 1)).toBeLessThan(0.05);
    for (const [id, rec] of Object.entries(fx.expected.individuals)) {
      const got = r.individuals[id]!.drug!;
      const e = rec.drug;
      expect(Math.abs(got.mean - e.mean)).toBeLessThan(0.05 * e.sd);
      expect(Math.abs(got.sd / e.sd - 1)).toBeLessThan(0.05);
      expect(Math.abs(got.probBetter - e.probBetter)).toBeLessThan(0.02);
    }
    const prior = seriesToPrior(r, { predictive: false });
    expect(prior).toEqual({ family: 'normal', mean: pop.mean, sd: pop.sd });
    const pred = seriesToPrior(r, { treatment: 'drug' });
    expect(pred).toEqual({ family: 'normal', mean: pop.predictive.mean, sd: pop.predictive.sd });
    // Law of total variance: Var(μ + τz) = Var(μ) + E[τ²] ≥ Var(μ) + E[τ]².
    expect(pred.family === 'normal' && pred.sd ** 2 >= pop.sd ** 2 + pop.heterogeneity.mean ** 2 - 1e-12).toBe(true);
  });
  }
});
