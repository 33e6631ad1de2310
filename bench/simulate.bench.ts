// Replicates per second of simulateTrials (exact, AR(1), binomial) in one thread and on two
// worker threads (needs `npm run build` for dist/simulate-worker.js). The queue and the R loop
// side by side: scripts/bench/simulate-speed.mts (figures in docs/bench/simulate.md).
// Run: npm run build && npx vitest bench --run bench/simulate.bench.ts
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { simulateTrials as oneThread } from '../src/simulate/index.js';
import { simulateTrials } from '../src/simulate/threads.js';
import { CASES } from '../scripts/bench/simulate-cases.js';

const WORKER = join(process.cwd(), 'dist', 'simulate-worker.js');
const N = { exact: 1000, ar1: 40, binomial: 40 } as const;
const opts = { iterations: 3, warmupIterations: 0, time: 0 };

for (const k of ['exact', 'ar1', 'binomial'] as const) {
  describe(`simulateTrials ${k}, ${N[k]} replicates per iteration`, () => {
    const spec = CASES[k](N[k]);
    bench('1 thread', async () => {
      await oneThread(spec);
    }, opts);
    if (existsSync(WORKER)) {
      bench('2 worker threads', async () => {
        await simulateTrials(spec, { workers: 2, workerUrl: WORKER });
      }, opts);
    }
  });
}
