// The queue end to end: a real redis-server on a loopback port, two `n1kit worker` processes,
// one killed (SIGKILL) mid-shard. BullMQ's stalled-job check hands its shard to the other
// worker and the merged result equals the one-thread result, bit for bit.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationSpec } from '../../src/simulate/index.js';
import { simulateTrials } from '../../src/simulate/index.js';
import { queueExecutor, simulateOnQueue } from '../../src/simulate/queue.js';

const ROOT = process.cwd();
const DIR = join(ROOT, 'out', 'test-queue');
const CLI = join(DIR, 'cli.mjs');
let redis: ChildProcess | undefined;
let url = '';
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, ms = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${text}`)), ms);
    child[stream]?.on('data', (b: Buffer) => {
      text += b.toString();
      const m = pattern.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
  });
}

function worker(): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--lock-ms', '1000', '--stalled-ms', '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  return { child, log: () => log };
}

beforeAll(async () => {
  await build({ entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')], outfile: CLI, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor(redis, 'stdout', /Ready to accept connections/);
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  redis?.kill('SIGKILL');
});

const spec: SimulationSpec = {
  design: { treatments: ['drug', 'placebo'], blocks: 8, periodDays: 14 },
  scenario: { outcome: 'normal', baseline: 10, effects: { drug: -0.6 }, sd: 3, rho: 0.2 },
  analysis: { reference: 'placebo', betterIs: 'lower', model: { sigma: 3 } },
  replicates: 480,
  seed: 'queue',
};

describe('n1kit/queue on a real Redis with two worker processes', () => {
  it('a worker killed mid-shard loses no shard; the merged result is unchanged', async () => {
    const a = worker();
    const b = worker();
    await Promise.all([waitFor(a.child, 'stderr', /serving/), waitFor(b.child, 'stderr', /serving/)]);
    const want = await simulateTrials(spec);
    const done: number[] = [];
    const run = simulateOnQueue(spec, { url, shardSize: 60, onProgress: (d) => done.push(d) });
    const shardLine = await waitFor(a.child, 'stderr', /shard \d+-\d+/);
    a.child.kill('SIGKILL');
    const got = await run;
    expect(got).toEqual(want);
    expect(done[done.length - 1]).toBe(480);
    // The shard the killed worker held was run again by the other one.
    const range = shardLine.replace('shard ', '');
    expect(b.log()).toContain(`shard ${range}`);
    b.child.kill('SIGTERM');
  }, 60_000);

  it('n1kit simulate --queue equals the one-thread result; a bad URL is refused', async () => {
    const w = worker();
    await waitFor(w.child, 'stderr', /serving/);
    const dir = mkdtempSync(join(tmpdir(), 'n1kit-queue-'));
    const small = { ...spec, replicates: 60 };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(small));
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, 'simulate', join(dir, 'spec.json'), '--queue', url, '--shard-size', '20', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (x: Buffer) => {
        out += x.toString();
      });
      c.on('close', (code) => resolve({ code, stdout: out }));
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(await simulateTrials(small))));
    w.child.kill('SIGTERM');
    const bad = spawnSync(process.execPath, [CLI, 'simulate', join(dir, 'spec.json'), '--queue', 'http://x'], { encoding: 'utf8' });
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/E_INVALID_ARGUMENT/);
    expect(() => queueExecutor({ url: 'nope' })).toThrow(/redis/);
  }, 60_000);
});
