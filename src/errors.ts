/**
 * The one error hierarchy of n1kit. Every public function throws an {@link N1kitError}
 * subclass with a stable `code`; check `err.code`, not only `instanceof`, because ESM and
 * CommonJS copies of the package loaded together have distinct classes.
 *
 * @packageDocumentation
 */

/** Stable error codes. Extend, never rename. */
export type N1kitErrorCode =
  | 'E_INVALID_ARGUMENT'
  | 'E_CONVERGENCE'
  | 'E_PROVIDER'
  | 'E_PRIVACY_BUDGET'
  | 'E_DECRYPT'
  /** An optional peer dependency (e.g. `vega`, `vega-lite` for rendering) is not installed. */
  | 'E_DEPENDENCY'
  | 'E_INTERNAL';

/** Details attached to an error: where it happened and what was wrong. */
export interface N1kitErrorDetails {
  /** The public function that threw, e.g. `'designTrial'`. */
  readonly fn?: string;
  /** The field (option or argument path) at fault, e.g. `'blocks'` or `'observations[3].day'`. */
  readonly field?: string;
  /** The offending value (secrets are never put here). */
  readonly value?: unknown;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * Base class of every error n1kit throws.
 *
 * @example
 * ```ts
 * try { normal(0, -1); } catch (e) { if (isN1kitError(e)) console.log(e.code); } // 'E_INVALID_ARGUMENT'
 * ```
 */
export class N1kitError extends Error {
  /** Stable machine-readable code. */
  readonly code: N1kitErrorCode;
  /** The public function that threw. */
  readonly fn: string | undefined;
  /** The field at fault. */
  readonly field: string | undefined;
  /** The offending value. */
  readonly value: unknown;

  constructor(code: N1kitErrorCode, message: string, details: N1kitErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'N1kitError';
    this.code = code;
    this.fn = details.fn;
    this.field = details.field;
    this.value = details.value;
  }
}

/** Bad input: a value of the wrong type, out of range, or inconsistent with other input. */
export class ValidationError extends N1kitError {
  constructor(message: string, details: N1kitErrorDetails = {}) {
    super('E_INVALID_ARGUMENT', message, details);
    this.name = 'ValidationError';
  }
}

/** A sampler or solver did not converge within the allowed iterations. */
export class ConvergenceError extends N1kitError {
  constructor(message: string, details: N1kitErrorDetails = {}) {
    super('E_CONVERGENCE', message, details);
    this.name = 'ConvergenceError';
  }
}

/** A prior provider (e.g. an LLM server) failed or answered something unusable. */
export class ProviderError extends N1kitError {
  /** HTTP status, when the failure came from an HTTP answer. */
  readonly status: number | undefined;
  constructor(message: string, details: N1kitErrorDetails & { status?: number } = {}) {
    super('E_PROVIDER', message, details);
    this.name = 'ProviderError';
    this.status = details.status;
  }
}

/**
 * True when `e` is an error thrown by n1kit (any copy of the package): checks the shape, not
 * the class, so it works across ESM/CJS duplicates.
 */
export function isN1kitError(e: unknown): e is N1kitError {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    String((e as unknown as { code: string }).code).startsWith('E_')
  );
}

/** Renders a value for an error message: short, never throws. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') {
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  }
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
