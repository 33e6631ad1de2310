import { afterAll, bench, describe } from 'vitest';
import {
  beta,
  createRng,
  type Dist,
  effectiveSampleSize,
  gamma,
  mixture,
  normal,
  priorDataConflict,
  probabilityOfBest,
  robustify,
  summarize,
  updateBinomial,
  updateNormal,
  updatePoisson,
} from '../src/index.js';

// Inputs are built before timing; results are consumed so the engine cannot drop the work.
const N = 1000;
const rng = createRng('bench-bayes');
const ybars = Float64Array.from({ length: N }, () => rng.normal(0, 2));
const single = normal(-1, 0.5);
const mix10 = mixture(Array.from({ length: 10 }, (_, i) => [0.1, normal(i - 5, 0.3 + 0.1 * i)] as const));
const beta10 = mixture(Array.from({ length: 10 }, (_, i) => [0.1, beta(1 + i, 10 - i)] as const));
const gamma10 = mixture(Array.from({ length: 10 }, (_, i) => [0.1, gamma(1 + i, 1 + 0.5 * i)] as const));
const robust = robustify(single, { weight: 0.2, mean: 0, sigma: 2 });
let sink = 0;
const use = (d: Dist) => {
  sink += d.family === 'mixture' ? (d.components[0]?.weight ?? 0) : 1;
};

describe('conjugate updates (1000 per iteration)', () => {
  bench('updateNormal, single normal', () => {
    for (let i = 0; i < N; i++) use(updateNormal(single, { mean: ybars[i] as number, n: 14, sigma: 2 }));
  });
  bench('updateNormal, 10-component mixture', () => {
    for (let i = 0; i < N; i++) use(updateNormal(mix10, { mean: ybars[i] as number, n: 14, sigma: 2 }));
  });
  bench('updateBinomial, single beta', () => {
    for (let i = 0; i < N; i++) use(updateBinomial(beta(2, 3), { successes: i % 50, trials: 50 }));
  });
  bench('updateBinomial, 10-component mixture', () => {
    for (let i = 0; i < N; i++) use(updateBinomial(beta10, { successes: i % 50, trials: 50 }));
  });
  bench('updatePoisson, single gamma', () => {
    for (let i = 0; i < N; i++) use(updatePoisson(gamma(2, 1), { total: i % 40, exposure: 14 }));
  });
  bench('updatePoisson, 10-component mixture', () => {
    for (let i = 0; i < N; i++) use(updatePoisson(gamma10, { total: i % 40, exposure: 14 }));
  });
});

describe('ESS, summaries, conflict, P(best)', () => {
  bench('effectiveSampleSize elir, single normal', () => {
    sink += effectiveSampleSize(single, { likelihood: 'normal', sigma: 2 });
  });
  bench('effectiveSampleSize elir, robust 2-component normal', () => {
    sink += effectiveSampleSize(robust, { likelihood: 'normal', sigma: 2 });
  });
  bench('effectiveSampleSize elir, 10-component beta', () => {
    sink += effectiveSampleSize(beta10, { likelihood: 'binomial' });
  });
  bench('summarize, normal', () => {
    sink += summarize(single, { threshold: 0.5 }).hdi[0];
  });
  bench('summarize, gamma (HDI by root finding)', () => {
    sink += summarize(gamma(14, 31), { threshold: 0.5 }).hdi[0];
  });
  bench('summarize, 2-component normal mixture', () => {
    sink += summarize(robust, { threshold: 0.5 }).hdi[0];
  });
  bench('priorDataConflict, robust normal', () => {
    sink += priorDataConflict(robust, { mean: 1, n: 28, sigma: 2 }).pValue;
  });
  bench('probabilityOfBest, 3 betas, 20000 draws', () => {
    sink += probabilityOfBest([beta(8, 4), beta(5, 7), beta(2, 2)], { rng }).length;
  });
});

// Every bench feeds `sink`; checking it at the end keeps the work observable.
afterAll(() => {
  if (!Number.isFinite(sink)) throw new Error(`bench/bayes: non-finite result ${sink}`);
});
