import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thompsonSampling } from '../../src/adaptive/index.js';
import { BetaBestCache, betaBestProbabilities, normalBestProbabilities } from '../../src/adaptive/pbest.js';
import { createRng } from '../../src/rng/index.js';
import fixture from '../fixtures/adaptive-pbest-bandit.json';

const SEED = 20261202;
/** The rule's error (≤ 2e-13 on these cases) plus the SciPy reference's own (epsrel 1e-12). */
const TOL = 1e-12;

const isDistribution = (p: ArrayLike<number>, k: number): void => {
  let t = 0;
  for (let j = 0; j < k; j++) {
    expect(p[j]!).toBeGreaterThanOrEqual(0);
    expect(p[j]!).toBeLessThanOrEqual(1);
    t += p[j]!;
  }
  expect(Math.abs(t - 1)).toBeLessThan(1e-14);
};

describe('exact P(best) at bandit scale (SciPy fixture: scripts/fixtures/adaptive_pbest_bandit.py)', () => {
  it('Beta posteriors of a running bandit (a + b up to 10⁵), peaked pairs, ties, fractional shapes', () => {
    for (const [name, c] of Object.entries(fixture.beta)) {
      const k = c.params.length;
      const a = c.params.map((q) => q[0]!);
      const b = c.params.map((q) => q[1]!);
      const p = betaBestProbabilities(a, b, k, new Float64Array(k));
      isDistribution(p, k);
      c.pBest.forEach((want, i) => {
        expect(Math.abs(p[i]! - want), `${name}[${i}]`).toBeLessThan(TOL);
      });
    }
  });

  it('ten normal scores of similar scale (linear Thompson), ties, mixed scales, a far loser', () => {
    for (const [name, c] of Object.entries(fixture.normal)) {
      const k = c.params.length;
      const m = c.params.map((q) => q[0]!);
      const s = c.params.map((q) => q[1]!);
      const p = normalBestProbabilities(m, s, k, new Float64Array(k));
      isDistribution(p, k);
      c.pBest.forEach((want, i) => {
        expect(Math.abs(p[i]! - want), `${name}[${i}]`).toBeLessThan(TOL);
      });
    }
  });

  it('small probabilities keep their relative accuracy (the IPS weight 1/p of a rarely drawn arm)', () => {
    const c = fixture.beta.run100000;
    const k = c.params.length;
    const p = betaBestProbabilities(
      c.params.map((q) => q[0]!),
      c.params.map((q) => q[1]!),
      k,
      new Float64Array(k),
    );
    c.pBest.forEach((want, i) => {
      expect(want).toBeGreaterThan(1e-5);
      expect(Math.abs(p[i]! / want - 1), `arm ${i}`).toBeLessThan(1e-8);
    });
  });
});

describe('the kept Beta grid (BetaBestCache)', () => {
  it('gives bit for bit what a fresh computation gives, along a bandit run and after arms change', () => {
    const arms = Array.from({ length: 10 }, (_, i) => `arm${i}`);
    const ts = thompsonSampling({ arms, seed: 'cache-run' });
    const rewards = createRng('cache-rewards');
    const cache = new BetaBestCache();
    const kept = new Float64Array(10);
    const fresh = new Float64Array(10);
    for (let t = 0; t < 3000; t++) {
      const s = ts.select();
      ts.update(s.arm, rewards.uniform() < 0.3 + 0.04 * Number(s.arm.slice(3)) ? 1 : 0);
      const st = ts.toJSON().stats as { a: number[]; b: number[] };
      cache.compute(st.a, st.b, 10, kept);
      if (t % 7 === 0) {
        betaBestProbabilities(st.a, st.b, 10, fresh);
        expect(Array.from(kept)).toEqual(Array.from(fresh));
        isDistribution(kept, 10);
      }
    }
    // most decisions reuse the grid: only the updated arm's part is redone
    expect(cache.hits).toBeGreaterThan(0.9 * (cache.hits + cache.rebuilds));
    // fewer arms, then different shapes: still the fresh numbers
    cache.compute([3, 5, 9], [4, 4, 2], 3, kept);
    expect(Array.from(kept.subarray(0, 3))).toEqual(Array.from(betaBestProbabilities([3, 5, 9], [4, 4, 2], 3, fresh).subarray(0, 3)));
  });

  it('property: random single-arm updates, any order of calls — same numbers as fresh; a distribution; ties equal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 1, max: 5000, noNaN: true }), fc.double({ min: 1, max: 5000, noNaN: true })), { minLength: 2, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 40 }),
        (start, steps) => {
          const k = start.length;
          const a = start.map((q) => q[0]);
          const b = start.map((q) => q[1]);
          const cache = new BetaBestCache();
          const kept = new Float64Array(k);
          const fresh = new Float64Array(k);
          for (const [arm, r] of steps) {
            const j = arm % k;
            a[j]! += r;
            b[j]! += 1 - r;
            cache.compute(a, b, k, kept);
            betaBestProbabilities(a, b, k, fresh);
            expect(Array.from(kept)).toEqual(Array.from(fresh));
            isDistribution(kept, k);
          }
          // a copy of arm 0 appended: the two share equally (up to rounding)
          const a2 = [...a, a[0]!];
          const b2 = [...b, b[0]!];
          const q = betaBestProbabilities(a2, b2, k + 1, new Float64Array(k + 1));
          expect(Math.abs(q[0]! - q[k]!)).toBeLessThan(1e-13);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('property: relabelling the arms permutes the probabilities', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 })), { minLength: 3, maxLength: 10 }),
        fc.nat(),
        (params, shift) => {
          const k = params.length;
          const r = (shift % (k - 1)) + 1; // a non-trivial rotation
          const p = betaBestProbabilities(
            params.map((q) => q[0]),
            params.map((q) => q[1]),
            k,
            new Float64Array(k),
          );
          const rot = params.map((_, i) => params[(i + r) % k]!);
          const q = betaBestProbabilities(
            rot.map((x) => x[0]),
            rot.map((x) => x[1]),
            k,
            new Float64Array(k),
          );
          for (let i = 0; i < k; i++) expect(Math.abs(q[i]! - p[(i + r) % k]!)).toBeLessThan(1e-12);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('normal scores', () => {
  it('property: a distribution; arms that cannot win (pruned) leave the two-arm closed form exact', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (m1, s1, m2, s2, losers) => {
          // losers far below both (≥ 12 combined sds): P(best) < 1e-30 each
          const m = [m1, m2, ...losers.map((s) => Math.min(m1, m2) - 12 * (s + Math.max(s1, s2)))];
          const s = [s1, s2, ...losers];
          const k = m.length;
          const p = normalBestProbabilities(m, s, k, new Float64Array(k));
          isDistribution(p, k);
          const want = normalCdf((m1 - m2) / Math.hypot(s1, s2), 0, 1);
          expect(Math.abs(p[0]! - want)).toBeLessThan(1e-12);
          for (let j = 2; j < k; j++) expect(p[j]!).toBeLessThan(1e-15);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});
