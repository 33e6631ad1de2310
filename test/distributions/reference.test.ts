// Reference values from SciPy: scripts/fixtures/dist.py → test/fixtures/dist.json.
import { describe, it } from 'vitest';
import fixture from '../fixtures/dist.json';
import { type Dist, cdf, logPdf, mean, pdf, quantile, validateDist, variance } from '../../src/distributions/index.js';

interface Case {
  dist: Dist;
  mean: number | null;
  variance: number | null;
  points: { x: number; pdf: number; logpdf: number | null; cdf: number }[];
  quantiles: { p: number; q: number }[];
}

/** |actual − expected| ≤ rel·|expected| + abs. */
function close(actual: number, expected: number, rel: number, abs = 0): void {
  const tol = rel * Math.abs(expected) + abs;
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`expected ${expected}, got ${actual} (diff ${Math.abs(actual - expected)}, tol ${tol})`);
  }
}

const label = (d: Dist): string => JSON.stringify(d).replace(/"family":/g, '').slice(0, 90);

describe('distributions agree with SciPy', () => {
  for (const c of (fixture as { cases: Case[] }).cases) {
    const d = validateDist(c.dist);
    // Huge-parameter cases are computed near the limits of double precision (x ~ 1e7 with
    // relative spread 3e-4); their tolerances are looser and stated here.
    const big =
      (d.family === 'gamma' && d.shape > 1e4) ||
      (d.family === 'beta' && d.alpha >= 1e6) ||
      (d.family === 'invGamma' && d.shape > 1e3);
    it(`${label(d)}: mean and variance`, () => {
      if (c.mean !== null) close(mean(d), c.mean, 1e-12, 1e-14);
      if (c.variance !== null) close(variance(d), c.variance, 1e-10);
    });
    it(`${label(d)}: pdf, logPdf, cdf`, () => {
      for (const pt of c.points) {
        close(cdf(d, pt.x), pt.cdf, big ? 1e-7 : 1e-9, 1e-15);
        close(pdf(d, pt.x), pt.pdf, big ? 1e-6 : 1e-9, 1e-300);
        if (pt.logpdf !== null) close(logPdf(d, pt.x), pt.logpdf, big ? 1e-6 : 1e-9, 1e-10);
      }
    });
    it(`${label(d)}: quantile`, () => {
      for (const q of c.quantiles) {
        close(quantile(d, q.p), q.q, big ? 1e-9 : 1e-8, 1e-12);
      }
    });
  }
});
