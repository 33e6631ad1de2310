// Designs the paper's trial (AAAI 2026, arXiv 2601.03482): magnesium vs sleep regularity vs
// placebo for migraine, 6 periods of 2 weeks, block randomisation, and prints its schedule.
import assert from 'node:assert/strict';
import { designSummary, designToCsv, designToICalendar, designTrial, treatmentOnDay } from 'n1kit';

const design = designTrial({
  treatments: ['magnesium', 'sleep regularity', 'placebo'],
  blocks: 2, // 2 blocks × 3 treatments = 6 periods
  periodDays: 14,
  washoutDays: 3, // first 3 days of each period not analysed
  randomization: 'block',
  maxConsecutive: 1, // never the same treatment twice in a row
  seed: 'migraine-patient-17',
  startDate: '2026-01-05',
});

console.log(`Trial: ${design.periods.length} periods, ${design.totalDays} days, seed ${JSON.stringify(design.seed)}`);
for (const p of design.periods) {
  console.log(
    `  period ${p.index + 1} (block ${p.block + 1}): ${p.treatment.padEnd(16)} ${p.startDate} to ${p.endDate}` +
      `  (days ${p.startDay}-${p.endDay}, washout to day ${p.washoutEndDay})`,
  );
}
const summary = designSummary(design);
console.log('Periods per treatment:', summary.counts);
console.log('Analysed days per treatment:', summary.analysedDays);

assert.equal(design.periods.length, 6);
assert.equal(design.totalDays, 84);
assert.deepEqual(summary.counts, { magnesium: 2, 'sleep regularity': 2, placebo: 2 });
assert.equal(summary.longestRun, 1);
assert.equal(design.periods[5]?.endDate, '2026-03-29'); // 2026-01-05 + 83 days
assert.equal(treatmentOnDay(design, 20), design.periods[1]?.treatment);
assert.deepEqual(designTrial({ ...design, treatments: [...design.treatments], blocks: 2 }), design); // re-creatable

const csv = designToCsv(design);
assert.equal(csv.trim().split('\r\n').length, 7);
const ics = designToICalendar(design, { timestamp: '2026-01-01T09:00:00Z', reminder: { offsetMinutes: 480 } });
assert.equal(ics.match(/BEGIN:VEVENT/g)?.length, 6);
console.log(`CSV: ${csv.length} characters; iCalendar: ${ics.length} characters, 6 events with 08:00 reminders`);
