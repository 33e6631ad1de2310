import { describe, expect, it } from 'vitest';
import { beta, createRng, type Dist, gamma, mixture, normal } from '../../src/index.js';
import {
  type CountPredictive,
  countPredictiveCdf,
  countPredictivePmf,
  predictive,
  priorDataConflict,
  probabilityBetterNormal,
  probabilityOfBest,
} from '../../src/bayes/index.js';
import { close, fixtures, thrown } from './helpers.js';

describe('predictive', () => {
  it('normal: N(m, √(s² + σ²/n)), a mixture for a mixture', () => {
    expect(predictive(normal(0, 1), { n: 4, sigma: 2 })).toEqual({ family: 'normal', mean: 0, sd: Math.SQRT2 });
    const p = predictive(mixture([[0.5, normal(0, 1)], [0.5, normal(3, 2)]]), { n: 1, sigma: 1 });
    expect(p).toEqual(mixture([[0.5, normal(0, Math.SQRT2)], [0.5, normal(3, Math.sqrt(5))]]));
  });
  it('beta-binomial from Beta(1, 1) is uniform on 0..n', () => {
    const p = predictive(beta(1, 1), { n: 10 }) as CountPredictive;
    expect(p.kind).toBe('betaBinomial');
    for (let k = 0; k <= 10; k++) close(countPredictivePmf(p, k), 1 / 11, 1e-13);
    close(countPredictiveCdf(p, 4), 5 / 11, 1e-13);
    expect(countPredictiveCdf(p, 10)).toBeCloseTo(1, 12);
    expect(countPredictivePmf(p, 11)).toBe(0);
    close(p.mean, 5, 1e-15);
  });
  for (const c of fixtures.counts) {
    it(`count tails against SciPy: ${c.name}`, () => {
      const p = (
        c.kind === 'betaBinomial' ? predictive(c.prior as Dist, { n: c.size }) : predictive(c.prior as Dist, { exposure: c.size })
      ) as CountPredictive;
      // Large supports sum ~1e6 terms by recursion: allow 1e-8 relative.
      close(countPredictivePmf(p, c.k), c.pmf, 1e-8);
      close(countPredictiveCdf(p, c.k), c.lower, 1e-8);
      const conflict =
        c.kind === 'betaBinomial'
          ? priorDataConflict(c.prior, { successes: c.k, trials: c.size })
          : priorDataConflict(c.prior, { total: c.k, exposure: c.size });
      close(conflict.lowerTail, c.lower, 1e-8);
      close(conflict.upperTail, c.upper, 1e-8);
    });
  }
  it('bad input', () => {
    const e = thrown(() => predictive(normal(0, 1), { n: 3 }));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.field).toBe('options.sigma');
    expect(thrown(() => predictive(beta(1, 1), { n: 2.5 })).field).toBe('options.n');
    expect(thrown(() => predictive(gamma(1, 1), { exposure: 0 })).field).toBe('options.exposure');
    // Hand-built predictive objects are validated (they gave NaN probabilities).
    const good = predictive(beta(2, 3), { n: 10 }) as CountPredictive;
    const bad = (o: unknown) => thrown(() => countPredictivePmf(o as CountPredictive, 3));
    expect(bad({ ...good, n: -1 }).field).toBe('pred.n');
    expect(bad({ ...good, components: [{ weight: 1, alpha: -2, beta: 3 }] }).field).toBe('pred.components[0].alpha');
    expect(bad({ ...good, components: [{ weight: 0.5, alpha: 2, beta: 3 }] }).field).toBe('pred.components');
    expect(thrown(() => countPredictiveCdf({ kind: 'gammaPoisson', exposure: 0, components: [] } as never, 1)).code).toBe(
      'E_INVALID_ARGUMENT',
    );
  });
});

describe('probabilityOfBest', () => {
  const [twoNormals, twoNormalsLower, threeBetas, gammasLower] = fixtures.probabilityOfBest;
  it('exact for two normals (SciPy quad)', () => {
    const p = probabilityOfBest(twoNormals.dists);
    close(p[0] as number, twoNormals.probs[0], 1e-12);
    close(probabilityBetterNormal(normal(1, 1), normal(0, 1)), twoNormals.probs[0], 1e-12);
    const q = probabilityOfBest({ a: twoNormalsLower.dists[0], b: twoNormalsLower.dists[1] }, { betterIs: 'lower' });
    close(q.a as number, twoNormalsLower.probs[0], 1e-12);
    close(q.b as number, twoNormalsLower.probs[1], 1e-11);
  });
  it('Monte Carlo agrees with quadrature within 5 standard errors', () => {
    const draws = 40000;
    for (const c of [threeBetas, gammasLower, twoNormals]) {
      const p = probabilityOfBest(c.dists, { betterIs: c.betterIs, rng: createRng('bayes-best'), draws, method: 'monteCarlo' });
      close(p.reduce((s, x) => s + x, 0), 1, 1e-12);
      p.forEach((x, i) => {
        const q = c.probs[i];
        close(x, q, 0, 5 * Math.sqrt((q * (1 - q)) / draws) + 1e-12);
      });
    }
  });
  it('same seed, same result; a record keeps its keys', () => {
    const d = { a: beta(8, 4), b: beta(5, 7) };
    const r1 = probabilityOfBest(d, { rng: 7, draws: 1000 });
    const r2 = probabilityOfBest(d, { rng: 7, draws: 1000 });
    expect(r1).toEqual(r2);
    expect(Object.keys(r1)).toEqual(['a', 'b']);
  });
  it('bad input', () => {
    const e = thrown(() => probabilityOfBest([beta(1, 1), beta(2, 2)]));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.field).toBe('options.rng');
    expect(thrown(() => probabilityOfBest([])).field).toBe('dists');
    expect(thrown(() => probabilityOfBest([beta(1, 1), { family: 'beta', alpha: -1, beta: 1 }], { rng: 1 })).field).toBe('dists[1].alpha');
    expect(thrown(() => probabilityBetterNormal(beta(1, 1), normal(0, 1))).field).toBe('a.family');
  });
});
