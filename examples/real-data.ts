// A diary as people record it (examples/data/diary.csv: a spreadsheet export with a byte-order
// mark, CRLF line ends, dates, a treatment column, blank days and quoted notes with commas) to a
// posterior in one function call, with the departures from the plan reported.
// Run after `npm run build`: node node_modules/tsx/dist/cli.mjs --tsconfig examples/tsconfig.json examples/real-data.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type TrialDesign, analyzeTrial, parseTable, trialFromTable } from 'n1kit';

const rows = parseTable(readFileSync(new URL('./data/diary.csv', import.meta.url), 'utf8'));
const plan = JSON.parse(readFileSync(new URL('./data/diary-plan.json', import.meta.url), 'utf8')) as TrialDesign;

const { design, observations, deviations, analysis } = trialFromTable(rows, { value: 'pain', design: plan });
console.log(`${rows.length} rows, ${observations.length} pain scores (${rows.length - observations.length} days blank), analysed ${analysis}`);
for (const d of deviations) console.log(`  deviation: ${d.message}`);
console.log(`  periods as treated: ${design.periods.map((p) => `${p.treatment} ${p.startDate}..${p.endDate}`).join(', ')}`);

const fit = analyzeTrial({ design, observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower', thresholds: { magnesium: 1 } });
const mg = fit.effects.magnesium!;
console.log(
  `magnesium − placebo: ${mg.mean.toFixed(2)} pain points [${mg.interval[0].toFixed(2)}, ${mg.interval[1].toFixed(2)}], ` +
    `P(lower pain) ${(100 * mg.probBetter).toFixed(0)}%, P(at least 1 point lower) ${(100 * (mg.probClinicallyBetter ?? 0)).toFixed(0)}%`,
);

// What the table holds: 43 days, 3 blank; two days on placebo instead of magnesium, one extra day.
assert.equal(rows.length, 43);
assert.equal(observations.length, 40);
assert.deepEqual(
  deviations.map((d) => [d.kind, d.date]),
  [
    ['treatment-differs', '2026-04-04'],
    ['treatment-differs', '2026-04-05'],
    ['outside-trial', '2026-04-13'],
  ],
);
assert.equal(design.origin, 'recorded');
assert.equal(design.periods.find((p) => p.startDate === '2026-03-30')?.endDate, '2026-04-03'); // cut short by the deviation
// The sample means per arm (an independent check of the posterior mean under weak priors).
const arm = (t: string) => observations.filter((o) => design.periods.find((p) => o.day >= p.startDay && o.day <= p.endDay)?.treatment === t);
const mean = (xs: { value: number }[]) => xs.reduce((a, o) => a + o.value, 0) / xs.length;
const diff = mean(arm('magnesium')) - mean(arm('placebo'));
assert.ok(Math.abs(mg.mean - diff) < 0.1, `posterior mean ${mg.mean} vs difference of means ${diff}`);
assert.ok(mg.probBetter > 0.99);
