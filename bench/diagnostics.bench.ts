/**
 * Speed of the per-parameter summaries and MCMC diagnostics of an analysis (4 chains × 400
 * draws, the ESS ≥ 1000 settings of docs/bench/models.md). Run:
 *   npx vitest bench --run bench/diagnostics.bench.ts
 * Draws are made before timing; 64 sets are cycled so that no kept sort of an earlier call
 * applies, except in the "summaries after the diagnostics" case, which is how an analysis
 * calls them (one sort shared per parameter).
 */
import { bench, describe } from 'vitest';
import { diagnoseRaw } from '../src/models/diagnostics.js';
import { concat, summarizeDraws } from '../src/models/summarize.js';
import { createRng } from '../src/rng/index.js';

const rng = createRng('diagnostics-bench');
const sets = Array.from({ length: 64 }, (_, s) =>
  Array.from({ length: 4 }, () => {
    const a = new Float64Array(400);
    let x = 0;
    for (let i = 0; i < 400; i++) {
      x = 0.3 * (s % 3) * x + rng.normal();
      a[i] = x;
    }
    return a;
  }),
);
const pooled = sets.map(concat);
/** Consumed after each run so the engine cannot drop the work. */
const sink = { total: 0 };

describe('summaries and diagnostics of one parameter (4 x 400 draws)', () => {
  let k = 0;
  bench('diagnoseRaw (R-hat, bulk and tail ESS)', () => {
    sink.total += diagnoseRaw(sets[k++ & 63]!).essBulk;
  });
  bench('summarizeDraws', () => {
    sink.total += summarizeDraws(pooled[k++ & 63]!, 'higher').median;
  });
  bench('diagnoseRaw, then summarizeDraws of the same draws', () => {
    const c = sets[k++ & 63]!;
    sink.total += diagnoseRaw(c).rhat + summarizeDraws(concat(c), 'higher').median;
  });
});
