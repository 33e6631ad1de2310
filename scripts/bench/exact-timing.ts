/**
 * Timing of analyzeTrial's exact path (normal, known sigma, no AR): 2 arms vs 3 arms.
 * Run: npx tsx scripts/bench/exact-timing.ts
 */
import { readFileSync } from 'node:fs';
import { analyzeTrial } from '../../src/models/index.js';
import type { AnalyzeTrialInput } from '../../src/models/types.js';

const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/models.json', import.meta.url), 'utf8'));
const three = fx.normalKnownSigma.input as AnalyzeTrialInput;
// Two arms: the same data with the 'sleep' days dropped and 'sleep' out of the design.
const d3 = three.design as unknown as { treatments: string[]; periods: { treatment: string; startDay: number; endDay: number }[] };
const sleepDays = new Set<number>();
for (const p of d3.periods) if (p.treatment === 'sleep') for (let d = p.startDay; d <= p.endDay; d++) sleepDays.add(d);
const periods2 = [] as typeof d3.periods;
for (const p of d3.periods) if (p.treatment !== 'sleep') periods2.push({ ...p });
const two: AnalyzeTrialInput = {
  ...three,
  design: { ...(three.design as object), treatments: ['magnesium', 'placebo'], periods: periods2 } as never,
  observations: (three.observations as { day: number }[]).filter((o) => !sleepDays.has(o.day)) as never,
  priors: { intercept: (three.priors as { intercept: unknown }).intercept, effects: { magnesium: (three.priors as { effects: { magnesium: unknown } }).effects.magnesium } } as never,
  thresholds: { magnesium: 0.5 },
};
function time(label: string, inp: AnalyzeTrialInput, reps: number): void {
  for (let i = 0; i < Math.min(50, reps); i++) analyzeTrial(inp);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) analyzeTrial(inp);
  const us = ((performance.now() - t0) / reps) * 1000;
  const r = analyzeTrial(inp);
  console.log(`${label}: ${us.toFixed(1)} µs per call; method ${r.method}; probBest ${JSON.stringify(r.probBest)}`);
}
time('exact, 2 arms', two, 2000);
time('exact, 3 arms (mixture prior: 2 combinations)', three, 200);
const threeNormal: AnalyzeTrialInput = { ...three, priors: { ...(three.priors as object), effects: { magnesium: { family: 'normal', mean: -0.5, sd: 1 }, sleep: { family: 'normal', mean: 0, sd: 2 } } } as never };
time('exact, 3 arms (normal priors)', threeNormal, 200);
