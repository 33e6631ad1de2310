import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code } from '../helpers.js';
import {
  type CandidateRanking,
  type Dist,
  cdf,
  createRng,
  migrainePriorRequest,
  normal,
  pdf,
  planValidation,
  rankCandidates,
  staticPriorProvider,
} from '../../src/index.js';
import { MIGRAINE_PRIOR_TABLE } from '../../src/demo.js';


/** P(candidate i has the lowest effect) = ∫ f_i(x) Π_{j≠i} (1 − F_j(x)) dx, by Simpson's rule on a wide grid. */
function probLowestByQuadrature(ds: Dist[]): number[] {
  const lo = -30;
  const hi = 30;
  const n = 6000;
  const h = (hi - lo) / n;
  return ds.map((d, i) => {
    let s = 0;
    for (let k = 0; k <= n; k++) {
      const x = lo + k * h;
      let f = pdf(d, x);
      ds.forEach((e, j) => {
        if (j !== i) f *= 1 - cdf(e, x);
      });
      s += f * (k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2);
    }
    return (s * h) / 3;
  });
}

describe('rankCandidates', () => {
  it('is exact for two normals: P(a best) = Φ((μb − μa)/√(σa² + σb²)) when lower is better', () => {
    const r = rankCandidates({ b: normal(-1, 1), a: normal(-2, 1) }, { betterIs: 'lower' });
    expect(r.method).toBe('exact');
    expect(r.draws).toBeUndefined();
    expect(r.candidates.map((c) => c.id)).toEqual(['a', 'b']);
    // Φ(1/√2) = 0.7602499389065233 (scipy.stats.norm.cdf(2 ** -0.5)).
    expect(r.candidates[0]!.probBest).toBeCloseTo(0.7602499389065233, 12);
    expect(r.candidates[1]!.probBest).toBeCloseTo(1 - 0.7602499389065233, 12);
    // Φ(2) = 0.9772498680518208; 97.5% normal quantile 1.959963984540054.
    expect(r.candidates[0]!.probBetterThanControl).toBeCloseTo(0.9772498680518208, 12);
    expect(r.candidates[0]!.interval[0]).toBeCloseTo(-2 - 1.959963984540054, 9);
    expect(r.candidates[0]!.interval[1]).toBeCloseTo(-2 + 1.959963984540054, 9);
    expect(r.candidates[0]!.rank).toBe(1);
    const higher = rankCandidates({ b: normal(-1, 1), a: normal(-2, 1) }, { betterIs: 'higher' });
    expect(higher.candidates[0]!.id).toBe('b');
    expect(higher.candidates[0]!.probBest).toBeCloseTo(0.7602499389065233, 12);
  });

  it("reproduces the paper's migraine σ values (Monte Carlo agrees with quadrature)", async () => {
    const prior = await staticPriorProvider().elicit(migrainePriorRequest());
    const draws = 40_000;
    const r = rankCandidates(prior, { betterIs: 'lower', rng: createRng('alice'), draws });
    expect(r.method).toBe('monteCarlo');
    expect(r.scale).toBe('difference');
    const ids = Object.keys(prior.effects);
    const exact = probLowestByQuadrature(ids.map((id) => prior.effects[id]!));
    expect(exact.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    ids.forEach((id, i) => {
      const got = r.candidates.find((c) => c.id === id)!.probBest;
      const p = exact[i]!;
      expect(Math.abs(got - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / draws));
    });
    // The paper: magnesium σ = 0.30, sleep regularity σ = 0.32, both trigger validation at τ = 0.2.
    const mg = exact[ids.indexOf('magnesium')]!;
    const sl = exact[ids.indexOf('sleepRegularity')]!;
    expect(mg).toBeGreaterThan(0.28);
    expect(mg).toBeLessThan(0.34);
    expect(sl).toBeGreaterThan(0.3);
    expect(sl).toBeLessThan(0.36);
    expect(r.candidates.slice(0, 2).map((c) => c.id)).toEqual(['sleepRegularity', 'magnesium']);
    // Same seed, same answer; plain data.
    expect(rankCandidates(prior, { betterIs: 'lower', rng: 'alice', draws })).toEqual(r);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(MIGRAINE_PRIOR_TABLE.scale).toBe('difference');
  });

  it('agrees with SciPy quadrature (scripts/fixtures/hybrid_pbest.py) within 4.5 Monte Carlo standard errors', () => {
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/hybrid-pbest.json', import.meta.url), 'utf8')) as {
      cases: { name: string; betterIs: 'higher' | 'lower'; effects: Record<string, [number, number]>; probBest: Record<string, number> }[];
    };
    expect(fixture.cases.length).toBeGreaterThanOrEqual(3);
    const draws = 40_000;
    for (const c of fixture.cases) {
      const prior = Object.fromEntries(Object.entries(c.effects).map(([k, [m, s]]) => [k, normal(m, s)]));
      const r = rankCandidates(prior, { betterIs: c.betterIs, rng: createRng(`fixture:${c.name}`), draws });
      for (const [id, p] of Object.entries(c.probBest)) {
        const got = r.candidates.find((x) => x.id === id)!.probBest;
        expect(Math.abs(got - p), `${c.name}: ${id}`).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / draws));
      }
    }
  });

  it('property: probabilities sum to 1, sorted best first, ranks 1..k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ m: fc.double({ min: -5, max: 5, noNaN: true }), s: fc.double({ min: 0.1, max: 3, noNaN: true }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.constantFrom<'higher' | 'lower'>('higher', 'lower'),
        (rows, betterIs) => {
          const prior: Record<string, Dist> = {};
          rows.forEach((r, i) => {
            prior[`c${i}`] = normal(r.m, r.s);
          });
          const r = rankCandidates(prior, { betterIs, rng: 7, draws: 2000 });
          const total = r.candidates.reduce((a, c) => a + c.probBest, 0);
          expect(total).toBeCloseTo(1, 9);
          r.candidates.forEach((c, i) => {
            expect(c.rank).toBe(i + 1);
            if (i > 0) expect(c.probBest).toBeLessThanOrEqual(r.candidates[i - 1]!.probBest);
            expect(c.interval[0]).toBeLessThan(c.interval[1]);
          });
        },
      ),
      { seed: 20261128, numRuns: 60 },
    );
  });

  it('rejects bad input with E_INVALID_ARGUMENT', () => {
    expect(code(() => rankCandidates({}, { betterIs: 'lower' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => rankCandidates({ a: normal(0, 1) }, { betterIs: 'down' as never }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => rankCandidates({ a: normal(0, 1), b: normal(0, 1), c: normal(0, 1) }, { betterIs: 'lower' }))).toBe(
      'E_INVALID_ARGUMENT',
    ); // Monte Carlo needs an rng
    expect(code(() => rankCandidates({ a: { family: 'normal', mean: 0, sd: -1 } as Dist }, { betterIs: 'lower' }))).toBe(
      'E_INVALID_ARGUMENT',
    );
    expect(code(() => rankCandidates({ a: normal(0, 1) }, { betterIs: 'lower', draws: 0 }))).toBe('E_INVALID_ARGUMENT');
    // no finite mean (Cauchy) or sd (df = 2): refused, not reported as NaN or Infinity
    for (const df of [1, 2]) {
      const t: Dist = { family: 'studentT', df, location: 0, scale: 1 };
      expect(code(() => rankCandidates({ a: t, b: normal(0, 1), c: normal(1, 1) }, { betterIs: 'lower', rng: 1 }))).toBe('E_INVALID_ARGUMENT');
    }
  });
});

describe('planValidation', () => {
  const ranking = (ps: Record<string, number>): CandidateRanking => ({
    betterIs: 'lower',
    scale: 'difference',
    method: 'monteCarlo',
    level: 0.95,
    candidates: Object.entries(ps).map(([id, p], i) => ({
      id,
      rank: i + 1,
      mean: -1,
      sd: 1,
      median: -1,
      interval: [-3, 1] as const,
      probBest: p,
      probBetterThanControl: 0.8,
    })),
  });

  it("the paper's case: magnesium (0.30) and sleep regularity (0.32) are tested against placebo", () => {
    const d = planValidation(ranking({ sleepRegularity: 0.32, magnesium: 0.3, riboflavin: 0.2 - 1e-9, coenzymeQ10: 0.18 + 1e-9 }));
    expect(d.action).toBe('trial');
    expect(d.candidates).toEqual(['sleepRegularity', 'magnesium']);
    expect(d.arms).toEqual(['sleepRegularity', 'magnesium', 'placebo']);
    expect(d.reason).toContain('sleepRegularity (32%)');
  });

  it('adopts a confident leader, caps the arms, and falls back to the leader alone', () => {
    const adopt = planValidation(ranking({ a: 0.95, b: 0.05 }));
    expect(adopt.action).toBe('adopt');
    expect(adopt.arms).toEqual([]);
    expect(adopt.leader).toBe('a');
    const capped = planValidation(ranking({ a: 0.3, b: 0.28, c: 0.22, d: 0.2 }), { maxArms: 3, control: 'usual care' });
    expect(capped.arms).toEqual(['a', 'b', 'c', 'usual care']);
    const none = planValidation(ranking({ a: 0.15, b: 0.15, c: 0.14, d: 0.14, e: 0.14, f: 0.14, g: 0.14 }));
    expect(none.candidates).toEqual(['a']);
    expect(none.reason).toContain('none reaches 20%');
    // Exactly at the thresholds counts (≥).
    expect(planValidation(ranking({ a: 0.9, b: 0.1 })).action).toBe('adopt');
    expect(planValidation(ranking({ a: 0.8, b: 0.2 })).candidates).toEqual(['a', 'b']);
  });

  it('rejects bad options with E_INVALID_ARGUMENT', () => {
    const r = ranking({ a: 0.6, b: 0.4 });
    expect(code(() => planValidation(r, { include: 0.95, confident: 0.9 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => planValidation(r, { include: 0 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => planValidation(r, { maxArms: 0 }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => planValidation(r, { control: 'a' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => planValidation({ ...r, candidates: [] }))).toBe('E_INVALID_ARGUMENT');
  });
});
