// The README's quick start, verbatim, with checks of what it prints.
// Run after `npm run build`: node node_modules/tsx/dist/cli.mjs --tsconfig examples/tsconfig.json examples/quickstart.ts
import assert from 'node:assert/strict';
import { migrainePriorRequest, migrainePriorToLogOdds, simulateMigraineDiary, staticPriorProvider, startPersonalization, updatePersonalization } from 'n1kit';

// 1. A population prior (offline table, in migraine days per 30 days; an OpenAI-compatible LLM
//    works the same way), moved to log odds ratios: a yes/no diary gets a logistic model.
const days = await staticPriorProvider().elicit(migrainePriorRequest({ ageBand: '30-39' }));
const prior = migrainePriorToLogOdds(days, { baselineDays: 12 });
// 2. Rank candidates by P(best); no clear winner, so plan an N-of-1 trial (6 periods × 2 weeks).
//    The clinical threshold, 2 migraine days fewer per 30 days, is a daily probability 2/30 lower.
const plan = startPersonalization({ prior, betterIs: 'lower', seed: 'alice', mcid: 2 / 30 });
console.log(plan.decision.reason, plan.design?.periods.map((p) => p.treatment));
// 3. The patient's yes/no diary (simulated here) updates the robust prior into her posterior.
const diary = simulateMigraineDiary(plan.design!, { effects: { magnesium: -6 }, rng: 'diary' });
const update = updatePersonalization(plan, diary);
console.log(update.recommendation, update.messages);

assert.equal(plan.decision.action, 'trial');
assert.equal(plan.design?.periods.length, 6);
assert.deepEqual([...plan.decision.arms].sort(), ['magnesium', 'placebo', 'sleepRegularity']);
assert.equal(diary.length, plan.design?.totalDays);
assert.ok(update.candidates.magnesium!.posterior.probBetter > 0.5);
