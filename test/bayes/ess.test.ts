import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beta, gamma, mixture, normal } from '../../src/distributions/index.js';
import { effectiveSampleSize, updateBinomial, updateNormal } from '../../src/bayes/index.js';
import { close, fixtures, thrown } from './helpers.js';

describe('effectiveSampleSize', () => {
  it('closed forms for one component (Neuenschwander et al. 2020)', () => {
    expect(effectiveSampleSize(normal(0, 0.5), { likelihood: 'normal', sigma: 2 })).toBe(16);
    expect(effectiveSampleSize(beta(3, 7), { likelihood: 'binomial' })).toBe(10);
    expect(effectiveSampleSize(gamma(4, 2.5), { likelihood: 'poisson' })).toBe(2.5);
    // Morita at the prior mean reproduces a + b and b exactly.
    close(effectiveSampleSize(beta(3, 7), { likelihood: 'binomial', method: 'morita' }), 10, 1e-13);
    close(effectiveSampleSize(gamma(4, 2.5), { likelihood: 'poisson', method: 'morita' }), 2.5, 1e-13);
    // Moment matching of one beta gives a + b.
    close(effectiveSampleSize(beta(3, 7), { likelihood: 'binomial', method: 'moment' }), 10, 1e-13);
  });

  it('property: ESS of a normal is sigma²/sd² for every method', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), (m, s, sigma) => {
        const expected = (sigma * sigma) / (s * s);
        for (const method of ['elir', 'moment', 'morita'] as const) {
          close(effectiveSampleSize(normal(m, s), { likelihood: 'normal', sigma, method }), expected, 1e-12);
        }
        // A mixture of one component integrates numerically to the same value.
        close(effectiveSampleSize(mixture([[1, normal(m, s)]]), { likelihood: 'normal', sigma }), expected, 1e-8);
      }),
      { seed: 808, numRuns: 100 },
    );
  });

  for (const c of fixtures.ess) {
    it(`mixtures against mpmath/SciPy quad: ${c.name}`, () => {
      const o = { likelihood: c.likelihood, ...(c.sigma === null ? {} : { sigma: c.sigma }) };
      close(effectiveSampleSize(c.prior, o), c.elir, 1e-7);
      close(effectiveSampleSize(c.prior, { ...o, method: 'moment' }), c.moment, 1e-12);
      close(effectiveSampleSize(c.prior, { ...o, method: 'morita' }), c.morita, 1e-7, 1e-9);
    });
  }

  it('ELIR is predictively consistent: ESS(posterior) ≈ ESS(prior) + n (in expectation; here one draw)', () => {
    // For conjugate single components exactly: a + b + n and sigma²/sd² + n.
    const post = updateBinomial(beta(3, 7), { successes: 4, trials: 12 });
    expect(effectiveSampleSize(post, { likelihood: 'binomial' })).toBe(22);
    close(effectiveSampleSize(updateNormal(normal(0, 0.5), { mean: 1, n: 9, sigma: 2 }), { likelihood: 'normal', sigma: 2 }), 25, 1e-12);
  });

  it('bad input', () => {
    const e = thrown(() => effectiveSampleSize(beta(1, 1), { likelihood: 'normal', sigma: 1 }));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.field).toBe('prior.family');
    expect(thrown(() => effectiveSampleSize(normal(0, 1), { likelihood: 'normal' })).field).toBe('options.sigma');
    expect(thrown(() => effectiveSampleSize(normal(0, 1), { likelihood: 'normal', sigma: 1, method: 'x' as never })).field).toBe('options.method');
    const inf = thrown(() => effectiveSampleSize(mixture([[0.5, beta(0.5, 2)], [0.5, beta(3, 3)]]), { likelihood: 'binomial' }));
    expect(inf.code).toBe('E_INVALID_ARGUMENT');
    expect(inf.field).toBe('prior.components[0]');
  });
});
