/**
 * Unit, property and bad-input tests of analyzeTrial, the diagnostics, the Pólya-Gamma sampler
 * and posteriorPredictive. Expected numbers come from closed forms stated beside each test.
 */
import { probBand } from './prob-band.js';
import { describe, expect, it } from 'vitest';
import { fixedDesign } from '../helpers.js';
import type { TrialDesign } from '../../src/design/types.js';
import { createRng } from '../../src/rng/index.js';
import {
  analyzeTrial,
  essBulk,
  essTail,
  posteriorPredictive,
  samplePolyaGamma,
  splitRhat,
} from '../../src/models/index.js';
import type { AnalyzeTrialInput, TrialObservation } from '../../src/models/index.js';
import { cdf, normal, quantile } from '../../src/distributions/index.js';

const design = fixedDesign;

function simulate(d: TrialDesign, effects: Record<string, number>, sd: number, seed: number): TrialObservation[] {
  const rng = createRng(seed);
  const out: TrialObservation[] = [];
  for (const p of d.periods) for (let day = p.startDay; day <= p.endDay; day++) out.push({ day, value: 5 + (effects[p.treatment] ?? 0) + sd * rng.normal() });
  return out;
}

const D2 = design(['A', 'B', 'B', 'A', 'A', 'B'], 7);
const OBS2 = simulate(D2, { A: 0, B: -1 }, 1, 11);
const base: AnalyzeTrialInput = { design: D2, observations: OBS2, outcome: 'normal', reference: 'A', betterIs: 'lower' };

function expectInvalid(f: () => unknown, field: RegExp): void {
  try {
    f();
  } catch (e) {
    const err = e as { code?: string; message: string; field?: string };
    expect(err.code).toBe('E_INVALID_ARGUMENT');
    expect(err.message).toMatch(/^(analyzeTrial|posteriorPredictive|analyzeSeries|splitRhat|essBulk|samplePolyaGamma): /);
    expect(err.field ?? '').toMatch(field);
    return;
  }
  throw new Error('expected a ValidationError');
}

describe('analyzeTrial: exact normal model (known sigma)', () => {
  it('matches the conjugate closed form for a two-arm trial with a vague intercept prior', () => {
    // With α ~ N(0, 1e4) (practically flat), the likelihood of β is N(ȳ_B − ȳ_A, σ²(1/n_A + 1/n_B)),
    // so β | y ~ N(m1, s1) with the normal–normal update of the N(m0, s0) prior.
    const sigma = 1.2;
    const r = analyzeTrial({
      ...base,
      model: { sigma },
      priors: { intercept: normal(0, 1e4), effects: { B: normal(-0.5, 0.8) } },
      thresholds: { B: 0.5 },
    });
    const ya = OBS2.filter((o) => D2.periods.some((p) => p.treatment === 'A' && o.day >= p.startDay && o.day <= p.endDay));
    const yb = OBS2.filter((o) => !ya.includes(o));
    const mean = (xs: TrialObservation[]): number => xs.reduce((s, o) => s + o.value, 0) / xs.length;
    const lik = mean(yb) - mean(ya);
    const lv = sigma ** 2 * (1 / ya.length + 1 / yb.length);
    const pv = 1 / (1 / 0.8 ** 2 + 1 / lv);
    const pm = pv * (-0.5 / 0.8 ** 2 + lik / lv);
    const e = r.effects.B!;
    expect(r.method).toBe('exact');
    expect(e.mean).toBeCloseTo(pm, 6);
    expect(e.sd).toBeCloseTo(Math.sqrt(pv), 6);
    expect(e.median).toBeCloseTo(pm, 6);
    expect(e.interval[0]).toBeCloseTo(quantile(normal(pm, Math.sqrt(pv)), 0.025), 6);
    expect(e.probBetter).toBeCloseTo(cdf(normal(pm, Math.sqrt(pv)), 0), 6);
    expect(e.probClinicallyBetter!).toBeCloseTo(cdf(normal(pm, Math.sqrt(pv)), -0.5), 6);
    expect(r.probBest.B! + r.probBest.A!).toBeCloseTo(1, 12);
    expect(r.probBest.B).toBeCloseTo(e.probBetter, 12);
  });

  it('a mixture prior with two identical components gives the normal-prior answer', () => {
    const n1 = analyzeTrial({ ...base, model: { sigma: 1 }, priors: { effects: { B: normal(0, 1) } } });
    const mix = analyzeTrial({
      ...base,
      model: { sigma: 1 },
      priors: { effects: { B: { family: 'mixture', components: [{ weight: 0.3, dist: normal(0, 1) }, { weight: 0.7, dist: normal(0, 1) }] } } },
    });
    expect(mix.effects.B!.mean).toBeCloseTo(n1.effects.B!.mean, 10);
    expect(mix.effects.B!.sd).toBeCloseTo(n1.effects.B!.sd, 8);
  });

  it('Gibbs with the same fixed sigma and AR off agrees with the exact answer (Monte Carlo error)', () => {
    const exact = analyzeTrial({ ...base, model: { sigma: 1 } });
    // autocorrelation forces MCMC; with rho's prior concentrated at 0 it is the same model.
    const gibbs = analyzeTrial({
      ...base,
      model: { sigma: 1, autocorrelation: true },
      priors: { rho: { family: 'uniform', min: -1e-9, max: 1e-9 } },
      mcmc: { draws: 2000, seed: 5 },
    });
    expect(gibbs.method).toBe('mcmc');
    const e = exact.effects.B!;
    expect(Math.abs(gibbs.effects.B!.mean - e.mean)).toBeLessThan(0.05 * e.sd);
    expect(Math.abs(gibbs.effects.B!.sd / e.sd - 1)).toBeLessThan(0.05);
  });
});

describe('analyzeTrial: exact and MCMC paths agree with a trend and a mixture prior', () => {
  it('known sigma + trend: exact (closed form) vs Gibbs (rho pinned at 0)', () => {
    const mix = { family: 'mixture' as const, components: [{ weight: 0.6, dist: normal(-1, 0.4) }, { weight: 0.4, dist: normal(0.5, 1) }] };
    const common = { ...base, priors: { effects: { B: mix }, trend: normal(0, 0.5) } };
    const exact = analyzeTrial({ ...common, model: { sigma: 1, trend: true } });
    const gibbs = analyzeTrial({
      ...common,
      model: { sigma: 1, trend: true, autocorrelation: true },
      priors: { ...common.priors, rho: { family: 'uniform', min: -1e-9, max: 1e-9 } },
      mcmc: { draws: 4000, seed: 8 },
    });
    expect(exact.method).toBe('exact');
    const e = exact.effects.B!;
    expect(Math.abs(gibbs.effects.B!.mean - e.mean)).toBeLessThan(0.05 * e.sd);
    expect(Math.abs(gibbs.effects.B!.sd / e.sd - 1)).toBeLessThan(0.05);
    // The closed form has no Monte Carlo error: a one-sample binomial band on the Gibbs side.
    expect(Math.abs(gibbs.effects.B!.probBetter - e.probBetter)).toBeLessThan(probBand(e.probBetter, gibbs.diagnostics!.ess.B!, Number.POSITIVE_INFINITY));
  });
});

describe('analyzeTrial: MCMC behaviour', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = analyzeTrial({ ...base, mcmc: { seed: 'x', draws: 300 } });
    const b = analyzeTrial({ ...base, mcmc: { seed: 'x', draws: 300 } });
    const c = analyzeTrial({ ...base, mcmc: { seed: 'y', draws: 300 } });
    expect(a).toEqual(b);
    expect(a.effects.B!.mean).not.toBe(c.effects.B!.mean);
  });

  it('calls mcmc.onProgress after each chain, without changing the result', () => {
    const calls: [number, number][] = [];
    const a = analyzeTrial({ ...base, mcmc: { seed: 'x', draws: 300, chains: 3, onProgress: (d, t) => calls.push([d, t]) } });
    const b = analyzeTrial({ ...base, mcmc: { seed: 'x', draws: 300, chains: 3 } });
    expect(calls).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(a).toEqual(b);
    expect(() => analyzeTrial({ ...base, mcmc: { onProgress: 'yes' as never } })).toThrowError(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field: 'mcmc.onProgress' }),
    );
  });

  it('reports P(best) summing to 1 over all arms and converged diagnostics', () => {
    const d3 = design(['A', 'B', 'C', 'C', 'B', 'A'], 7);
    const r = analyzeTrial({ design: d3, observations: simulate(d3, { B: 1, C: 0.5 }, 1, 3), outcome: 'normal', reference: 'A', betterIs: 'higher' });
    const total = Object.values(r.probBest).reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(Object.keys(r.probBest).sort()).toEqual(['A', 'B', 'C']);
    // The order of the arms must follow the data: rank the arms by their observed means
    // (flat-ish default priors, equal numbers of days per arm) and P(best) must rank them alike,
    // the best arm by far (true effects 1 and 0.5 against 0, sd 1, 14 days per arm).
    const obs = simulate(d3, { B: 1, C: 0.5 }, 1, 3);
    const armMean = (t: string): number => {
      const v = obs.filter((o) => d3.periods.some((p) => p.treatment === t && o.day >= p.startDay && o.day <= p.endDay)).map((o) => o.value);
      return v.reduce((s, x) => s + x, 0) / v.length;
    };
    const byData = ['A', 'B', 'C'].sort((a, b) => armMean(b) - armMean(a));
    const byProbBest = ['A', 'B', 'C'].sort((a, b) => r.probBest[b]! - r.probBest[a]!);
    expect(byProbBest).toEqual(byData);
    expect(r.probBest[byData[0]!]!).toBeGreaterThan(0.5);
    expect(r.probBest[byData[2]!]!).toBeLessThan(r.probBest[byData[1]!]!);
    expect(r.diagnostics!.converged).toBe(true);
    expect(r.diagnostics!.reasons).toEqual([]);
    for (const t of ['B', 'C']) {
      expect(r.diagnostics!.rhat[t]!).toBeLessThan(1.01);
      expect(r.diagnostics!.ess[t]!).toBeGreaterThan(400);
    }
  });

  it('says when it has not converged and throws ConvergenceError under strict', () => {
    const r = analyzeTrial({ ...base, mcmc: { draws: 20, warmup: 0, minEss: 1e6 } });
    expect(r.diagnostics!.converged).toBe(false);
    expect(r.diagnostics!.reasons.length).toBeGreaterThan(0);
    try {
      analyzeTrial({ ...base, mcmc: { draws: 20, warmup: 0, minEss: 1e6, strict: true } });
      throw new Error('expected ConvergenceError');
    } catch (e) {
      expect((e as { code: string }).code).toBe('E_CONVERGENCE');
    }
  });

  it('accepts one observation per period (known sigma) and drops run-in days', () => {
    const d = design(['A', 'B', 'B', 'A', 'A', 'B'], 14, 0, 7);
    const obs = [{ day: 2, value: 9 }, ...d.periods.map((p, i) => ({ day: p.startDay + 5, value: p.treatment === 'A' ? 5 + 0.1 * i : 4 }))];
    const r = analyzeTrial({ design: d, observations: obs, outcome: 'normal', reference: 'A', betterIs: 'lower', model: { sigma: 0.5 } });
    expect(r.data.used).toBe(6);
    expect(r.data.droppedRunIn).toBe(1);
    expect(r.effects.B!.probBetter).toBeGreaterThan(0.9);
    // One value per period is one observation: with a flat intercept the likelihood of β is
    // N(ȳ_B − ȳ_A, σ²(1/3 + 1/3)); the N(0, 1) prior updates it conjugately.
    const v = analyzeTrial({
      design: d,
      observations: obs,
      outcome: 'normal',
      reference: 'A',
      betterIs: 'lower',
      model: { sigma: 0.5 },
      priors: { intercept: normal(0, 1e4), effects: { B: normal(0, 1) } },
    });
    const kept = obs.slice(1);
    const ya = kept.filter((o) => o.value !== 4).map((o) => o.value);
    const lik = 4 - ya.reduce((a, b) => a + b, 0) / ya.length;
    const lv = 0.25 * (2 / 3);
    const pv = 1 / (1 + 1 / lv);
    expect(v.effects.B!.mean).toBeCloseTo(pv * (lik / lv), 6);
    expect(v.effects.B!.sd).toBeCloseTo(Math.sqrt(pv), 6);
  });

  it('half-normal prior on sigma works (slice sampler) and AR(1) recovers a strong correlation', () => {
    const rng = createRng(9);
    const d = design(['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B'], 14);
    let e = 0;
    const obs: TrialObservation[] = [];
    for (let day = 0; day < d.totalDays; day++) {
      e = 0.8 * e + 0.5 * rng.normal();
      obs.push({ day, value: (d.periods[Math.floor(day / 14)]!.treatment === 'B' ? 1 : 0) + e });
    }
    const r = analyzeTrial({
      design: d,
      observations: obs,
      outcome: 'normal',
      reference: 'A',
      betterIs: 'higher',
      model: { autocorrelation: true },
      priors: { variance: { family: 'halfNormal', scale: 2 } },
      mcmc: { keepDraws: true, seed: 2 },
    });
    const rho = r.draws!.rho!;
    const m = rho.reduce((s, v) => s + v, 0) / rho.length;
    expect(m).toBeGreaterThan(0.6);
    expect(m).toBeLessThan(0.95);
    expect(r.diagnostics!.converged).toBe(true);
  });
});

describe('analyzeTrial: a rho prior that excludes the default starting values', () => {
  it('uniform(0.5, 0.95): every draw lies inside the prior support', () => {
    // The chains used to start at ρ ∈ (−0.25, 0.25), where this prior's density is zero, and
    // the slice sampler never left the starting value.
    const r = analyzeTrial({
      ...base,
      model: { autocorrelation: true },
      priors: { rho: { family: 'uniform', min: 0.5, max: 0.95 } },
      mcmc: { chains: 2, draws: 300, warmup: 100, keepDraws: true },
    });
    expect(r.draws!.rho!.every((x) => x >= 0.5 && x <= 0.95)).toBe(true);
  });
});

describe('analyzeTrial: treatment labels that are names of Object.prototype', () => {
  it("'constructor' and 'toString' are ordinary labels; '__proto__' is refused", () => {
    const d = design(['toString', 'constructor', 'constructor', 'toString'], 7);
    const obs = simulate(d, { constructor: -1, toString: 0 }, 1, 5);
    const r = analyzeTrial({ design: d, observations: obs, outcome: 'normal', reference: 'toString', betterIs: 'lower', model: { sigma: 1 } });
    // No prior, no threshold for 'constructor' was given: defaults, and no P(clinically better).
    const ctor: string = 'constructor';
    expect(r.effects[ctor]!.probClinicallyBetter).toBeUndefined();
    expect(Object.keys(r.probBest).sort()).toEqual(['constructor', 'toString']);
    const withThr = analyzeTrial({ design: d, observations: obs, outcome: 'normal', reference: 'toString', betterIs: 'lower', model: { sigma: 1 }, thresholds: { constructor: 0.5 } });
    expect(withThr.effects[ctor]!.probClinicallyBetter).toBeGreaterThan(0);
    const bad = design(['__proto__', 'A', 'A', '__proto__'], 7);
    const badObs = Array.from({ length: 28 }, (_, day) => ({ day, value: 1 + (day % 3) }));
    expectInvalid(() => analyzeTrial({ design: bad, observations: badObs, outcome: 'normal', reference: 'A', betterIs: 'lower' }), /^design\.treatments$/);
  });
});

describe('analyzeTrial: bad input', () => {
  it('observation on a day outside the design', () => {
    expectInvalid(() => analyzeTrial({ ...base, observations: [...OBS2, { day: 500, value: 1 }] }), /observations\[\d+\]\.day/);
  });
  it('unknown treatment in priors or thresholds', () => {
    expectInvalid(() => analyzeTrial({ ...base, priors: { effects: { Z: normal(0, 1) } } }), /priors\.effects\.Z/);
    expectInvalid(() => analyzeTrial({ ...base, thresholds: { Z: 1 } }), /thresholds\.Z/);
  });
  it('reference not in the design', () => {
    expectInvalid(() => analyzeTrial({ ...base, reference: 'placebo' }), /^reference$/);
  });
  it('negative Poisson count', () => {
    expectInvalid(() => analyzeTrial({ ...base, outcome: 'poisson', observations: [{ day: 0, value: -1 }, ...OBS2.slice(1).map((o) => ({ ...o, value: 1 }))] }), /observations\[0\]\.value/);
  });
  it('successes > trials', () => {
    const obs = OBS2.map((o) => ({ day: o.day, value: 1, trials: 2 }));
    obs[3] = { day: obs[3]!.day, value: 3, trials: 2 };
    expectInvalid(() => analyzeTrial({ ...base, outcome: 'binomial', observations: obs }), /observations\[3\]\.value/);
  });
  it('an arm without observations, and too few observations to estimate the variance', () => {
    const onlyA = OBS2.filter((o) => o.day < 7);
    expectInvalid(() => analyzeTrial({ ...base, observations: onlyA }), /observations/);
    expectInvalid(() => analyzeTrial({ ...base, observations: [{ day: 0, value: 1 }, { day: 7, value: 2 }] }), /observations/);
  });
  it('a non-normal effect prior, a bad variance prior, AR with a binomial outcome, bad mcmc options', () => {
    expectInvalid(() => analyzeTrial({ ...base, priors: { effects: { B: { family: 'gamma', shape: 1, rate: 1 } } } }), /priors\.effects\.B/);
    expectInvalid(() => analyzeTrial({ ...base, priors: { variance: normal(1, 1) } }), /priors\.variance/);
    const bin = OBS2.map((o) => ({ day: o.day, value: 0 }));
    expectInvalid(() => analyzeTrial({ ...base, outcome: 'binomial', observations: bin, model: { autocorrelation: true } }), /model\.autocorrelation/);
    expectInvalid(() => analyzeTrial({ ...base, mcmc: { chains: 0 } }), /mcmc\.chains/);
    expectInvalid(() => analyzeTrial({ ...base, observations: [...OBS2, { day: 3, value: Number.NaN }] }), /observations\[\d+\]\.value/);
    // squares of 1e200 overflow: the Gibbs chain threw from inside rng.gamma, the exact path gave 0
    expectInvalid(() => analyzeTrial({ ...base, observations: [...OBS2, { day: 3, value: 1e200 }] }), /observations\[\d+\]\.value/);
  });
  it('a prior for a parameter the model does not have', () => {
    const pois = OBS2.map((o) => ({ day: o.day, value: 1 }));
    const ig = { family: 'invGamma' as const, shape: 2, scale: 1 };
    expectInvalid(() => analyzeTrial({ ...base, outcome: 'poisson', observations: pois, priors: { variance: ig } }), /^priors\.variance$/);
    expectInvalid(() => analyzeTrial({ ...base, model: { sigma: 1 }, priors: { variance: ig } }), /^priors\.variance$/);
    expectInvalid(() => analyzeTrial({ ...base, priors: { rho: { family: 'uniform', min: 0, max: 1 } } }), /^priors\.rho$/);
    expectInvalid(() => analyzeTrial({ ...base, priors: { trend: normal(0, 1) } }), /^priors\.trend$/);
  });
  it('a misspelt option in model, priors or mcmc (it used to be ignored silently)', () => {
    expectInvalid(() => analyzeTrial({ ...base, model: { autocorelation: true } as never }), /^model\.autocorelation$/);
    expectInvalid(() => analyzeTrial({ ...base, priors: { effect: { B: normal(0, 1) } } as never }), /^priors\.effect$/);
    expectInvalid(() => analyzeTrial({ ...base, mcmc: { draw: 100 } as never }), /^mcmc\.draw$/);
  });
  it('a normal prior whose precision 1/sd² overflows', () => {
    expectInvalid(() => analyzeTrial({ ...base, priors: { effects: { B: normal(0, 1e-300) } } }), /^priors\.effects\.B\.sd$/);
    const mix = { family: 'mixture' as const, components: [{ weight: 0.5, dist: normal(0, 1) }, { weight: 0.5, dist: normal(0, 1e-200) }] };
    expectInvalid(() => analyzeTrial({ ...base, priors: { intercept: mix } }), /^priors\.intercept\.components\[1\]\.dist\.sd$/);
  });
  it('a rho prior without mass on (−1, 1)', () => {
    expectInvalid(
      () => analyzeTrial({ ...base, model: { autocorrelation: true }, priors: { rho: { family: 'uniform', min: 1.5, max: 3 } } }),
      /^priors\.rho$/,
    );
  });
  it('posteriorPredictive without draws', () => {
    const r = analyzeTrial({ ...base, mcmc: { draws: 50 } });
    expectInvalid(() => posteriorPredictive(r, { treatment: 'B', days: 3 }), /analysis\.draws/);
    const { data: _d, ...noData } = r;
    expectInvalid(() => posteriorPredictive(noData as never, { treatment: 'B', days: 3 }), /^analysis\.data$/);
  });
});

describe('diagnostics (Vehtari et al. 2021)', () => {
  const rng = createRng('diag');
  const iid = [0, 1, 2, 3].map(() => Array.from({ length: 1000 }, () => rng.normal()));
  it('independent draws: R-hat ≈ 1 and ESS ≈ the number of draws', () => {
    expect(splitRhat(iid)).toBeLessThan(1.01);
    const b = essBulk(iid);
    expect(b).toBeGreaterThan(3400);
    expect(b).toBeLessThan(4600);
    expect(essTail(iid)).toBeGreaterThan(3000);
  });
  it('AR(1) chains with φ = 0.8: ESS ≈ N(1 − φ)/(1 + φ)', () => {
    const ar = [0, 1, 2, 3].map(() => {
      let x = rng.normal() / Math.sqrt(1 - 0.64);
      return Array.from({ length: 5000 }, () => (x = 0.8 * x + rng.normal()));
    });
    const expected = (20000 * 0.2) / 1.8;
    expect(Math.abs(essBulk(ar) / expected - 1)).toBeLessThan(0.2);
  });
  it('chains stuck in different places: R-hat far above 1', () => {
    const shifted = iid.map((c, j) => c.map((x) => x + 3 * j));
    expect(splitRhat(shifted)).toBeGreaterThan(1.5);
  });
  it('rejects ragged chains', () => {
    expectInvalid(() => splitRhat([[1, 2, 3, 4, 5], [1, 2, 3, 4]]), /chains\[1\]/);
  });
});

describe('samplePolyaGamma (Devroye / Windle)', () => {
  // E[PG(1, z)] = tanh(z/2)/(2z) (1/4 at 0); Var = (sinh z − z) / (4 z³ cosh²(z/2)) (1/24 at 0).
  for (const z of [0, 0.5, 2, 6]) {
    it(`PG(1, ${z}) has the closed-form mean and variance`, () => {
      const rng = createRng(`pg-${z}`);
      const n = 40000;
      let s = 0;
      let s2 = 0;
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const x = samplePolyaGamma(1, z, rng);
        if (x < min) min = x;
        s += x;
        s2 += x * x;
      }
      expect(min).toBeGreaterThan(0);
      const m = s / n;
      const v = s2 / n - m * m;
      const em = z === 0 ? 0.25 : Math.tanh(z / 2) / (2 * z);
      const ev = z === 0 ? 1 / 24 : (Math.sinh(z) - z) / (4 * z ** 3 * Math.cosh(z / 2) ** 2);
      expect(Math.abs(m - em)).toBeLessThan(4 * Math.sqrt(ev / n));
      expect(Math.abs(v / ev - 1)).toBeLessThan(0.06);
    });
  }
  it('PG(3, z) is the sum of three PG(1, z): mean 3·tanh(z/2)/(2z)', () => {
    const rng = createRng('pg3');
    let s = 0;
    for (let i = 0; i < 20000; i++) s += samplePolyaGamma(3, 1, rng);
    expect(Math.abs(s / 20000 - (3 * Math.tanh(0.5)) / 2)).toBeLessThan(0.01);
  });
  it('rejects a non-integer shape', () => {
    expectInvalid(() => samplePolyaGamma(1.5, 0, createRng(1)), /^b$/);
  });
});

describe('posteriorPredictive', () => {
  it('normal, known sigma, vague priors: the mean of the next d days is N(ȳ_B, σ²/n_B + σ²/d)', () => {
    const sigma = 1;
    const r = analyzeTrial({
      ...base,
      model: { sigma },
      priors: { intercept: normal(0, 1e4), effects: { B: normal(0, 1e4) } },
      mcmc: { keepDraws: true, chains: 4, draws: 5000 },
    });
    const yb = OBS2.filter((o) => D2.periods.some((p) => p.treatment === 'B' && o.day >= p.startDay && o.day <= p.endDay));
    const mb = yb.reduce((s, o) => s + o.value, 0) / yb.length;
    const d = 7;
    const pp = posteriorPredictive(r, { treatment: 'B', days: d, seed: 3 });
    const sd = Math.sqrt(sigma ** 2 / yb.length + sigma ** 2 / d);
    expect(pp.paths).toBe(20000);
    expect(pp.days[0]).toBe(r.data.lastDay + 1);
    expect(Math.abs(pp.average.mean - mb)).toBeLessThan(4 * (sd / Math.sqrt(20000)));
    expect(Math.abs(pp.average.sd / sd - 1)).toBeLessThan(0.03);
    expect(pp.perDay).toHaveLength(d);
  });
  it('Poisson: simulated counts average exposure × exp(α + β)', () => {
    const rng = createRng('pp-pois');
    const obs = OBS2.map((o) => ({ day: o.day, value: Math.round(rng.uniform() * 4) }));
    const r = analyzeTrial({ ...base, outcome: 'poisson', observations: obs, mcmc: { keepDraws: true } });
    const pp = posteriorPredictive(r, { treatment: 'B', days: 5, exposure: 2, seed: 1, includeSamples: true });
    const a = r.draws!.intercept;
    const b = r.draws!.effects.B!;
    const expected = a.reduce((s, v, i) => s + 2 * Math.exp(v + b[i]!), 0) / a.length;
    expect(Math.abs(pp.average.mean / expected - 1)).toBeLessThan(0.03);
    expect(pp.samples![0]!.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
  });
});

describe('analyzeTrial / analyzeSeries: warnings (issue 15)', () => {
  it('say in result.warnings when the chains did not converge (strict off), and nothing when they did', () => {
    const bad = analyzeTrial({ ...base, mcmc: { draws: 20, warmup: 0, minEss: 1e6 } });
    expect(bad.diagnostics!.converged).toBe(false);
    expect(bad.warnings).toHaveLength(1);
    expect(bad.warnings![0]).toMatch(/did not converge/);
    expect(bad.warnings![0]).toContain(bad.diagnostics!.reasons[0]!);
    const good = analyzeTrial({ ...base, mcmc: { seed: 'x', draws: 300 } });
    expect(good.diagnostics!.converged).toBe(true);
    expect(good.warnings).toEqual([]);
  });
});
