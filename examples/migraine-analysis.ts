/**
 * The paper's migraine case study, analysed: Alice has about 12 migraine days a month. The LFM
 * proposes magnesium (prior on the log rate ratio N(-0.2, 0.30)) and sleep regularity
 * (N(-0.1, 0.32)); a 6-period × 2-week crossover (magnesium / sleep regularity / placebo) tests
 * them. Her diary gives the number of migraine days in each period; exposure is the period's
 * length in months, so the effects' natural scale is migraine days per month and
 * P(clinically better) is P(at least 2 fewer migraine days a month).
 *
 * Run: npx tsup && node node_modules/tsx/dist/cli.mjs examples/migraine-analysis.ts
 */
import assert from 'node:assert/strict';
import { analyzeTrial, createRng, designTrial, normal, posteriorPredictive } from 'n1kit';

const design = designTrial({
  treatments: ['magnesium', 'sleep', 'placebo'],
  blocks: 2,
  periodDays: 14,
  seed: 'alice-2026',
});
assert.equal(design.periods.length, 6);

// Alice's diary, simulated once with a fixed seed: placebo 12/month, magnesium 7.5, sleep 10.
const perMonth: Record<string, number> = { placebo: 12, magnesium: 7.5, sleep: 10 };
const rng = createRng('alice-diary');
const observations = design.periods.map((p) => {
  // migraine days in 14 days: each day a migraine with probability rate/30
  let days = 0;
  for (let d = 0; d < 14; d++) if (rng.uniform() < (perMonth[p.treatment] as number) / 30) days++;
  return { day: p.endDay, value: days, exposure: 14 / 30 };
});
console.log('design:', design.periods.map((p) => p.treatment).join(' → '));
console.log('migraine days per period:', observations.map((o) => o.value).join(', '));

const analysis = analyzeTrial({
  design,
  observations,
  outcome: 'poisson',
  reference: 'placebo',
  betterIs: 'lower',
  priors: { effects: { magnesium: normal(-0.2, 0.3), sleep: normal(-0.1, 0.32) } },
  thresholds: { magnesium: 2, sleep: 2 },
  mcmc: { seed: 'alice', keepDraws: true },
});

for (const t of ['magnesium', 'sleep'] as const) {
  const e = analysis.effects[t]!;
  console.log(
    `${t}: rate ratio ${Math.exp(e.median).toFixed(2)} (95% CrI ${Math.exp(e.interval[0]).toFixed(2)}–${Math.exp(e.interval[1]).toFixed(2)}), ` +
      `P(fewer migraine days) = ${e.probBetter.toFixed(2)}, P(≥ 2 fewer a month) = ${e.probClinicallyBetter!.toFixed(2)}`,
  );
}
console.log(
  'P(best):',
  Object.entries(analysis.probBest)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', '),
);
const dg = analysis.diagnostics!;
console.log(`MCMC: ${dg.chains} chains × ${dg.draws} draws, converged = ${dg.converged}, max R-hat ${Math.max(...Object.values(dg.rhat)).toFixed(3)}, min ESS ${Math.round(Math.min(...Object.values(dg.ess)))}`);

// What would the next two weeks on magnesium look like? (migraine days in 14 days)
const next = posteriorPredictive(analysis, { treatment: 'magnesium', days: 1, exposure: 14 / 30, seed: 'next' });
console.log(`next 2 weeks on magnesium: ${next.average.mean.toFixed(1)} migraine days expected (95% PI ${next.average.interval[0]}–${next.average.interval[1]})`);

// What it printed, asserted.
assert.equal(analysis.method, 'mcmc');
assert.equal(dg.converged, true);
const total = Object.values(analysis.probBest).reduce((s, v) => s + v, 0);
assert.ok(Math.abs(total - 1) < 1e-12);
const mg = analysis.effects.magnesium!;
const sl = analysis.effects.sleep!;
assert.ok(mg.probBetter > 0.8, 'magnesium very likely reduces migraine days');
assert.ok(mg.probClinicallyBetter! > sl.probClinicallyBetter!, 'magnesium more likely clinically better than sleep');
assert.ok(analysis.probBest.magnesium! > analysis.probBest.placebo!);
assert.ok(next.average.mean > 0 && next.average.mean < 14);
console.log('ok');
