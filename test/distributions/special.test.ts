import { describe, expect, it } from 'vitest';
import { gammaP, gammaQ, log1pmx, logSumExp, normalQuantileStd, solveMonotone } from '../../src/distributions/index.js';

describe('solveMonotone', () => {
  it('finds √2 to an ulp, in a handful of Newton steps', () => {
    let calls = 0;
    const x = solveMonotone(
      (v) => {
        calls++;
        return v * v - 2;
      },
      0,
      2,
      1,
      (v) => 2 * v,
    );
    expect(Math.abs(x - Math.SQRT2)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.SQRT2);
    expect(calls).toBeLessThan(12); // quadratic convergence; bisection alone needs ~52
  });
  it('never leaves the bracket, also for a kinked function and a bad derivative', () => {
    const f = (v: number) => (v < 1 ? v - 1 : 1e6 * (v - 1));
    const x = solveMonotone(f, -5, 5, 4.9, () => 1e-9);
    expect(Math.abs(x - 1)).toBeLessThan(1e-12);
    expect(solveMonotone((v) => v - 3, 0, 10)).toBeCloseTo(3, 12); // bisection only
  });
});

describe('kernels', () => {
  it('logSumExp does not overflow and handles -Infinity', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([Number.NEGATIVE_INFINITY, 0])).toBe(0);
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
  });
  it('log1pmx agrees with log1p(t) − t where that is accurate, and with its series where not', () => {
    expect(log1pmx(0.5)).toBeCloseTo(Math.log1p(0.5) - 0.5, 15);
    // Series −t²/2 + t³/3 − t⁴/4 at t = 1e-4.
    const t = 1e-4;
    expect(log1pmx(t)).toBeCloseTo(-(t * t) / 2 + (t * t * t) / 3 - t ** 4 / 4, 20);
  });
  it('normalQuantileStd: Φ⁻¹(0.975) and the far tail (SciPy norm.ppf)', () => {
    expect(normalQuantileStd(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(Math.abs(normalQuantileStd(1e-12) / -7.034483825301131 - 1)).toBeLessThan(1e-14); // scipy.stats.norm.ppf(1e-12)
    expect(Math.abs(normalQuantileStd(1e-300) / -37.0470962993612 - 1)).toBeLessThan(1e-13); // scipy.stats.norm.ppf(1e-300)
  });
  it('gammaP + gammaQ = 1 across the kernel switch at shape 100', () => {
    for (const a of [99.5, 100, 100.5, 5000]) {
      for (const x of [0.8 * a, a, 1.2 * a]) expect(gammaP(a, x) + gammaQ(a, x)).toBeCloseTo(1, 14);
    }
  });
});
