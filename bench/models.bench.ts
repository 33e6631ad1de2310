/**
 * Speed of the N-of-1 models on the JAGS fixture data (test/fixtures/models.json), with the
 * MCMC settings that reach ESS ≥ 1000 for every effect. Run:
 *   npx vitest bench --run bench/models.bench.ts
 * At load it prints, per scenario, n1kit's smallest effect ESS (min of bulk and tail) and
 * JAGS's on its own draws (test/fixtures/models-jags-bench.json, same estimator), with JAGS's
 * wall time, so ESS per second can be compared on one yardstick (docs/bench/models.md).
 */
import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { analyzeSeries, analyzeTrial, essBulk, essTail } from '../src/models/index.js';
import type { AnalyzeSeriesInput, AnalyzeTrialInput } from '../src/models/index.js';
import { bigSeries } from './models-data.js';

const fx = JSON.parse(readFileSync(new URL('../test/fixtures/models.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: AnalyzeTrialInput & AnalyzeSeriesInput }
>;
const jags = JSON.parse(readFileSync(new URL('../test/fixtures/models-jags-bench.json', import.meta.url), 'utf8')) as Record<
  string,
  { elapsedSeconds: number[]; draws: Record<string, number[][]> }
>;

const scenarios = [
  { name: 'normal', draws: 400, warmup: 100 },
  { name: 'ar1', draws: 400, warmup: 150 },
  { name: 'binomial', draws: 400, warmup: 100 },
  { name: 'poisson', draws: 500, warmup: 150 },
  { name: 'series', draws: 400, warmup: 100 },
] as const;

function run(name: string, draws: number, warmup: number, seed: number) {
  const input = fx[name]!.input;
  const mcmc = { chains: 4, draws, warmup, seed };
  return name === 'series' ? analyzeSeries({ ...input, mcmc }) : analyzeTrial({ ...input, mcmc });
}

for (const s of scenarios) {
  const r = run(s.name, s.draws, s.warmup, 1);
  const ours = Math.min(...Object.values(r.diagnostics!.ess));
  const j = jags[s.name]!;
  const jEss = Math.min(...Object.values(j.draws).map((ch) => Math.min(essBulk(ch), essTail(ch))));
  const jTime = [...j.elapsedSeconds].sort((a, b) => a - b)[1]!;
  console.log(
    `[models.bench] ${s.name}: n1kit min effect ESS ${Math.round(ours)} (4 x ${s.draws} draws, warm-up ${s.warmup}); ` +
      `JAGS min effect ESS ${Math.round(jEss)} in ${jTime.toFixed(3)} s (median of 3) = ${Math.round(jEss / jTime)} ESS/s`,
  );
}

/** Consumed after each run so the engine cannot drop the work. */
const sink = { total: 0 };

describe('models', () => {
  for (const s of scenarios) {
    let seed = 0;
    bench(`${s.name} (4 chains x ${s.draws}, warm-up ${s.warmup})`, () => {
      const r = run(s.name, s.draws, s.warmup, seed++);
      sink.total += r.probBest[fx[s.name]!.input.reference] ?? 0;
    }, { time: 1500, warmupTime: 300 });
  }
});

const big = { normal: bigSeries(1000, 'normal'), poisson: bigSeries(200, 'poisson') };

describe('large series', () => {
  for (const [name, input] of Object.entries(big)) {
    let seed = 0;
    bench(`${name} series of ${input.trials.length} patients (4 chains x 400, warm-up 100)`, () => {
      const r = analyzeSeries({ ...input, mcmc: { chains: 4, draws: 400, warmup: 100, seed: seed++ } });
      sink.total += r.probBest.placebo ?? 0;
    }, { time: 3000, iterations: 3, warmupIterations: 1 });
  }
});
