/**
 * Before/after timings of this branch's speed items, interleaved in one process so that the
 * load of a shared machine hits both alike: the baseline is a copy of src/ at a given commit
 * (`git archive <commit> src | tar -x -C <dir>`), the candidate is this worktree's src/.
 * Run: npx tsx scripts/bench/ab-items.ts <baseline dir containing src/>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Analyze = (i: unknown) => { diagnostics?: { converged: boolean } };
const baseDir = process.argv[2] as string;
const base = (await import(pathToFileURL(join(baseDir, 'src/models/index.ts')).href)) as { analyzeTrial: Analyze };
const cand = (await import(new URL('../../src/models/index.ts', import.meta.url).href)) as { analyzeTrial: Analyze };
const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/models.json', import.meta.url), 'utf8'));

const mc = { chains: 4, draws: 400, warmup: 100, seed: 1 };
const cases: [string, unknown][] = [
  ['exact, 3 arms (normalKnownSigma)', fx.normalKnownSigma.input],
  [
    'exact, 3 arms, normal priors',
    { ...fx.normalKnownSigma.input, priors: { ...fx.normalKnownSigma.input.priors, effects: { magnesium: { family: 'normal', mean: -0.5, sd: 1 }, sleep: { family: 'normal', mean: 0, sd: 2 } } } },
  ],
  ['normal 3 arms, 4 × 400 (MCMC)', { ...fx.normal.input, mcmc: mc }],
  ['washout, 4 × 400', { ...fx.washout.input, mcmc: mc }],
  ['binomial, 4 × 400', { ...fx.binomial.input, mcmc: mc }],
  ['poisson, 4 × 400', { ...fx.poisson.input, mcmc: mc }],
];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
console.log('| case | before (ms) | after (ms) | after, reading `converged` (ms) | speed-up |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, inp] of cases) {
  for (let i = 0; i < 10; i++) {
    base.analyzeTrial(inp);
    cand.analyzeTrial(inp);
  }
  const tb: number[] = [];
  const tc: number[] = [];
  const tcc: number[] = [];
  for (let i = 0; i < 40; i++) {
    let t = performance.now();
    base.analyzeTrial(inp).diagnostics?.converged;
    tb.push(performance.now() - t);
    t = performance.now();
    cand.analyzeTrial(inp);
    tc.push(performance.now() - t);
    t = performance.now();
    void cand.analyzeTrial(inp).diagnostics?.converged;
    tcc.push(performance.now() - t);
  }
  const b = median(tb);
  const c = median(tc);
  console.log(`| ${name} | ${b.toFixed(3)} | ${c.toFixed(3)} | ${median(tcc).toFixed(3)} | ${(b / c).toFixed(1)}× |`);
}
