// Select + update per second of n1kit's bandits: the n1kit side of bandits_compare.mjs, same
// setup as mabwiser_bench.py (10 arms, d = 20, Bernoulli rewards with P(1) = 0.3 + 0.04 × arm
// index from pre-drawn uniforms, cycled). Usage:
//   npx tsx scripts/bench/bandits_bench.ts CASE SECONDS [SRC_ROOT]
// SRC_ROOT (default: this repository) is a directory holding `src/`, e.g. an older commit
// extracted with `git archive <commit> src | tar -x -C /tmp/old` (for before/after figures).
// Prints one JSON line { case, perSecond, iterations }.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const K = 10;
const D = 20;
const N = 4096;

type Selection = { arm: string; probabilities: Record<string, number> };
type Policy = {
  select(rng?: unknown, context?: number[]): Selection;
  update(arm: string, reward: number, context?: number[]): void;
};

const CASES: Record<string, { make: string; options: Record<string, unknown>; contextual: boolean; read: boolean }> = {
  thompson: { make: 'thompsonSampling', options: {}, contextual: false, read: false },
  'thompson-read': { make: 'thompsonSampling', options: {}, contextual: false, read: true },
  'thompson-floor': { make: 'thompsonSampling', options: { minProbability: 0.01 }, contextual: false, read: true },
  'thompson-draws1': { make: 'thompsonSampling', options: { draws: 1 }, contextual: false, read: false },
  lints: { make: 'linearThompson', options: { dimension: D }, contextual: true, read: false },
  'lints-read': { make: 'linearThompson', options: { dimension: D }, contextual: true, read: true },
  'lints-floor': { make: 'linearThompson', options: { dimension: D, minProbability: 0.01 }, contextual: true, read: true },
  'lints-draws1': { make: 'linearThompson', options: { dimension: D, draws: 1 }, contextual: true, read: false },
  linucb: { make: 'linUCB', options: { dimension: D }, contextual: true, read: false },
};

async function main(): Promise<void> {
  const [name = 'thompson', secondsArg = '1', rootArg = '.'] = process.argv.slice(2);
  const spec = CASES[name];
  if (spec === undefined) throw new Error(`unknown case ${name}; one of ${Object.keys(CASES).join(', ')}`);
  const seconds = Number(secondsArg);
  const root = resolve(rootArg);
  const adaptive = await import(pathToFileURL(resolve(root, 'src/adaptive/index.ts')).href);
  const rngMod = await import(pathToFileURL(resolve(root, 'src/rng/index.ts')).href);
  const gen = rngMod.createRng('bench-inputs');
  const contexts = Array.from({ length: N }, () => Array.from({ length: D }, () => gen.normal() as number));
  const uniforms = Float64Array.from({ length: N }, () => gen.uniform() as number);
  const arms = Array.from({ length: K }, (_, i) => `arm${i}`);
  const policy = adaptive[spec.make]({ arms, seed: 7, ...spec.options }) as Policy;
  let sink = 0;
  const step = (i: number): void => {
    const j = i & (N - 1);
    const x = spec.contextual ? contexts[j] : undefined;
    const s = policy.select(undefined, x);
    if (spec.read) sink += s.probabilities[s.arm]!; // the logged propensity
    const r = uniforms[j]! < 0.3 + 0.04 * Number(s.arm.slice(3)) ? 1 : 0;
    policy.update(s.arm, r, x);
    sink += r;
  };
  let i = 0;
  const warm = performance.now() + 200 * seconds;
  while (performance.now() < warm) step(i++);
  const start = performance.now();
  let n = 0;
  for (;;) {
    step(i++);
    n++;
    if ((n & 15) === 0 && performance.now() - start >= 1000 * seconds) break;
  }
  const elapsed = (performance.now() - start) / 1000;
  if (sink < 0) throw new Error('unreachable');
  console.log(JSON.stringify({ case: name, perSecond: n / elapsed, iterations: n }));
}

await main();
