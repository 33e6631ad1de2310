import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gamma, quantile } from '../../src/distributions/index.js';
import { bernoulliExp, cryptoBits, discreteGaussian, discreteLaplace, exactRational } from '../../src/privacy/noise.js';

// The samplers draw from crypto.getRandomValues, which cannot be seeded: these tests are
// statistical, with thresholds at level 1e-6 (a correct sampler fails about once in a million runs).
const ALPHA = 1e-6;
const chiSquareCritical = (df: number) => quantile(gamma(df / 2, 0.5), 1 - ALPHA);
const binomialBand = (n: number, p: number) => 5.3 * Math.sqrt(n * p * (1 - p)); // two-sided ~1e-7

/** Pearson χ² of integer draws against pmf(k) on [-K, K], with both tails pooled into one bin. */
function chiSquare(draws: bigint[], pmf: (k: number) => number, K: number): { stat: number; df: number } {
  const counts = new Map<number, number>();
  for (const d of draws) {
    const k = Math.abs(Number(d)) > K ? Number.POSITIVE_INFINITY : Number(d);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let stat = 0;
  let inside = 0;
  for (let k = -K; k <= K; k++) {
    const e = pmf(k) * draws.length;
    inside += pmf(k);
    stat += ((counts.get(k) ?? 0) - e) ** 2 / e;
  }
  const eTail = (1 - inside) * draws.length;
  stat += ((counts.get(Number.POSITIVE_INFINITY) ?? 0) - eTail) ** 2 / eTail;
  return { stat, df: 2 * K + 1 };
}

describe('exactRational', () => {
  it('gives num/den equal to the double, den a power of two (property, seed 8201)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-280), (x) => {
        const { num, den } = exactRational(x);
        expect(den & (den - 1n)).toBe(0n);
        expect(Number(num) / Number(den) === x).toBe(true); // === also equates -0 and 0
      }),
      { seed: 8201, numRuns: 500 },
    );
  });
});

describe('cryptoBits.below', () => {
  it('is uniform on [0, n) for n = 6 (χ²) and stays below huge n', () => {
    const bits = cryptoBits('test');
    const N = 30_000;
    const counts = new Array(6).fill(0);
    for (let i = 0; i < N; i++) counts[Number(bits.below(6n))]++;
    const stat = counts.reduce((a, c) => a + (c - N / 6) ** 2 / (N / 6), 0);
    expect(stat).toBeLessThan(chiSquareCritical(5));
    const big = (1n << 200n) + 12345n;
    for (let i = 0; i < 200; i++) {
      const v = bits.below(big);
      expect(v >= 0n && v < big).toBe(true);
    }
  });
});

describe('bernoulliExp (CKS 2020, Algorithm 1)', () => {
  it('has success probability exp(−γ) for γ = 0, 0.3, 1, 2.75', () => {
    const bits = cryptoBits('test');
    const N = 20_000;
    for (const [num, den] of [
      [0n, 1n],
      [3n, 10n],
      [1n, 1n],
      [11n, 4n],
    ] as const) {
      const p = Math.exp(-Number(num) / Number(den));
      let hits = 0;
      for (let i = 0; i < N; i++) if (bernoulliExp(bits, num, den)) hits++;
      if (num === 0n) expect(hits).toBe(N);
      else expect(Math.abs(hits - N * p)).toBeLessThan(binomialBand(N, p));
    }
  });
});

describe('discreteLaplace (CKS 2020, Algorithm 2)', () => {
  it('has pmf (1 − e^{−1/b}) / (1 + e^{−1/b}) · e^{−|k|/b} for scale b = t/s = 7/3', () => {
    const bits = cryptoBits('test');
    const b = 7 / 3;
    const q = Math.exp(-1 / b);
    const pmf = (k: number) => ((1 - q) / (1 + q)) * q ** Math.abs(k);
    const draws = Array.from({ length: 20_000 }, () => discreteLaplace(bits, 7n, 3n));
    const { stat, df } = chiSquare(draws, pmf, 8);
    expect(stat).toBeLessThan(chiSquareCritical(df));
  });
});

describe('discreteGaussian (CKS 2020, Algorithm 3)', () => {
  it('has pmf ∝ exp(−k²/2σ²) for σ² = 2.25', () => {
    const bits = cryptoBits('test');
    const s2 = 2.25;
    let z = 0;
    for (let k = -60; k <= 60; k++) z += Math.exp((-k * k) / (2 * s2));
    const pmf = (k: number) => Math.exp((-k * k) / (2 * s2)) / z;
    const draws = Array.from({ length: 20_000 }, () => discreteGaussian(bits, { num: 9n, den: 4n }));
    const { stat, df } = chiSquare(draws, pmf, 5);
    expect(stat).toBeLessThan(chiSquareCritical(df));
  });
});
