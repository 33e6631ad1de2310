/**
 * Calibration by simulation (Talts et al. 2018): parameters from the prior, data from the model
 * (AR(1) also with washout and missing days, so gaps of several days),
 * fit, then (1) 95% intervals cover the true value at 95% within a 3-sd binomial band, and
 * (2) the rank of the true value among thinned posterior draws is uniform (chi-square over 7
 * bins, df 6, rejected only at p < 0.001, i.e. statistic > 22.46). Fixed seeds; small replicate
 * counts so the file runs in a few seconds.
 */
import { describe, expect, it } from 'vitest';
import { fixedDesign } from '../helpers.js';
import type { TrialDesign } from '../../src/design/types.js';
import { halfNormal, invGamma, normal, uniform } from '../../src/distributions/index.js';
import { analyzeSeries, analyzeTrial } from '../../src/models/index.js';
import type { AnalyzeTrialInput, TrialObservation, TrialOutcome } from '../../src/models/index.js';
import { createRng } from '../../src/rng/index.js';
import type { Rng } from '../../src/rng/index.js';

const ORDER = ['A', 'B', 'B', 'A', 'B', 'A', 'A', 'B'];
const PERIOD = 4;
const DESIGN: TrialDesign = fixedDesign(ORDER, PERIOD);
/** The same schedule with the first day of every period a washout day (dropped: gaps of 2). */
const DESIGN_WASHOUT: TrialDesign = fixedDesign(ORDER, PERIOD, 1);
const REPS = 140;
const L = 20; // thinned draws per fit: ranks 0..20
const CHI2_CRIT_DF6_P001 = 22.458;

function poissonDraw(lambda: number, rng: Rng): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let c = p;
  const u = rng.uniform();
  while (u > c) {
    k++;
    p *= lambda / k;
    c += p;
  }
  return k;
}

interface Truth {
  alpha: number;
  beta: number;
  sigma: number;
  rho: number;
}

function simulate(outcome: TrialOutcome, ar: boolean, t: Truth, rng: Rng): TrialObservation[] {
  const obs: TrialObservation[] = [];
  let e = ar ? (t.sigma * rng.normal()) / Math.sqrt(1 - t.rho * t.rho) : 0;
  for (let day = 0; day < DESIGN.totalDays; day++) {
    const arm = ORDER[Math.floor(day / PERIOD)];
    const eta = t.alpha + (arm === 'B' ? t.beta : 0);
    if (outcome === 'normal') {
      if (ar) {
        if (day > 0) e = t.rho * e + t.sigma * rng.normal();
      } else e = t.sigma * rng.normal();
      obs.push({ day, value: eta + e });
    } else if (outcome === 'binomial') {
      const p = 1 / (1 + Math.exp(-eta));
      let s = 0;
      for (let k = 0; k < 3; k++) if (rng.uniform() < p) s++;
      obs.push({ day, value: s, trials: 3 });
    } else {
      obs.push({ day, value: poissonDraw(Math.exp(eta), rng) });
    }
  }
  return obs;
}

function calibrate(outcome: TrialOutcome, ar: boolean, seed: string, gaps = false): { coverage: number; chi2: number; rhoChi2?: number } {
  const rng = createRng(seed);
  const bins = new Float64Array(7);
  const rhoBins = new Float64Array(7);
  let covered = 0;
  for (let r = 0; r < REPS; r++) {
    const t: Truth = {
      alpha: rng.normal(),
      beta: rng.normal(),
      sigma: Math.sqrt(1 / rng.gamma(3, 2)),
      rho: ar ? 2 * rng.uniform() - 1 : 0,
    };
    // With `gaps`: washout days dropped by analyzeTrial and about 1 day in 6 missing at random,
    // so the AR(1) likelihood runs over gaps of 1 to several days (ρ^gap).
    const all = simulate(outcome, ar, t, rng);
    const observations = gaps ? all.filter(() => rng.uniform() > 1 / 6) : all;
    const input: AnalyzeTrialInput = {
      design: gaps ? DESIGN_WASHOUT : DESIGN,
      observations,
      outcome,
      reference: 'A',
      betterIs: 'higher',
      priors: {
        intercept: normal(0, 1),
        effects: { B: normal(0, 1) },
        ...(outcome === 'normal' ? { variance: invGamma(3, 2) } : {}),
        ...(ar ? { rho: uniform(-1, 1) } : {}),
      },
      model: { autocorrelation: ar },
      mcmc: { chains: 1, draws: 200, warmup: 100, seed: `${seed}-${r}`, keepDraws: true },
    };
    const fit = analyzeTrial(input);
    const e = fit.effects.B!;
    if (t.beta >= e.interval[0] && t.beta <= e.interval[1]) covered++;
    const d = fit.draws!.effects.B!;
    let rank = 0;
    for (let i = 0; i < L; i++) if ((d[i * 10 + 9] as number) < t.beta) rank++;
    bins[Math.floor(rank / 3)]!++;
    if (ar) {
      const rd = fit.draws!.rho!;
      let rr = 0;
      for (let i = 0; i < L; i++) if ((rd[i * 10 + 9] as number) < t.rho) rr++;
      rhoBins[Math.floor(rr / 3)]!++;
    }
  }
  const chi = (b: Float64Array): number => {
    const exp = REPS / 7;
    let s = 0;
    for (const o of b) s += (o - exp) ** 2 / exp;
    return s;
  };
  return { coverage: covered / REPS, chi2: chi(bins), ...(ar ? { rhoChi2: chi(rhoBins) } : {}) };
}

const band = 3 * Math.sqrt((0.95 * 0.05) / REPS);

describe('simulation-based calibration (fixed seeds)', () => {
  const cases: [string, TrialOutcome, boolean, boolean?][] = [
    ['normal', 'normal', false],
    ['AR(1)', 'normal', true],
    ['AR(1) with washout and missing days', 'normal', true, true],
    ['binomial (independence MH, or Pólya-Gamma Gibbs where the Laplace proposal fails)', 'binomial', false],
    ['Poisson (independence MH, or Metropolis where the Laplace proposal fails)', 'poisson', false],
  ];
  for (const [name, outcome, ar, gaps] of cases) {
    it(`${name}: 95% coverage within the binomial band and uniform SBC ranks`, () => {
      const res = calibrate(outcome, ar, `sbc-${name}`, gaps);
      expect(Math.abs(res.coverage - 0.95)).toBeLessThan(band);
      expect(res.chi2).toBeLessThan(CHI2_CRIT_DF6_P001);
      if (ar) expect(res.rhoChi2!).toBeLessThan(CHI2_CRIT_DF6_P001);
    });
  }
});

describe('simulation-based calibration of analyzeSeries (fixed seed)', () => {
  it('hierarchical normal: population mean μ and heterogeneity τ have uniform SBC ranks; μ covers at 95%', () => {
    const rng = createRng('sbc-series');
    const muBins = new Float64Array(7);
    const tauBins = new Float64Array(7);
    let covered = 0;
    const R = 120;
    const designs = [
      ['A', 'B', 'B', 'A'],
      ['B', 'A', 'A', 'B'],
    ].map(
      (o): TrialDesign => ({
        treatments: ['A', 'B'],
        randomization: 'fixed',
        seed: 0,
        periodDays: 4,
        washoutDays: 0,
        runInDays: 0,
        totalDays: 16,
        periods: o.map((treatment, index) => ({ index, block: index >> 1, treatment, startDay: 4 * index, endDay: 4 * index + 3, washoutEndDay: 4 * index - 1 })),
      }),
    );
    for (let r = 0; r < R; r++) {
      const mu = rng.normal();
      const tau = Math.abs(rng.normal(0, 0.5));
      const trials = [0, 1, 2, 3, 4].map((j) => {
        const a = rng.normal(0, 1);
        const b = mu + tau * rng.normal();
        const s = Math.sqrt(1 / rng.gamma(3, 2));
        const d = designs[j % 2]!;
        const observations: TrialObservation[] = [];
        for (let day = 0; day < 16; day++) observations.push({ day, value: a + (d.periods[day >> 2]!.treatment === 'B' ? b : 0) + s * rng.normal() });
        return { id: `p${j}`, design: d, observations };
      });
      const fit = analyzeSeries({
        trials,
        outcome: 'normal',
        reference: 'A',
        betterIs: 'higher',
        priors: { populationEffects: { B: normal(0, 1) }, heterogeneity: { B: halfNormal(0.5) }, intercept: normal(0, 1), variance: invGamma(3, 2) },
        mcmc: { chains: 1, draws: 200, warmup: 100, seed: `sbc-series-${r}`, keepDraws: true },
      });
      const pop = fit.population.B!;
      if (mu >= pop.interval[0] && mu <= pop.interval[1]) covered++;
      const md = fit.draws!.mu.B!;
      const td = fit.draws!.tau.B!;
      let rm = 0;
      let rt = 0;
      for (let i = 0; i < L; i++) {
        if ((md[i * 10 + 9] as number) < mu) rm++;
        if ((td[i * 10 + 9] as number) < tau) rt++;
      }
      muBins[Math.floor(rm / 3)]!++;
      tauBins[Math.floor(rt / 3)]!++;
    }
    const chi = (b: Float64Array): number => {
      let s = 0;
      for (const o of b) s += (o - R / 7) ** 2 / (R / 7);
      return s;
    };
    expect(Math.abs(covered / R - 0.95)).toBeLessThan(3 * Math.sqrt((0.95 * 0.05) / R));
    expect(chi(muBins)).toBeLessThan(CHI2_CRIT_DF6_P001);
    expect(chi(tauBins)).toBeLessThan(CHI2_CRIT_DF6_P001);
  });
});
