/**
 * Exports of a design for people and their tools: CSV (RFC 4180) and iCalendar (RFC 5545).
 *
 * @packageDocumentation
 */
import { fail, integer, nonEmptyString, oneOf, plainObject } from '../validate.js';
import { addDays, isoDate, fitsCalendar } from './dates.js';
import type { TrialDesign } from './types.js';
import { validateDesign } from './validate-design.js';

/**
 * Options of {@link designToCsv}.
 *
 * @example
 * ```ts
 * const o: DesignCsvOptions = { lineEnding: '\n' };
 * ```
 * @see RFC 4180, Common Format and MIME Type for Comma-Separated Values (CSV) Files.
 */
export interface DesignCsvOptions {
  /**
   * Line ending; RFC 4180 prescribes CRLF.
   * @defaultValue '\r\n'
   */
  lineEnding?: '\r\n' | '\n';
}

function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The schedule as CSV, one row per period, with a header row:
 * `period,block,treatment,start_day,end_day,washout_end_day,start_date,end_date`
 * (`period` and `block` 1-based for people; days as in the design, 0 = first trial day; dates
 * empty when the design has no `startDate`). Fields are quoted per RFC 4180 when needed.
 *
 * @param design - a design (checked with {@link validateDesign})
 * @param options - see {@link DesignCsvOptions}
 * @returns the CSV text, ending with a line break
 * @throws ValidationError when `design` is not a valid design
 * @example
 * ```ts
 * const d = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7,
 *   randomization: 'fixed', seed: 1, startDate: '2026-03-02' });
 * designToCsv(d, { lineEnding: '\n' });
 * // period,block,treatment,start_day,end_day,washout_end_day,start_date,end_date
 * // 1,1,A,0,6,-1,2026-03-02,2026-03-08
 * // 2,1,B,7,13,6,2026-03-09,2026-03-15
 * ```
 * @see RFC 4180, Common Format and MIME Type for Comma-Separated Values (CSV) Files.
 */
export function designToCsv(design: TrialDesign, options: DesignCsvOptions = {}): string {
  const d = validateDesign(design, 'designToCsv');
  const o = plainObject('designToCsv', 'options', options);
  const eol = o.lineEnding === undefined ? '\r\n' : oneOf('designToCsv', 'options.lineEnding', o.lineEnding, ['\r\n', '\n'] as const);
  const lines = ['period,block,treatment,start_day,end_day,washout_end_day,start_date,end_date'];
  for (const p of d.periods) {
    lines.push(
      [p.index + 1, p.block + 1, p.treatment, p.startDay, p.endDay, p.washoutEndDay, p.startDate, p.endDate]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join(eol) + eol;
}

/**
 * Options of {@link designToICalendar}.
 *
 * @example
 * ```ts
 * const o: DesignICalendarOptions = { timestamp: '2026-01-01T09:00:00Z',
 *   reminder: { offsetMinutes: 480, description: 'Start your next treatment today' } };
 * ```
 * @see RFC 5545, Internet Calendaring and Scheduling Core Object Specification (iCalendar).
 */
export interface DesignICalendarOptions {
  /**
   * ISO date (YYYY-MM-DD) of day 0, needed when the design has no `startDate` (overrides it
   * otherwise).
   * @defaultValue the design's startDate
   */
  startDate?: string;
  /**
   * Creation time written as DTSTAMP (required by RFC 5545). Pass it for reproducible output.
   * @defaultValue the current time
   */
  timestamp?: Date | string;
  /**
   * Text before each event title: `"<title>: <treatment> (period i of n)"`.
   * @defaultValue 'N-of-1 trial'
   */
  title?: string;
  /**
   * A reminder on each period: `offsetMinutes` after the start of the period's first day
   * (midnight, local time of the calendar); negative values remind before, e.g. −900 is 09:00 on
   * the day before, 480 is 08:00 on the first day.
   * @defaultValue no reminder
   */
  reminder?: { offsetMinutes: number; description?: string };
  /**
   * Also add an event for the run-in (when `runInDays` > 0).
   * @defaultValue false
   */
  includeRunIn?: boolean;
  /**
   * Domain part of each event's UID (`…@uidDomain`); UIDs are otherwise derived from the design,
   * so exporting the same design again updates rather than duplicates the events.
   * @defaultValue 'n1kit.design'
   */
  uidDomain?: string;
}

/**
 * Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, line breaks as `\n`;
 * other control characters (not allowed in TEXT, only HTAB is) become spaces.
 */
function icsText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\x00-\x08\x0a-\x1f\x7f]/g, ' ');
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Folds a content line to at most 75 octets per line (RFC 5545 §3.1), never inside a character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const len = utf8Length(ch.codePointAt(0) as number);
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with one space
    if (octets + len > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += len;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function compactDate(iso: string): string {
  return iso.replace(/-/g, '');
}

/** FNV-1a 32-bit hash, hex: a short stable fingerprint for UIDs. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function dtstamp(fn: string, value: Date | string | undefined): string {
  const date = value === undefined ? new Date() : value instanceof Date ? value : new Date(value);
  if (!(date instanceof Date) || Number.isNaN(date.getTime()) || (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value))) {
    fail(fn, 'options.timestamp', 'must be a valid Date or an ISO date-time string', value);
  }
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function duration(minutes: number): string {
  return `${minutes < 0 ? '-' : ''}PT${Math.abs(minutes)}M`;
}

/**
 * The schedule as an iCalendar (RFC 5545) file: one all-day event per period, titled with the
 * treatment, described with its days and washout, optionally with a reminder, so a patient's
 * phone calendar carries the schedule. Lines end in CRLF and are folded at 75 octets; text is
 * escaped; events are transparent (they do not block time). Import it as a `.ics` file
 * (MIME type `text/calendar`).
 *
 * @param design - a design (checked with {@link validateDesign})
 * @param options - see {@link DesignICalendarOptions}
 * @returns the iCalendar text
 * @throws ValidationError when the design is invalid, has no start date and none is given, or an
 * option is invalid
 * @example
 * ```ts
 * const d = designTrial({ treatments: ['magnesium', 'placebo'], blocks: 2, periodDays: 14,
 *   seed: 'p1', startDate: '2026-01-05' });
 * const ics = designToICalendar(d, { timestamp: '2026-01-01T09:00:00Z',
 *   reminder: { offsetMinutes: 480 } });
 * ics.startsWith('BEGIN:VCALENDAR\r\n'); // true
 * ```
 * @see RFC 5545, Internet Calendaring and Scheduling Core Object Specification (iCalendar).
 */
export function designToICalendar(design: TrialDesign, options: DesignICalendarOptions = {}): string {
  const fn = 'designToICalendar';
  const d = validateDesign(design, fn);
  const o = plainObject(fn, 'options', options);
  const startDate =
    o.startDate !== undefined
      ? isoDate(fn, 'options.startDate', o.startDate)
      : d.startDate ?? fail(fn, 'options.startDate', 'is required when the design has no startDate', o.startDate);
  if (!fitsCalendar(startDate, d.totalDays + 1)) fail(fn, 'options.startDate', 'must leave the whole trial before year 10000', startDate);
  const stamp = dtstamp(fn, o.timestamp as Date | string | undefined);
  const title = o.title === undefined ? 'N-of-1 trial' : nonEmptyString(fn, 'options.title', o.title);
  const uidDomain = o.uidDomain === undefined ? 'n1kit.design' : nonEmptyString(fn, 'options.uidDomain', o.uidDomain);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
  if (/[\s@\x00-\x1f\x7f]/.test(uidDomain)) fail(fn, 'options.uidDomain', 'must not contain spaces, control characters or @', uidDomain);
  let reminder: { offsetMinutes: number; description: string } | undefined;
  if (o.reminder !== undefined) {
    const r = plainObject(fn, 'options.reminder', o.reminder);
    reminder = {
      offsetMinutes: integer(fn, 'options.reminder.offsetMinutes', r.offsetMinutes, -525_600, 525_600),
      description: r.description === undefined ? '' : nonEmptyString(fn, 'options.reminder.description', r.description),
    };
  }
  const includeRunIn = o.includeRunIn === true;
  const fingerprint = fnv1a(JSON.stringify([d.treatments, d.seed, d.randomization, startDate, d.periods.map((p) => p.treatment)]));
  const n = d.periods.length;

  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//n1kit//N-of-1 trial design//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  const event = (uid: string, first: number, last: number, summary: string, description: string, alarm: string | undefined) => {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icsText(`${uid}@${uidDomain}`)}`, // UID is TEXT (§3.8.4.7)
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${compactDate(addDays(startDate, first))}`,
      `DTEND;VALUE=DATE:${compactDate(addDays(startDate, last + 1))}`, // exclusive end
      `SUMMARY:${icsText(summary)}`,
      `DESCRIPTION:${icsText(description)}`,
      'TRANSP:TRANSPARENT',
    );
    if (alarm !== undefined && reminder !== undefined) {
      lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', `TRIGGER:${duration(reminder.offsetMinutes)}`, `DESCRIPTION:${icsText(alarm)}`, 'END:VALARM');
    }
    lines.push('END:VEVENT');
  };
  if (includeRunIn && d.runInDays > 0) {
    event(`${fingerprint}-run-in`, 0, d.runInDays - 1, `${title}: run-in`, `Run-in: days 0 to ${d.runInDays - 1} of the trial, before the first treatment period.`, undefined);
  }
  for (const p of d.periods) {
    const washout =
      d.washoutDays > 0
        ? ` The first ${d.washoutDays} day(s), to ${addDays(startDate, p.washoutEndDay)}, are washout and not analysed by default.`
        : '';
    event(
      `${fingerprint}-p${p.index + 1}`,
      p.startDay,
      p.endDay,
      `${title}: ${p.treatment} (period ${p.index + 1} of ${n})`,
      `Take ${p.treatment} from ${addDays(startDate, p.startDay)} to ${addDays(startDate, p.endDay)} (trial days ${p.startDay}-${p.endDay}, block ${p.block + 1}).${washout}`,
      reminder === undefined ? undefined : reminder.description || `${title}: ${p.treatment} (period ${p.index + 1} of ${n})`,
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
