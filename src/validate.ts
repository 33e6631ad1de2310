/**
 * Input guards shared by every module. Each guard returns the value (narrowed) or throws a
 * {@link ValidationError} whose message has the shape
 * ``designTrial: `blocks` must be a positive integer; got -2``.
 *
 * @packageDocumentation
 */
import { ValidationError, formatValue } from './errors.js';

/** Throws a {@link ValidationError} for `fn`'s `field`, saying what was expected. */
export function fail(fn: string, field: string, expected: string, value: unknown): never {
  throw new ValidationError(`${fn}: \`${field}\` ${expected}; got ${formatValue(value)}`, {
    fn,
    field,
    value,
  });
}

/** A finite number (not NaN, not ±Infinity). */
export function finite(fn: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(fn, field, 'must be a finite number', value);
  }
  return value;
}

/** A finite number > 0. */
export function positive(fn: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(fn, field, 'must be a finite number > 0', value);
  }
  return value;
}

/** A finite number ≥ 0. */
export function nonNegative(fn: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(fn, field, 'must be a finite number >= 0', value);
  }
  return value;
}

/** A probability in [0, 1]; `open` excludes the end points. */
export function probability(fn: string, field: string, value: unknown, open = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > 1 ||
    (open && (value === 0 || value === 1))
  ) {
    fail(fn, field, open ? 'must be a probability in (0, 1)' : 'must be a probability in [0, 1]', value);
  }
  return value;
}

/** An integer in [min, max] (safe integers only). */
export function integer(
  fn: string,
  field: string,
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER
        ? 'an integer'
        : max === Number.MAX_SAFE_INTEGER
          ? min === 1
            ? 'a positive integer'
            : min === 0
              ? 'a non-negative integer'
              : `an integer >= ${min}`
          : `an integer in [${min}, ${max}]`;
    fail(fn, field, `must be ${range}`, value);
  }
  return value;
}

/** A number in the closed interval [min, max]. */
export function inRange(fn: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(fn, field, `must be a number in [${min}, ${max}]`, value);
  }
  return value;
}

/** An array of finite numbers (possibly empty unless `nonEmpty`). */
export function finiteArray(
  fn: string,
  field: string,
  value: unknown,
  nonEmpty = true,
): readonly number[] {
  if (!Array.isArray(value) && !(value instanceof Float64Array)) {
    fail(fn, field, 'must be an array of finite numbers', value);
  }
  const xs = value as ArrayLike<number>;
  if (nonEmpty && xs.length === 0) fail(fn, field, 'must be a non-empty array', value);
  for (let i = 0; i < xs.length; i++) finite(fn, `${field}[${i}]`, xs[i]);
  return Array.from(xs);
}

/** A non-empty string. */
export function nonEmptyString(fn: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    fail(fn, field, 'must be a non-empty string', value);
  }
  return value;
}

/** A non-empty array of unique, non-empty string labels. */
export function uniqueLabels(fn: string, field: string, value: unknown, minLength = 1): string[] {
  if (!Array.isArray(value) || value.length < minLength) {
    fail(fn, field, `must be an array of at least ${minLength} label(s)`, value);
  }
  const seen = new Set<string>();
  value.forEach((label, i) => {
    nonEmptyString(fn, `${field}[${i}]`, label);
    if (seen.has(label)) fail(fn, field, `must hold unique labels (duplicate ${formatValue(label)})`, value);
    seen.add(label);
  });
  return [...value] as string[];
}

/** One of the allowed string values. */
export function oneOf<T extends string>(fn: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(fn, field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** A plain (non-null, non-array) object. */
export function plainObject(fn: string, field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(fn, field, 'must be an object', value);
  }
  return value as Record<string, unknown>;
}

/** A boolean. */
export function boolean(fn: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(fn, field, 'must be a boolean', value);
  return value;
}

/** A seed: a finite number or a string. */
export function seed(fn: string, field: string, value: unknown): string | number {
  if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
    fail(fn, field, 'must be a string or a finite number', value);
  }
  return value;
}
