import { afterAll, bench, describe } from 'vitest';
import {
  type PopulationPrior,
  cachedPriorProvider,
  migrainePriorRequest,
  parseElicitedEffects,
  rankCandidates,
  simulateMigraineDiary,
  startPersonalization,
  staticPriorProvider,
  updatePersonalization,
} from '../src/index.js';

// Inputs are built before timing; results are consumed so the engine cannot drop the work.
const request = migrainePriorRequest({ ageBand: '30-39' });
const provider = staticPriorProvider();
const cached = cachedPriorProvider(provider);
const prior: PopulationPrior = await provider.elicit(request);
const plan = startPersonalization({ prior, betterIs: 'lower', seed: 'bench', mcid: 2 });
const diary = simulateMigraineDiary(plan.design!, { coding: 'daysPer30', effects: { magnesium: -7, sleepRegularity: -1 }, rng: 'bench-diary' });
const answer = `\`\`\`json\n${JSON.stringify({
  effects: Object.fromEntries(request.candidates.map((c, i) => [c.id, { mean: -1 - 0.1 * i, sd: 1 + 0.1 * i }])),
})}\n\`\`\``;
const ids = request.candidates.map((c) => c.id);
let sink = 0;
await cached.elicit(request);

describe('priors', () => {
  bench('staticPriorProvider.elicit (4 candidates)', async () => {
    sink += Object.keys((await provider.elicit(request)).effects).length;
  });
  bench('cachedPriorProvider.elicit, cache hit', async () => {
    sink += Object.keys((await cached.elicit(request)).effects).length;
  });
  bench('parseElicitedEffects, code-fenced answer (4 candidates)', () => {
    sink += parseElicitedEffects(answer, ids).magnesium?.mean ?? 0;
  });
});

describe('pipeline', () => {
  bench('rankCandidates, 4 normal candidates, 20000 draws', () => {
    sink += rankCandidates(prior, { betterIs: 'lower', rng: 'bench-rank' }).candidates[0]?.probBest ?? 0;
  });
  bench('startPersonalization (rank + plan + design)', () => {
    sink += startPersonalization({ prior, betterIs: 'lower', seed: 'bench', mcid: 2 }).design?.totalDays ?? 0;
  });
  bench('updatePersonalization, 84 daily entries, 3 arms (2 MCMC analyses)', () => {
    sink += updatePersonalization(plan, diary).recommendation.probBest;
  }, { iterations: 10, time: 2000 });
});

afterAll(() => {
  if (sink === Number.POSITIVE_INFINITY) console.log(sink);
});
