import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Dist, beta, gamma, logPdf, mixture, normal } from '../../src/distributions/index.js';
import { summarize } from '../../src/bayes/index.js';
import { close, fixtures, thrown } from './helpers.js';

describe('summarize against SciPy', () => {
  for (const c of fixtures.summary) {
    it(c.name, () => {
      const s = summarize(c.dist, {
        level: c.level,
        betterIs: c.betterIs,
        ...(c.threshold === undefined ? {} : { threshold: c.threshold }),
      });
      close(s.mean, c.mean, 1e-12, 1e-15);
      close(s.sd, c.sd, 1e-10);
      close(s.median, c.median, 1e-9, 1e-12);
      close(s.interval[0], c.interval[0], 1e-9, 1e-12);
      close(s.interval[1], c.interval[1], 1e-9, 1e-12);
      // The shortest interval: its width must not exceed SciPy's optimum (by more than rounding)
      // and its end points must agree.
      expect(s.hdi[1] - s.hdi[0]).toBeLessThanOrEqual(c.hdiWidth * (1 + 1e-9));
      close(s.hdi[0], c.hdi[0], 1e-6, 1e-9);
      close(s.hdi[1], c.hdi[1], 1e-6, 1e-9);
      close(s.probBetter, c.probBetter, 1e-9, 1e-300);
      if (c.threshold !== undefined) close(s.probClinicallyBetter ?? Number.NaN, c.probClinicallyBetter, 1e-9, 1e-15);
      else expect(s.probClinicallyBetter).toBeUndefined();
    });
  }
});

describe('summarize properties', () => {
  it('unimodal: the HDI has equal density at both ends and holds `level` mass', () => {
    fc.assert(
      fc.property(fc.double({ min: 1.2, max: 50, noNaN: true }), fc.double({ min: 1.2, max: 50, noNaN: true }), fc.double({ min: 0.5, max: 0.99, noNaN: true }), (a, b, level) => {
        for (const d of [beta(a, b), gamma(a, b)]) {
          const s = summarize(d, { level });
          close(logPdf(d, s.hdi[0]), logPdf(d, s.hdi[1]), 1e-6, 1e-6);
          expect(s.hdi[1] - s.hdi[0]).toBeLessThanOrEqual((s.interval[1] - s.interval[0]) * (1 + 1e-12));
        }
      }),
      { seed: 909, numRuns: 60 },
    );
  });
  it('P(better) for higher and lower sum to 1', () => {
    const d = mixture([[0.3, normal(-1, 1)], [0.7, normal(2, 0.5)]]);
    const h = summarize(d, { threshold: 0.7 });
    const l = summarize(d, { threshold: 0.7, betterIs: 'lower' });
    close(h.probBetter + l.probBetter, 1, 1e-14);
    close((h.probClinicallyBetter ?? 0) + (l.probClinicallyBetter ?? 0), 1, 1e-14);
  });
  it('bad input', () => {
    const e = thrown(() => summarize(normal(0, 1), { level: 1 }));
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.message).toBe('summarize: `options.level` must be a number in (0, 1); got 1');
    expect(thrown(() => summarize(normal(0, 1), { threshold: Number.NaN })).field).toBe('options.threshold');
    expect(thrown(() => summarize({ family: 'studentT', df: 1, location: 0, scale: 1 })).code).toBe('E_INVALID_ARGUMENT');
  });
});

describe('far upper tails (SciPy sf, confirmed by mpmath: scripts/fixtures/bayes_tails.py)', () => {
  const tails = JSON.parse(
    readFileSync(fileURLToPath(new URL('../fixtures/bayes-tails.json', import.meta.url)), 'utf8'),
  ) as { upperTail: { dist: Dist; t: number; sf: number }[] };
  // 1 − cdf cancels here (it gave 0 for Gamma(2, rate 50) beyond 1, and lost ~10 digits for
  // Beta(2, 50) beyond 0.3); P(better than t) must come from the complemented functions.
  for (const c of tails.upperTail) {
    it(`${JSON.stringify(c.dist)}: P(X > ${c.t}) = ${c.sf}`, () => {
      const s = summarize(c.dist, { threshold: c.t, betterIs: 'higher' });
      close(s.probClinicallyBetter ?? Number.NaN, c.sf, 1e-9);
      // Lower is better: the complement, P(X < t) (to the cdf kernel's accuracy).
      close(summarize(c.dist, { threshold: c.t, betterIs: 'lower' }).probClinicallyBetter ?? Number.NaN, 1 - c.sf, 1e-9);
    });
  }
});
