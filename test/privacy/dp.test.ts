import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cdf, normal, quantile } from '../../src/distributions/index.js';
import { discreteGaussianDelta } from '../../src/privacy/dp.js';
import {
  analyticGaussianSigma,
  createPrivacyAccountant,
  privateEffectEstimate,
  privateMean,
  type PrivateRelease,
} from '../../src/privacy/index.js';
import fixture from '../fixtures/privacy-analytic-gaussian.json';

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Kolmogorov–Smirnov distance between a sample and a continuous cdf. */
function ksDistance(xs: number[], F: (x: number) => number): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = F(x);
    d = Math.max(d, Math.abs((i + 1) / s.length - f), Math.abs(f - i / s.length));
  });
  return d;
}
/** KS critical value at level alpha (asymptotic): a false alarm once in 1/alpha runs. */
const ksCritical = (n: number, alpha: number) => Math.sqrt(Math.log(2 / alpha) / (2 * n));
const laplaceCdf = (b: number) => (x: number) => (x < 0 ? 0.5 * Math.exp(x / b) : 1 - 0.5 * Math.exp(-x / b));

afterEach(() => vi.restoreAllMocks());

describe('analyticGaussianSigma', () => {
  it('matches an independent SciPy root-finder (Balle & Wang 2018, Thm 8) to 1e-10', () => {
    expect(fixture.analyticGaussian.length).toBe(56);
    for (const c of fixture.analyticGaussian) {
      const s = analyticGaussianSigma({ epsilon: c.epsilon, delta: c.delta, sensitivity: c.sensitivity });
      expect(relErr(s, c.sigma), JSON.stringify(c)).toBeLessThan(1e-10);
    }
  });

  it('is below the classical σ = Δ√(2 ln(1.25/δ))/ε for ε < 1 and scales linearly in Δ (property, seed 8101)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 1e-12, max: 0.1, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (epsilon, delta, sensitivity) => {
          const s = analyticGaussianSigma({ epsilon, delta, sensitivity });
          expect(s).toBeLessThanOrEqual((sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon);
          const s1 = analyticGaussianSigma({ epsilon, delta, sensitivity: 1 });
          expect(relErr(s, s1 * sensitivity)).toBeLessThan(1e-11);
        },
      ),
      { seed: 8101, numRuns: 200 },
    );
  });
});

describe('analyticGaussianSigma at extreme sensitivities', () => {
  it('is exactly linear in Δ (the condition depends on σ/Δ only) from Δ = 1e-300 to 1e300', () => {
    const c = fixture.analyticGaussian[0]!;
    const s1 = analyticGaussianSigma({ epsilon: c.epsilon, delta: c.delta, sensitivity: 1 });
    expect(relErr(s1 * c.sensitivity, c.sigma)).toBeLessThan(1e-10); // anchored on the SciPy fixture
    for (const d of [1e-300, 1e-150, 1e150, 1e300]) {
      expect(relErr(analyticGaussianSigma({ epsilon: c.epsilon, delta: c.delta, sensitivity: d }), s1 * d), String(d)).toBeLessThan(1e-13);
    }
  });
});

describe('discrete Gaussian δ (Canonne, Kamath & Steinke 2020, Thm 7)', () => {
  it('matches term-by-term fsum sums in Python to 1e-9 (direct sums and Euler–Maclaurin)', () => {
    for (const c of fixture.discreteGaussianDelta) {
      expect(relErr(discreteGaussianDelta(c.sigma, c.epsilon, c.sensitivity), c.delta), JSON.stringify(c)).toBeLessThan(1e-9);
    }
  });
});

describe('privateMean: noise scale equals the formula', () => {
  it('Laplace: b = (⌈Δ/γ⌉ + 1)·γ/ε with γ a power of two in (Δ/2^21, Δ/2^20]', () => {
    for (const [values, bounds, epsilon] of [
      [[1, 2, 3, 4], [0, 10], 1],
      [[0.3], [-1, 1], 0.1],
      [Array.from({ length: 1000 }, (_, i) => i % 7), [0, 6], 2.5],
    ] as [number[], [number, number], number][]) {
      const r = privateMean({ values, bounds, epsilon, mechanism: 'laplace' });
      const delta = (bounds[1] - bounds[0]) / values.length;
      expect(r.sensitivity).toBe(delta);
      expect(Number.isInteger(Math.log2(r.granularity))).toBe(true);
      expect(r.granularity).toBeLessThanOrEqual(delta / 2 ** 20);
      expect(r.granularity).toBeGreaterThan(delta / 2 ** 21);
      expect(r.scale).toBe(((Math.ceil(delta / r.granularity) + 1) * r.granularity) / epsilon);
      expect(r.scale).toBeGreaterThanOrEqual(delta / epsilon);
      expect(r.scale / (delta / epsilon) - 1).toBeLessThan(2 ** -19);
      expect(r).toMatchObject({ epsilon, delta: 0, mechanism: 'laplace', n: values.length });
      expect(Number.isInteger(r.value / r.granularity)).toBe(true);
    }
  });

  it('Gaussian: σ = analytic σ for the grid sensitivity ⌈Δ/γ⌉ + 1, within 2^-9 of the analytic σ for Δ', () => {
    for (const [epsilon, delta] of [
      [1, 1e-5],
      [0.1, 1e-8],
      [5, 1e-3],
    ]) {
      const r = privateMean({ values: [4, 6, 2], bounds: [0, 12], epsilon: epsilon!, delta, mechanism: 'gaussian' });
      const sens = 4;
      const gridSens = Math.ceil(sens / r.granularity) + 1;
      const base = analyticGaussianSigma({ epsilon: epsilon!, delta: delta!, sensitivity: gridSens }) * r.granularity;
      // the discrete-δ check may widen σ by a few steps of 2^-16
      const steps = Math.log(r.scale / base) / Math.log1p(2 ** -16);
      expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
      expect(Math.round(steps)).toBeGreaterThanOrEqual(0);
      expect(Math.round(steps)).toBeLessThanOrEqual(5);
      const exact = analyticGaussianSigma({ epsilon: epsilon!, delta: delta!, sensitivity: sens });
      expect(r.scale).toBeGreaterThanOrEqual(exact);
      expect(r.scale / exact - 1).toBeLessThan(2 ** -9 + 1e-4);
      // the discrete mechanism actually used meets δ
      expect(discreteGaussianDelta(r.scale / r.granularity, epsilon!, gridSens)).toBeLessThanOrEqual(delta!);
      expect(r).toMatchObject({ epsilon, delta, mechanism: 'gaussian', sensitivity: sens, n: 3 });
    }
  });
});

describe('privateMean: the empirical distribution has the right spread', () => {
  const N = 3000;
  const ALPHA = 1e-6; // a correct implementation fails about once in a million runs

  function draws(make: () => PrivateRelease, centre: number): { noise: number[]; r: PrivateRelease } {
    const noise: number[] = [];
    let r!: PrivateRelease;
    for (let i = 0; i < N; i++) {
      r = make();
      noise.push(r.value - centre);
    }
    return { noise, r };
  }

  it('Laplace noise follows Laplace(0, b): KS test and variance 2b²', () => {
    const { noise, r } = draws(() => privateMean({ values: [0.25, 0.75], bounds: [0, 1], epsilon: 0.5, mechanism: 'laplace' }), 0.5);
    expect(ksDistance(noise, laplaceCdf(r.scale))).toBeLessThan(ksCritical(N, ALPHA));
    const v = noise.reduce((a, x) => a + x * x, 0) / N;
    // Var(x²) = E x⁴ − (E x²)² = 24b⁴ − 4b⁴ for Laplace; 5 standard errors
    expect(Math.abs(v - 2 * r.scale ** 2)).toBeLessThan(5 * Math.sqrt((20 * r.scale ** 4) / N));
  });

  it('Gaussian noise follows N(0, σ²): KS test and variance σ²', () => {
    const { noise, r } = draws(
      () => privateEffectEstimate({ effects: [-1, -2, 0.5, 1], bounds: [-3, 3], epsilon: 1, delta: 1e-5, mechanism: 'gaussian' }),
      -0.375,
    );
    const g = normal(0, r.scale);
    expect(ksDistance(noise, (x) => cdf(g, x))).toBeLessThan(ksCritical(N, ALPHA));
    const v = noise.reduce((a, x) => a + x * x, 0) / N;
    expect(Math.abs(v - r.scale ** 2)).toBeLessThan(5 * Math.sqrt((2 * r.scale ** 4) / N));
    expect(Math.abs(noise.reduce((a, x) => a + x, 0) / N)).toBeLessThan(quantile(normal(0, r.scale / Math.sqrt(N)), 1 - ALPHA / 2));
  });
});

describe('privateMean / privateEffectEstimate: mechanics', () => {
  it('clamps to the bounds: outliers cannot move the release beyond Δ', () => {
    // with ε huge, noise is far below the grid-rounding bias: the released value is the clamped mean
    const r = privateMean({ values: [1e9, -1e9, 5], bounds: [0, 10], epsilon: 1e6, mechanism: 'laplace' });
    expect(Math.abs(r.value - 5)).toBeLessThan(1e-3);
    const one = privateEffectEstimate({ effects: -42, bounds: [-5, 5], epsilon: 1e6, mechanism: 'laplace' });
    expect(one.n).toBe(1);
    expect(one.sensitivity).toBe(10);
    expect(Math.abs(one.value + 5)).toBeLessThan(1e-3);
  });

  it('draws noise from crypto.getRandomValues, never Math.random', () => {
    const rnd = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random must not be used');
    });
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    privateMean({ values: [1], bounds: [0, 2], epsilon: 1, mechanism: 'laplace' });
    privateMean({ values: [1], bounds: [0, 2], epsilon: 1, delta: 1e-6, mechanism: 'gaussian' });
    expect(spy).toHaveBeenCalled();
    expect(rnd).not.toHaveBeenCalled();
  });

  it('charges the accountant, and refuses past the budget without releasing or spending', () => {
    const acc = createPrivacyAccountant({ epsilon: 1, delta: 1e-5 });
    privateMean({ values: [1], bounds: [0, 2], epsilon: 0.5, mechanism: 'laplace', accountant: acc });
    privateEffectEstimate({ effects: [1], bounds: [0, 2], epsilon: 0.4, delta: 5e-6, mechanism: 'gaussian', accountant: acc });
    expect(acc.spent().epsilon).toBeCloseTo(0.9, 14);
    expect(acc.spent().delta).toBe(5e-6);
    let err: unknown;
    try {
      privateMean({ values: [1], bounds: [0, 2], epsilon: 0.2, mechanism: 'laplace', accountant: acc });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'E_PRIVACY_BUDGET', name: 'PrivacyBudgetError' });
    expect(acc.releases).toBe(2);
    // invalid requests spend nothing either
    expect(() => privateMean({ values: [1], bounds: [2, 0], epsilon: 0.05, mechanism: 'laplace', accountant: acc })).toThrow();
    expect(acc.releases).toBe(2);
    privateMean({ values: [1], bounds: [0, 2], epsilon: 0.1, mechanism: 'laplace', accountant: acc });
    expect(acc.remaining().epsilon).toBeLessThan(1e-12);
  });

  it('bad input throws ValidationError (E_INVALID_ARGUMENT), never NaN', () => {
    const ok = { values: [1, 2], bounds: [0, 3] as [number, number], epsilon: 1, mechanism: 'laplace' as const };
    const bad: unknown[] = [
      { ...ok, epsilon: 0 },
      { ...ok, epsilon: -1 },
      { ...ok, epsilon: Number.NaN },
      { ...ok, bounds: [3, 0] },
      { ...ok, bounds: [1, 1] },
      { ...ok, bounds: [0] },
      { ...ok, values: [] },
      { ...ok, values: [1, Number.NaN] },
      { ...ok, delta: 1e-5 },
      { ...ok, mechanism: 'gaussian' },
      { ...ok, mechanism: 'gaussian', delta: 1 },
      { ...ok, mechanism: 'exponential' },
      { ...ok, bounds: [1e15, 1e15 + 1] },
    ];
    for (const o of bad) {
      expect(() => privateMean(o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    }
    expect(() => privateEffectEstimate({ ...ok, effects: Number.NaN } as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    // a grid step that would underflow, a noise scale that would overflow: refused, nothing spent
    const acc = createPrivacyAccountant({ epsilon: 10, delta: 1e-3 });
    for (const [o, field] of [
      [{ ...ok, bounds: [0, 1e-310], accountant: acc }, 'bounds'],
      [{ ...ok, bounds: [0, 1e-310], mechanism: 'gaussian', delta: 1e-6, accountant: acc }, 'bounds'],
      [{ ...ok, bounds: [0, 1e300], epsilon: 1e-9, accountant: acc }, 'epsilon'],
    ] as const) {
      expect(() => privateMean(o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field }));
    }
    expect(acc.releases).toBe(0);
    // huge but representable bounds give a finite release (the Gaussian σ used to overflow to ∞)
    for (const mechanism of ['laplace', 'gaussian'] as const) {
      const r = privateMean({ values: [5e299], bounds: [0, 1e300], epsilon: 1, mechanism, ...(mechanism === 'gaussian' ? { delta: 1e-6 } : {}) });
      for (const x of [r.value, r.scale, r.granularity]) expect(Number.isFinite(x), `${mechanism}: ${JSON.stringify(r)}`).toBe(true);
      expect(r.scale).toBeGreaterThanOrEqual(mechanism === 'laplace' ? 1e300 : analyticGaussianSigma({ epsilon: 1, delta: 1e-6, sensitivity: 1e300 }));
    }
    for (const o of [{ epsilon: 0, delta: 1e-5, sensitivity: 1 }, { epsilon: 1, delta: 0, sensitivity: 1 }, { epsilon: 1, delta: 1e-5, sensitivity: -1 }]) {
      expect(() => analyticGaussianSigma(o)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    }
  });
});
