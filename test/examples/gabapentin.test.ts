/**
 * The published gabapentin series (Yelland et al. 2009, Pain Medicine 10(4):754-761; table in
 * examples/data/gabapentin.csv), analysed as examples/gabapentin-series.ts does it, against:
 *  - JAGS's fit of the same hierarchical model with the same priors, and the frequentist analyses
 *    of the same table in R (lme4): test/examples/gabapentin-reference.json, made by
 *    scripts/fixtures/gabapentin_reference.R (4 chains × 25,000 draws).
 *  - The paper's reported meta-analysis: lower on gabapentin by 0.8 (0.2) for pain, 0.6 (0.2) for
 *    sleep interference, 0.6 (0.2) for functional limitation, in 55 patients (the table has 46).
 * Tolerances: Monte Carlo bands of 4 sds from both samplers' ESS against JAGS (a false alarm
 * about once in 16,000 comparisons); against the paper, 2 sds of the difference of two estimates
 * (conservative: 46 of its 55 patients are the same patients, so the two are positively correlated).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSeries, designTrial, parseTable, seriesFromTable } from '../../src/index.js';
import type { AnalyzeSeriesInput, DesignOptions, Dist, SeriesAnalysis } from '../../src/index.js';
import { probBand } from '../models/prob-band.js';

interface Estimate {
  mean: number;
  se: number;
  interval?: number[];
}
interface OutcomeReference {
  observations: number;
  patients: number;
  cyclePairs: number;
  pairedT: Estimate;
  summaryMeasures: Estimate;
  randomIntercept: Estimate;
  mixedModel: Estimate;
  jags: {
    mean: number;
    sd: number;
    interval: number[];
    probBetter: number;
    tauMean: number;
    tauSd: number;
    ess: { mu: number; tau: number; betaMin: number };
    individuals: Record<string, { mean: number; sd: number; probBetter: number }>;
    responders95: string[];
  };
}

const ref = JSON.parse(readFileSync(new URL('./gabapentin-reference.json', import.meta.url), 'utf8')) as Record<string, OutcomeReference>;
const rows = parseTable(readFileSync(new URL('../../examples/data/gabapentin.csv', import.meta.url), 'utf8'), { comment: '#' });
// The same settings as examples/gabapentin-series.ts: one file for both.
const setup = JSON.parse(readFileSync(new URL('../../examples/data/gabapentin-analysis.json', import.meta.url), 'utf8')) as {
  plan: DesignOptions;
  priors: AnalyzeSeriesInput['priors'] & { populationEffects: { gabapentin: Dist }; intercept: Dist; variance: Dist };
  paper: Record<string, number>;
};
const plan = designTrial(setup.plan);
const { priors, paper } = setup;
const OUTCOMES = ['pain', 'sleep', 'function'] as const;

const fits = new Map<string, SeriesAnalysis>();
function seriesFit(outcome: string): SeriesAnalysis {
  let r = fits.get(outcome);
  if (r === undefined) {
    const { trials } = seriesFromTable(rows, { value: outcome, design: plan });
    r = analyzeSeries({ trials, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors, mcmc: { seed: 1, draws: 2000 } });
    fits.set(outcome, r);
  }
  return r;
}

describe('gabapentin series (Yelland et al. 2009) from its published table', () => {
  it('reads the table as R does: 46 patients, 276 periods, the same scores per outcome', () => {
    expect(rows.length).toBe(276);
    for (const outcome of OUTCOMES) {
      const { trials } = seriesFromTable(rows, { value: outcome, design: plan });
      expect(trials.length).toBe(ref[outcome]!.patients);
      expect(trials.reduce((s, t) => s + t.observations.length, 0)).toBe(ref[outcome]!.observations);
      // Every period is 14 days and matches the plan: no deviation but the periods never recorded.
      for (const t of trials) for (const d of t.deviations) expect(d.kind).toBe('missing-period');
    }
  });

  for (const outcome of OUTCOMES) {
    it(`${outcome}: the population effect agrees with JAGS's fit of the same model and priors`, () => {
      const r = seriesFit(outcome);
      expect(r.diagnostics.converged).toBe(true);
      const g = r.population.gabapentin!;
      const j = ref[outcome]!.jags;
      const ess = r.diagnostics.parameters['mu[gabapentin]']!.essBulk;
      expect(Math.abs(g.mean - j.mean)).toBeLessThan(4 * j.sd * Math.sqrt(1 / ess + 1 / j.ess.mu));
      // sd of a sample sd ≈ sd / √(2·ESS)
      expect(Math.abs(g.sd / j.sd - 1)).toBeLessThan(4 * Math.sqrt(1 / (2 * ess) + 1 / (2 * j.ess.mu)));
      expect(Math.abs(g.probBetter - j.probBetter)).toBeLessThan(probBand(j.probBetter, ess, j.ess.mu));
      const essTau = r.diagnostics.parameters['tau[gabapentin]']!.essBulk;
      expect(Math.abs(g.heterogeneity.mean - j.tauMean)).toBeLessThan(4 * j.tauSd * Math.sqrt(1 / essTau + 1 / j.ess.tau));
    });

    it(`${outcome}: lower on gabapentin as in the paper, within the methods' difference`, () => {
      const g = seriesFit(outcome).population.gabapentin!;
      // The paper: every outcome lower on gabapentin, 3 to 4 standard errors from 0.
      expect(g.interval[1]).toBeLessThan(0);
      expect(Math.abs(g.mean - (paper[outcome] as number))).toBeLessThan(2 * Math.hypot(0.2, g.sd));
      // The frequentist analyses of the same table (R, lme4) fall inside the credible interval.
      const f = ref[outcome]!;
      for (const e of [f.pairedT, f.summaryMeasures, f.randomIntercept, f.mixedModel]) {
        expect(e.mean).toBeGreaterThan(g.interval[0]);
        expect(e.mean).toBeLessThan(g.interval[1]);
      }
    });
  }

  it('pain, per patient: effects, P(lower pain) and the patients above 95% agree with JAGS', () => {
    const r = seriesFit('pain');
    const j = ref.pain!.jags;
    expect(Object.keys(r.individuals).sort()).toEqual(Object.keys(j.individuals).sort());
    const responders: string[] = [];
    let compared = 0;
    for (const [id, e] of Object.entries(r.individuals)) {
      const mine = e.gabapentin!;
      const theirs = j.individuals[id]!;
      const ess = r.diagnostics.parameters[`effect[${id},gabapentin]`]!.essBulk;
      expect(Math.abs(mine.mean - theirs.mean), id).toBeLessThan(4 * theirs.sd * Math.sqrt(1 / ess + 1 / j.ess.betaMin));
      const band = probBand(theirs.probBetter, ess, j.ess.betaMin);
      expect(Math.abs(mine.probBetter - theirs.probBetter), id).toBeLessThan(band);
      if (mine.probBetter > 0.95) responders.push(id);
      // Outside the Monte Carlo band around 0.95 both fits must classify the patient alike.
      if (Math.abs(theirs.probBetter - 0.95) > band) {
        compared++;
        expect(mine.probBetter > 0.95, id).toBe(j.responders95.includes(id));
      }
    }
    expect(compared).toBeGreaterThan(35);
    // About a fifth of the patients: the paper found 16 of 55 better on gabapentin (29%), over all five outcomes.
    expect(responders.length).toBeGreaterThanOrEqual(8);
    expect(responders.length).toBeLessThanOrEqual(12);
  });
});
