import betaln from '@stdlib/math-base-special-betaln';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearThompson, restorePolicy, thompsonSampling, topTwoThompson } from '../../src/adaptive/index.js';
import { betaBestProbabilities, normalBestProbabilities, studentTBestProbabilities } from '../../src/adaptive/pbest.js';
import { createRng } from '../../src/rng/index.js';
import nigFixture from '../fixtures/adaptive.json';
import fixture from '../fixtures/adaptive-pbest.json';

const SEED = 20261201;
/** Binomial band: |p̂ − p| ≤ 4.5·sqrt(p(1 − p)/n) (+1e-9): fails by chance < 1e-5 per check. */
const band = (p: number, n: number) => 4.5 * Math.sqrt((p * (1 - p)) / n) + 1e-9;
/** Quadrature tolerance: the rule's ~1e-12 plus the SciPy reference's own error (epsrel 1e-13). */
const TOL = 1e-11;

/** P(B > A) for A ~ Beta(aA, bA), B ~ Beta(aB, bB), aB a positive integer (Miller 2015; Cook 2005). */
function pBgreaterA(aA: number, bA: number, aB: number, bB: number): number {
  let t = 0;
  for (let i = 0; i < aB; i++) t += Math.exp(betaln(aA + i, bA + bB) - Math.log(bB + i) - betaln(1 + i, bB) - betaln(aA, bA));
  return t;
}

describe('exact P(best) by numerical integration', () => {
  it('two Beta arms equal the closed form for an integer shape', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 400, noNaN: true }),
        fc.double({ min: 1, max: 400, noNaN: true }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 1, max: 400, noNaN: true }),
        (aA, bA, aB, bB) => {
          const p = betaBestProbabilities([aA, aB], [bA, bB], 2, new Float64Array(2));
          const want = pBgreaterA(aA, bA, aB, bB);
          expect(Math.abs(p[1]! - want)).toBeLessThan(1e-10);
          expect(Math.abs(p[0]! - (1 - want))).toBeLessThan(1e-10);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('Beta arms match SciPy quadrature (fractional, skewed, concentrated, ten arms)', () => {
    for (const [name, c] of Object.entries(fixture.beta)) {
      const k = c.params.length;
      const p = betaBestProbabilities(
        c.params.map((q) => q[0]!),
        c.params.map((q) => q[1]!),
        k,
        new Float64Array(k),
      );
      c.pBest.forEach((want, i) => {
        expect(Math.abs(p[i]! - want), `${name}[${i}]`).toBeLessThan(TOL);
      });
    }
  });

  it('normal scores: two arms are Φ((m₁ − m₂)/√(s₁² + s₂²)); more arms match SciPy', () => {
    const p2 = normalBestProbabilities([0.3, -0.1], [0.5, 1.2], 2, new Float64Array(2));
    expect(p2[0]).toBeCloseTo(normalCdf(0.4 / Math.hypot(0.5, 1.2), 0, 1), 15);
    for (const [name, c] of Object.entries(fixture.normal)) {
      const k = c.params.length;
      const p = normalBestProbabilities(
        c.params.map((q) => q[0]!),
        c.params.map((q) => q[1]!),
        k,
        new Float64Array(k),
      );
      c.pBest.forEach((want, i) => {
        expect(Math.abs(p[i]! - want), `${name}[${i}]`).toBeLessThan(TOL);
      });
    }
  });

  it('normal scores with point masses (sd 0): the point mass wins exactly when every continuous arm is below it', () => {
    // P(point mass at 0 beats N(−1, 1) and N(0.5, 2)) = Φ(1)·Φ(−0.25); ties of point masses split.
    const p = normalBestProbabilities([0, -1, 0.5, 0], [0, 1, 2, 0], 4, new Float64Array(4));
    const atMass = normalCdf(1, 0, 1) * normalCdf(-0.25, 0, 1);
    expect(p[0]).toBeCloseTo(atMass / 2, 11);
    expect(p[3]).toBeCloseTo(atMass / 2, 11);
    expect(p[0]! + p[1]! + p[2]! + p[3]!).toBeCloseTo(1, 14);
    expect(p[2]!).toBeGreaterThan(p[1]!);
  });

  it('Student-t marginals match SciPy quadrature (heavy tails, df 2)', () => {
    for (const [name, c] of Object.entries(fixture.studentT)) {
      const k = c.params.length;
      const p = studentTBestProbabilities(
        c.params.map((q) => q[0]!),
        c.params.map((q) => q[1]!),
        c.params.map((q) => q[2]!),
        k,
        new Float64Array(k),
      );
      c.pBest.forEach((want, i) => {
        expect(Math.abs(p[i]! - want), `${name}[${i}]`).toBeLessThan(TOL);
      });
    }
  });
});

describe('Thompson sampling at default options', () => {
  const { params, pBest } = fixture.beta.four;
  const arms = ['a', 'b', 'c', 'd'];
  const priors = Object.fromEntries(arms.map((a, i) => [a, { alpha: params[i]![0]!, beta: params[i]![1]! }]));

  it('reports the exact P(best) (SciPy) with method "exact" and no draws', () => {
    const ts = thompsonSampling({ arms, priors, seed: 1 });
    const s = ts.select();
    expect(s.method).toBe('exact');
    expect(s.draws).toBeUndefined();
    arms.forEach((arm, i) => {
      expect(Math.abs(s.probabilities[arm]! - pBest[i]!)).toBeLessThan(TOL);
      expect(s.scores![arm]).toBe(params[i]![0]! / (params[i]![0]! + params[i]![1]!));
    });
  });

  it('selection frequencies at a fixed state equal the reported propensities (classical draw and floored path)', () => {
    for (const controls of [{}, { minProbability: 0.1 }, { power: 0.5 }]) {
      // the floored and powered paths integrate at every decision: fewer of them
      const n = 'minProbability' in controls || 'power' in controls ? 4000 : 20_000;
      const ts = thompsonSampling({ arms, priors, seed: `freq-${JSON.stringify(controls)}`, ...controls });
      const first = ts.select();
      const counts: Record<string, number> = {};
      for (let t = 0; t < n; t++) {
        const s = ts.select();
        counts[s.arm] = (counts[s.arm] ?? 0) + 1;
      }
      for (const arm of arms) {
        const p = first.probabilities[arm]!;
        expect(Math.abs((counts[arm] ?? 0) / n - p), `${JSON.stringify(controls)} ${arm}`).toBeLessThan(band(p, n));
      }
      if ('minProbability' in controls) for (const arm of arms) expect(first.probabilities[arm]!).toBeGreaterThanOrEqual(0.1 - 1e-12);
    }
  });

  it('reading the probabilities (or not) leaves the stream, the arms and restore bit for bit unchanged', () => {
    const rewards = createRng('rewards');
    const reader = thompsonSampling({ arms, seed: 'lazy' });
    const silent = thompsonSampling({ arms, seed: 'lazy' });
    const logged: number[] = [];
    for (let t = 0; t < 200; t++) {
      const a = reader.select();
      const b = silent.select();
      expect(b.arm).toBe(a.arm);
      logged.push(a.probabilities[a.arm]!);
      const r = rewards.uniform() < 0.5 ? 1 : 0;
      reader.update(a.arm, r);
      silent.update(b.arm, r);
      if (t === 100) {
        const restored = restorePolicy(JSON.parse(JSON.stringify(silent.toJSON())));
        const x = restored.select();
        const y = silent.select();
        expect(x.arm).toBe(y.arm);
        expect(x.probabilities).toEqual(y.probabilities);
        reader.select(); // keep the reader in step
      }
    }
    expect(JSON.stringify(reader.toJSON())).toBe(JSON.stringify(silent.toJSON()));
    expect(logged.every((p) => p > 0 && p <= 1)).toBe(true);
  });

  it('a selection keeps the probabilities of its own decision, even after later updates and arm changes', () => {
    const ts = thompsonSampling({ arms, priors, seed: 3 });
    const s = ts.select();
    ts.update('a', 1);
    ts.addArm('e');
    ts.retireArm('b');
    arms.forEach((arm, i) => {
      expect(Math.abs(s.probabilities[arm]! - pBest[i]!)).toBeLessThan(TOL);
    });
    expect(Object.keys(s.probabilities)).toEqual(arms);
    const t = ts.select();
    expect(Object.keys(t.probabilities)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(t.probabilities.b).toBe(0);
  });

  it('Beta shapes below 1 fall back to 1000 Monte Carlo draws (and say so)', () => {
    const ts = thompsonSampling({ arms: ['a', 'b'], priors: { alpha: 0.5, beta: 0.5 }, seed: 4 });
    const s = ts.select();
    expect(s.method).toBe('monte-carlo');
    expect(s.draws).toBe(1000);
    ts.update('a', 1); // a: Beta(1.5, 0.5), still below 1
    ts.update('a', 0);
    ts.update('b', 0);
    ts.update('b', 1);
    expect(ts.select().method).toBe('exact');
  });

  it('top-two Thompson uses the exact P(best) in ψ', () => {
    const beta = 0.3;
    const psi = pBest.map((ai, i) => beta * ai + (1 - beta) * ai * pBest.reduce((t, aj, j) => (j === i ? t : t + aj / (1 - aj)), 0));
    const s = topTwoThompson({ arms, priors, leaderProbability: beta, seed: 5 }).select();
    expect(s.method).toBe('exact');
    arms.forEach((arm, i) => {
      expect(Math.abs(s.probabilities[arm]! - psi[i]!)).toBeLessThan(1e-10);
    });
  });

  it('normal likelihood: exact Student-t P(best) (SciPy), matched by the selection frequencies', () => {
    const { prior, data, pBest: want } = nigFixture.nig;
    const names = Object.keys(data) as (keyof typeof data)[];
    const nig = thompsonSampling({ arms: names, likelihood: 'normal', priors: prior, seed: 6 });
    for (const arm of names) for (const y of data[arm]) nig.update(arm, y);
    const first = nig.select();
    expect(first.method).toBe('exact');
    for (const arm of names) expect(Math.abs(first.probabilities[arm]! - want[arm]!)).toBeLessThan(TOL);
    const n = 20_000;
    const counts: Record<string, number> = {};
    for (let t = 0; t < n; t++) {
      const s = nig.select();
      counts[s.arm] = (counts[s.arm] ?? 0) + 1;
    }
    for (const arm of names) {
      const p = want[arm]!;
      expect(Math.abs((counts[arm] ?? 0) / n - p)).toBeLessThan(band(p, n));
    }
  });
});

describe('linear Thompson sampling at default options (more than two arms)', () => {
  it('reports exact P(best) of the normal scores; frequencies at a fixed state match them', () => {
    const arms = ['a', 'b', 'c', 'd'];
    const lin = linearThompson({ arms, dimension: 3, seed: 7 });
    const gen = createRng('lin-data');
    for (let t = 0; t < 40; t++) {
      const x = [1, gen.normal(), gen.normal()];
      lin.update(arms[t % 4]!, 0.3 * (t % 4) + gen.normal(), x);
    }
    const x = [1, 0.2, -0.4];
    const first = lin.select(undefined, x);
    expect(first.method).toBe('exact');
    // the same numbers from the score means and sds: xᵀμ and v·‖L⁻¹x‖ through sampleCoefficients' law
    const m = arms.map((a) => lin.coefficientMean(a).reduce((t, c, j) => t + c * x[j]!, 0));
    arms.forEach((a, i) => {
      expect(first.scores![a]).toBeCloseTo(m[i]!, 12);
    });
    const n = 20_000;
    const counts: Record<string, number> = {};
    for (let t = 0; t < n; t++) {
      const s = lin.select(undefined, x);
      counts[s.arm] = (counts[s.arm] ?? 0) + 1;
    }
    for (const arm of arms) {
      const p = first.probabilities[arm]!;
      expect(Math.abs((counts[arm] ?? 0) / n - p)).toBeLessThan(band(p, n));
    }
    // the floored path draws from the controlled exact probabilities
    const floored = restorePolicy({ ...lin.toJSON(), controls: { minProbability: 0.05, maxProbability: 1, burnIn: 0, power: 1 } });
    const f = floored.select(undefined, x);
    for (const arm of arms) expect(f.probabilities[arm]!).toBeGreaterThanOrEqual(0.05 - 1e-12);
  });
});
