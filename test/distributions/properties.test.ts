import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Dist,
  beta,
  cdf,
  gamma,
  halfNormal,
  invGamma,
  mean,
  mixture,
  normal,
  pdf,
  quantile,
  sampleMany,
  studentT,
  uniform,
  variance,
} from '../../src/distributions/index.js';
import { createRng } from '../../src/rng/index.js';

const SEED = 20261128; // fast-check prints the seed and path of any failure
const pos = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const arbSimple: fc.Arbitrary<Dist> = fc.oneof(
  fc.tuple(pos(-100, 100), pos(0.01, 50)).map(([m, s]) => normal(m, s)),
  fc.tuple(pos(0.5, 100), pos(-10, 10), pos(0.1, 10)).map(([df, l, s]) => studentT(df, l, s)),
  fc.tuple(pos(0.1, 1e4), pos(0.1, 1e4)).map(([a, b]) => beta(a, b)),
  fc.tuple(pos(0.1, 1e5), pos(0.01, 100)).map(([a, r]) => gamma(a, r)),
  fc.tuple(pos(0.5, 1e4), pos(0.01, 100)).map(([a, s]) => invGamma(a, s)),
  pos(0.01, 100).map((s) => halfNormal(s)),
  fc.tuple(pos(-50, 50), pos(0.01, 100)).map(([a, w]) => uniform(a, a + w)),
);
const arbDist: fc.Arbitrary<Dist> = fc.oneof(
  arbSimple,
  fc
    .array(fc.tuple(pos(0.05, 1), fc.tuple(pos(-20, 20), pos(0.1, 10)).map(([m, s]) => normal(m, s))), { minLength: 2, maxLength: 5 })
    .map((cs) => {
      const t = cs.reduce((s, c) => s + c[0], 0);
      return mixture(cs.map(([w, d]) => [w / t, d] as const));
    }),
);

describe('distribution properties', () => {
  it('cdf is monotone and within [0, 1]', () => {
    fc.assert(
      fc.property(arbDist, fc.array(pos(0.001, 0.999), { minLength: 2, maxLength: 6 }), (d, ps) => {
        const xs = ps.map((p) => quantile(d, p)).sort((a, b) => a - b);
        let prev = 0;
        for (const x of xs) {
          const c = cdf(d, x);
          expect(c).toBeGreaterThanOrEqual(0);
          expect(c).toBeLessThanOrEqual(1);
          expect(c).toBeGreaterThanOrEqual(prev - 1e-12);
          prev = c;
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('cdf(quantile(p)) ≈ p and quantile(cdf(x)) ≈ x', () => {
    fc.assert(
      fc.property(arbDist, pos(1e-6, 1 - 1e-6), (d, p) => {
        const x = quantile(d, p);
        // Tolerance: 1e-9, plus what moving x by a few ulps changes the cdf by (near a pole of
        // the density, e.g. Beta(0.1, 0.1) close to 1, one ulp of x is worth 1e-8 of probability).
        const ulpWorth = 8 * pdf(d, x) * Math.max(Math.abs(x), 1e-300) * Number.EPSILON;
        expect(Math.abs(cdf(d, x) - p)).toBeLessThanOrEqual(1e-9 + ulpWorth);
        // Back again where the density is not vanishing (x well defined by its cdf).
        const c = cdf(d, x);
        if (c > 1e-6 && c < 1 - 1e-6) {
          const x2 = quantile(d, c);
          expect(Math.abs(x2 - x)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(x)));
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('sample mean and variance of 1e5 draws lie within 5 standard errors of mean/variance', () => {
    fc.assert(
      fc.property(
        arbDist.filter((d) => !(d.family === 'studentT' && d.df <= 8) && !(d.family === 'invGamma' && d.shape <= 8)),
        fc.integer(),
        (d, s) => {
          const n = 100_000;
          const xs = sampleMany(d, createRng(s), n);
          let m = 0;
          for (const x of xs) m += x;
          m /= n;
          let m2 = 0;
          let m4 = 0;
          for (const x of xs) {
            const e = (x - m) ** 2;
            m2 += e;
            m4 += e * e;
          }
          m2 /= n - 1;
          m4 /= n;
          const mu = mean(d);
          const v = variance(d);
          expect(Math.abs(m - mu)).toBeLessThanOrEqual(5 * Math.sqrt(v / n) + 1e-12 * Math.abs(mu));
          // se of the sample variance ≈ sqrt((μ4 − σ⁴)/n), μ4 estimated from the draws.
          expect(Math.abs(m2 - v)).toBeLessThanOrEqual(5 * Math.sqrt(Math.max(m4 - m2 * m2, 0) / n) + 1e-9 * v);
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('mixture weights are normalised', () => {
    fc.assert(
      fc.property(fc.array(pos(0.01, 1), { minLength: 1, maxLength: 6 }), (ws) => {
        const t = ws.reduce((a, b) => a + b, 0);
        const m = mixture(ws.map((w, i) => ({ weight: w / t, dist: normal(i, 1) })));
        const total = m.components.reduce((s, c) => s + c.weight, 0);
        expect(Math.abs(total - 1)).toBeLessThan(1e-15);
      }),
      { seed: SEED },
    );
  });

  it('beta cdf symmetry I_0.5(s, s) = 0.5 up to s = 1e7', () => {
    for (const s of [1e-3, 0.5, 1, 10, 1e3, 1e5, 1e6, 1e7]) {
      expect(Math.abs(cdf(beta(s, s), 0.5) - 0.5)).toBeLessThan(1e-9);
      expect(Math.abs(quantile(beta(s, s), 0.5) - 0.5)).toBeLessThan(1e-9);
    }
  });

  it('gamma cdf at the median is 0.5 for huge shapes (stdlib gives 0.491 at shape 2000)', () => {
    for (const a of [150, 2000, 1e4, 1e6, 1e8]) {
      const g = gamma(a, 3);
      expect(Math.abs(cdf(g, quantile(g, 0.5)) - 0.5)).toBeLessThan(1e-12);
      // The median of Gamma(a) is a − 1/3 + 8/(405a) + O(a⁻²) (Choi 1994).
      expect(quantile(gamma(a, 1), 0.5)).toBeCloseTo(a - 1 / 3 + 8 / (405 * a), 6);
    }
  });
});
