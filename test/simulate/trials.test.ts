// simulateTrials against a closed form: a normal outcome with known sigma and normal priors has
// a posterior mean linear in the two arm means, so P(success), E[posterior mean], the RMSE and
// the coverage of the 95% interval are normal probabilities. Monte Carlo tolerance: 4 MCSE.
import { describe, expect, it } from 'vitest';
import { cdf } from '../../src/distributions/index.js';
import { normalQuantileStd } from '../../src/distributions/special.js';
import {
  mergeSimulationPartials,
  runSimulationShard,
  simulateTrials,
  simulationShards,
  summarizeSimulation,
} from '../../src/simulate/index.js';
import type { SimulationSpec } from '../../src/simulate/index.js';
import { code } from '../helpers.js';

// Φ from @stdlib's normal cdf (through n1kit's Dist functions).
const Phi = (x: number): number => cdf({ family: 'normal', mean: 0, sd: 1 }, x);

/**
 * The closed form for y = α + β·[drug] + e, e ~ N(0, σ²), α ~ N(a0, t0²), β ~ N(m0, s0²),
 * n_d drug days and n_p placebo days (fixed by the design whatever its order).
 */
function closedForm(o: { nD: number; nP: number; sigma: number; a0: number; t0: number; m0: number; s0: number; base: number; delta: number; prob: number; threshold: number }) {
  const s2 = o.sigma ** 2;
  const n = o.nD + o.nP;
  // Posterior precision Q = P0 + X'X/σ²; its inverse by the 2×2 formula.
  const q11 = 1 / o.t0 ** 2 + n / s2;
  const q12 = o.nD / s2;
  const q22 = 1 / o.s0 ** 2 + o.nD / s2;
  const det = q11 * q22 - q12 * q12;
  const w1 = -q12 / det; // row 2 of Q⁻¹
  const w2 = q11 / det;
  const sdPost = Math.sqrt(w2);
  const c0 = w1 * (o.a0 / o.t0 ** 2) + w2 * (o.m0 / o.s0 ** 2);
  // μβ = c0 + [(w1 + w2)·n_d·ȳ_d + w1·n_p·ȳ_p]/σ²
  const cd = ((w1 + w2) * o.nD) / s2;
  const cp = (w1 * o.nP) / s2;
  const meanMu = c0 + cd * (o.base + o.delta) + cp * o.base;
  const sdMu = Math.sqrt(cd * cd * (s2 / o.nD) + cp * cp * (s2 / o.nP));
  const z = normalQuantileStd(o.prob);
  // lower is better: success ⟺ P(β < −t) ≥ prob ⟺ μβ ≤ −t − z·sd
  const power = Phi((-o.threshold - z * sdPost - meanMu) / sdMu);
  const rmse = Math.sqrt(sdMu ** 2 + (meanMu - o.delta) ** 2);
  const h = normalQuantileStd(0.975) * sdPost;
  const coverage = Phi((o.delta + h - meanMu) / sdMu) - Phi((o.delta - h - meanMu) / sdMu);
  return { power, meanMu, sdMu, rmse, coverage };
}

function spec(delta: number, threshold = 0, replicates = 1500, seed: string | number = 'cf'): SimulationSpec {
  return {
    design: { treatments: ['drug', 'placebo'], blocks: 3, periodDays: 7 },
    scenario: { outcome: 'normal', baseline: 10, effects: { drug: delta }, sd: 3 },
    analysis: {
      reference: 'placebo',
      betterIs: 'lower',
      model: { sigma: 3 },
      priors: { intercept: { family: 'normal', mean: 9, sd: 5 }, effects: { drug: { family: 'normal', mean: -0.5, sd: 1.5 } } },
    },
    decision: { probability: 0.9, threshold },
    replicates,
    seed,
  };
}
const cf = (delta: number, threshold = 0) =>
  closedForm({ nD: 21, nP: 21, sigma: 3, a0: 9, t0: 5, m0: -0.5, s0: 1.5, base: 10, delta, prob: 0.9, threshold });

describe('simulateTrials: power and type I error against the closed form', () => {
  for (const [label, delta, threshold] of [
    ['power', -1.5, 0],
    ['type I error', 0, 0],
    ['power against a margin', -2, 0.5],
  ] as const) {
    it(`${label} (effect ${delta}, threshold ${threshold}) within 4 MCSE; mcse is binomial`, async () => {
      const oc = await simulateTrials(spec(delta, threshold));
      const want = cf(delta, threshold);
      const a = oc.arms.drug!;
      const R = oc.replicates;
      expect(oc.method).toBe('exact');
      expect(oc.converged).toBe(1);
      expect(a.mcse).toBe(Math.sqrt((a.probSuccess * (1 - a.probSuccess)) / R));
      const se = Math.sqrt((want.power * (1 - want.power)) / R);
      expect(Math.abs(a.probSuccess - want.power)).toBeLessThan(4 * se);
      expect(Math.abs(a.meanEstimate - want.meanMu)).toBeLessThan((4 * want.sdMu) / Math.sqrt(R));
      expect(a.bias).toBeCloseTo(a.meanEstimate - delta, 12);
      // RMSE²: mean of squares; its MC sd is about √2·rmse²/√R for near-normal errors.
      expect(Math.abs(a.rmse ** 2 - want.rmse ** 2)).toBeLessThan((4 * Math.SQRT2 * want.rmse ** 2) / Math.sqrt(R));
      const cse = Math.sqrt((want.coverage * (1 - want.coverage)) / R);
      expect(Math.abs(a.coverage - want.coverage)).toBeLessThan(4 * cse);
      expect(oc.meanDays).toBe(42);
      expect(oc.plannedDays).toBe(42);
      expect(oc.expectedDaysSaved).toBe(0);
    });
  }

  it('the closed form itself: power grows with the effect and the type I error is below 1 − probability', () => {
    expect(cf(0).power).toBeLessThan(0.1);
    expect(cf(-1.5).power).toBeGreaterThan(cf(-0.5).power);
  });
});

describe('deterministic sharding', () => {
  const s = spec(-1, 0, 60, 7);
  it('gives the same result, bit for bit, for any shard split and merge order', async () => {
    const one = await simulateTrials(s, { shardSize: 60 });
    const seven = await simulateTrials(s, { shardSize: 7 });
    const reversed = await simulateTrials(s, {
      shardSize: 11,
      executor: async (shards, o) => {
        const out = [];
        for (const sh of [...shards].reverse()) {
          const p = await runSimulationShard(sh);
          o.onShardDone?.(p);
          out.push(p);
        }
        return out;
      },
    });
    expect(seven).toEqual(one);
    expect(reversed).toEqual(one);
    // Partials are plain data: a JSON round trip (as through a queue) changes nothing.
    const parts = await Promise.all(simulationShards(s, 13).map((sh) => runSimulationShard(JSON.parse(JSON.stringify(sh)))));
    const merged = mergeSimulationPartials(JSON.parse(JSON.stringify(parts.reverse())));
    expect(summarizeSimulation(s, merged)).toEqual(one);
    // A different seed gives a different result.
    expect(await simulateTrials({ ...s, seed: 8 })).not.toEqual(one);
  });

  it('refuses overlapping or incomplete partials', async () => {
    const [a, b] = await Promise.all(simulationShards(s, 30).map((sh) => runSimulationShard(sh)));
    expect(code(() => mergeSimulationPartials([a!, a!]))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => summarizeSimulation(s, a!))).toBe('E_INVALID_ARGUMENT');
    expect(summarizeSimulation(s, mergeSimulationPartials([b!, a!])).replicates).toBe(60);
  });

  it('reports progress and aborts via the signal', async () => {
    const seen: number[] = [];
    await simulateTrials(spec(-1, 0, 30), { onProgress: (d, t) => seen.push(d / t) });
    expect(seen).toHaveLength(30);
    expect(seen[29]).toBe(1);
    const ac = new AbortController();
    const run = simulateTrials(spec(-1, 0, 100_000), {
      signal: ac.signal,
      onProgress: (d) => {
        if (d === 50) ac.abort(new Error('stop now'));
      },
    });
    await expect(run).rejects.toThrow('stop now');
    const pre = new AbortController();
    pre.abort();
    await expect(simulateTrials(spec(-1), { signal: pre.signal })).rejects.toBeDefined();
  });
});

describe('adaptive designs and other families', () => {
  it('early stopping saves days; adaptive allocation gives the better arm more periods', async () => {
    const base: SimulationSpec = {
      design: { treatments: ['drug', 'placebo'], blocks: 4, periodDays: 7 },
      scenario: { outcome: 'normal', baseline: 10, effects: { drug: -2 }, sd: 3 },
      analysis: { reference: 'placebo', betterIs: 'lower', model: { sigma: 3 } },
      replicates: 200,
      seed: 'adapt',
    };
    const fixed = await simulateTrials(base);
    const stop = await simulateTrials({ ...base, adaptive: { stopWhenConfident: 0.95 } });
    expect(fixed.expectedDaysSaved).toBe(0);
    expect(stop.stoppedEarly).toBeGreaterThan(0.3);
    expect(stop.meanDays).toBeLessThan(fixed.meanDays);
    expect(stop.expectedDaysSaved).toBeCloseTo(56 - stop.meanDays, 12);
    // Every stopped trial stops at a period end after the first block: days are multiples of 7, ≥ 14.
    expect(stop.meanDays).toBeGreaterThanOrEqual(14);
    const alloc = await simulateTrials({ ...base, adaptive: { allocation: 'adaptiveNof1' } });
    expect(alloc.arms.drug!.meanPeriods).toBeGreaterThan(4);
    expect(fixed.arms.drug!.meanPeriods).toBe(4);
  });

  it('binomial and AR(1) replicates are sampled, with convergence counted', async () => {
    const oc = await simulateTrials({
      design: { treatments: ['drug', 'placebo'], blocks: 2, periodDays: 10 },
      scenario: { outcome: 'binomial', baseline: 0.4, effects: { drug: -1 } },
      analysis: { reference: 'placebo', betterIs: 'lower', mcmc: { chains: 2, draws: 200, warmup: 100 } },
      replicates: 6,
      seed: 'b',
    });
    expect(oc.method).toBe('mcmc');
    expect(oc.converged).toBeGreaterThanOrEqual(0);
    expect(oc.converged).toBeLessThanOrEqual(1);
    expect(oc.failed).toBe(0);
    expect(Number.isFinite(oc.arms.drug!.meanEstimate)).toBe(true);
  });

  it('counts replicates whose diary left an arm empty as failed, not as NaN', async () => {
    const oc = await simulateTrials({
      design: { treatments: ['drug', 'placebo'], blocks: 1, periodDays: 2 },
      scenario: { outcome: 'normal', baseline: 0, effects: {}, missing: 0.7 },
      analysis: { reference: 'placebo', betterIs: 'lower', model: { sigma: 1 } },
      replicates: 200,
      seed: 'm',
    });
    // P(an arm has no observation) = 1 − (1 − 0.7²)² = 0.7399.
    const p = 1 - (1 - 0.49) ** 2;
    expect(Math.abs(oc.failed / 200 - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 200));
    expect(Number.isFinite(oc.arms.drug!.rmse)).toBe(true);
  });

  it('refuses bad specs with E_INVALID_ARGUMENT', async () => {
    const s = spec(-1, 0, 10);
    const bad = async (x: unknown) => {
      try {
        await simulateTrials(x as SimulationSpec);
        return 'no error';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(await bad({ ...s, replicates: 0 })).toBe('E_INVALID_ARGUMENT');
    expect(await bad({ ...s, design: { ...s.design, seed: 1 } })).toBe('E_INVALID_ARGUMENT');
    expect(await bad({ ...s, analysis: { ...s.analysis, reference: 'nope' } })).toBe('E_INVALID_ARGUMENT');
    expect(await bad({ ...s, decision: { probability: 1.5 } })).toBe('E_INVALID_ARGUMENT');
    expect(await bad({ ...s, replicate: 3 })).toBe('E_INVALID_ARGUMENT');
    expect(await bad({ ...s, analysis: { ...s.analysis, priors: { effects: { drug: { family: 'beta', alpha: 1, beta: 1 } } } } })).toBe('E_INVALID_ARGUMENT');
  });
});
