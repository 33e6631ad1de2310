/**
 * analyzeSeries / seriesToPrior: properties and bad input (the JAGS agreement is in
 * reference.test.ts), and fast-check properties of analyzeTrial's exact path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedDesign } from '../helpers.js';
import type { TrialDesign } from '../../src/design/types.js';
import { halfNormal, normal } from '../../src/distributions/index.js';
import { analyzeSeries, analyzeTrial, seriesToPrior } from '../../src/models/index.js';
import type { SeriesTrial, TrialObservation } from '../../src/models/index.js';
import { createRng } from '../../src/rng/index.js';

const design = (order: string[], periodDays: number): TrialDesign => fixedDesign(order, periodDays);

function series(effects: number[], seed: string): SeriesTrial[] {
  const rng = createRng(seed);
  return effects.map((eff, j) => {
    const d = design(j % 2 === 0 ? ['drug', 'placebo', 'placebo', 'drug'] : ['placebo', 'drug', 'drug', 'placebo'], 7);
    const obs: TrialObservation[] = [];
    for (const p of d.periods) for (let day = p.startDay; day <= p.endDay; day++) obs.push({ day, value: 3 + j + (p.treatment === 'drug' ? eff : 0) + rng.normal() });
    return { id: `p${j}`, design: d, observations: obs };
  });
}

const trials = series([-2, -1.5, -1, -0.5, 0], 's1');
const priors = { populationEffects: { drug: normal(0, 3) } };

describe('analyzeSeries', () => {
  it('shrinks individual effects toward the population mean, more so with a tight heterogeneity prior', () => {
    const loose = analyzeSeries({ trials, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors: { ...priors, heterogeneity: { drug: halfNormal(5) } } });
    const tight = analyzeSeries({ trials, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors: { ...priors, heterogeneity: { drug: halfNormal(0.01) } } });
    const spread = (r: typeof loose): number => {
      const m = Object.values(r.individuals).map((x) => x.drug!.mean);
      return Math.max(...m) - Math.min(...m);
    };
    // Separate analyses would give a spread of about 2 (the simulated effects span −2..0).
    expect(spread(loose)).toBeGreaterThan(1.2);
    expect(spread(tight)).toBeLessThan(0.1);
    for (const x of Object.values(tight.individuals)) expect(Math.abs(x.drug!.mean - tight.population.drug!.mean)).toBeLessThan(0.1);
    expect(tight.population.drug!.heterogeneity.mean).toBeLessThan(0.02);
    expect(loose.diagnostics.converged).toBe(true);
    const total = Object.values(loose.probBest).reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('seriesToPrior feeds analyzeTrial: the next patient starts from the population posterior', () => {
    const r = analyzeSeries({ trials, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors });
    const prior = seriesToPrior(r, { treatment: 'drug' });
    const next = series([-1], 'next')[0]!;
    const withPrior = analyzeTrial({ ...next, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors: { effects: { drug: prior } } });
    const without = analyzeTrial({ ...next, outcome: 'normal', reference: 'placebo', betterIs: 'lower' });
    expect(withPrior.effects.drug!.sd).toBeLessThan(without.effects.drug!.sd);
  });

  it('bad input: duplicate ids, one trial, a missing population prior, non-count Poisson data, thresholds with a GLM, unknown treatment', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'none';
    };
    const base = { trials, outcome: 'normal' as const, reference: 'placebo', betterIs: 'lower' as const, priors };
    expect(code(() => analyzeSeries({ ...base, trials: [trials[0]!, { ...trials[1]!, id: 'p0' }] }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, trials: [trials[0]!] }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, priors: { populationEffects: {} } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, outcome: 'poisson' }))).toBe('E_INVALID_ARGUMENT'); // non-integer counts
    expect(code(() => analyzeSeries({ ...base, outcome: 'binomial', trials: trials.map((t) => ({ ...t, observations: t.observations.map((o) => ({ day: o.day, value: 1 })) })), thresholds: { drug: 0.1 } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, reference: 'nothing' }))).toBe('E_INVALID_ARGUMENT');
    const r = analyzeSeries({ ...base, mcmc: { draws: 50 } });
    expect(code(() => seriesToPrior(r, { treatment: 'other' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, trials: [trials[0]!, { ...trials[1]!, id: '__proto__' }] }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => seriesToPrior(r, { treatment: 'constructor' }))).toBe('E_INVALID_ARGUMENT');
    // misspelt or unsupported options
    expect(code(() => analyzeSeries({ ...base, model: { trend: true } as never }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, priors: { ...priors, heterogenity: {} } as never }))).toBe('E_INVALID_ARGUMENT');
    // heterogeneity: a misspelt treatment, not an object, no mass on (0, ∞)
    expect(code(() => analyzeSeries({ ...base, priors: { ...priors, heterogeneity: { drugg: halfNormal(1) } } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, priors: { ...priors, heterogeneity: 5 as never } }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => analyzeSeries({ ...base, priors: { ...priors, heterogeneity: { drug: { family: 'uniform', min: -2, max: 0 } } } }))).toBe('E_INVALID_ARGUMENT');
  });

  it('a heterogeneity prior on a narrow range is accepted and respected (the chain starts inside it)', () => {
    // uniform(0, 0.01) lies below the default starting values of τ (0.2–0.5 × sd(y)).
    const r = analyzeSeries({
      trials,
      outcome: 'normal',
      reference: 'placebo',
      betterIs: 'lower',
      priors: { ...priors, heterogeneity: { drug: { family: 'uniform', min: 0, max: 0.01 } } },
      mcmc: { chains: 2, draws: 300, warmup: 100, keepDraws: true },
    });
    const tau = r.draws!.tau.drug!;
    expect(tau.every((t) => t > 0 && t < 0.01)).toBe(true);
  });
});

describe('analyzeTrial exact path: properties (fast-check)', () => {
  const d = design(['A', 'B', 'B', 'A'], 5);
  const arbObs = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 20, maxLength: 20 });
  it('flipping betterIs turns P(better) into 1 − P(better); the order of observations does not matter', () => {
    fc.assert(
      fc.property(arbObs, fc.double({ min: 0.2, max: 3, noNaN: true }), (vals, sigma) => {
        const obs = vals.map((value, day) => ({ day, value }));
        const input = { design: d, observations: obs, outcome: 'normal' as const, reference: 'A', model: { sigma }, priors: { effects: { B: normal(0, 1) }, intercept: normal(0, 10) } };
        const lo = analyzeTrial({ ...input, betterIs: 'lower' });
        const hi = analyzeTrial({ ...input, betterIs: 'higher' });
        const rev = analyzeTrial({ ...input, betterIs: 'lower', observations: [...obs].reverse() });
        expect(lo.effects.B!.probBetter + hi.effects.B!.probBetter).toBeCloseTo(1, 9);
        expect(rev.effects.B!.mean).toBeCloseTo(lo.effects.B!.mean, 9);
      }),
      { seed: 20261128, numRuns: 60 },
    );
  });
  it('adding a constant to every observation (and to the intercept prior) leaves the effect unchanged', () => {
    fc.assert(
      fc.property(arbObs, fc.double({ min: -100, max: 100, noNaN: true }), (vals, c) => {
        const mk = (shift: number) =>
          analyzeTrial({
            design: d,
            observations: vals.map((value, day) => ({ day, value: value + shift })),
            outcome: 'normal',
            reference: 'A',
            betterIs: 'lower',
            model: { sigma: 1 },
            priors: { effects: { B: normal(0, 1) }, intercept: normal(shift, 10) },
          }).effects.B!;
        const a = mk(0);
        const b = mk(c);
        expect(b.mean).toBeCloseTo(a.mean, 6);
        expect(b.sd).toBeCloseTo(a.sd, 9);
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});

describe('normal models are translation invariant even when the level dwarfs the noise', () => {
  // Shifting every observation and the intercept prior by c must leave effects and σ unchanged
  // (a property of the model). Uncentred cross-products lost the residual sum of squares to
  // cancellation at c = 1e8 (σ came out ≈ 0.18 instead of ≈ 1.1, the effect's sd 6× too small).
  const c = 1e8;
  const shift = (ts: SeriesTrial[]): SeriesTrial[] =>
    ts.map((t) => ({ ...t, observations: t.observations.map((o) => ({ ...o, value: o.value + c })) }));
  const close = (a: { mean: number; sd: number }, b: { mean: number; sd: number }): void => {
    expect(Math.abs(a.mean - b.mean)).toBeLessThan(0.05 * b.sd);
    expect(Math.abs(a.sd / b.sd - 1)).toBeLessThan(0.05);
  };
  it('analyzeTrial (with and without AR(1))', () => {
    const t = trials[0]!;
    for (const autocorrelation of [false, true]) {
      const common = { outcome: 'normal' as const, reference: 'placebo', betterIs: 'lower' as const, model: { autocorrelation } };
      const mcmc = { chains: 2, draws: 1500, seed: 'shift', keepDraws: true };
      const a = analyzeTrial({ ...t, ...common, priors: { intercept: normal(3, 10) }, mcmc });
      const b = analyzeTrial({ ...shift([t])[0]!, ...common, priors: { intercept: normal(3 + c, 10) }, mcmc });
      close(b.effects.drug!, a.effects.drug!);
      const sig = (r: typeof a): number => r.draws!.sigma!.reduce((s, v) => s + v, 0) / r.draws!.sigma!.length;
      expect(Math.abs(sig(b) / sig(a) - 1)).toBeLessThan(0.03);
    }
  });
  it('analyzeSeries', () => {
    const common = { outcome: 'normal' as const, reference: 'placebo', betterIs: 'lower' as const, mcmc: { chains: 2, draws: 1500, seed: 'shift' } };
    const a = analyzeSeries({ ...common, trials, priors: { ...priors, intercept: normal(5, 10) } });
    const b = analyzeSeries({ ...common, trials: shift(trials), priors: { ...priors, intercept: normal(5 + c, 10) } });
    close(b.population.drug!, a.population.drug!);
    close(b.individuals.p0!.drug!, a.individuals.p0!.drug!);
  });
});
