// Replicates per second of n1kit's simulateTrials: 1 thread, 2 worker threads, and a BullMQ
// queue served by 2 `n1kit worker` processes on a local redis-server; then the R loop.
// Usage: npm run build && npx tsx scripts/bench/simulate-speed.mts
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { simulateTrials as oneThread } from '../../src/simulate/index.js';
import { simulateOnQueue } from '../../src/simulate/queue.js';
import { simulateTrials } from '../../src/simulate/threads.js';
import { CASES } from './simulate-cases.js';

const ROOT = process.cwd();
const WORKER = join(ROOT, 'dist', 'simulate-worker.js');
const CLI = join(ROOT, 'dist', 'cli.js');
const N = { exact: 100_000, ar1: 1000, binomial: 2000 } as const;

async function rate(f: () => Promise<unknown>, n: number): Promise<number> {
  const t = performance.now();
  await f();
  return n / ((performance.now() - t) / 1000);
}

const port = 6390 + (process.pid % 500);
const url = `redis://127.0.0.1:${port}`;
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const workers: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, [CLI, 'worker', '--queue', url], { stdio: 'ignore' }));
await new Promise((r) => setTimeout(r, 2000));
const rows: Record<string, Record<string, number>> = {};
try {
  for (const k of ['exact', 'ar1', 'binomial'] as const) {
    const spec = CASES[k](N[k]);
    rows[k] = {
      one: await rate(() => oneThread(spec), N[k]),
      two: await rate(() => simulateTrials(spec, { workers: 2, workerUrl: WORKER }), N[k]),
      queue: await rate(() => simulateOnQueue(spec, { url, shardSize: Math.ceil(N[k] / 8) }), N[k]),
    };
  }
} finally {
  for (const w of workers) w.kill('SIGTERM');
  redis.kill('SIGTERM');
}
const r = JSON.parse(execFileSync('Rscript', [join(ROOT, 'scripts', 'bench', 'simulate-r-loop.R')], { encoding: 'utf8' }).trim()) as Record<string, number>;
console.log('| case | n1kit, 1 thread | n1kit, 2 workers | n1kit, queue (2 worker processes) | R loop | 2 workers / R |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const k of ['exact', 'ar1', 'binomial'] as const) {
  const x = rows[k]!;
  console.log(`| ${k} | ${x.one!.toFixed(0)} | ${x.two!.toFixed(0)} | ${x.queue!.toFixed(0)} | ${r[k]!.toFixed(0)} | ${(x.two! / r[k]!).toFixed(1)}× |`);
}
