#!/usr/bin/env node
/**
 * Cold start of analyzeTrial: in fresh Node processes, the time to import the built package
 * (dist/index.js), the first analyzeTrial call, and the median of 20 warm calls after it, both as
 * wall time and as CPU time of the process (process.cpuUsage: on a shared machine the wall time
 * of a single call includes time the process waited for a core).
 * Needs `npm run build` first. Run: node scripts/bench/cold-start.mjs [processes=5]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const n = Number(process.argv[2] ?? 5);
if (process.argv[3] === '--child') {
  const name = process.argv[4];
  const fx = JSON.parse(readFileSync(join(root, 'test/fixtures/models.json'), 'utf8'));
  const t0 = performance.now();
  const { analyzeTrial } = await import(pathToFileURL(join(root, 'dist/index.js')).href);
  const cpu = (u) => (u.user + u.system) / 1000;
  const inp = { ...fx[name].input, mcmc: { chains: 4, draws: 400, warmup: 100, seed: 1 } };
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  analyzeTrial(inp);
  const t2 = performance.now();
  const firstCpu = cpu(process.cpuUsage(c1));
  const warm = [];
  const warmCpu = [];
  for (let i = 0; i < 20; i++) {
    const c = process.cpuUsage();
    const a = performance.now();
    analyzeTrial(inp);
    warm.push(performance.now() - a);
    warmCpu.push(cpu(process.cpuUsage(c)));
  }
  warm.sort((a, b) => a - b);
  warmCpu.sort((a, b) => a - b);
  console.log(JSON.stringify({ name, importMs: t1 - t0, firstMs: t2 - t1, warmMs: warm[10], firstCpu, warmCpu: warmCpu[10] }));
} else {
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log('| case | import (wall) | first call wall / CPU | warm call wall / CPU (median of 20) | first / warm, CPU |');
  console.log('|---|---:|---:|---:|---:|');
  for (const name of ['normal', 'normalKnownSigma', 'binomial', 'poisson']) {
    const rs = [];
    for (let i = 0; i < n; i++) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(n), '--child', name], { encoding: 'utf8' });
      rs.push(JSON.parse(out));
    }
    const imp = med(rs.map((r) => r.importMs));
    const first = med(rs.map((r) => r.firstMs));
    const warm = med(rs.map((r) => r.warmMs));
    const fc = med(rs.map((r) => r.firstCpu));
    const wc = med(rs.map((r) => r.warmCpu));
    console.log(`| ${name} | ${imp.toFixed(0)} ms | ${first.toFixed(1)} / ${fc.toFixed(1)} ms | ${warm.toFixed(2)} / ${wc.toFixed(2)} ms | ${(fc / wc).toFixed(1)}× |`);
  }
}
