// CPU time per decision (select + update) of n1kit's bandits, several cases interleaved in one
// process in chunks of 2,000 decisions (the first fifth discarded as warm-up), so that the cost
// of reading the propensity can be read off against the default on a shared machine (CPU time,
// not wall time: pre-emption by other processes is not counted). Same setup as bandits_bench.ts.
// Usage:
//   npx tsx scripts/bench/bandits_cpu.ts [CASES] [DECISIONS]
// CASES: comma-separated, from thompson, thompson-read, thompson-draws1, thompson-floor, lints,
// lints-read, lints-draws1 (default: thompson,thompson-read,lints,lints-read); DECISIONS per
// case (default 60,000).
import * as adaptive from '../../src/adaptive/index.js';
import { createRng } from '../../src/rng/index.js';

const K = 10;
const D = 20;
const N = 4096;

type Selection = { arm: string; probabilities: Record<string, number> };
type Policy = {
  select(rng?: unknown, context?: number[]): Selection;
  update(arm: string, reward: number, context?: number[]): void;
};
const CASES: Record<string, [string, Record<string, unknown>, boolean, boolean]> = {
  thompson: ['thompsonSampling', {}, false, false],
  'thompson-read': ['thompsonSampling', {}, false, true],
  'thompson-draws1': ['thompsonSampling', { draws: 1 }, false, false],
  'thompson-floor': ['thompsonSampling', { minProbability: 0.01 }, false, true],
  lints: ['linearThompson', { dimension: D }, true, false],
  'lints-read': ['linearThompson', { dimension: D }, true, true],
  'lints-draws1': ['linearThompson', { dimension: D, draws: 1 }, true, false],
};

const gen = createRng('bench-inputs');
const contexts = Array.from({ length: N }, () => Array.from({ length: D }, () => gen.normal()));
const uniforms = Float64Array.from({ length: N }, () => gen.uniform());
const arms = Array.from({ length: K }, (_, i) => `arm${i}`);
const names = (process.argv[2] ?? 'thompson,thompson-read,lints,lints-read').split(',');
const total = Number(process.argv[3] ?? 60_000);
const make = adaptive as unknown as Record<string, (o: Record<string, unknown>) => Policy>;
const state = names.map((name) => {
  const spec = CASES[name];
  if (spec === undefined) throw new Error(`unknown case ${name}; one of ${Object.keys(CASES).join(', ')}`);
  const [fn, options, contextual, read] = spec;
  return { name, p: make[fn]!({ arms, seed: 7, ...options }), contextual, read, i: 0, cpu: 0, n: 0 };
});
let sink = 0;
const chunk = 2000;
for (let done = 0; done < total; done += chunk) {
  for (const s of state) {
    const c0 = process.cpuUsage();
    for (let t = 0; t < chunk; t++) {
      const j = s.i++ & (N - 1);
      const x = s.contextual ? contexts[j] : undefined;
      const sel = s.p.select(undefined, x);
      if (s.read) sink += sel.probabilities[sel.arm]!;
      const r = uniforms[j]! < 0.3 + 0.04 * Number(sel.arm.slice(3)) ? 1 : 0;
      s.p.update(sel.arm, r, x);
    }
    const c = process.cpuUsage(c0);
    if (done >= total / 5) {
      s.cpu += c.user + c.system;
      s.n += chunk;
    }
  }
}
if (sink < 0) throw new Error('unreachable');
for (const s of state) console.log(JSON.stringify({ case: s.name, cpuMicrosecondsPerDecision: s.cpu / s.n, perCpuSecond: 1e6 / (s.cpu / s.n) }));
