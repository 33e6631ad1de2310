/**
 * Before/after of the summaries and diagnostics on whole analyses: another copy of `src/` (e.g.
 * main's, unpacked elsewhere) and this tree's, loaded into one process, warmed, then timed call
 * by call in alternating order (ABBA) so that both see the same machine load. Reports, per
 * case, the median wall and CPU time (process.cpuUsage, which a loaded machine disturbs less)
 * of each copy and the median of the per-round CPU-time ratios. The first case times the
 * diagnostics and summaries alone: 64 parameters of 4 chains × 400 draws, diagnosed then
 * summarised as an analysis does. Run:
 *   git archive main src | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npx tsx bench/diagnostics-compare.ts /tmp/base/src [rounds]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { cpuUsage } from 'node:process';
import { pathToFileURL } from 'node:url';

type Models = typeof import('../src/models/index.js');
type Diag = typeof import('../src/models/diagnostics.js');
type Summ = typeof import('../src/models/summarize.js');

const baseDir = process.argv[2];
const rounds = Number(process.argv[3] ?? 100);
if (baseDir === undefined) throw new Error('usage: npx tsx bench/diagnostics-compare.ts <other src dir> [rounds]');
const other = (await import(pathToFileURL(`${baseDir}/models/index.ts`).href)) as Models;
const ours = (await import('../src/models/index.js')) as Models;
const otherParts = {
  d: (await import(pathToFileURL(`${baseDir}/models/diagnostics.ts`).href)) as Diag,
  s: (await import(pathToFileURL(`${baseDir}/models/summarize.ts`).href)) as Summ,
};
const ourParts = { d: (await import('../src/models/diagnostics.js')) as Diag, s: (await import('../src/models/summarize.js')) as Summ };
const fx = JSON.parse(readFileSync(new URL('../test/fixtures/models.json', import.meta.url), 'utf8')) as Record<string, { input: never }>;

const rng = (await import('../src/rng/index.js')).createRng('diagnostics-compare');
const sets = Array.from({ length: 64 }, (_, k) =>
  Array.from({ length: 4 }, () => {
    const a = new Float64Array(400);
    let x = 0;
    for (let i = 0; i < 400; i++) {
      x = 0.3 * (k % 3) * x + rng.normal();
      a[i] = x;
    }
    return a;
  }),
);
let sink = 0;
let at = 0;
const perParameter = (p: { d: Diag; s: Summ }): void => {
  for (let i = 0; i < 64; i++) {
    const c = sets[at++ & 63] as Float64Array[];
    sink += p.d.diagnoseRaw(c).essBulk + p.s.summarizeDraws(p.s.concat(c), 'higher').median;
  }
};

const mcmc = (seed: number) => ({ chains: 4, draws: 400, warmup: 100, seed });
const cases: [string, (m: Models, seed: number) => unknown][] = [
  ['64 parameters: diagnoseRaw + summarizeDraws of 4 x 400 draws each', (m) => perParameter(m === ours ? ourParts : otherParts)],
  ['normal, 3 arms (4 x 400, warm-up 100)', (m, s) => m.analyzeTrial({ ...(fx.normal!.input as object), mcmc: mcmc(s) } as never)],
  ['binomial (4 x 400, warm-up 100)', (m, s) => m.analyzeTrial({ ...(fx.binomial!.input as object), mcmc: mcmc(s) } as never)],
  ['series of 8 (4 x 400, warm-up 100)', (m, s) => m.analyzeSeries({ ...(fx.series!.input as object), mcmc: mcmc(s) } as never)],
];

const median = (x: number[]): number => {
  const s = [...x].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
function timed(f: () => unknown): [wall: number, cpu: number] {
  const c0 = cpuUsage();
  const t0 = performance.now();
  f();
  const wall = performance.now() - t0;
  const c = cpuUsage(c0);
  return [wall, (c.user + c.system) / 1000];
}
for (const [name, f] of cases) {
  for (let i = 0; i < 20; i++) {
    f(other, i);
    f(ours, i);
  }
  const w = { other: [] as number[], ours: [] as number[] };
  const c = { other: [] as number[], ours: [] as number[] };
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['other', 'ours'] as const) : (['ours', 'other'] as const);
    const cpu: Record<string, number> = {};
    for (const key of order) {
      const [wt, ct] = timed(() => f(key === 'other' ? other : ours, 1000 + r));
      w[key].push(wt);
      c[key].push(ct);
      cpu[key] = ct;
    }
    ratios.push((cpu.other as number) / (cpu.ours as number));
  }
  console.log(
    `${name}: other ${median(w.other).toFixed(2)} ms wall / ${median(c.other).toFixed(2)} ms CPU; ` +
      `this tree ${median(w.ours).toFixed(2)} ms wall / ${median(c.ours).toFixed(2)} ms CPU; ` +
      `median CPU ratio ${median(ratios).toFixed(2)}x`,
  );
}
if (sink === 0) console.log('');
