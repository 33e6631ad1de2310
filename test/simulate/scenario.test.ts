// The scenario generator against Percha et al. (2019)'s equations and against the moments of
// the families it draws from (Monte Carlo tolerances: 4 standard errors, two-sided).
import { describe, expect, it } from 'vitest';
import { designTrial } from '../../src/design/index.js';
import { createRng } from '../../src/rng/index.js';
import { simulateScenario } from '../../src/simulate/index.js';
import { code, fixedDesign } from '../helpers.js';

/**
 * Percha's effect process integrated period by period in continuous time (their
 * `make_effect_function`): within period i, X(t) = target_i + (X(s_i) − target_i)·exp(−(t − s_i)/τ_i).
 * The diary's day d is read at the end of the day, t = d + 1.
 */
function perchaEffect(order: readonly string[], arm: string, periodDays: number, e: number, tauOn: number, tauOff: number, t: number): number {
  let x = 0;
  for (let i = 0; i < order.length; i++) {
    const s = i * periodDays;
    const on = order[i] === arm;
    const target = on ? e : 0;
    const tau = on ? tauOn : tauOff;
    const dt = Math.min(t, s + periodDays) - s;
    const xEnd = target + (x - target) * Math.exp(-dt / tau);
    if (t <= s + periodDays) return xEnd;
    x = xEnd;
  }
  return x;
}

describe('simulateScenario', () => {
  it('carryover follows the closed form of the exponential onset and offset on a fixed schedule', () => {
    const order = ['drug', 'placebo', 'drug', 'placebo', 'placebo', 'drug'];
    const design = fixedDesign(order, 10);
    const sim = simulateScenario(
      design,
      { outcome: 'normal', baseline: 5, effects: { drug: -3 }, carryover: { drug: { onset: 2.5, offset: 4 } } },
      'percha',
    );
    expect(sim.effect).toHaveLength(60);
    for (let d = 0; d < 60; d++) {
      const want = perchaEffect(order, 'drug', 10, -3, 2.5, 4, d + 1);
      expect(Math.abs(sim.effect[d]! - want)).toBeLessThan(1e-12 * 3 + 1e-15);
    }
    // The two textbook points: one onset time constant after the start, 1 − e^{−1} of the effect.
    expect(perchaEffect(order, 'drug', 10, -3, 2.5, 4, 2.5)).toBeCloseTo(-3 * (1 - Math.exp(-1)), 12);
    // Without carryover the effect is a step function.
    const step = simulateScenario(design, { outcome: 'normal', baseline: 5, effects: { drug: -3 } }, 'percha');
    for (let d = 0; d < 60; d++) expect(step.effect[d]).toBe(order[Math.floor(d / 10)] === 'drug' ? -3 : 0);
  });

  it('normal AR(1) noise has the stationary variance sd²/(1 − ρ²) and lag-1 correlation ρ', () => {
    const n = 20000;
    const design = fixedDesign(['a', 'b'], n / 2);
    const sd = 2;
    const rho = 0.6;
    const sim = simulateScenario(design, { outcome: 'normal', baseline: 1, effects: { a: 0.5 }, sd, rho }, 7);
    const r = sim.observations.map((o) => o.value - 1 - sim.effect[o.day]!);
    const m = r.reduce((s, v) => s + v, 0) / n;
    const v = r.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
    let c = 0;
    for (let i = 1; i < n; i++) c += (r[i]! - m) * (r[i - 1]! - m);
    const lag1 = c / (n - 1) / v;
    const stat = sd ** 2 / (1 - rho ** 2);
    // Large-sample se of the lag-1 autocorrelation of an AR(1): √((1 − ρ²)/n); of the variance
    // roughly √(2(1 + ρ²)/(1 − ρ²)/n)·σ² (Bartlett).
    expect(Math.abs(lag1 - rho)).toBeLessThan(4 * Math.sqrt((1 - rho ** 2) / n));
    expect(Math.abs(v - stat)).toBeLessThan(4 * stat * Math.sqrt((2 * (1 + rho ** 2)) / (1 - rho ** 2) / n));
    expect(Math.abs(m)).toBeLessThan(4 * Math.sqrt(stat / n) * Math.sqrt((1 + rho) / (1 - rho)));
  });

  it('binomial and Poisson days have the means of their link functions', () => {
    const n = 6000;
    const design = fixedDesign(['on', 'off'], n);
    const b = simulateScenario(design, { outcome: 'binomial', baseline: 0.4, effects: { on: -0.5 }, trials: 3 }, 1);
    const pOn = 1 / (1 + Math.exp(-(Math.log(0.4 / 0.6) - 0.5)));
    const on = b.observations.filter((o) => o.day < n);
    const off = b.observations.filter((o) => o.day >= n);
    expect(on.every((o) => o.trials === 3 && Number.isInteger(o.value) && o.value >= 0 && o.value <= 3)).toBe(true);
    const mean = (xs: { value: number }[]) => xs.reduce((s, o) => s + o.value, 0) / xs.length;
    expect(Math.abs(mean(on) / 3 - pOn)).toBeLessThan(4 * Math.sqrt((pOn * (1 - pOn)) / (3 * n)));
    expect(Math.abs(mean(off) / 3 - 0.4)).toBeLessThan(4 * Math.sqrt((0.4 * 0.6) / (3 * n)));
    // Poisson: a small rate (multiplication method) and a large one (split into pieces).
    for (const base of [2.5, 80]) {
      const p = simulateScenario(design, { outcome: 'poisson', baseline: base, effects: { on: Math.log(0.5) } }, `p${base}`);
      const pOnObs = p.observations.filter((o) => o.day < n);
      const pOffObs = p.observations.filter((o) => o.day >= n);
      expect(Math.abs(mean(pOnObs) - base / 2)).toBeLessThan(4 * Math.sqrt(base / 2 / n));
      expect(Math.abs(mean(pOffObs) - base)).toBeLessThan(4 * Math.sqrt(base / n));
      const v = pOffObs.reduce((s, o) => s + (o.value - base) ** 2, 0) / n;
      expect(Math.abs(v - base)).toBeLessThan(4 * base * Math.sqrt((2 + 1 / base) / n));
    }
  });

  it('drift is a random walk: the baseline on day d has variance d·drift²', () => {
    const design = fixedDesign(['a', 'b'], 50);
    const reps = 2000;
    const day = 99;
    let s2 = 0;
    const rng = createRng('drift');
    for (let i = 0; i < reps; i++) {
      const sim = simulateScenario(design, { outcome: 'normal', baseline: 0, effects: {}, sd: 1e-9, drift: 0.5 }, rng.fork(String(i)));
      s2 += sim.observations[day]!.value ** 2;
    }
    const want = day * 0.25;
    expect(Math.abs(s2 / reps - want)).toBeLessThan(4 * want * Math.sqrt(2 / reps));
  });

  it('missing days and non-adherence happen at their rates; same seed, same diary', () => {
    const design = designTrial({ treatments: ['drug', 'placebo'], blocks: 50, periodDays: 20, seed: 's' });
    const sc = { outcome: 'normal' as const, baseline: 0, effects: { drug: 1 }, missing: 0.2, adherence: 0.7 };
    const sim = simulateScenario(design, sc, 'x');
    const days = design.totalDays;
    const pMiss = 1 - sim.observations.length / days;
    expect(Math.abs(pMiss - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / days));
    const taken = sim.taken.filter((t) => t !== null).length / days;
    expect(Math.abs(taken - 0.7)).toBeLessThan(4 * Math.sqrt((0.7 * 0.3) / days));
    expect(sim.taken.every((t, d) => t === null || t === design.periods[Math.floor(d / 20)]!.treatment)).toBe(true);
    expect(simulateScenario(design, sc, 'x')).toEqual(sim);
    expect(simulateScenario(design, sc, 'y')).not.toEqual(sim);
  });

  it('refuses bad scenarios with E_INVALID_ARGUMENT', () => {
    const design = fixedDesign(['a', 'b'], 5);
    const ok = { outcome: 'normal' as const, baseline: 0, effects: { a: 1 } };
    expect(code(() => simulateScenario(design, { ...ok, rho: 1 }, 1))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateScenario(design, { ...ok, effects: { c: 1 } }, 1))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateScenario(design, { ...ok, outcome: 'binomial', baseline: 1.2 }, 1))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateScenario(design, { ...ok, missing: 1 }, 1))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateScenario(design, { ...ok, carryover: { a: { onset: -1 } } }, 1))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateScenario(design, { ...ok, trials: 3 }, 1))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateScenario(design, { ...ok, sd: 0 }, 1))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => simulateScenario(design, { ...ok, drfit: 1 } as never, 1))).toBe('E_INVALID_ARGUMENT');
  });
});

describe('scenario sizes are bounded (no simulated value can overflow the analysis)', () => {
  it('sd and drift above 1e12 are refused with the field', async () => {
    const { resolveScenario } = await import('../../src/simulate/scenario.js');
    for (const [k, v] of [['sd', 1e308], ['drift', 1e13]] as const) {
      let e: unknown;
      try {
        resolveScenario({ outcome: 'normal', baseline: 0, effects: {}, [k]: v });
      } catch (x) {
        e = x;
      }
      expect((e as { code?: string }).code).toBe('E_INVALID_ARGUMENT');
      expect((e as { field?: string }).field).toBe(`scenario.${k}`);
    }
  });
});
