import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beta, type Dist, gamma, mean, mixture, normal } from '../../src/distributions/index.js';
import { priorDataConflict, robustify, summarize, updateNormal } from '../../src/bayes/index.js';
import { close, fixtures, thrown } from './helpers.js';

describe('robustify', () => {
  it('normal: adds the unit-information component N(mean, sigma/√n) last (RBesT)', () => {
    expect(robustify(normal(-3, 0.5), { weight: 0.2, mean: 0, sigma: 2 })).toEqual(
      mixture([[0.8, normal(-3, 0.5)], [0.2, normal(0, 2)]]),
    );
    const r = robustify(normal(1, 0.5), { weight: 0.1, sigma: 3, n: 4 }) as unknown as { components: { dist: Dist }[] };
    expect(r.components[1]?.dist).toEqual(normal(1, 1.5)); // mean defaults to the prior mean
  });
  it('beta: Beta(1, 1) by default, Beta(m(n+1), (1-m)(n+1)) in general (RBesT)', () => {
    expect(robustify(beta(15, 50), { weight: 0.2 })).toEqual(mixture([[0.8, beta(15, 50)], [0.2, beta(1, 1)]]));
    const r = robustify(beta(15, 50), { weight: 0.2, mean: 0.25, n: 3 }) as unknown as { components: { dist: Dist }[] };
    expect(r.components[1]?.dist).toEqual(beta(1, 3));
  });
  it('gamma: Gamma(mean·n, rate n) (RBesT, Poisson)', () => {
    const r = robustify(mixture([[0.5, gamma(2, 1)], [0.5, gamma(6, 2)]]), { weight: 0.25, mean: 2, n: 2 });
    expect(r).toEqual(mixture([[0.375, gamma(2, 1)], [0.375, gamma(6, 2)], [0.25, gamma(4, 2)]]));
  });
  it('property: weight 0 returns the prior', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), (m, s) => {
        const p = mixture([[0.4, normal(m, s)], [0.6, normal(-m, 2 * s)]]);
        expect(robustify(p, { weight: 0, mean: 0, sigma: 1 })).toEqual(p);
        expect(robustify(beta(1 + s, 2), { weight: 0 })).toEqual(beta(1 + s, 2));
      }),
      { seed: 606, numRuns: 100 },
    );
  });
  it('property: weights sum to 1 and the robust weight is the requested one', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (w) => {
        const r = robustify(mixture([[0.3, gamma(2, 1)], [0.7, gamma(9, 3)]]), { weight: w, mean: 1 });
        const cs = r.family === 'mixture' ? r.components : [{ weight: 1, dist: r }];
        close(cs.reduce((s, c) => s + c.weight, 0), 1, 1e-14);
        if (w > 0) close((cs[cs.length - 1] as { weight: number }).weight, w, 1e-15);
      }),
      { seed: 707, numRuns: 100 },
    );
  });
  it('bad input', () => {
    const e = thrown(() => robustify(normal(0, 1), { weight: 1.2, sigma: 1 }));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.message).toBe('robustify: `options.weight` must be a probability in [0, 1]; got 1.2');
    expect(thrown(() => robustify(normal(0, 1), { weight: 0.2 })).field).toBe('options.sigma');
    expect(thrown(() => robustify(beta(1, 1), { weight: 0.2, mean: 1 })).field).toBe('options.mean');
    expect(thrown(() => robustify({ family: 'uniform', min: 0, max: 1 }, { weight: 0.2 })).field).toBe('prior.family');
  });
});

describe('conflict scenario: an optimistic LFM prior and contradicting data', () => {
  // The LFM claims the treatment lowers the outcome by 3 (sd 0.5); the patient's 28 days
  // (sigma 2) show a mean change of +1.
  const data = { mean: 1, n: 28, sigma: 2 };
  const informative = normal(-3, 0.5);
  const robust = robustify(informative, { weight: 0.2, mean: 0, sigma: 2 });

  it('the robust posterior follows the data, the non-robust one does not (SciPy numbers)', () => {
    const refPlain = fixtures.normal.find((c: { name: string }) => c.name === 'conflict, non-robust');
    const refRobust = fixtures.normal.find((c: { name: string }) => c.name === 'conflict, robust');
    const plain = updateNormal(informative, data);
    const rob = updateNormal(robust, data);
    // Closed form: (−3·4 + 1·7)/11 = −5/11.
    close(mean(plain), -5 / 11, 1e-14);
    close(mean(plain), refPlain.posterior[0].mean, 1e-12);
    const robMean = refRobust.weights.reduce(
      (s: number, w: number, i: number) => s + w * refRobust.posterior[i].mean,
      0,
    );
    close(mean(rob), robMean, 1e-9);
    expect(robMean).toBeGreaterThan(0.9); // within 0.1 of the data mean 1
    expect(mean(plain)).toBeLessThan(-0.4); // still pulled towards −3
    // Decision: P(effect < 0), i.e. "the treatment helps", per the two posteriors.
    const sPlain = summarize(plain, { betterIs: 'lower' });
    const sRob = summarize(rob, { betterIs: 'lower' });
    // P(N(−5/11, 1/11) < 0) = Φ(5/√11) = 0.93416599198859 (SciPy norm.cdf).
    close(sPlain.probBetter, 0.93416599198859, 1e-12);
    expect(sRob.probBetter).toBeLessThan(0.01);
  });

  it('priorDataConflict flags it (Box p, SciPy) and the robust weight moves to ~1', () => {
    const [refPlain, refRobust] = fixtures.normalConflict;
    const cPlain = priorDataConflict(informative, data);
    close(cPlain.pValue, refPlain.pValue, 1e-9);
    close(cPlain.upperTail, refPlain.upper, 1e-9);
    expect(cPlain.pValue).toBeLessThan(1e-9);
    expect(cPlain.robustWeight).toBeUndefined();
    const cRob = priorDataConflict(robust, data);
    close(cRob.pValue, refRobust.pValue, 1e-9);
    const refW = fixtures.normal.find((c: { name: string }) => c.name === 'conflict, robust').weights;
    expect(cRob.robustWeight?.prior).toBe(0.2);
    close(cRob.robustWeight?.posterior ?? 0, refW[1], 1e-9);
    expect(cRob.robustWeight?.posterior).toBeGreaterThan(0.999);
  });

  it('no conflict: data near the prior keep the informative weight', () => {
    const [, , ref] = fixtures.normalConflict;
    const c = priorDataConflict(robustify(ref.prior, { weight: 0.2, mean: 0, sigma: 1 }), ref.data);
    expect(c.robustWeight?.posterior).toBeLessThan(0.2);
    close(priorDataConflict(ref.prior, ref.data).pValue, ref.pValue, 1e-12);
  });

  it('count data: beta-binomial and negative-binomial tails (SciPy)', () => {
    const bb = fixtures.counts.find((c: { name: string }) => c.name === 'beta-binomial robust');
    const c1 = priorDataConflict(bb.prior, { successes: bb.k, trials: bb.size });
    close(c1.lowerTail, bb.lower, 1e-11);
    close(c1.upperTail, bb.upper, 1e-10);
    close(c1.pValue, Math.min(1, 2 * Math.min(bb.lower, bb.upper)), 1e-10);
    const nb = fixtures.counts.find((c: { name: string }) => c.name === 'negative binomial');
    const c2 = priorDataConflict(nb.prior, { total: nb.k, exposure: nb.size });
    close(c2.upperTail, nb.upper, 1e-9);
    expect(c2.robustWeight?.index).toBe(1);
  });

  it('bad input', () => {
    const e = thrown(() => priorDataConflict(robust, data, { robustComponent: 2 }));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.field).toBe('options.robustComponent');
    expect(thrown(() => priorDataConflict(beta(1, 1), { mean: 1, n: 2, sigma: 1 })).field).toBe('prior.family');
    expect(thrown(() => priorDataConflict(beta(1, 1), {} as never)).field).toBe('data');
  });
});
