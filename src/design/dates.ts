/**
 * ISO calendar dates (YYYY-MM-DD) without time zones: all arithmetic is done on UTC midnights,
 * so adding days never slips across a daylight-saving change.
 *
 * @packageDocumentation
 */
import { fail } from '../validate.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** UTC milliseconds of an ISO date's midnight, or undefined when it is not a real calendar date. */
export function parseIsoDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE.exec(value);
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // setUTCFullYear, unlike Date.UTC, keeps years 0..99 as given
  date.setUTCHours(0, 0, 0, 0);
  // Rejects 2026-02-30 and friends: the date must survive the round trip unchanged.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.getTime();
}

/** Formats UTC milliseconds (a midnight) as YYYY-MM-DD. */
export function formatIsoDate(ms: number): string {
  const date = new Date(ms);
  const y = date.getUTCFullYear();
  const mo = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The ISO date `days` days after `isoDate` (which must be valid). */
export function addDays(isoDate: string, days: number): string {
  const ms = parseIsoDate(isoDate);
  if (ms === undefined) throw new Error(`addDays: invalid date ${isoDate}`); // internal misuse only
  return formatIsoDate(ms + days * DAY_MS);
}

/** Validates an ISO calendar date between years 1000 and 9999 and returns it. */
export function isoDate(fn: string, field: string, value: unknown): string {
  const ms = parseIsoDate(value);
  if (ms === undefined || (value as string) < '1000') {
    fail(fn, field, 'must be a real calendar date written YYYY-MM-DD (years 1000-9999)', value);
  }
  return value as string;
}

const LAST_MS = (parseIsoDate('9999-12-31') as number);

/** True when the date `days` days after `isoDate` is still on or before 9999-12-31. */
export function fitsCalendar(isoDate: string, days: number): boolean {
  const ms = parseIsoDate(isoDate);
  return ms !== undefined && ms + days * DAY_MS <= LAST_MS;
}
