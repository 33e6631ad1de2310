import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pdf } from '../../src/distributions/index.js';
import {
  normalInverseGamma,
  normalInverseGammaMarginals,
  predictive,
  updateNormalUnknownVariance,
} from '../../src/bayes/index.js';
import { close, fixtures, thrown } from './helpers.js';

describe('updateNormalUnknownVariance', () => {
  it('closed form (BDA3 §3.3): prior (0, 1, 1, 1) with values 1, 2, 3', () => {
    const r = updateNormalUnknownVariance(normalInverseGamma(0, 1, 1, 1), { values: [1, 2, 3] });
    // n1 = 4, m1 = 6/4, a1 = 1 + 3/2, b1 = 1 + S/2 + n0·n·(ȳ − m)²/(2 n1) = 1 + 1 + 3·4/8.
    expect(r.posterior).toEqual({ kind: 'normalInverseGamma', mean: 1.5, n0: 4, shape: 2.5, scale: 3.5 });
    expect(r.marginalMean.family).toBe('studentT');
    expect(r.marginalMean.df).toBe(5);
    close(r.marginalMean.scale, Math.sqrt(3.5 / 10), 1e-15);
    expect(r.marginalVariance).toEqual({ family: 'invGamma', shape: 2.5, scale: 3.5 });
  });

  for (const c of fixtures.nig) {
    it(`matches numerical integration of prior × likelihood (SciPy dblquad), values ${c.values.join(', ')}`, () => {
      const r = updateNormalUnknownVariance(c.prior, { values: c.values });
      close(r.logMarginalLikelihood, c.logMarginalLikelihood, 1e-8);
      for (const p of c.meanDensity) close(pdf(r.marginalMean, p.x), p.density, 1e-7);
    });
  }

  it('summary data { mean, n, sd } equal raw values', () => {
    const values = [0.3, -1.2, 2.2, 0.8, 1.1];
    const n = values.length;
    const m = values.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(values.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
    const prior = normalInverseGamma(0.5, 2, 3, 2);
    const a = updateNormalUnknownVariance(prior, { values });
    const b = updateNormalUnknownVariance(prior, { mean: m, n, sd });
    for (const k of ['mean', 'n0', 'shape', 'scale'] as const) close(a.posterior[k], b.posterior[k], 1e-13);
    close(a.logMarginalLikelihood, b.logMarginalLikelihood, 1e-12);
  });

  it('property: updating in one batch equals one value at a time, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 15 }), fc.boolean(), (values, rev) => {
        const prior = normalInverseGamma(1, 0.5, 2, 3);
        const batch = updateNormalUnknownVariance(prior, { values });
        let seq = prior;
        let lml = 0;
        for (const y of rev ? [...values].reverse() : values) {
          const r = updateNormalUnknownVariance(seq, { values: [y] });
          seq = r.posterior;
          lml += r.logMarginalLikelihood;
        }
        for (const k of ['mean', 'n0', 'shape', 'scale'] as const) close(seq[k], batch.posterior[k], 1e-9, 1e-12);
        // Chain rule: p(y1..yn) = Π p(yi | y<i).
        close(lml, batch.logMarginalLikelihood, 1e-9, 1e-9);
      }),
      { seed: 505, numRuns: 150 },
    );
  });

  it('marginals and predictive of the prior', () => {
    const nig = normalInverseGamma(0, 2, 2, 8);
    const mg = normalInverseGammaMarginals(nig);
    expect(mg.mean).toEqual({ family: 'studentT', df: 4, location: 0, scale: Math.sqrt(8 / (2 * 2)) });
    const pr = predictive(nig, { n: 4 });
    // Var of future mean = b/a·(1/n0 + 1/n) scale² → 4·(1/2 + 1/4) = 3.
    close(pr.scale, Math.sqrt(3), 1e-15);
  });

  it('bad input', () => {
    const prior = normalInverseGamma(0, 1, 1, 1);
    const e1 = thrown(() => updateNormalUnknownVariance(prior, { mean: 1, n: 3 }));
    expect(e1.code).toBe('E_INVALID_ARGUMENT');
    expect(e1.field).toBe('data.sd');
    const e2 = thrown(() => updateNormalUnknownVariance({ ...prior, n0: 0 }, { values: [1] }));
    expect(e2.code).toBe('E_INVALID_ARGUMENT');
    expect(e2.message).toBe('updateNormalUnknownVariance: `prior.n0` must be a finite number > 0; got 0');
    const e3 = thrown(() => updateNormalUnknownVariance(prior, { values: [1, Number.NaN] }));
    expect(e3.field).toBe('data.values[1]');
    expect(thrown(() => normalInverseGamma(0, 1, -1, 1)).code).toBe('E_INVALID_ARGUMENT');
  });
});
