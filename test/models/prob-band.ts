import { expect } from 'vitest';
import type { EffectSummary, SeriesAnalysis } from '../../src/models/index.js';

/**
 * Two-sided Monte Carlo band for comparing a probability estimated from MCMC draws with a
 * reference estimated from JAGS's draws: both carry binomial error p(1 − p)/ESS, so the
 * difference has sd √(p(1 − p)·(1/ess + 1/essRef)); the band is 4 such sds (a false alarm about
 * once in 16,000 comparisons). Near 0 or 1, p(1 − p) is floored at 1/ess so that a probability
 * estimated as exactly 0 still leaves room for one draw's worth of error. Never wider than the
 * former absolute tolerance of 0.02 (which stays the bound in the middle of (0, 1)).
 */
export function probBand(p: number, ess: number, essRef: number): number {
  const v = Math.max(p * (1 - p), 1 / ess);
  return Math.min(0.02, 4 * Math.sqrt(v / ess + v / essRef));
}

/** The smallest coda ESS of the effect parameters (`beta…`, `mu`) in a JAGS fixture's record, or `fallback`. */
export function jagsEss(ess: Record<string, number> | undefined, fallback = 10_000): number {
  if (ess === undefined) return fallback;
  const v = Object.entries(ess)
    .filter(([k]) => k.startsWith('beta') || k === 'mu')
    .map(([, x]) => x);
  return v.length > 0 ? Math.min(...v) : fallback;
}

/**
 * One effect's summary against a JAGS reference: means within 0.05 posterior sd, sds within 5%,
 * medians within 0.06 sd, 95% interval ends within 0.1 sd, probabilities within {@link probBand}.
 */
export function compareEffect(got: EffectSummary, exp: EffectSummary, ess: number, essRef: number): void {
  expect(Math.abs(got.mean - exp.mean)).toBeLessThan(0.05 * exp.sd);
  expect(Math.abs(got.sd / exp.sd - 1)).toBeLessThan(0.05);
  expect(Math.abs(got.median - exp.median)).toBeLessThan(0.06 * exp.sd);
  expect(Math.abs(got.interval[0] - exp.interval[0])).toBeLessThan(0.1 * exp.sd);
  expect(Math.abs(got.interval[1] - exp.interval[1])).toBeLessThan(0.1 * exp.sd);
  expect(Math.abs(got.probBetter - exp.probBetter)).toBeLessThan(probBand(exp.probBetter, ess, essRef));
  if (exp.probClinicallyBetter !== undefined) {
    expect(got.probClinicallyBetter).toBeDefined();
    const pc = exp.probClinicallyBetter;
    expect(Math.abs((got.probClinicallyBetter as number) - pc)).toBeLessThan(probBand(pc, ess, essRef));
  }
}

/** A JAGS fixture's expected series summaries (the effect arm is `drug`). */
export interface SeriesExpected {
  population: { drug: EffectSummary & { heterogeneity: { mean: number; sd: number; median?: number } } };
  individuals: Record<string, { drug: EffectSummary }>;
}

/**
 * A series analysis against a JAGS reference: μ's mean within 0.05 posterior sd and its sd within
 * 5%, P(better) within {@link probBand}, τ's mean within `tauTol` of its sd (and τ's sd within 5%
 * unless `tauSd` is false), each patient's effect mean within 0.05 sd, sd within 5% and
 * P(better) within the band.
 */
export function compareSeries(r: SeriesAnalysis, exp: SeriesExpected, essRef: number, o: { tauTol?: number; tauSd?: boolean } = {}): void {
  expect(r.diagnostics.converged).toBe(true);
  const pop = r.population.drug!;
  const e = exp.population.drug;
  expect(Math.abs(pop.mean - e.mean)).toBeLessThan(0.05 * e.sd);
  expect(Math.abs(pop.sd / e.sd - 1)).toBeLessThan(0.05);
  expect(Math.abs(pop.probBetter - e.probBetter)).toBeLessThan(probBand(e.probBetter, r.diagnostics.ess.drug!, essRef));
  expect(Math.abs(pop.heterogeneity.mean - e.heterogeneity.mean)).toBeLessThan((o.tauTol ?? 0.05) * e.heterogeneity.sd);
  if (o.tauSd !== false) expect(Math.abs(pop.heterogeneity.sd / e.heterogeneity.sd - 1)).toBeLessThan(0.05);
  for (const [id, rec] of Object.entries(exp.individuals)) {
    const got = r.individuals[id]!.drug!;
    const dg = r.diagnostics.parameters[`effect[${id},drug]`]!;
    expect(Math.abs(got.mean - rec.drug.mean)).toBeLessThan(0.05 * rec.drug.sd);
    expect(Math.abs(got.sd / rec.drug.sd - 1)).toBeLessThan(0.05);
    expect(Math.abs(got.probBetter - rec.drug.probBetter)).toBeLessThan(probBand(rec.drug.probBetter, Math.min(dg.essBulk, dg.essTail), essRef));
  }
}
