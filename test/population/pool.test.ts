import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeTrial,
  cdf,
  createRng,
  type Dist,
  halfNormal,
  mean as distMean,
  mixture,
  normal,
  pdf,
  poolPrivateReleases,
  poolReleaseGroups,
  quantile,
  releaseGroups,
  releaseNoiseVariance,
  robustify,
  sd as distSd,
  studentT,
  uniform,
} from '../../src/index.js';
import { code, fixedDesign } from '../helpers.js';

interface RefCase {
  name: string;
  releases: { value: number; sd: number }[];
  meanPrior: Dist;
  tauPrior: Dist;
  expected: {
    logEvidence: number;
    mean: { mean: number; sd: number; quantiles: Record<string, number>; probBelow0: number };
    heterogeneity: { mean: number; sd: number; quantiles: Record<string, number> };
    predictive: { mean: number; sd: number; quantiles: Record<string, number> };
  };
}
const ref = JSON.parse(readFileSync(new URL('../fixtures/population-reference.json', import.meta.url), 'utf8')) as { cases: RefCase[] };

describe('poolPrivateReleases against SciPy (2-D quadrature of the joint density)', () => {
  for (const c of ref.cases) {
    it(c.name, () => {
      const r = poolPrivateReleases({ releases: c.releases, priors: { mean: c.meanPrior, heterogeneity: c.tauPrior }, betterIs: 'lower' });
      const e = c.expected;
      // μ: the scale of every comparison is μ's posterior sd; SciPy's nested quad has epsrel 1e-11.
      const sm = e.mean.sd;
      expect(Math.abs(r.mean.mean - e.mean.mean)).toBeLessThan(1e-7 * sm);
      expect(Math.abs(r.mean.sd - e.mean.sd)).toBeLessThan(1e-7 * sm);
      expect(Math.abs(r.mean.median - (e.mean.quantiles['0.5'] as number))).toBeLessThan(1e-7 * sm);
      expect(Math.abs(r.mean.interval[0] - (e.mean.quantiles['0.025'] as number))).toBeLessThan(1e-7 * sm);
      expect(Math.abs(r.mean.interval[1] - (e.mean.quantiles['0.975'] as number))).toBeLessThan(1e-7 * sm);
      expect(Math.abs(r.mean.probBetter - e.mean.probBelow0)).toBeLessThan(1e-8);
      // τ
      const st = e.heterogeneity.sd;
      expect(Math.abs(r.heterogeneity.mean - e.heterogeneity.mean)).toBeLessThan(1e-7 * st);
      expect(Math.abs(r.heterogeneity.sd - e.heterogeneity.sd)).toBeLessThan(1e-7 * st);
      expect(Math.abs(r.heterogeneity.median - (e.heterogeneity.quantiles['0.5'] as number))).toBeLessThan(1e-7 * st);
      expect(Math.abs(r.heterogeneity.interval[0] - (e.heterogeneity.quantiles['0.025'] as number))).toBeLessThan(1e-7 * st);
      expect(Math.abs(r.heterogeneity.interval[1] - (e.heterogeneity.quantiles['0.975'] as number))).toBeLessThan(1e-7 * st);
      // Evidence (log scale, absolute).
      expect(Math.abs(r.logEvidence - e.logEvidence)).toBeLessThan(1e-8);
      // Predictive: moment matching keeps mean and sd exactly; its quantiles carry the trimming
      // error the result reports (cdf error / density at the quantile).
      expect(Math.abs(distMean(r.predictive) - e.predictive.mean)).toBeLessThan(1e-7 * e.predictive.sd);
      expect(Math.abs(distSd(r.predictive) - e.predictive.sd)).toBeLessThan(1e-7 * e.predictive.sd);
      expect(r.quadrature.predictiveCdfError).toBeLessThan(2e-3);
      for (const [p, q] of Object.entries(e.predictive.quantiles)) {
        const tol = (2 * r.quadrature.predictiveCdfError) / pdf(r.predictive, q) + 1e-7 * e.predictive.sd;
        expect(Math.abs(quantile(r.predictive, Number(p)) - q)).toBeLessThan(tol);
        expect(Math.abs(cdf(r.predictive, q) - Number(p))).toBeLessThan(2 * r.quadrature.predictiveCdfError + 1e-9);
      }
    });
  }

  it('the large-DP-noise case leaves τ poorly identified: its posterior stays close to the prior', () => {
    const c = ref.cases.find((x) => x.name === 'large-dp-noise') as RefCase;
    const r = poolPrivateReleases({ releases: c.releases, priors: { mean: c.meanPrior, heterogeneity: c.tauPrior } });
    // Prior halfNormal(1): mean √(2/π) ≈ 0.798, sd √(1 − 2/π) ≈ 0.603; the 25 releases barely move it.
    expect(Math.abs(r.heterogeneity.mean - Math.sqrt(2 / Math.PI))).toBeLessThan(0.15);
    expect(r.heterogeneity.sd).toBeGreaterThan(0.5);
  });
});

function simulate(seed: number, n: number, mu: number, tau: number, sLo: number, sHi: number): { value: number; sd: number }[] {
  const rng = createRng(seed);
  const out: { value: number; sd: number }[] = [];
  for (let i = 0; i < n; i++) {
    const s = sLo + (sHi - sLo) * rng.uniform();
    out.push({ value: rng.normal(rng.normal(mu, tau), s), sd: s });
  }
  return out;
}

describe('poolPrivateReleases: properties', () => {
  const priors = { mean: normal(0, 5), heterogeneity: halfNormal(2) };

  it('pooling the additive groups equals pooling the releases', () => {
    const rel = simulate(1, 300, -1, 0.8, 1, 3).map((r) => ({ value: r.value, sd: Math.round(r.sd * 2) / 2 }));
    const a = poolPrivateReleases({ releases: rel, priors });
    const groups = releaseGroups(rel);
    expect(groups.length).toBeLessThanOrEqual(5);
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(300);
    const b = poolReleaseGroups({ groups, priors });
    expect(b.mean.mean).toBeCloseTo(a.mean.mean, 10);
    expect(b.mean.sd).toBeCloseTo(a.mean.sd, 10);
    expect(b.heterogeneity.median).toBeCloseTo(a.heterogeneity.median, 9);
    expect(b.logEvidence).toBeCloseTo(a.logEvidence, 8);
    // Splitting a group into two with the same sd changes nothing.
    const g0 = groups[0] as { sd: number; count: number; sum: number; sumSquares: number };
    const half = rel.filter((r) => r.sd === g0.sd);
    const [p1, p2] = [half.slice(0, 3), half.slice(3)];
    const split = [
      ...releaseGroups(p1),
      ...releaseGroups(p2),
      ...groups.slice(1),
    ];
    expect(poolReleaseGroups({ groups: split, priors }).mean.mean).toBeCloseTo(a.mean.mean, 10);
  });

  it('is equivariant under a change of units (y → a·y + b, sd → a·sd, priors transformed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.2, max: 20, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (seed, a, b) => {
        const rel = simulate(seed, 10, -1, 1, 0.5, 2);
        const r1 = poolPrivateReleases({ releases: rel, priors: { mean: normal(0, 3), heterogeneity: halfNormal(1) } });
        const r2 = poolPrivateReleases({
          releases: rel.map((r) => ({ value: a * r.value + b, sd: a * r.sd })),
          priors: { mean: normal(b, 3 * a), heterogeneity: halfNormal(a) },
        });
        const tol = 1e-6 * a * r1.mean.sd;
        return (
          Math.abs(r2.mean.mean - (a * r1.mean.mean + b)) < tol &&
          Math.abs(r2.mean.sd - a * r1.mean.sd) < tol &&
          Math.abs(r2.heterogeneity.median - a * r1.heterogeneity.median) < 1e-6 * a * r1.heterogeneity.sd &&
          Math.abs(r2.logEvidence - (r1.logEvidence - 10 * Math.log(a))) < 1e-7
        );
      }),
      { seed: 18, numRuns: 12 },
    );
  });

  it('does not depend on the order of the releases', () => {
    const rel = simulate(5, 40, 2, 1, 0.5, 1.5);
    const a = poolPrivateReleases({ releases: rel, priors });
    const b = poolPrivateReleases({ releases: [...rel].reverse(), priors });
    expect(b.mean.mean).toBeCloseTo(a.mean.mean, 11);
    expect(b.heterogeneity.mean).toBeCloseTo(a.heterogeneity.mean, 10);
  });

  it('with many releases, μ and τ concentrate at the truth', () => {
    const rel = simulate(7, 20_000, -2, 1, 0.5, 2);
    const r = poolPrivateReleases({ releases: rel, priors });
    expect(Math.abs(r.mean.mean + 2)).toBeLessThan(4 * r.mean.sd);
    expect(Math.abs(r.heterogeneity.mean - 1)).toBeLessThan(4 * r.heterogeneity.sd);
    expect(r.heterogeneity.sd).toBeLessThan(0.05);
    expect(r.quadrature.relativeError).toBeLessThan(1e-8);
  });

  it('accepts a release from privateEffectEstimate with the patient sd (noise variance added)', () => {
    const release = { value: -2.5, epsilon: 1, delta: 0, mechanism: 'laplace' as const, scale: 4, sensitivity: 4, n: 1, granularity: 2 ** -20 };
    const nv = releaseNoiseVariance(release);
    expect(nv).toBeCloseTo(2 * 16, 8);
    const a = poolPrivateReleases({ releases: [{ release, sd: 0.7 }, { value: -1, sd: 1 }], priors });
    const b = poolPrivateReleases({ releases: [{ value: -2.5, sd: Math.sqrt(0.49 + nv) }, { value: -1, sd: 1 }], priors });
    expect(a.mean.mean).toBe(b.mean.mean);
    const g = { ...release, mechanism: 'gaussian' as const, delta: 1e-6 };
    expect(releaseNoiseVariance(g)).toBe(16);
  });

  it('returns a predictive that analyzeTrial and robustify accept', () => {
    const r = poolPrivateReleases({ releases: simulate(3, 30, -2, 1, 1, 2), priors });
    const robust = robustify(r.predictive, { weight: 0.2, mean: 0, sigma: 3 });
    expect(robust.family).toBe('mixture');
    const design = fixedDesign(['a', 'b', 'a', 'b'], 7);
    const rng = createRng(2);
    const observations = Array.from({ length: 28 }, (_, day) => ({ day, value: rng.normal(day % 14 < 7 ? 0 : -2, 1) }));
    const fit = analyzeTrial({ design, observations, outcome: 'normal', reference: 'a', betterIs: 'lower', priors: { effects: { b: r.predictive } }, model: { sigma: 1 } });
    expect(fit.method).toBe('exact');
    expect(fit.effects.b?.mean).toBeLessThan(0);
  });

  it('supports a mixture prior on μ and a uniform prior on τ', () => {
    const rel = simulate(9, 15, 1, 0.5, 0.5, 1);
    const r = poolPrivateReleases({ releases: rel, priors: { mean: mixture([[0.5, normal(-2, 1)], [0.5, normal(2, 1)]]), heterogeneity: uniform(0, 3) } });
    expect(r.heterogeneity.interval[1]).toBeLessThan(3);
    expect(r.mean.mean).toBeGreaterThan(0);
  });
});

describe('poolPrivateReleases: bad input', () => {
  const priors = { mean: normal(0, 5), heterogeneity: halfNormal(2) };
  const rel = [{ value: 1, sd: 1 }];
  it.each([
    ['no releases', { releases: [], priors }],
    ['a NaN value', { releases: [{ value: Number.NaN, sd: 1 }], priors }],
    ['a zero sd', { releases: [{ value: 1, sd: 0 }], priors }],
    ['not an array', { releases: 'x', priors }],
    ['a Student-t mean prior', { releases: rel, priors: { mean: studentT(3, 0, 1), heterogeneity: halfNormal(1) } }],
    ['a normal τ prior (mass below 0)', { releases: rel, priors: { mean: normal(0, 1), heterogeneity: normal(1, 1) } }],
    ['a uniform τ prior below 0', { releases: rel, priors: { mean: normal(0, 1), heterogeneity: uniform(-1, 1) } }],
    ['an unknown option', { releases: rel, priors, draws: 10 }],
    ['a bad betterIs', { releases: rel, priors, betterIs: 'up' }],
    ['bad components', { releases: rel, priors, components: 0 }],
    ['groups given to poolPrivateReleases', { releases: rel, priors, groups: [] }],
  ])('%s', (_, o) => {
    expect(code(() => poolPrivateReleases(o as never))).toBe('E_INVALID_ARGUMENT');
  });
  it('refuses inconsistent groups', () => {
    expect(code(() => poolReleaseGroups({ groups: [{ sd: 1, count: 2, sum: 4, sumSquares: 1 }], priors }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => poolReleaseGroups({ groups: [{ sd: 1, count: 0.5, sum: 4, sumSquares: 20 }], priors }))).toBe('E_INVALID_ARGUMENT');
  });
});
