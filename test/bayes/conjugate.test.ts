import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beta, type Dist, gamma, mean, mixture, normal } from '../../src/distributions/index.js';
import {
  effectiveSampleSize,
  logMarginalLikelihood,
  robustify,
  summarize,
  updateBinomial,
  updateNormal,
  updatePoisson,
} from '../../src/bayes/index.js';
import { close, fixtures, numbersIn, thrown } from './helpers.js';

type Comp = { weight: number; dist: Dist };
const comps = (d: Dist): Comp[] => (d.family === 'mixture' ? (d.components as Comp[]) : [{ weight: 1, dist: d }]);

describe('updateNormal against SciPy', () => {
  for (const c of fixtures.normal) {
    it(c.name, () => {
      const post = updateNormal(c.prior, c.data);
      expect(post.family).toBe(c.prior.family);
      const cs = comps(post);
      expect(cs).toHaveLength(c.posterior.length);
      cs.forEach((p, i) => {
        const d = p.dist as { mean: number; sd: number };
        close(d.mean, c.posterior[i].mean, 1e-12, 1e-15);
        close(d.sd, c.posterior[i].sd, 1e-12);
        // Weights: relative where meaningful, absolute for those SciPy underflows to 0.
        close(p.weight, c.weights[i], 1e-9, 1e-300);
      });
      close(logMarginalLikelihood(c.prior, c.data), c.logMarginal, 1e-11, 1e-11);
    });
  }
});

describe('updateBinomial against SciPy', () => {
  for (const c of fixtures.binomial) {
    it(c.name, () => {
      const post = updateBinomial(c.prior, c.data);
      const cs = comps(post);
      cs.forEach((p, i) => {
        const d = p.dist as { alpha: number; beta: number };
        expect(d.alpha).toBe(c.posterior[i].alpha);
        expect(d.beta).toBe(c.posterior[i].beta);
        // log marginals of ~1e6 trials are differences of ~1e7-sized log-gammas: 1e-8 abs in log.
        close(p.weight, c.weights[i], 1e-7, 1e-300);
      });
      close(logMarginalLikelihood(c.prior, c.data), c.logMarginal, 1e-9, 1e-8);
    });
  }
});

describe('updatePoisson against SciPy', () => {
  for (const c of fixtures.poisson) {
    it(c.name, () => {
      const post = updatePoisson(c.prior, c.data);
      const cs = comps(post);
      cs.forEach((p, i) => {
        const d = p.dist as { shape: number; rate: number };
        expect(d.shape).toBe(c.posterior[i].shape);
        expect(d.rate).toBe(c.posterior[i].rate);
        close(p.weight, c.weights[i], 1e-7, 1e-300);
      });
      close(logMarginalLikelihood(c.prior, c.data), c.logMarginal, 1e-9, 1e-8);
    });
  }
});

describe('closed forms', () => {
  it('normal–normal: N(0,1) with ȳ = 2, n = 4, σ = 2 gives N(1, √0.5)', () => {
    const p = updateNormal(normal(0, 1), { mean: 2, n: 4, sigma: 2 }) as { mean: number; sd: number };
    close(p.mean, 1, 1e-15);
    close(p.sd, Math.SQRT1_2, 1e-15);
  });
  it('Beta(1,1) marginal of r successes in n is 1/(n+1)', () => {
    close(logMarginalLikelihood(beta(1, 1), { successes: 3, trials: 10 }), Math.log(1 / 11), 1e-13);
  });
  it('n = 0 returns the prior unchanged', () => {
    const prior = mixture([[0.3, normal(1, 2)], [0.7, normal(-1, 0.5)]]);
    expect(updateNormal(prior, { mean: 100, n: 0, sigma: 1 })).toEqual(prior);
  });
  it('a mixture stays a mixture, even with one component', () => {
    const post = updatePoisson(mixture([[1, gamma(2, 1)]]), { total: 3, exposure: 2 });
    expect(post).toEqual({ family: 'mixture', components: [{ weight: 1, dist: { family: 'gamma', shape: 5, rate: 3 } }] });
  });
  it('nested mixtures are flattened, weights multiplied', () => {
    const inner = mixture([[0.5, beta(2, 2)], [0.5, beta(5, 1)]]);
    const nested = mixture([[0.6, inner], [0.4, beta(1, 1)]]);
    const flat = mixture([[0.3, beta(2, 2)], [0.3, beta(5, 1)], [0.4, beta(1, 1)]]);
    const a = comps(updateBinomial(nested, { successes: 4, trials: 6 }));
    const b = comps(updateBinomial(flat, { successes: 4, trials: 6 }));
    a.forEach((c, i) => {
      close(c.weight, (b[i] as Comp).weight, 1e-14);
    });
  });
});

describe('extreme data stay finite', () => {
  it('tiny sigma and astronomically far components', () => {
    const prior = mixture([[0.5, normal(0, 1e-200)], [0.5, normal(10, 1e-200)]]);
    const post = updateNormal(prior, { mean: 3, n: 1e6, sigma: 1e-200 });
    for (const x of numbersIn(post)) expect(Number.isFinite(x)).toBe(true);
    // The nearer component (distance 3 vs 7) takes all the weight.
    expect(comps(post)[0]?.weight).toBe(1);
  });
  it('posteriors from 1e6 trials / events / tiny sigma summarise and have an ESS, all finite', () => {
    const post = [
      updateBinomial(robustify(beta(30, 70), { weight: 0.2 }), { successes: 331000, trials: 1000000 }),
      updatePoisson(robustify(gamma(20, 10), { weight: 0.2, mean: 1 }), { total: 1000000, exposure: 100000 }),
      updateNormal(robustify(normal(0, 1), { weight: 0.2, mean: 0, sigma: 3 }), { mean: 0.5, n: 1e6, sigma: 1e-6 }),
    ];
    const lik = ['binomial', 'poisson', 'normal'] as const;
    post.forEach((p, i) => {
      const s = summarize(p, { threshold: 0.33 });
      const ess = effectiveSampleSize(p, { likelihood: lik[i] as (typeof lik)[number], sigma: 1e-6 });
      for (const x of [...numbersIn(s), ess]) expect(Number.isFinite(x)).toBe(true);
      // ELIR is predictively consistent: roughly prior ESS + the 1e6 / 1e5 / 1e6 observations.
      expect(ess).toBeGreaterThan(i === 1 ? 0.99e5 : 0.99e6);
      expect(s.hdi[0]).toBeLessThan(s.mean);
      expect(s.hdi[1]).toBeGreaterThan(s.mean);
    });
  });
  it('fast-check: counts up to 1e7 give finite posteriors and weights summing to 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e7 }),
        fc.integer({ min: 0, max: 1e7 }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (a, b, e) => {
          const trials = Math.max(a, b);
          const successes = Math.min(a, b);
          const bp = mixture([[0.5, beta(30, 70)], [0.3, beta(0.5, 0.5)], [0.2, beta(1e4, 1)]]);
          const gp = mixture([[0.5, gamma(20, 10)], [0.5, gamma(0.1, 1e-3)]]);
          const p1 = updateBinomial(bp, { successes, trials });
          const p2 = updatePoisson(gp, { total: a, exposure: e });
          for (const x of [...numbersIn(p1), ...numbersIn(p2)]) expect(Number.isFinite(x)).toBe(true);
          for (const p of [p1, p2]) {
            close(comps(p).reduce((s, c) => s + c.weight, 0), 1, 1e-12);
          }
        },
      ),
      { seed: 4242, numRuns: 200 },
    );
  });
});

// ------------------------------------------------------------------ properties
const normalMixture = fc
  .array(
    fc.record({
      w: fc.double({ min: 0.05, max: 1, noNaN: true }),
      m: fc.double({ min: -5, max: 5, noNaN: true }),
      s: fc.double({ min: 0.1, max: 5, noNaN: true }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((cs) => {
    const tot = cs.reduce((s, c) => s + c.w, 0);
    return mixture(cs.map((c) => [c.w / tot, normal(c.m, c.s)] as const));
  });

function sameMixture(a: Dist, b: Dist, rel: number): void {
  const ca = comps(a);
  const cb = comps(b);
  expect(ca.length).toBe(cb.length);
  ca.forEach((c, i) => {
    const d = cb[i] as Comp;
    close(c.weight, d.weight, rel, 1e-14);
    const x = c.dist as unknown as Record<string, number>;
    const y = d.dist as unknown as Record<string, number>;
    for (const k of Object.keys(x)) if (k !== 'family') close(x[k] as number, y[k] as number, rel, 1e-12);
  });
}

describe('properties', () => {
  it('normal: one batch equals one observation at a time, in any order', () => {
    fc.assert(
      fc.property(
        normalMixture,
        fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0.3, max: 4, noNaN: true }),
        fc.nat(),
        (prior, ys, sigma, seed) => {
          const batch = updateNormal(prior, { mean: ys.reduce((s, y) => s + y, 0) / ys.length, n: ys.length, sigma });
          // A seeded permutation of the observations.
          const order = ys.map((y, i) => ({ y, k: (seed * (i + 7919)) % 104729 })).sort((p, q) => p.k - q.k);
          let seq: Dist = prior;
          for (const { y } of order) seq = updateNormal(seq, { mean: y, n: 1, sigma });
          sameMixture(seq, batch, 1e-8);
        },
      ),
      { seed: 101, numRuns: 150 },
    );
  });

  it('binomial and Poisson: batch equals sequential chunks, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ r: fc.nat(30), extra: fc.nat(30), e: fc.double({ min: 0.1, max: 10, noNaN: true }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        (chunks, reverse) => {
          const bp = mixture([[0.6, beta(3, 9)], [0.3, beta(8, 2)], [0.1, beta(1, 1)]]);
          const gp = mixture([[0.5, gamma(4, 2)], [0.3, gamma(1, 0.2)], [0.2, gamma(30, 3)]]);
          const order = reverse ? [...chunks].reverse() : chunks;
          let sb: Dist = bp;
          let sg: Dist = gp;
          for (const c of order) {
            sb = updateBinomial(sb, { successes: c.r, trials: c.r + c.extra });
            sg = updatePoisson(sg, { total: c.r, exposure: c.e });
          }
          const R = chunks.reduce((s, c) => s + c.r, 0);
          const N = chunks.reduce((s, c) => s + c.r + c.extra, 0);
          const E = chunks.reduce((s, c) => s + c.e, 0);
          sameMixture(sb, updateBinomial(bp, { successes: R, trials: N }), 1e-8);
          sameMixture(sg, updatePoisson(gp, { total: R, exposure: E }), 1e-8);
        },
      ),
      { seed: 202, numRuns: 150 },
    );
  });

  it('single component: the posterior mean lies between the prior mean and the data mean', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 1000, noNaN: true }),
        fc.nat(1000),
        fc.nat(1000),
        (m, s, ybar, n, r, extra) => {
          const between = (x: number, a: number, b: number) =>
            x >= Math.min(a, b) - 1e-12 * (1 + Math.abs(a)) && x <= Math.max(a, b) + 1e-12 * (1 + Math.abs(b));
          expect(between(mean(updateNormal(normal(m, s), { mean: ybar, n, sigma: 2 })), m, ybar)).toBe(true);
          if (r + extra > 0) {
            const pb = mean(updateBinomial(beta(s, 1 + s), { successes: r, trials: r + extra }));
            expect(between(pb, s / (1 + 2 * s), r / (r + extra))).toBe(true);
          }
          const pg = mean(updatePoisson(gamma(s, 2), { total: r, exposure: n }));
          expect(between(pg, s / 2, r / n)).toBe(true);
        },
      ),
      { seed: 303, numRuns: 300 },
    );
  });

  it('mixture weights are positive and sum to 1', () => {
    fc.assert(
      fc.property(normalMixture, fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (prior, ybar, n) => {
        const cs = comps(updateNormal(prior, { mean: ybar, n, sigma: 1 }));
        for (const c of cs) expect(c.weight).toBeGreaterThan(0);
        close(cs.reduce((s, c) => s + c.weight, 0), 1, 1e-12);
      }),
      { seed: 404, numRuns: 300 },
    );
  });
});

describe('bad input', () => {
  const expectInvalid = (f: () => unknown, fn: string, field: string) => {
    const e = thrown(f);
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.message).toContain(`${fn}:`);
    expect(e.field).toBe(field);
  };
  it('negative counts', () => {
    expectInvalid(() => updateBinomial(beta(1, 1), { successes: -1, trials: 3 }), 'updateBinomial', 'data.successes');
    expectInvalid(() => updatePoisson(gamma(1, 1), { total: -2, exposure: 3 }), 'updatePoisson', 'data.total');
  });
  it('successes > trials', () => {
    const e = thrown(() => updateBinomial(beta(1, 1), { successes: 4, trials: 3 }));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.message).toBe('updateBinomial: `data.successes` must be <= trials (3); got 4');
  });
  it('non-integer counts', () => {
    expectInvalid(() => updateBinomial(beta(1, 1), { successes: 1.5, trials: 3 }), 'updateBinomial', 'data.successes');
  });
  it('non-positive exposure or sigma', () => {
    expectInvalid(() => updatePoisson(gamma(1, 1), { total: 2, exposure: 0 }), 'updatePoisson', 'data.exposure');
    expectInvalid(() => updateNormal(normal(0, 1), { mean: 0, n: 3, sigma: -1 }), 'updateNormal', 'data.sigma');
  });
  it('NaN or infinite data', () => {
    expectInvalid(() => updateNormal(normal(0, 1), { mean: Number.NaN, n: 3, sigma: 1 }), 'updateNormal', 'data.mean');
    expectInvalid(() => updateNormal(normal(0, 1), { mean: 0, n: Number.POSITIVE_INFINITY, sigma: 1 }), 'updateNormal', 'data.n');
  });
  it('a prior of the wrong family', () => {
    expectInvalid(() => updateNormal(beta(1, 1), { mean: 0, n: 1, sigma: 1 }), 'updateNormal', 'prior.family');
    expectInvalid(
      () => updateBinomial(mixture([[0.5, beta(1, 1)], [0.5, normal(0, 1)]]), { successes: 1, trials: 2 }),
      'updateBinomial',
      'prior.components[1].dist.family',
    );
  });
  it('mixture weights outside [0, 1] or not summing to 1', () => {
    const bad = { family: 'mixture', components: [{ weight: 1.5, dist: normal(0, 1) }, { weight: -0.5, dist: normal(1, 1) }] };
    expectInvalid(() => updateNormal(bad as Dist, { mean: 0, n: 1, sigma: 1 }), 'updateNormal', 'prior.components[0].weight');
  });
  it('a standard error that underflows', () => {
    expectInvalid(() => updateNormal(normal(0, 1), { mean: 0, n: 1e10, sigma: 1e-320 }), 'updateNormal', 'data.sigma');
  });
});
