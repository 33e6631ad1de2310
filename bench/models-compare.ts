/**
 * Side-by-side timing of two copies of the models (e.g. main's `src/` unpacked elsewhere and
 * this tree's), interleaved round by round so both see the same machine load. Run:
 *   git archive main src | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npx tsx bench/models-compare.ts /tmp/base/src [rounds] [case-name-prefix]
 * Prints the median wall time per case for each copy and their ratio.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { bigSeries } from './models-data.js';

type Models = typeof import('../src/models/index.js');

const baseDir = process.argv[2];
const rounds = Number(process.argv[3] ?? 5);
if (baseDir === undefined) throw new Error('usage: npx tsx bench/models-compare.ts <other src dir> [rounds]');
const other = (await import(pathToFileURL(`${baseDir}/models/index.ts`).href)) as Models;
const ours = (await import('../src/models/index.js')) as Models;
const fx = JSON.parse(readFileSync(new URL('../test/fixtures/models.json', import.meta.url), 'utf8')) as Record<string, { input: never }>;

const allCases: [string, (m: Models, seed: number) => unknown][] = [
  ['normal (4 x 400, warm-up 100)', (m, seed) => m.analyzeTrial({ ...(fx.normal!.input as object), mcmc: { chains: 4, draws: 400, warmup: 100, seed } } as never)],
  ['ar1 (4 x 400, warm-up 150)', (m, seed) => m.analyzeTrial({ ...(fx.ar1!.input as object), mcmc: { chains: 4, draws: 400, warmup: 150, seed } } as never)],
  ['binomial (4 x 400, warm-up 100)', (m, seed) => m.analyzeTrial({ ...(fx.binomial!.input as object), mcmc: { chains: 4, draws: 400, warmup: 100, seed } } as never)],
  ['poisson (4 x 500, warm-up 150)', (m, seed) => m.analyzeTrial({ ...(fx.poisson!.input as object), mcmc: { chains: 4, draws: 500, warmup: 150, seed } } as never)],
  ['series of 8 (4 x 400, warm-up 100)', (m, seed) => m.analyzeSeries({ ...(fx.series!.input as object), mcmc: { chains: 4, draws: 400, warmup: 100, seed } } as never)],
  ['normal series of 1000 (4 x 400, warm-up 100)', (m, seed) => m.analyzeSeries({ ...bigSeries(1000, 'normal'), mcmc: { chains: 4, draws: 400, warmup: 100, seed } })],
  ['poisson series of 200 (4 x 400, warm-up 100)', (m, seed) => m.analyzeSeries({ ...bigSeries(200, 'poisson'), mcmc: { chains: 4, draws: 400, warmup: 100, seed } })],
];

const cases = allCases.filter(([n]) => n.startsWith(process.argv[4] ?? ''));
const median = (x: number[]): number => {
  const s = [...x].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
for (const [name, f] of cases) {
  f(other, 0);
  f(ours, 0);
  const t: { other: number[]; ours: number[] } = { other: [], ours: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [key, m] of [['other', other], ['ours', ours]] as const) {
      const t0 = performance.now();
      f(m, r + 1);
      t[key].push(performance.now() - t0);
    }
  }
  const a = median(t.other);
  const b = median(t.ours);
  console.log(`${name}: other ${a.toFixed(1)} ms, this tree ${b.toFixed(1)} ms, ratio ${(a / b).toFixed(2)}x`);
}
