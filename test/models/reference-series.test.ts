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
import { jagsEss, probBand } from './prob-band.js';
import { analyzeSeries, seriesToPrior } from '../../src/models/index.js';
import type { AnalyzeSeriesInput, EffectSummary } from '../../src/models/index.js';

interface SeriesExpected {
  population: { drug: EffectSummary & { heterogeneity: { mean: number; sd: number; median: number } } };
  individuals: Record<string, { drug: EffectSummary }>;
}

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
    expect(r.diagnostics.converged).toBe(true);
    const pop = r.population.drug!;
    const exp = fx.expected.population.drug;
    expect(Math.abs(pop.mean - exp.mean)).toBeLessThan(0.05 * exp.sd);
    expect(Math.abs(pop.sd / exp.sd - 1)).toBeLessThan(0.05);
    const ess = r.diagnostics.ess.drug!;
    const essRef = jagsEss(fx.jags?.ess);
    expect(Math.abs(pop.probBetter - exp.probBetter)).toBeLessThan(probBand(exp.probBetter, ess, essRef));
    expect(Math.abs(pop.heterogeneity.mean - exp.heterogeneity.mean)).toBeLessThan(0.05 * exp.heterogeneity.sd);
    expect(Math.abs(pop.heterogeneity.sd / exp.heterogeneity.sd - 1)).toBeLessThan(0.05);
    for (const [id, rec] of Object.entries(fx.expected.individuals)) {
      const got = r.individuals[id]!.drug!;
      const e = rec.drug;
      const essJ = r.diagnostics.parameters[`effect[${id},drug]`]!;
      expect(Math.abs(got.mean - e.mean)).toBeLessThan(0.05 * e.sd);
      expect(Math.abs(got.sd / e.sd - 1)).toBeLessThan(0.05);
      expect(Math.abs(got.probBetter - e.probBetter)).toBeLessThan(probBand(e.probBetter, Math.min(essJ.essBulk, essJ.essTail), essRef));
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

describe('analyzeSeries agrees with JAGS on a sparse series (issue 13)', () => {
  it('a patient with 2 observations, one who never took the drug, one with an unrecorded period', () => {
    const fx = JSON.parse(readFileSync(new URL('../fixtures/models-sparse-series.json', import.meta.url), 'utf8')) as {
      input: AnalyzeSeriesInput;
      expected: SeriesExpected;
    };
    expect(fx.input.trials.find((t) => t.id === 'p5')!.observations).toHaveLength(2);
    const r = analyzeSeries({ ...fx.input, mcmc: { chains: 4, draws: 6000, warmup: 1000, seed: 'ref-sparse' } });
    expect(r.diagnostics.converged).toBe(true);
    const pop = r.population.drug!;
    const exp = fx.expected.population.drug;
    expect(Math.abs(pop.mean - exp.mean)).toBeLessThan(0.05 * exp.sd);
    expect(Math.abs(pop.sd / exp.sd - 1)).toBeLessThan(0.05);
    // JAGS: 100,000 draws of a well-mixing Gibbs sampler; 10,000 as its effective size is conservative.
    expect(Math.abs(pop.probBetter - exp.probBetter)).toBeLessThan(probBand(exp.probBetter, r.diagnostics.ess.drug!, 10_000));
    expect(Math.abs(pop.heterogeneity.mean - exp.heterogeneity.mean)).toBeLessThan(0.05 * exp.heterogeneity.sd);
    expect(Math.abs(pop.heterogeneity.sd / exp.heterogeneity.sd - 1)).toBeLessThan(0.05);
    for (const [id, rec] of Object.entries(fx.expected.individuals)) {
      const got = r.individuals[id]!.drug!;
      const dg = r.diagnostics.parameters[`effect[${id},drug]`]!;
      expect(Math.abs(got.mean - rec.drug.mean)).toBeLessThan(0.05 * rec.drug.sd);
      expect(Math.abs(got.sd / rec.drug.sd - 1)).toBeLessThan(0.05);
      expect(Math.abs(got.probBetter - rec.drug.probBetter)).toBeLessThan(probBand(rec.drug.probBetter, Math.min(dg.essBulk, dg.essTail), 10_000));
    }
    // p6 never took the drug: no individual drug effect, and no drug parameter in its model.
    expect(r.individuals.p6).toEqual({});
    expect(Object.keys(r.diagnostics.parameters).filter((k) => k.startsWith('effect[p6,'))).toEqual([]);
  });
});
