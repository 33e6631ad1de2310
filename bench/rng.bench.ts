// Uniform and normal draws per second against Math.random, in one run.
// Run: npx vitest bench --run bench/rng.bench.ts
import randomNormal from '@stdlib/random-base-normal';
import { bench, describe } from 'vitest';
import { createRng } from '../src/rng/index.js';

const N = 100_000; // draws per benchmark iteration
let sink = 0; // consumed so the engine cannot drop the work

describe('uniforms (100k draws per iteration)', () => {
  bench('Math.random', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += Math.random();
    sink += s;
  });
  const rng = createRng('bench');
  bench('n1kit rng.uniform (Alea)', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += rng.uniform();
    sink += s;
  });
});

describe('normals (100k draws per iteration)', () => {
  bench('Math.random uniforms (baseline)', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += Math.random();
    sink += s;
  });
  const rng = createRng('bench');
  bench('n1kit rng.normal (polar)', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += rng.normal();
    sink += s;
  });
  const stdlib = randomNormal.factory(0, 1, { prng: createRng('bench2').uniform });
  bench('@stdlib/random-base-normal fed by Alea (ziggurat)', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += stdlib();
    sink += s;
  });
});

describe('gamma and beta (100k draws per iteration)', () => {
  const rng = createRng('bench');
  bench('rng.gamma(2.5)', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += rng.gamma(2.5);
    sink += s;
  });
  bench('rng.beta(2, 3)', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += rng.beta(2, 3);
    sink += s;
  });
});

// `sink` is read here so the summed draws stay observable to the engine.
if (Number.isNaN(sink)) throw new Error("unreachable");
