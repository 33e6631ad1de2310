/**
 * Warm cost of one small analysis (4 chains × 400 draws, the ESS ≥ 1000 settings of
 * docs/bench/models.md) and the share of it spent in summaries and diagnostics.
 * Run: npx tsx scripts/bench/small-analysis.ts
 */
import { readFileSync } from 'node:fs';
import { analyzeTrial } from '../../src/models/index.js';
import type { AnalyzeTrialInput } from '../../src/models/types.js';

const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/models.json', import.meta.url), 'utf8'));
for (const name of ['normal', 'washout', 'binomial', 'poisson']) {
  const inp = { ...(fx[name].input as AnalyzeTrialInput), mcmc: { chains: 4, draws: 400, warmup: 100, seed: 1 } };
  for (let i = 0; i < 30; i++) analyzeTrial(inp).diagnostics?.converged;
  const reps = 100;
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    analyzeTrial(inp);
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  // Reading every diagnostic (what a caller who inspects `converged` pays).
  const ts2: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    void analyzeTrial(inp).diagnostics?.converged;
    ts2.push(performance.now() - t0);
  }
  ts2.sort((a, b) => a - b);
  console.log(`${name}: median ${(ts[reps >> 1] as number).toFixed(3)} ms per analyzeTrial; reading converged too: ${(ts2[reps >> 1] as number).toFixed(3)} ms`);
}
