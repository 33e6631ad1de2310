// Decisions per second (one select + one update per iteration) for the adaptive policies, and
// the hand-written linear-algebra kernels against mathjs.
// Run: npx vitest bench --run bench/adaptive.bench.ts
import * as math from 'mathjs';
import { bench, describe } from 'vitest';
import { type BanditPolicy, linUCB, linearThompson, thompsonSampling } from '../src/adaptive/index.js';
import { cholesky, cholInverse, rankOneAdd, scaledIdentity, shermanMorrison } from '../src/linalg/dense.js';
import { createRng } from '../src/rng/index.js';

const K = 10;
const D = 20;
const ARMS = Array.from({ length: K }, (_, i) => `arm${i}`);
const N = 4096; // pre-generated contexts and rewards, cycled
const gen = createRng('bench-inputs');
const contexts = Array.from({ length: N }, () => Array.from({ length: D }, () => gen.normal()));
const uniforms = Float64Array.from({ length: N }, () => gen.uniform());
const opts = { time: 400, warmupTime: 100 };

function loop(p: BanditPolicy, contextual: boolean, readPropensity = false): () => void {
  const rng = createRng('bench-policy');
  let t = 0;
  let sink = 0;
  return () => {
    const i = t++ & (N - 1);
    const x = contextual ? contexts[i] : undefined;
    const s = p.select(rng, x);
    if (readPropensity) sink += s.probabilities[s.arm]!; // what an OPE log records
    const r = uniforms[i]! < 0.3 + 0.04 * ARMS.indexOf(s.arm) ? 1 : 0;
    p.update(s.arm, r, x);
    sink += r;
    if (sink < 0) throw new Error('unreachable');
  };
}

// The side-by-side figures against mabwiser come from scripts/bench/bandits_compare.mjs (it
// runs Python); these rows are the n1kit side alone, at the same setup.
describe('context-free: Beta–Bernoulli Thompson, 10 arms (select + update)', () => {
  bench('defaults (exact P(best), classical draw, propensities not read)', loop(thompsonSampling({ arms: ARMS }), false), opts);
  bench('defaults, propensity read every decision (numerical integration)', loop(thompsonSampling({ arms: ARMS }), false, true), opts);
  bench('minProbability 0.01 (exact P(best) before every draw)', loop(thompsonSampling({ arms: ARMS, minProbability: 0.01 }), false, true), opts);
  bench('draws: 1 (classical TS, 0/1 propensities)', loop(thompsonSampling({ arms: ARMS, draws: 1 }), false), opts);
  bench('draws: 1000 (Monte Carlo propensities; the default before issue 12)', loop(thompsonSampling({ arms: ARMS, draws: 1000 }), false), opts);
});

describe('contextual: 10 arms × 20 features (select + update)', () => {
  bench('linUCB (exact probabilities)', loop(linUCB({ arms: ARMS, dimension: D, alpha: 1 }), true), opts);
  bench('linearThompson defaults (propensities not read)', loop(linearThompson({ arms: ARMS, dimension: D }), true), opts);
  bench('linearThompson defaults, propensity read every decision', loop(linearThompson({ arms: ARMS, dimension: D }), true, true), opts);
  bench('linearThompson draws: 1', loop(linearThompson({ arms: ARMS, dimension: D, draws: 1 }), true), opts);
  bench('linearThompson draws: 1000', loop(linearThompson({ arms: ARMS, dimension: D, draws: 1000 }), true), opts);
});

describe('kernels, d = 20: inverse update after one observation', () => {
  const a = scaledIdentity(D, 1);
  for (let i = 0; i < 50; i++) rankOneAdd(a, D, contexts[i]!);
  const inv = new Float64Array(D * D);
  const l = new Float64Array(D * D);
  cholesky(a, D, l);
  cholInverse(l, D, inv);
  const tmp = new Float64Array(D);
  const am = math.matrix(Array.from({ length: D }, (_, i) => Array.from(a.subarray(i * D, (i + 1) * D))));
  let j = 0;
  bench('n1kit Sherman–Morrison (O(d²))', () => {
    shermanMorrison(inv, D, contexts[j++ & (N - 1)]!, tmp);
  }, opts);
  bench('n1kit Cholesky + inverse (O(d³))', () => {
    cholesky(a, D, l);
    cholInverse(l, D, inv);
  }, opts);
  bench('mathjs inv (O(d³), allocating)', () => {
    math.inv(am);
  }, opts);
});
