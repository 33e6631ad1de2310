/**
 * `trialFromTable`, `seriesFromTable`, `trialToTable`: diaries and long tables as people record
 * them (dates, a treatment column, blank days, periods that did not go as planned) into the
 * `{ design, observations }` that `analyzeTrial` and `analyzeSeries` take, with every departure
 * from the plan reported as a {@link Deviation}.
 *
 * @packageDocumentation
 */
import { addDays, formatIsoDate, parseIsoDate } from '../design/dates.js';
import { periodOfDay } from '../design/lookup.js';
import type { TrialDesign, TrialPeriod } from '../design/types.js';
import { validateDesign } from '../design/validate-design.js';
import type { TrialObservation } from '../models/types.js';
import { fail, integer, nonEmptyString, plainObject } from '../validate.js';
import { cellWhere, rowSource } from './table.js';

/**
 * What kind of departure from the plan (or gap in the record) a {@link Deviation} is:
 * - `'treatment-differs'`: on this day the diary records another of the plan's treatments than planned;
 * - `'unplanned-treatment'`: the diary records a treatment that is not in the plan at all;
 * - `'missing-period'`: a planned period has no observation at all;
 * - `'outside-trial'`: a row dated before day 0 or after the planned trial ends;
 * - `'duplicate-day'`: more than one observation on one day (all are kept);
 * - `'missing-treatment'`: a row with a value but no treatment recorded.
 */
export type DeviationKind =
  | 'treatment-differs'
  | 'unplanned-treatment'
  | 'missing-period'
  | 'outside-trial'
  | 'duplicate-day'
  | 'missing-treatment';

/**
 * One departure from the plan, or gap in the record, found by {@link trialFromTable}. Plain,
 * JSON-serialisable data.
 *
 * @example
 * ```ts
 * const d: Deviation = { kind: 'treatment-differs', day: 15, date: '2026-03-16', planned: 'placebo',
 *   recorded: 'magnesium', line: 17, message: 'day 15 (2026-03-16): magnesium recorded, placebo planned' };
 * ```
 * @see Vohra et al. (2015), CENT 2015, BMJ 350:h1738, item 12 (deviations from the planned design).
 */
export interface Deviation {
  readonly kind: DeviationKind;
  /** The day concerned (first day of the period for `'missing-period'`), in the trial's day numbers. */
  readonly day: number;
  /** `'missing-period'`: the period's last planned day. */
  readonly endDay?: number;
  /** ISO date of `day`, when the trial has a start date. */
  readonly date?: string;
  /** ISO date of `endDay`, when the trial has a start date. */
  readonly endDate?: string;
  /** The planned period (index into the plan's periods), when there is one. */
  readonly period?: number;
  /** The treatment the plan has for the day, or null (run-in, outside the plan, no plan). */
  readonly planned: string | null;
  /** The treatment the diary records for the day, or null (not recorded). */
  readonly recorded: string | null;
  /** Line of the file (rows from {@link parseTable}) behind the deviation, if any. */
  readonly line?: number;
  /** The deviation in plain words, for a warning. */
  readonly message: string;
}

/** Options of {@link trialFromTable}: which columns hold what, and the plan. */
export interface TrialFromTableOptions {
  /** Column of the outcome (numbers; blank cells are days not recorded). */
  readonly value: string;
  /**
   * Column of ISO dates (YYYY-MM-DD). Day 0 is the plan's `startDate` when the plan has one,
   * else the earliest date in the table. Give `date` or `day`, not both.
   * @defaultValue `'date'` when the table has such a column
   */
  readonly date?: string;
  /** Column of day numbers (integers, in the plan's numbering when a plan is given). @defaultValue `'day'` when there is no date column */
  readonly day?: string;
  /** Column of the treatment taken on that row. @defaultValue `'treatment'` when the table has one; else the plan says */
  readonly treatment?: string;
  /** The planned design (from `designTrial`): deviations are reported against it. @defaultValue none */
  readonly design?: TrialDesign;
  /** Binomial outcome: column of the number of trials behind each value. @defaultValue none (1) */
  readonly trials?: string;
  /** Poisson outcome: column of each value's exposure. @defaultValue none (1) */
  readonly exposure?: string;
  /** Washout days at the start of each period (not analysed by default). @defaultValue the plan's, else 0 */
  readonly washoutDays?: number;
  /**
   * `true`: the periods are those the diary records (as treated); `false`: the plan's periods
   * and its treatment for each day (as randomised, intention to treat; needs `design`).
   * @defaultValue true
   */
  readonly asTreated?: boolean;
}

/** The result of {@link trialFromTable}, ready for `analyzeTrial({ design, observations, ... })`. */
export interface TableTrial {
  /** As treated: a recorded design (`origin: 'recorded'`); as randomised: the plan. */
  readonly design: TrialDesign;
  /** One per row with a value, sorted by day. */
  readonly observations: TrialObservation[];
  /** Departures from the plan and gaps in the record, in day order. */
  readonly deviations: Deviation[];
  /** `'as-treated'` or `'as-randomised'`: how days were assigned to treatments. */
  readonly analysis: 'as-treated' | 'as-randomised';
}

interface Rec {
  readonly index: number;
  readonly line: number | undefined;
  readonly day: number;
  readonly value: number | null;
  readonly recorded: string | null;
  readonly trials?: number;
  readonly exposure?: number;
  /** The treatment used: recorded, else planned. */
  treatment: string | null;
}

const FN = 'trialFromTable';

function columnsOf(rows: readonly Record<string, unknown>[]): Set<string> {
  const cols = new Set<string>();
  const src = rows[0] === undefined ? undefined : rowSource(rows[0]);
  if (src !== undefined) for (const c of src.columns) cols.add(c);
  for (const r of rows) for (const k of Object.keys(r)) cols.add(k);
  return cols;
}

function column(fn: string, cols: Set<string>, field: string, name: unknown): string {
  const c = nonEmptyString(fn, field, name);
  if (!cols.has(c)) fail(fn, field, `must name a column of the table (${[...cols].join(', ')})`, c);
  return c;
}


/**
 * Turns one patient's diary table (rows as {@link parseTable} returns them, or any array of
 * plain objects) into the design and observations `analyzeTrial` takes.
 *
 * Days: ISO dates become day numbers by calendar arithmetic on UTC midnights (no time zone, no
 * daylight-saving drift: 2026-03-29 is one day after 2026-03-28 everywhere); day 0 is the
 * plan's `startDate`, else the earliest date. Rows may come in any order; rows with a blank
 * value are days not recorded (they still tell which treatment was taken).
 *
 * As treated (the default): the periods are the runs of the recorded treatment in day order,
 * split also where the plan starts a new period; each period runs until the next one starts,
 * so periods may have unequal length (an extended period, one cut short, a swapped or missing
 * one). A day without a row is assumed to follow the period it falls in; a row without a
 * treatment takes the plan's (and is reported); without a plan, two periods of the same
 * treatment in a row are one period, and a table whose rows are all at least two days apart is
 * read as one row per period (period summaries), the last period lasting as long as the most
 * common spacing of the rows. The design returned is a recorded one (`origin:
 * 'recorded'`); `periodDays` is the plan's length, or without a plan the most common recorded
 * length. With `asTreated: false` the plan's periods are kept and each day counts for the
 * treatment the plan assigned (as randomised, intention to treat).
 *
 * Deviations (with a plan): every day whose recorded treatment differs from the plan, every
 * planned period with no observation, every row outside the planned trial; also (with or
 * without a plan) days with more than one observation and values with no treatment.
 *
 * @param rows - the table, one object per row
 * @param options - the column names and the plan; see {@link TrialFromTableOptions}
 * @returns `{ design, observations, deviations, analysis }`
 * @throws ValidationError naming the column and the line (for parsed rows) of a bad cell: a
 *   value that is not a number, a date that is not YYYY-MM-DD, a day that is not an integer, two
 *   treatments on one day; also a missing column, fewer than two treatments, `date` with `day`,
 *   `asTreated: false` without a plan, a washout not shorter than the periods
 * @example
 * ```ts
 * const rows = parseTable('date,treatment,pain\n2026-03-01,A,5\n2026-03-02,A,4\n2026-03-03,B,2\n2026-03-04,B,\n2026-03-05,B,3\n');
 * const { design, observations, deviations } = trialFromTable(rows, { value: 'pain' });
 * design.periods.map((p) => [p.treatment, p.startDay, p.endDay]); // [['A', 0, 1], ['B', 2, 4]]
 * observations.length; // 4 (the blank day is not an observation)
 * deviations; // [] (no plan to deviate from)
 * const fit = analyzeTrial({ design, observations, outcome: 'normal', reference: 'A', betterIs: 'lower' });
 * ```
 * @see Vohra et al. (2015), CENT 2015 reporting guideline for N-of-1 trials, BMJ 350:h1738 (items 12, 16: deviations, analysis population).
 * @see Hernán & Hernández-Díaz (2012), Beyond the intention-to-treat in comparative effectiveness research, Clin Trials 9(1):48 (as treated versus as randomised).
 */
export function trialFromTable(rows: readonly Record<string, unknown>[], options: TrialFromTableOptions): TableTrial {
  return trialFrom(FN, rows, options, '');
}

function trialFrom(
  fn: string,
  rows: readonly Record<string, unknown>[],
  options: TrialFromTableOptions,
  who: string,
  seriesTreatments: readonly string[] = [],
): TableTrial {
  if (!Array.isArray(rows) || rows.length === 0) fail(fn, 'rows', `must be a non-empty array of rows${who}`, rows);
  for (const [i, r] of rows.entries()) plainObject(fn, `rows[${i}]`, r);
  const o = plainObject(fn, 'options', options);
  const cols = columnsOf(rows);
  const valueCol = column(fn, cols, 'options.value', o.value);
  if (o.date !== undefined && o.day !== undefined) fail(fn, 'options.date', 'must not be given together with `day` (one day column)', o.date);
  let dateCol: string | undefined;
  let dayCol: string | undefined;
  if (o.date !== undefined) dateCol = column(fn, cols, 'options.date', o.date);
  else if (o.day !== undefined) dayCol = column(fn, cols, 'options.day', o.day);
  else if (cols.has('date')) dateCol = 'date';
  else if (cols.has('day')) dayCol = 'day';
  else fail(fn, 'options.date', `is needed: the table has no 'date' or 'day' column (columns: ${[...cols].join(', ')})`, undefined);
  let treatCol: string | undefined;
  if (o.treatment !== undefined) treatCol = column(fn, cols, 'options.treatment', o.treatment);
  else if (cols.has('treatment')) treatCol = 'treatment';
  const trialsCol = o.trials === undefined ? undefined : column(fn, cols, 'options.trials', o.trials);
  const exposureCol = o.exposure === undefined ? undefined : column(fn, cols, 'options.exposure', o.exposure);
  const plan = o.design === undefined ? undefined : validateDesign(o.design, fn);
  if (plan === undefined && treatCol === undefined) {
    fail(fn, 'options.treatment', `is needed: the table has no 'treatment' column and no plan says what was taken (columns: ${[...cols].join(', ')})`, undefined);
  }
  const asTreated = o.asTreated === undefined ? true : o.asTreated;
  if (typeof asTreated !== 'boolean') fail(fn, 'options.asTreated', 'must be a boolean', asTreated);
  if (!asTreated && plan === undefined) fail(fn, 'options.asTreated', 'false needs the plan (`design`) whose periods to keep', asTreated);
  const washoutDays =
    o.washoutDays === undefined ? (plan?.washoutDays ?? 0) : integer(fn, 'options.washoutDays', o.washoutDays, 0);

  // Day numbers.
  let origin: number | undefined; // UTC ms of day 0, when the table has dates
  const rawDays: number[] = rows.map((r, i) => {
    if (dateCol !== undefined) {
      const v = r[dateCol];
      const ms = parseIsoDate(v);
      if (ms === undefined) {
        fail(fn, `rows[${i}].${dateCol}`, `must be a date written YYYY-MM-DD${cellWhere(r, i, dateCol)}${who}`, v);
      }
      return ms;
    }
    const v = r[dayCol as string];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      fail(fn, `rows[${i}].${dayCol}`, `must be a whole day number${cellWhere(r, i, dayCol)}${who}`, v);
    }
    return v;
  });
  let startDate: string | undefined;
  let days: number[];
  if (dateCol !== undefined) {
    origin = plan?.startDate !== undefined ? (parseIsoDate(plan.startDate) as number) : Math.min(...rawDays);
    days = rawDays.map((ms) => Math.round((ms - (origin as number)) / 86_400_000));
    startDate = formatIsoDate(origin);
  } else {
    days = rawDays;
    startDate = plan?.startDate;
    if (plan === undefined) {
      const i = days.findIndex((d) => d < 0);
      if (i >= 0) fail(fn, `rows[${i}].${dayCol}`, `must be a day number >= 0 (day 0 is the trial's first day)${cellWhere(rows[i] as object, i, dayCol)}${who}`, days[i]);
    }
  }
  const dateOf = (day: number): { date?: string } => (startDate === undefined ? {} : { date: addDays(startDate, day) });

  const recs: Rec[] = rows.map((r, i) => {
    const v = r[valueCol];
    if (v !== null && v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      fail(fn, `rows[${i}].${valueCol}`, `must be a number (or blank when not recorded)${cellWhere(r, i, valueCol)}${who}`, v);
    }
    let recorded: string | null = null;
    if (treatCol !== undefined) {
      const t = r[treatCol];
      if (typeof t === 'number') recorded = String(t);
      else if (typeof t === 'string' && t.trim() !== '') recorded = t.trim();
      else if (t !== null && t !== undefined && t !== '') fail(fn, `rows[${i}].${treatCol}`, `must be a treatment label${cellWhere(r, i, treatCol)}${who}`, t);
      if (recorded === '__proto__') fail(fn, `rows[${i}].${treatCol}`, `must not be the reserved label '__proto__'${cellWhere(r, i, treatCol)}${who}`, recorded);
    }
    const num = (col: string | undefined, min: number, name: string): number | undefined => {
      if (col === undefined) return undefined;
      const c = r[col];
      if (c === null || c === undefined) return undefined;
      if (typeof c !== 'number' || !Number.isFinite(c) || c < min) {
        fail(fn, `rows[${i}].${col}`, `must be ${name}${cellWhere(r, i, col)}${who}`, c);
      }
      return c;
    };
    const trials = num(trialsCol, 1, 'a positive whole number of trials (or blank for 1)');
    const exposure = num(exposureCol, Number.MIN_VALUE, 'a positive exposure (or blank for 1)');
    return {
      index: i,
      line: rowSource(r)?.line,
      day: days[i] as number,
      value: typeof v === 'number' ? v : null,
      recorded,
      treatment: recorded,
      ...(trials === undefined ? {} : { trials }),
      ...(exposure === undefined ? {} : { exposure }),
    };
  });
  recs.sort((a, b) => a.day - b.day || a.index - b.index);

  const deviations: Deviation[] = [];
  const lineOf = (r: Rec): { line?: number } => (r.line === undefined ? {} : { line: r.line });
  const at = (day: number): string => `day ${day}${startDate === undefined ? '' : ` (${addDays(startDate, day)})`}`;
  const plannedOn = (day: number): TrialPeriod | undefined =>
    plan === undefined || day < 0 || day >= plan.totalDays ? undefined : periodOfDay(plan, day);

  const recordedDays = recs.filter((r) => r.recorded !== null).map((r) => r.day);
  const firstRecorded = recordedDays.length === 0 ? 0 : Math.min(...recordedDays);
  const lastRecorded = recordedDays.length === 0 ? 0 : Math.max(...recordedDays);
  // Compare with the plan, fill in unrecorded treatments.
  for (const r of recs) {
    const per = plannedOn(r.day);
    const planned = per?.treatment ?? null;
    const period = per === undefined ? {} : { period: per.index };
    if (plan !== undefined && (r.day < 0 || r.day >= plan.totalDays) && (r.value !== null || r.recorded !== null)) {
      const kept = r.day >= 0 && asTreated && r.recorded !== null;
      deviations.push({
        kind: 'outside-trial',
        day: r.day,
        ...dateOf(r.day),
        planned: null,
        recorded: r.recorded,
        ...lineOf(r),
        message: `${at(r.day)}: a row outside the planned trial (days 0 to ${plan.totalDays - 1})${kept ? '; kept, as treated' : '; not analysed'}`,
      });
    }
    if (r.recorded === null) {
      const inside = plan === undefined ? r.day > firstRecorded && r.day < lastRecorded : planned !== null;
      if (treatCol !== undefined && r.value !== null && inside) {
        deviations.push({
          kind: 'missing-treatment',
          day: r.day,
          ...dateOf(r.day),
          ...period,
          planned,
          recorded: null,
          ...lineOf(r),
          message: `${at(r.day)}: a value with no treatment recorded; ${planned === null ? 'counted in the period it falls in' : `counted as planned (${planned})`}`,
        });
      }
      r.treatment = planned;
    } else if (plan !== undefined && per !== undefined && r.recorded !== planned) {
      const unplanned = !plan.treatments.includes(r.recorded);
      deviations.push({
        kind: unplanned ? 'unplanned-treatment' : 'treatment-differs',
        day: r.day,
        ...dateOf(r.day),
        ...period,
        planned,
        recorded: r.recorded,
        ...lineOf(r),
        message: `${at(r.day)}: ${r.recorded} recorded, ${planned} planned${unplanned ? ` (${r.recorded} is not in the plan)` : ''}`,
      });
    } else if (plan !== undefined && per === undefined && r.day >= 0 && r.day < plan.runInDays) {
      deviations.push({
        kind: plan.treatments.includes(r.recorded) ? 'treatment-differs' : 'unplanned-treatment',
        day: r.day,
        ...dateOf(r.day),
        planned: null,
        recorded: r.recorded,
        ...lineOf(r),
        message: `${at(r.day)}: ${r.recorded} recorded during the run-in`,
      });
    }
  }
  // One treatment per day; several observations on a day are kept but reported.
  for (let i = 1; i < recs.length; i++) {
    const a = recs[i - 1] as Rec;
    const b = recs[i] as Rec;
    if (a.day !== b.day) continue;
    if (a.recorded !== null && b.recorded !== null && a.recorded !== b.recorded) {
      const where = b.line === undefined ? `rows[${a.index}] and rows[${b.index}]` : `lines ${a.line} and ${b.line}`;
      fail(fn, `rows[${b.index}].${treatCol}`, `must agree with the other row of ${at(b.day)} (${where}: ${a.recorded} and ${b.recorded})${who}`, b.recorded);
    }
    if (a.value !== null && b.value !== null) {
      deviations.push({
        kind: 'duplicate-day',
        day: b.day,
        ...dateOf(b.day),
        planned: plannedOn(b.day)?.treatment ?? null,
        recorded: b.recorded ?? a.recorded,
        ...lineOf(b),
        message: `${at(b.day)}: more than one value recorded; all are kept (an autocorrelated model needs one per day)`,
      });
    }
  }
  // Planned periods without any observation.
  if (plan !== undefined) {
    for (const p of plan.periods) {
      if (!recs.some((r) => r.value !== null && r.day >= p.startDay && r.day <= p.endDay)) {
        deviations.push({
          kind: 'missing-period',
          day: p.startDay,
          endDay: p.endDay,
          ...dateOf(p.startDay),
          ...(startDate === undefined ? {} : { endDate: addDays(startDate, p.endDay) }),
          period: p.index,
          planned: p.treatment,
          recorded: null,
          message: `period ${p.index + 1} (${p.treatment}, ${at(p.startDay)} to ${at(p.endDay)}) has no observation`,
        });
      }
    }
  }
  deviations.sort((a, b) => a.day - b.day);

  const observation = (r: Rec): TrialObservation => ({
    day: r.day,
    value: r.value as number,
    ...(r.trials === undefined ? {} : { trials: r.trials }),
    ...(r.exposure === undefined ? {} : { exposure: r.exposure }),
  });

  if (!asTreated || treatCol === undefined) {
    const design = plan as TrialDesign;
    const observations = recs.filter((r) => r.value !== null && r.day >= 0 && r.day < design.totalDays).map(observation);
    return { design, observations, deviations, analysis: asTreated ? 'as-treated' : 'as-randomised' };
  }

  // As treated: periods from the runs of the treatment actually taken.
  const treated = recs.filter((r) => r.treatment !== null && r.day >= 0);
  if (treated.length === 0) fail(fn, `options.treatment`, `must name a column with at least one treatment recorded${who}`, treatCol);
  const treatments: string[] = plan === undefined ? [...seriesTreatments] : [...plan.treatments];
  for (const r of treated) if (!treatments.includes(r.treatment as string)) treatments.push(r.treatment as string);
  if (treatments.length < 2) {
    fail(fn, `rows`, `must record at least two treatments to compare${who}; only ${treatments.join(', ')} found`, treatments);
  }
  const runs: { treatment: string; start: number; last: number }[] = [];
  for (const r of treated) {
    const cur = runs[runs.length - 1];
    const planned = plannedOn(r.day);
    const was = cur === undefined ? undefined : plannedOn(cur.last)?.index;
    const samePlanned = was === undefined || planned === undefined || was === planned.index;
    if (cur !== undefined && cur.treatment === r.treatment && samePlanned) {
      cur.last = r.day;
      continue;
    }
    // A new period starts on this day, or on its planned first day when the diary is silent before it.
    let start = r.day;
    if (planned !== undefined && planned.startDay < r.day && (cur === undefined || planned.startDay > cur.last)) start = planned.startDay;
    runs.push({ treatment: r.treatment as string, start, last: r.day });
  }
  const lastRun = runs[runs.length - 1] as (typeof runs)[number];
  const lastPlanned = plannedOn(lastRun.last);
  const endOfTrial = lastPlanned !== undefined && lastPlanned.treatment === lastRun.treatment ? Math.max(lastRun.last, lastPlanned.endDay) : lastRun.last;
  const lengths = runs.map((run, i) => (i + 1 < runs.length ? (runs[i + 1] as (typeof runs)[number]).start : endOfTrial + 1) - run.start);
  const modal = (ls: readonly number[]): number => {
    const counts = new Map<number, number>();
    for (const l of ls) counts.set(l, (counts.get(l) ?? 0) + 1);
    let m = 0;
    let best = 0;
    for (const [l, c] of counts) if (c > best || (c === best && l > m)) [m, best] = [l, c];
    return m;
  };
  let trialEnd = endOfTrial;
  const gaps: number[] = [];
  for (let i = 1; i < treated.length; i++) gaps.push((treated[i] as (typeof treated)[number]).day - (treated[i - 1] as (typeof treated)[number]).day);
  if (plan === undefined && runs.length >= 2 && gaps.every((g) => g > 1)) {
    // Rows at least two days apart: a table of period summaries (one row per period, as published
    // series give them). It shows where each period starts but not where the last one ends, so
    // the last period lasts as long as the most common spacing of the rows.
    const spacing = modal(gaps);
    const last = lengths.length - 1;
    if ((lengths[last] as number) < spacing) {
      lengths[last] = spacing;
      trialEnd = lastRun.start + spacing - 1;
    }
  }
  const periodDays = plan?.periodDays ?? modal(lengths);
  if (washoutDays >= periodDays) {
    fail(fn, 'options.washoutDays', `must be shorter than the periods (${periodDays} days${plan === undefined ? ', the most common recorded length' : ''})${who}`, washoutDays);
  }
  const k = treatments.length;
  const periods: TrialPeriod[] = runs.map((run, i) => {
    const endDay = run.start + (lengths[i] as number) - 1;
    return {
      index: i,
      block: Math.floor(i / k),
      treatment: run.treatment,
      startDay: run.start,
      endDay,
      washoutEndDay: Math.min(run.start + washoutDays - 1, endDay),
      ...(startDate === undefined ? {} : { startDate: addDays(startDate, run.start), endDate: addDays(startDate, endDay) }),
    };
  });
  const runInDays = (runs[0] as (typeof runs)[number]).start;
  const design: TrialDesign = {
    treatments,
    randomization: plan?.randomization ?? 'fixed',
    seed: plan?.seed ?? 0,
    periodDays,
    washoutDays,
    runInDays,
    totalDays: trialEnd + 1,
    periods,
    ...(startDate === undefined ? {} : { startDate }),
    origin: 'recorded',
  };
  validateDesign(design, fn);
  const observations: TrialObservation[] = [];
  for (const r of recs) {
    if (r.value === null || r.day < 0) continue;
    if (r.day > endOfTrial) {
      if (plan === undefined || r.day < plan.totalDays) {
        deviations.push({
          kind: 'missing-treatment',
          day: r.day,
          ...dateOf(r.day),
          planned: null,
          recorded: null,
          ...lineOf(r),
          message: `${at(r.day)}: a value after the last recorded treatment; not analysed`,
        });
      }
      continue;
    }
    observations.push(observation(r));
  }
  deviations.sort((a, b) => a.day - b.day);
  return { design, observations, deviations, analysis: 'as-treated' };
}

/** Options of {@link seriesFromTable}: {@link TrialFromTableOptions} plus the patient column. */
export interface SeriesFromTableOptions extends Omit<TrialFromTableOptions, 'design'> {
  /** Column of the patient (or trial) identifier; numbers are turned into text. @defaultValue `'patient'` */
  readonly patient?: string;
  /** One plan for every patient. @defaultValue none */
  readonly design?: TrialDesign;
  /** A plan per patient id (takes precedence over `design`). @defaultValue none */
  readonly designs?: Readonly<Record<string, TrialDesign>>;
}

/** One patient's trial from {@link seriesFromTable}: a `SeriesTrial` with its deviations. */
export interface TableSeriesTrial {
  readonly id: string;
  readonly design: TrialDesign;
  readonly observations: TrialObservation[];
  readonly deviations: Deviation[];
}

/**
 * Turns a long table of a series of N-of-1 trials (one row per patient and day: `patient`,
 * `date` or `day`, `treatment`, `value`) into the `trials` that `analyzeSeries` takes: one
 * trial per patient, in order of first appearance, each from {@link trialFromTable} with its
 * own day 0 (the patient's first date, or their plan's start date), so that patients who
 * started on different dates line up. Every patient's design lists every treatment of the
 * series, so a patient who never took an arm keeps it (with no period). Patients with missing
 * periods or only a few rows are kept as they are; their deviations are listed per patient.
 *
 * @param rows - the long table, one object per row (e.g. from {@link parseTable})
 * @param options - the column names; see {@link SeriesFromTableOptions}
 * @returns `{ trials }`, each `{ id, design, observations, deviations }`
 * @throws ValidationError as {@link trialFromTable} (the message names the patient), for a
 *   missing patient column or a row without a patient
 * @example
 * ```ts
 * const rows = parseTable('patient,day,treatment,value\n1,0,A,5\n1,1,B,3\n2,0,B,4\n2,1,A,6\n');
 * const { trials } = seriesFromTable(rows, { value: 'value' });
 * trials.map((t) => t.id); // ['1', '2']
 * // analyzeSeries({ trials, outcome: 'normal', reference: 'A', betterIs: 'lower', priors: { populationEffects: { B: normal(0, 5) } } })
 * ```
 * @see Zucker et al. (1997), Combining single patient (N-of-1) trials to estimate population treatment effects, J Clin Epidemiol 50(4).
 */
export function seriesFromTable(rows: readonly Record<string, unknown>[], options: SeriesFromTableOptions): { trials: TableSeriesTrial[] } {
  const fn = 'seriesFromTable';
  if (!Array.isArray(rows) || rows.length === 0) fail(fn, 'rows', 'must be a non-empty array of rows', rows);
  for (const [i, r] of rows.entries()) plainObject(fn, `rows[${i}]`, r);
  const o = plainObject(fn, 'options', options) as unknown as SeriesFromTableOptions;
  const cols = columnsOf(rows);
  const patientCol = column(fn, cols, 'options.patient', o.patient ?? 'patient');
  const designs = o.designs === undefined ? undefined : plainObject(fn, 'options.designs', o.designs);
  const groups = new Map<string, Record<string, unknown>[]>();
  rows.forEach((r, i) => {
    const v = r[patientCol];
    if ((typeof v !== 'string' || v.trim() === '') && (typeof v !== 'number' || !Number.isFinite(v))) {
      fail(fn, `rows[${i}].${patientCol}`, `must name the patient${cellWhere(r, i, patientCol)}`, v);
    }
    const id = String(v).trim();
    const g = groups.get(id);
    if (g === undefined) groups.set(id, [r]);
    else g.push(r);
  });
  const { patient: _p, designs: _d, design, ...rest } = o;
  // Every patient's design lists every treatment of the series (in order of first appearance),
  // so that a patient who never took an arm still has it in their design.
  const treatCol = rest.treatment ?? (cols.has('treatment') ? 'treatment' : undefined);
  const all: string[] = [];
  if (treatCol !== undefined && cols.has(treatCol)) {
    for (const r of rows) {
      const t = r[treatCol];
      const label = typeof t === 'number' ? String(t) : typeof t === 'string' ? t.trim() : '';
      if (label !== '' && !all.includes(label)) all.push(label);
    }
  }
  const trials: TableSeriesTrial[] = [];
  for (const [id, g] of groups) {
    const plan = (designs !== undefined && Object.hasOwn(designs, id) ? designs[id] : design) as TrialDesign | undefined;
    const t = trialFrom(fn, g, { ...rest, ...(plan === undefined ? {} : { design: plan }) }, ` (patient ${JSON.stringify(id)})`, all);
    trials.push({ id, design: t.design, observations: t.observations, deviations: t.deviations });
  }
  return { trials };
}

/** Options of {@link trialToTable}. */
export interface TrialToTableOptions {
  /** Write ISO dates (needs the design's `startDate`) instead of day numbers. @defaultValue true when the design has a startDate */
  readonly dates?: boolean;
  /** Name of the value column. @defaultValue 'value' */
  readonly value?: string;
}

/**
 * Writes a design and its diary as a table, one row per day of the trial (run-in included):
 * `date` or `day`, `treatment` (blank during run-in), `value` (blank when nothing was
 * recorded; one row per observation when a day has several), plus `trials` / `exposure` when
 * any observation has them. The inverse of {@link trialFromTable}: reading the table back with
 * the design as the plan gives the design's periods and the observations.
 *
 * @param design - the design (validated)
 * @param observations - the diary
 * @param options - see {@link TrialToTableOptions}
 * @returns the rows
 * @throws ValidationError for an invalid design, an observation that is not `{ day, value }`
 *   or whose day is outside the trial, or `dates` without a start date
 * @example
 * ```ts
 * const design = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 2, randomization: 'fixed', seed: 1 });
 * trialToTable(design, [{ day: 0, value: 5 }, { day: 3, value: 2 }]);
 * // [{ day: 0, treatment: 'A', value: 5 }, { day: 1, treatment: 'A', value: null },
 * //  { day: 2, treatment: 'B', value: null }, { day: 3, treatment: 'B', value: 2 }]
 * ```
 * @see {@link trialFromTable}
 */
export function trialToTable(
  design: TrialDesign,
  observations: readonly TrialObservation[],
  options: TrialToTableOptions = {},
): Record<string, string | number | null>[] {
  const fn = 'trialToTable';
  const d = validateDesign(design, fn);
  const o = plainObject(fn, 'options', options);
  const dates = o.dates === undefined ? d.startDate !== undefined : o.dates === true;
  if (dates && d.startDate === undefined) fail(fn, 'options.dates', 'needs a design with a startDate', o.dates);
  const valueCol = o.value === undefined ? 'value' : nonEmptyString(fn, 'options.value', o.value);
  if (!Array.isArray(observations)) fail(fn, 'observations', 'must be an array of { day, value }', observations);
  const byDay = new Map<number, TrialObservation[]>();
  const hasTrials = observations.some((ob) => ob?.trials !== undefined);
  const hasExposure = observations.some((ob) => ob?.exposure !== undefined);
  observations.forEach((ob, i) => {
    plainObject(fn, `observations[${i}]`, ob);
    const day = integer(fn, `observations[${i}].day`, ob.day, 0, d.totalDays - 1);
    if (typeof ob.value !== 'number' || !Number.isFinite(ob.value)) fail(fn, `observations[${i}].value`, 'must be a finite number', ob.value);
    const list = byDay.get(day);
    if (list === undefined) byDay.set(day, [ob]);
    else list.push(ob);
  });
  const out: Record<string, string | number | null>[] = [];
  for (let day = 0; day < d.totalDays; day++) {
    const base: Record<string, string | number | null> = dates ? { date: addDays(d.startDate as string, day) } : { day };
    base.treatment = periodOfDay(d, day)?.treatment ?? null;
    const list = byDay.get(day) ?? [undefined];
    for (const ob of list) {
      const row: Record<string, string | number | null> = { ...base, [valueCol]: ob === undefined ? null : ob.value };
      if (hasTrials) row.trials = ob?.trials ?? null;
      if (hasExposure) row.exposure = ob?.exposure ?? null;
      out.push(row);
    }
  }
  return out;
}
