/**
 * Speed of the GLM independence sampler (src/models/kernels/glm-imh.ts) through `analyzeTrial`:
 * the simulator's default binomial analysis (84 days, 2 arms, 2 chains × 400 draws, warm-up
 * 200), the JAGS fixture's binomial and Poisson inputs (3 arms, 4 chains × 400, warm-up 100),
 * the planner alone (collapse, Laplace, pilot, k̂), and simulateTrials' binomial case.
 * Figures: docs/bench/models.md ("GLM sampler speed"). Run:
 *   npx vitest bench --run bench/glm.bench.ts
 */
import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { CASES } from '../scripts/bench/simulate-cases.js';
import { designTrial } from '../src/design/index.js';
import { prepareTrial } from '../src/models/data.js';
import type { ModelSpec } from '../src/models/engine.js';
import { analyzeTrial } from '../src/models/index.js';
import type { AnalyzeTrialInput, TrialObservation } from '../src/models/index.js';
import { planGlmImh } from '../src/models/kernels/glm-imh.js';
import { resolveCoefPriors, resolveTrialOptions } from '../src/models/trial.js';
import { createRng } from '../src/rng/index.js';
import { simulateTrials } from '../src/simulate/index.js';

const fx = JSON.parse(readFileSync(new URL('../test/fixtures/models.json', import.meta.url), 'utf8')) as Record<string, { input: AnalyzeTrialInput }>;

const design = designTrial({ treatments: ['drug', 'placebo'], blocks: 3, periodDays: 14, seed: 1 });
const rng = createRng('glm-bench');
const daily: TrialObservation[] = Array.from({ length: design.totalDays }, (_, day) => ({ day, value: rng.uniform() < 0.4 ? 1 : 0 }));
const bin84: AnalyzeTrialInput = { design, observations: daily, outcome: 'binomial', reference: 'placebo', betterIs: 'lower' };

function specOf(inp: AnalyzeTrialInput): ModelSpec {
  const data = prepareTrial('bench', inp.design, inp.observations, inp.outcome, inp.reference, { includeWashout: false, trend: false, uniqueDays: false });
  return { data, coef: resolveCoefPriors('bench', data, inp.outcome, resolveTrialOptions('bench', inp).coefPriors), autocorrelation: false };
}
const spec84 = specOf(bin84);

/** Consumed after each run so the engine cannot drop the work. */
const sink = { total: 0 };
const opts = { time: 1500, warmupTime: 300 };

describe('GLM independence sampler', () => {
  let seed = 0;
  bench('analyzeTrial binomial, 84 days, 2 arms (2 chains x 400, warm-up 200)', () => {
    sink.total += analyzeTrial({ ...bin84, mcmc: { chains: 2, draws: 400, warmup: 200, seed: seed++ } }).probBest.drug ?? 0;
  }, opts);
  for (const name of ['binomial', 'poisson'] as const) {
    bench(`analyzeTrial fixture ${name} (4 chains x 400, warm-up 100)`, () => {
      const inp = fx[name]!.input;
      sink.total += analyzeTrial({ ...inp, mcmc: { chains: 4, draws: 400, warmup: 100, seed: seed++ } }).probBest[inp.reference] ?? 0;
    }, opts);
  }
  bench('planGlmImh alone, binomial 84 days (collapse, Laplace, pilot, k̂)', () => {
    sink.total += planGlmImh(spec84, 'binomial', createRng(seed++)).paretoK;
  }, opts);
  bench('simulateTrials binomial case, 20 replicates (1 thread)', async () => {
    const r = await simulateTrials(CASES.binomial(20));
    sink.total += r.replicates;
  }, { iterations: 5, warmupIterations: 1, time: 0 });
});
