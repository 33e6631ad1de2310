// Worker threads (tinypool): the same result, bit for bit, for 1, 2 and 3 workers; abort.
// vitest runs the TS sources, so the worker entry is bundled with esbuild first (as tsup
// builds dist/simulate-worker.js for the package).
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulationSpec } from '../../src/simulate/index.js';
import { simulateTrials as simulateInThread } from '../../src/simulate/index.js';
import { planTrial, simulateTrials, threadExecutor } from '../../src/simulate/threads.js';
import { code } from '../helpers.js';

const WORKER = join(process.cwd(), 'out', 'test-simulate', 'simulate-worker.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [join(process.cwd(), 'src', 'simulate', 'worker.ts')],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
});

const spec: SimulationSpec = {
  design: { treatments: ['drug', 'placebo'], blocks: 2, periodDays: 7 },
  scenario: { outcome: 'normal', baseline: 10, effects: { drug: -1.5 }, sd: 3, rho: 0.3, carryover: { drug: { onset: 2, offset: 1 } } },
  analysis: { reference: 'placebo', betterIs: 'lower', model: { sigma: 3 } },
  replicates: 90,
  seed: 'threads',
};

describe('simulateTrials on worker threads', () => {
  it('gives identical results for 1, 2 and 3 workers and any shard size', async () => {
    const one = await simulateInThread(spec);
    const seen: number[] = [];
    const two = await simulateTrials(spec, { workers: 2, workerUrl: WORKER, onProgress: (d) => seen.push(d) });
    const three = await simulateTrials(spec, { workers: 3, workerUrl: WORKER, shardSize: 7 });
    expect(two).toEqual(one);
    expect(three).toEqual(one);
    expect(seen[seen.length - 1]).toBe(90);
    expect(one.arms.drug!.probSuccess).toBeGreaterThan(0.2);
  }, 30_000);

  it('aborts via the signal and refuses a missing worker file', async () => {
    const ac = new AbortController();
    const run = simulateTrials({ ...spec, replicates: 200_000 }, { workers: 2, workerUrl: WORKER, signal: ac.signal, shardSize: 500 });
    setTimeout(() => ac.abort(new Error('cancelled by the user')), 300);
    await expect(run).rejects.toThrow('cancelled by the user');
    expect(code(() => threadExecutor({ workers: 2, workerUrl: join(process.cwd(), 'nope.mjs') }))).toBe('E_INVALID_ARGUMENT');
  }, 30_000);

  it('planTrial on threads equals planTrial in one thread', async () => {
    const input = { ...spec, replicates: 40, search: { blocks: [1, 2] }, target: { power: 0.5 } };
    const a = await planTrial(input, { workers: 2, workerUrl: WORKER });
    const b = await planTrial(input);
    expect(a).toEqual(b);
  }, 30_000);
});
