// Quick start: a seeded generator, a population prior as plain data, and its summaries.
// Run after `npm run build`: node node_modules/tsx/dist/cli.mjs examples/quickstart.ts
import assert from 'node:assert/strict';
import { cdf, createRng, mean, mixture, normal, quantile, sampleMany } from 'n1kit';

// An LFM says magnesium cuts migraine days by 2 a month (sd 1); we keep 20% on a vague
// component in case the LFM is wrong for this patient.
const prior = mixture([
  [0.8, normal(-2, 1)],
  [0.2, normal(0, 5)],
]);
const pHelps = cdf(prior, 0); // P(effect < 0): fewer migraine days
const interval = [quantile(prior, 0.025), quantile(prior, 0.975)];
const draws = sampleMany(prior, createRng('alice'), 100_000);
const mcMean = draws.reduce((s, x) => s + x, 0) / draws.length;

console.log(`prior mean ${mean(prior).toFixed(2)} days/month (Monte Carlo ${mcMean.toFixed(2)})`);
console.log(`95% interval [${interval.map((x) => x.toFixed(2)).join(', ')}]`);
console.log(`P(magnesium helps) = ${pHelps.toFixed(3)}`);

assert.equal(mean(prior), -1.6); // 0.8 × −2 + 0.2 × 0
assert.ok(Math.abs(mcMean - -1.6) < 0.05);
assert.ok(pHelps > 0.8 && pHelps < 0.9);
