// The paper's migraine story end to end (AAAI 2026, arXiv 2601.03482): Alice has 12 migraine
// days a month. A population model ranks candidate preventives with σ = P(best); where no
// candidate is clearly best, an N-of-1 trial (magnesium vs sleep regularity vs placebo, 6
// periods of 2 weeks) validates; her daily diary updates the robust population prior into her
// own posterior. A second patient shows an over-confident, wrong prior overruled by the data.
//
// Offline by default (embedded static prior table). With N1KIT_LLM_BASE_URL (e.g.
// http://127.0.0.1:8080/v1) and optionally N1KIT_LLM_MODEL / N1KIT_LLM_API_KEY, the prior is
// pooled from the static table and an OpenAI-compatible LLM.
// Run: npx tsup && node node_modules/tsx/dist/cli.mjs examples/migraine.ts
import assert from 'node:assert/strict';
import {
  type PopulationPrior,
  type PriorProvider,
  cachedPriorProvider,
  ensemblePriorProvider,
  migrainePriorRequest,
  migrainePriorToLogOdds,
  normal,
  openAICompatiblePriorProvider,
  planValidation,
  rankCandidates,
  simulateMigraineDiary,
  startPersonalization,
  staticPriorProvider,
  updatePersonalization,
} from 'n1kit';

const f1 = (x: number): string => (x >= 0 ? ' ' : '') + x.toFixed(1);
const pct = (p: number): string => `${(100 * p).toFixed(0)}%`.padStart(4);

// Step 1: the population prior and the ranking.
const baseUrl = process.env.N1KIT_LLM_BASE_URL;
const offline = baseUrl === undefined || baseUrl === '';
let provider: PriorProvider = staticPriorProvider();
if (!offline) {
  const llm = openAICompatiblePriorProvider({
    baseUrl,
    model: process.env.N1KIT_LLM_MODEL ?? 'default',
    ...(process.env.N1KIT_LLM_API_KEY ? { apiKey: process.env.N1KIT_LLM_API_KEY } : {}),
    samples: 3,
    timeoutMs: 120_000,
    features: ['ageBand', 'sex'], // never the name, never the diary
  });
  provider = ensemblePriorProvider([staticPriorProvider(), cachedPriorProvider(llm)]);
}
const request = migrainePriorRequest({ name: 'Alice', ageBand: '30-39', sex: 'female', poorSleep: false });
const prior: PopulationPrior = await provider.elicit(request);
console.log(`Prior from ${prior.source.provider}${prior.source.model ? ` (${prior.source.model})` : ''}, scale: ${prior.scale} in migraine days per 30 days`);

const ranking = rankCandidates(prior, { betterIs: 'lower', rng: 'alice:rank' });
console.log('\nStep 1, ranking by the population prior (σ = P(best)):');
for (const c of ranking.candidates) {
  console.log(
    `  ${c.rank}. ${c.id.padEnd(16)} effect ${f1(c.mean)} [${f1(c.interval[0])}, ${f1(c.interval[1])}]  σ ${pct(c.probBest)}  P(helps) ${pct(c.probBetterThanControl)}`,
  );
}
const decision = planValidation(ranking, { include: 0.2, confident: 0.9, maxArms: 2, control: 'placebo' });
console.log(`Decision: ${decision.reason}`);

// Step 2: the N-of-1 trial (startPersonalization repeats step 1 and designs the trial). Her
// diary is yes/no per day, a binomial outcome: the prior moves to log odds ratios (at her 12
// days a month) and the threshold of 2 migraine days per 30 days becomes a daily probability 2/30.
const logOddsPrior = migrainePriorToLogOdds(prior, { baselineDays: 12 });
const plan = startPersonalization({ prior: logOddsPrior, betterIs: 'lower', seed: 'alice', mcid: 2 / 30 });
assert.equal(plan.decision.action, 'trial');
assert.deepEqual([...plan.decision.arms].sort(), [...decision.arms].sort());
const design = plan.design!;
console.log(`\nStep 2, the trial: ${design.periods.map((p) => p.treatment).join(' → ')} (${design.totalDays} days)`);

// Step 3: Alice's diary (simulated: magnesium truly removes 7 migraine days a month, sleep
// regularity 1) updates her posterior. Daily yes/no diaries over 12 weeks are noisy: the robust
// population prior still matters, and P(best) stays short of 90% here.
const truth: Record<string, number> = { magnesium: -7, sleepRegularity: -1 };
const armsTruth = Object.fromEntries(Object.entries(truth).filter(([arm]) => design.treatments.includes(arm)));
const diary = simulateMigraineDiary(design, { effects: armsTruth, rng: 'alice-diary' });
const update = updatePersonalization(plan, diary);
console.log(`\nStep 3, Alice's posterior after ${diary.length} yes/no diary days (${update.analysis.outcome}, ${update.analysis.method}), log odds ratios of a migraine day:`);
for (const [id, c] of Object.entries(update.candidates)) {
  console.log(
    `  ${id.padEnd(16)} prior ${f1(c.prior.mean)}  diary ${f1(c.data.mean)}  posterior ${f1(c.posterior.mean)} ` +
      `[${f1(c.posterior.interval[0])}, ${f1(c.posterior.interval[1])}]  P(helps) ${pct(c.posterior.probBetter)}  ` +
      `P(≥2 days fewer) ${pct(c.posterior.probClinicallyBetter ?? Number.NaN)}`,
  );
}
console.log(`  P(best): ${Object.entries(update.probBest).map(([k, v]) => `${k} ${pct(v).trim()}`).join(', ')}`);
for (const m of update.messages) console.log(`  ${m}`);

if (offline) {
  // What the offline run must show (fixed seeds; static table).
  assert.deepEqual([...plan.decision.arms].sort(), ['magnesium', 'placebo', 'sleepRegularity']);
  assert.equal(design.periods.length, 6);
  assert.equal(update.recommendation.treatment, 'magnesium');
  assert.ok(update.candidates.magnesium!.posterior.probBetter > 0.9);
  assert.ok(update.trialComplete && update.stop.stop);
}

// The conflict case the paper leaves open: an over-confident LFM says magnesium removes 8 days
// (sd 0.7); for Bob it does nothing, while sleep regularity removes 6. A longer trial (18 periods).
// This is one simulated diary; test/hybrid/personalize.test.ts checks the behaviour over several.
const wrong: PopulationPrior = {
  effects: { magnesium: normal(-8, 0.7), sleepRegularity: normal(-7, 1.5) },
  scale: 'difference',
  source: { provider: 'overconfident-llm' },
};
const bobPlan = startPersonalization({ prior: migrainePriorToLogOdds(wrong), betterIs: 'lower', seed: 'bob', mcid: 2 / 30, trial: { blocks: 6 } });
const bobDiary = simulateMigraineDiary(bobPlan.design!, { effects: { magnesium: 0, sleepRegularity: -6 }, rng: 'bob-diary-1' });
const robust = updatePersonalization(bobPlan, bobDiary);
const naive = updatePersonalization({ ...bobPlan, settings: { ...bobPlan.settings, robustWeight: 0 } }, bobDiary);
const mg = robust.candidates.magnesium!;
console.log(`\nBob, over-confident prior: magnesium prior ${f1(mg.prior.mean)}, diary ${f1(mg.data.mean)}`);
console.log(`  robust posterior ${f1(mg.posterior.mean)} → recommends ${robust.recommendation.treatment}`);
console.log(`  non-robust posterior ${f1(naive.candidates.magnesium!.posterior.mean)} → recommends ${naive.recommendation.treatment}`);
for (const m of robust.messages.slice(1)) console.log(`  ${m}`);
assert.ok(robust.conflict);
assert.ok(Math.abs(mg.posterior.mean - mg.data.mean) < Math.abs(mg.posterior.mean - mg.prior.mean));
assert.equal(robust.recommendation.treatment, 'sleepRegularity');
// Without the robust component the over-confident prior keeps the estimate near itself.
assert.ok(Math.abs(naive.candidates.magnesium!.posterior.mean - mg.prior.mean) < Math.abs(naive.candidates.magnesium!.posterior.mean - mg.data.mean));
