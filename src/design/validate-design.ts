/**
 * `validateDesign`: checks a design that comes from outside (JSON, storage, another device).
 *
 * @packageDocumentation
 */
import { fail, integer, nameArg, oneOf, plainObject, seed as seedGuard, uniqueLabels } from '../validate.js';
import { addDays, isoDate, fitsCalendar } from './dates.js';
import { DESIGN_RANDOMIZATIONS } from './options.js';
import { longestRun } from './sequence.js';
import type { TrialDesign, TrialPeriod } from './types.js';

/**
 * Checks that a value is a consistent {@link TrialDesign} and returns it typed. Checks the
 * fields and their types, that periods tile `[runInDays, totalDays)` without gap or overlap with
 * the documented day numbers (period i covers runIn + i·periodDays onwards), that every period's treatment is one of `treatments`, the
 * block numbering (`block = ⌊index / k⌋` when `blocks` is given), the scheme's structure (each
 * block holds every treatment once for `'block'`, `'williams'` and `'counterbalanced'`; equal
 * counts for `'complete'`; `'fixed'` accepts any order, so hand-made schedules can use it), that
 * `maxConsecutive` holds, and that the calendar dates match `startDate`. Unknown extra fields
 * are allowed.
 *
 * A recorded design (`origin: 'recorded'`, as {@link trialFromTable} makes from a diary) may have
 * periods of unequal length: its periods must follow one another without gap or overlap from
 * `runInDays` (each at least one day long), `totalDays` must be the last period's `endDay` + 1,
 * each washout is the first `washoutDays` days of its period (the whole period when shorter),
 * and blocks must not decrease; the randomisation structure, `blocks` and `maxConsecutive`
 * describe the plan and are not checked against the recorded periods.
 *
 * @param design - the value to check (e.g. `JSON.parse` output)
 * @param caller - the public function name used in error messages
 * @returns the same value, typed as a design
 * @throws ValidationError naming the first field at fault and its value
 * @example
 * ```ts
 * const d = designTrial({ treatments: ['A', 'B'], blocks: 3, periodDays: 7, seed: 1 });
 * validateDesign(JSON.parse(JSON.stringify(d))); // passes, returns the design
 * validateDesign({ ...d, periodDays: 0 });      // throws ValidationError
 * ```
 * @see Vohra et al. (2015), CONSORT extension for reporting N-of-1 trials (CENT 2015), BMJ 350:h1738
 * (planned number and length of periods, run-in and washout).
 */
export function validateDesign(design: unknown, caller: unknown = 'validateDesign'): TrialDesign {
  // `caller` names the public function in messages; anything but a name is ignored.
  const fn = nameArg(caller, 'validateDesign');
  const d = plainObject(fn, 'design', design);
  const treatments = uniqueLabels(fn, 'treatments', d.treatments, 2);
  const k = treatments.length;
  const randomization = oneOf(fn, 'randomization', d.randomization, DESIGN_RANDOMIZATIONS);
  seedGuard(fn, 'seed', d.seed);
  const periodDays = integer(fn, 'periodDays', d.periodDays, 1);
  const washoutDays = integer(fn, 'washoutDays', d.washoutDays, 0);
  if (washoutDays >= periodDays) fail(fn, 'washoutDays', `must be shorter than periodDays (${periodDays})`, washoutDays);
  const runInDays = integer(fn, 'runInDays', d.runInDays, 0);
  if (!Array.isArray(d.periods) || d.periods.length === 0) fail(fn, 'periods', 'must be a non-empty array', d.periods);
  const periods = d.periods as unknown[];
  const n = periods.length;
  const recorded = d.origin === undefined ? false : oneOf(fn, 'origin', d.origin, ['planned', 'recorded'] as const) === 'recorded';
  const totalDays = integer(fn, 'totalDays', d.totalDays, 0);
  if (recorded) {
    const last = plainObject(fn, `periods[${n - 1}]`, periods[n - 1]) as { endDay?: unknown };
    if (totalDays !== (last.endDay as number) + 1) fail(fn, 'totalDays', `must equal the last period's endDay + 1 = ${String(last.endDay)} + 1`, totalDays);
  } else if (totalDays !== runInDays + n * periodDays) {
    fail(fn, 'totalDays', `must equal runInDays + periods.length × periodDays = ${runInDays + n * periodDays}`, totalDays);
  }
  let blocks: number | undefined;
  if (d.blocks !== undefined && !recorded) {
    blocks = integer(fn, 'blocks', d.blocks, 1);
    if (blocks * k !== n) fail(fn, 'blocks', `must equal periods.length / treatments.length = ${n / k}`, blocks);
  }
  let maxConsecutive: number | undefined;
  if (d.maxConsecutive !== undefined) maxConsecutive = integer(fn, 'maxConsecutive', d.maxConsecutive, 1);
  let startDate: string | undefined;
  if (d.startDate !== undefined) {
    startDate = isoDate(fn, 'startDate', d.startDate);
    if (!fitsCalendar(startDate, totalDays)) fail(fn, 'startDate', 'must leave the whole trial before year 10000', startDate);
  }
  const known = new Set(treatments);
  let prevBlock = 0;
  let nextStart = runInDays;
  periods.forEach((raw, i) => {
    const at = `periods[${i}]`;
    const p = plainObject(fn, at, raw) as Partial<Record<keyof TrialPeriod, unknown>>;
    if (p.index !== i) fail(fn, `${at}.index`, `must be ${i}`, p.index);
    if (typeof p.treatment !== 'string' || !known.has(p.treatment)) {
      fail(fn, `${at}.treatment`, 'must be one of `treatments`', p.treatment);
    }
    const block = integer(fn, `${at}.block`, p.block, 0);
    if (blocks !== undefined && !recorded ? block !== Math.floor(i / k) : block < prevBlock) {
      fail(fn, `${at}.block`, blocks !== undefined && !recorded ? `must be ${Math.floor(i / k)}` : 'must not decrease', block);
    }
    prevBlock = block;
    const startDay = recorded ? nextStart : runInDays + i * periodDays;
    if (p.startDay !== startDay) fail(fn, `${at}.startDay`, `must be ${startDay}`, p.startDay);
    let endDay = startDay + periodDays - 1;
    if (recorded) endDay = integer(fn, `${at}.endDay`, p.endDay, startDay);
    else if (p.endDay !== endDay) fail(fn, `${at}.endDay`, `must be ${endDay}`, p.endDay);
    nextStart = endDay + 1;
    const washoutEnd = Math.min(startDay + washoutDays - 1, endDay);
    if (p.washoutEndDay !== washoutEnd) {
      fail(fn, `${at}.washoutEndDay`, `must be ${washoutEnd}`, p.washoutEndDay);
    }
    if (startDate === undefined) {
      if (p.startDate !== undefined || p.endDate !== undefined) {
        fail(fn, `${at}.startDate`, 'must be absent when the design has no startDate', p.startDate ?? p.endDate);
      }
    } else {
      const sd = addDays(startDate, startDay);
      const ed = addDays(startDate, endDay);
      if (p.startDate !== sd) fail(fn, `${at}.startDate`, `must be ${sd}`, p.startDate);
      if (p.endDate !== ed) fail(fn, `${at}.endDate`, `must be ${ed}`, p.endDate);
    }
  });
  const seq = (periods as TrialPeriod[]).map((p) => p.treatment);
  if (recorded) {
    // The recorded periods are what happened; the scheme's structure belongs to the plan.
  } else if (randomization === 'complete') {
    const counts = new Map<string, number>();
    for (const t of seq) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (n % k !== 0 || treatments.some((t) => counts.get(t) !== n / k)) {
      fail(fn, 'periods', "must give every treatment the same number of periods for 'complete' randomization", seq);
    }
  } else if (randomization !== 'fixed') {
    if (n % k !== 0) fail(fn, 'periods', `must be whole blocks of ${k} periods for '${randomization}' randomization`, n);
    for (let b = 0; b < n / k; b++) {
      const blockSet = new Set(seq.slice(b * k, (b + 1) * k));
      if (blockSet.size !== k) {
        fail(fn, `periods[${b * k}..${(b + 1) * k - 1}]`, `must hold every treatment once per block for '${randomization}' randomization`, seq.slice(b * k, (b + 1) * k));
      }
    }
  }
  if (maxConsecutive !== undefined && !recorded && longestRun(seq) > maxConsecutive) {
    fail(fn, 'periods', `must not run one treatment more than maxConsecutive (${maxConsecutive}) periods in a row`, seq);
  }
  return design as TrialDesign;
}
