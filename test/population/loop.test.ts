import { describe, expect, it } from 'vitest';
import {
  analyzeTrial,
  createRng,
  type Dist,
  learnedEffectPrior,
  learnedPriorProvider,
  migrainePriorRequest,
  normal,
  privateEffectForPooling,
  startPersonalizationFrom,
  staticPriorProvider,
  type TrialObservation,
} from '../../src/index.js';
import { fixedDesign } from '../helpers.js';

const LFM = normal(-1.7, 1.3); // the static table's magnesium prior (migraine days per 30 days)
const SIGMA = 3;
const design = fixedDesign(['placebo', 'magnesium', 'magnesium', 'placebo'], 7);

function diary(rng: ReturnType<typeof createRng>, theta: number): TrialObservation[] {
  const out: TrialObservation[] = [];
  for (const p of design.periods) {
    for (let day = p.startDay; day <= p.endDay; day++) out.push({ day, value: 12 + (p.treatment === 'magnesium' ? theta : 0) + rng.normal(0, SIGMA) });
  }
  return out;
}

function posteriorMean(observations: TrialObservation[], prior: Dist): { mean: number; sd: number } {
  const fit = analyzeTrial({ design, observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower', priors: { effects: { magnesium: prior } }, model: { sigma: SIGMA } });
  const e = fit.effects.magnesium as { mean: number; sd: number };
  return { mean: e.mean, sd: e.sd };
}

describe('the loop: trials → DP releases → pool → better priors for later patients', () => {
  it('later patients’ posteriors are closer to their truth with the learned prior than with the LFM prior alone', () => {
    // The population differs from what the LFM believes: magnesium lowers migraine days by 4 on
    // average (sd 1 between patients), the LFM says 1.7 ± 1.3.
    const rng = createRng('population-loop');
    const N = 220;
    const burnIn = 100;
    const releases: { value: number; sd: number }[] = [];
    const diffs: number[] = [];
    for (let j = 0; j < N; j++) {
      const theta = rng.normal(-4, 1);
      const obs = diary(rng, theta);
      const prior = releases.length === 0 ? LFM : learnedEffectPrior(LFM, { releases }).prior;
      const withLfm = posteriorMean(obs, LFM);
      const withPool = posteriorMean(obs, prior);
      if (j >= burnIn) diffs.push((withLfm.mean - theta) ** 2 - (withPool.mean - theta) ** 2);
      // The patient's own data estimate (vague prior) is what is shared; its sd is fixed by
      // the design (known σ, 14 days per arm), so only the value is charged.
      const own = posteriorMean(obs, normal(0, 100));
      const shared = privateEffectForPooling({ estimate: own, bounds: [-12, 4], epsilon: 3, mechanism: 'laplace', sd: { release: 'public' } });
      releases.push({ value: shared.value, sd: shared.sd });
    }
    const m = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - m) ** 2, 0) / (diffs.length - 1));
    // The mean reduction in squared error must exceed 3 Monte Carlo standard errors.
    expect(m - 3 * (sd / Math.sqrt(diffs.length))).toBeGreaterThan(0);
  });

  it('keeps the LFM prior when the releases agree with it, and drops it when they contradict it', () => {
    const rng = createRng('population-weights');
    const agree = Array.from({ length: 200 }, () => ({ value: rng.normal(rng.normal(-1.7, 1.3), 2), sd: 2 }));
    const conflict = Array.from({ length: 200 }, () => ({ value: rng.normal(rng.normal(1, 0.5), 2), sd: 2 }));
    const a = learnedEffectPrior(LFM, { releases: agree });
    const c = learnedEffectPrior(LFM, { releases: conflict });
    expect(a.weights.base).toBeGreaterThan(0.5);
    expect(c.weights.base).toBeLessThan(1e-6);
    // The Bayes factor is the pooled evidence minus the LFM-as-population evidence, which for a
    // normal LFM prior is Σ log N(y_i; −1.7, 1.3² + s_i²) (closed form).
    let l1 = 0;
    for (const r of agree) {
      const v = 1.3 * 1.3 + r.sd * r.sd;
      l1 += -0.5 * (Math.log(2 * Math.PI * v) + (r.value + 1.7) ** 2 / v);
    }
    expect(a.logBayesFactor).toBeCloseTo(a.pooled.logEvidence - l1, 9);
    const odds = Math.exp(-a.logBayesFactor);
    expect(a.weights.base).toBeCloseTo(odds / (1 + odds), 12);
  });

  it('drives the hybrid pipeline through learnedPriorProvider', async () => {
    const rng = createRng('population-provider');
    const releases = Array.from({ length: 300 }, () => ({ value: rng.normal(rng.normal(-5, 1), 2), sd: 2 }));
    const provider = learnedPriorProvider({ base: staticPriorProvider(), releases: (c) => (c === 'magnesium' ? { releases } : undefined) });
    const base = await staticPriorProvider().elicit(migrainePriorRequest());
    const plan = await startPersonalizationFrom({ provider, request: migrainePriorRequest(), betterIs: 'lower', seed: 'p' });
    const learned = plan.prior.effects.magnesium as Dist;
    expect(learned.family).toBe('mixture');
    // Other candidates keep the LFM's prior; magnesium now ranks first.
    expect(plan.prior.effects.riboflavin).toEqual(base.effects.riboflavin);
    expect(plan.ranking.candidates[0]?.id).toBe('magnesium');
  });
});

describe('learnedPriorProvider and learnedEffectPrior: bad input', () => {
  const releases = [{ value: -2, sd: 1 }];
  it.each([
    ['no base provider', () => learnedPriorProvider({ base: {} as never, releases: () => undefined })],
    ['releases not a function', () => learnedPriorProvider({ base: staticPriorProvider(), releases: [] as never })],
    ['an unknown option', () => learnedPriorProvider({ base: staticPriorProvider(), releases: () => undefined, weight: 1 } as never)],
    ['a bad base weight', () => learnedPriorProvider({ base: staticPriorProvider(), releases: () => undefined, baseWeight: 2 })],
    ['a Student-t mean prior', () => learnedPriorProvider({ base: staticPriorProvider(), releases: () => undefined, meanPrior: { family: 'studentT', df: 3, location: 0, scale: 1 } })],
    ['a non-normal base prior', () => learnedEffectPrior({ family: 'gamma', shape: 2, rate: 1 }, { releases })],
    ['both releases and groups', () => learnedEffectPrior(LFM, { releases, groups: [] } as never)],
    ['no releases', () => learnedEffectPrior(LFM, { releases: [] })],
  ])('%s', (_, f) => {
    let c = 'no error';
    try {
      f();
    } catch (e) {
      c = (e as { code: string }).code;
    }
    expect(c).toBe('E_INVALID_ARGUMENT');
  });
});
