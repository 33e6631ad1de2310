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
  if (xs.length > LIMITS.arrayLength) fail(fn, field, `must hold at most ${LIMITS.arrayLength} elements`, `${xs.length} elements`);
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
  denseArray(fn, field, value);
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const label: unknown = value[i];
    nonEmptyString(fn, `${field}[${i}]`, label);
    if (seen.has(label as string)) fail(fn, field, `must hold unique labels (duplicate ${formatValue(label)})`, value);
    seen.add(label as string);
  }
  return [...value] as string[];
}

/** One of the allowed string values. */
export function oneOf<T extends string>(fn: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(fn, field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** A plain (non-null, non-array) object whose own properties are data, not getters. */
export function plainObject(fn: string, field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(fn, field, 'must be an object', value);
  }
  // Own getters are refused before any is read: one that throws (or changes its answer between
  // reads) would otherwise escape as a foreign error or validate one value and use another.
  for (const k of Object.keys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, k);
    if (d !== undefined && d.get !== undefined) fail(fn, `${field}.${k}`, 'must be a data property (no getters)', undefined);
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

/**
 * The size limits every resolver enforces (one table, documented in `docs/limits.md`). A count
 * or size argument above its limit is refused with a {@link ValidationError} before any work
 * starts, so no input can make n1kit allocate without bound or run for minutes.
 */
export const LIMITS = Object.freeze({
  /** Elements of any input array (observations, contexts, logs, labels, …). */
  arrayLength: 1_000_000,
  /** Own keys of any input record (effects, probabilities, priors, …). */
  recordKeys: 100_000,
  /** Monte Carlo draws asked of one call (`probabilityOfBest`, `summarize`, samplers). */
  draws: 10_000_000,
  /** Order of a Williams square (`williamsSquare(k)`: k or 2k rows of k). */
  squareOrder: 1_000,
  /** Nesting depth of JSON data given to the encrypted store. */
  jsonDepth: 256,
});

/**
 * A dense array (no holes) of at most `max` elements (default {@link LIMITS}.arrayLength) and at
 * least `min`. `['A', , 'B']` is refused: a hole reads as `undefined` and would become a
 * treatment or an arm named "undefined".
 */
export function denseArray(fn: string, field: string, value: unknown, min = 0, max: number = LIMITS.arrayLength): readonly unknown[] {
  if (!Array.isArray(value)) fail(fn, field, 'must be an array', value);
  if (value.length < min) fail(fn, field, min === 1 ? 'must be a non-empty array' : `must hold at least ${min} element(s)`, value);
  if (value.length > max) fail(fn, field, `must hold at most ${max} elements`, `${value.length} elements`);
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) fail(fn, `${field}[${i}]`, 'must not be a hole (sparse arrays are refused)', undefined);
  }
  return value;
}

/**
 * Rejects keys outside `allowed` in an options object: a misspelt option (`washotDays`,
 * `effect` for `effects`) would otherwise be ignored silently and the defaults used.
 */
export function knownKeys(fn: string, field: string, obj: object, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) fail(fn, `${field}.${k}`, `is not an option (expected one of ${allowed.join(', ')})`, k);
  }
}

/**
 * `rec[key]` when `key` is an own property (a treatment called 'constructor' or 'toString'
 * must not pick up Object.prototype's; an own `__proto__` key is read as data).
 */
export function ownValue<T>(rec: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  if (rec === undefined || rec === null || !Object.hasOwn(rec, key)) return undefined;
  return Object.getOwnPropertyDescriptor(rec, key)?.value as T | undefined;
}

/**
 * Sets `obj[key] = value` as an own data property, also for `key === '__proto__'` (a plain
 * assignment would change the prototype and drop the entry).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A record (plain object) as a list of its own enumerable entries, `__proto__` included,
 * each value read once (a getter that throws becomes a {@link ValidationError}), at most
 * `max` keys (default {@link LIMITS}.recordKeys).
 */
export function ownEntries(fn: string, field: string, value: unknown, max: number = LIMITS.recordKeys): [string, unknown][] {
  plainObject(fn, field, value);
  const keys = Object.keys(value as object);
  if (keys.length > max) fail(fn, field, `must hold at most ${max} keys`, `${keys.length} keys`);
  const out: [string, unknown][] = [];
  for (const k of keys) {
    const d = Object.getOwnPropertyDescriptor(value, k);
    if (d === undefined) continue;
    if (d.get !== undefined || d.set !== undefined) fail(fn, `${field}.${k}`, 'must be a data property (no getters)', undefined);
    out.push([k, d.value]);
  }
  return out;
}

/** A record built from entries with {@link setOwn} (so `__proto__` stays an own key). */
export function fromOwnEntries<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of entries) setOwn(out, k, v);
  return out;
}

/**
 * A function (for random sources: an `Rng` must have `uniform()`; see `src/rng`). */
export function func(fn: string, field: string, value: unknown): (...args: never[]) => unknown {
  if (typeof value !== 'function') fail(fn, field, 'must be a function', value);
  return value as (...args: never[]) => unknown;
}

/**
 * MCMC chains: a dense array of at least one chain, each a dense array (or `Float64Array`) of
 * finite numbers, all of one length ≥ `minDraws`, with at most {@link LIMITS}.draws draws in all.
 * Returns the chain length.
 */
export function finiteChains(fn: string, field: string, value: unknown, minDraws = 4): number {
  const chains = denseArray(fn, field, value, 1);
  let n = -1;
  for (let i = 0; i < chains.length; i++) {
    const c: unknown = chains[i];
    const f = `${field}[${i}]`;
    if (!Array.isArray(c) && !(c instanceof Float64Array)) fail(fn, f, 'must be an array of finite numbers (one chain)', c);
    const len = (c as ArrayLike<number>).length;
    if (i === 0) {
      if (len < minDraws) fail(fn, f, `must hold at least ${minDraws} draws`, `${len} draws`);
      if (len * chains.length > LIMITS.draws) fail(fn, field, `must hold at most ${LIMITS.draws} draws in all`, `${chains.length} chains of ${len}`);
      n = len;
    } else if (len !== n) {
      fail(fn, f, `must have the same length as ${field}[0] (${n})`, `${len} draws`);
    }
    if (Array.isArray(c)) denseArray(fn, f, c);
    for (let j = 0; j < len; j++) finite(fn, `${f}[${j}]`, (c as ArrayLike<number>)[j]);
  }
  return n;
}

/**
 * An options argument: `undefined` (every default) or a plain object without getters whose
 * keys are all in `allowed`. A default parameter (`options = {}`) covers only `undefined`; this
 * also refuses `null`, arrays, numbers and misspelt keys before any option is read.
 */
export function knownOptions(fn: string, field: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  const o = plainObject(fn, field, value);
  knownKeys(fn, field, o, allowed);
  return o;
}

/** An `AbortSignal` (or one that behaves like it: a boolean `aborted` and `addEventListener`), or undefined. */
export function abortSignal(fn: string, field: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const s = value as { aborted?: unknown; addEventListener?: unknown } | null;
  if (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    fail(fn, field, 'must be an AbortSignal', value);
  }
  return value as AbortSignal;
}

/**
 * The name of a caller or field that a public function takes only to label its errors
 * (`validateDist(d, fnName, fieldName)`, `resolveScenario(s, fn, field)`, …): `value` when it
 * is a string of at most 200 characters (non-empty unless `allowEmpty`), otherwise
 * `fallback`. Names only ever go into messages, so anything else (an object whose
 * `toString` is not callable, a Symbol, a number) is ignored rather than stringified.
 */
export function nameArg(value: unknown, fallback: string, allowEmpty = false): string {
  return typeof value === 'string' && value.length <= 200 && (allowEmpty || value.length > 0) ? value : fallback;
}
