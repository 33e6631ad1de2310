/**
 * Input and output for the `n1kit` command: JSON or CSV from a file or stdin, atomic writes.
 * Node-only (uses `node:fs`).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type TableRow, parseTable } from '../data/table.js';
import { ValidationError } from '../errors.js';

/** An I/O failure (missing file, unreadable stdin): exit code 6. */
export class CliIoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliIoError';
  }
}

/** Reads a whole file, or stdin when `path` is '-'. */
export function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliIoError(`cannot read ${path === '-' ? 'stdin' : path}${code ? ` (${code})` : ''}`);
  }
}

/** Parses JSON, naming the source in the error. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`n1kit: ${source} is not valid JSON (${(e as Error).message})`, {
      fn: 'n1kit',
      field: source,
    });
  }
}

/**
 * Parses a CSV / TSV with a header row into objects with {@link parseTable} (one parser for the
 * library and the command): a UTF-8 byte-order mark is dropped, LF, CRLF and CR line ends all
 * work, quoted cells may hold the separator, quotes and line breaks, lines starting with `#`
 * are skipped, numeric cells become numbers and blank (or `NA`) cells `null`. Errors name the file.
 */
export function parseCsv(text: string, source: string): TableRow[] {
  try {
    return parseTable(text, { comment: '#' });
  } catch (e) {
    // By code, not instanceof (the rule for N1kitError everywhere).
    const err = e as { code?: unknown; message?: unknown; field?: unknown; value?: unknown };
    if (err === null || typeof err !== 'object' || err.code !== 'E_INVALID_ARGUMENT') throw e;
    throw new ValidationError(`n1kit: ${source}: ${String(err.message).replace(/^parseTable: /, '')}`, {
      fn: 'n1kit',
      field: source,
      value: err.value,
    });
  }
}

/** Reads JSON or CSV (by extension, or by content for stdin). */
export function readData(path: string): unknown {
  const text = readText(path);
  const looksJson = /^\s*[[{]/.test(text);
  if (path.toLowerCase().endsWith('.csv') || (!path.toLowerCase().endsWith('.json') && !looksJson)) {
    return parseCsv(text, path);
  }
  return parseJson(text, path);
}

/** Writes a file atomically (temporary file, then rename); creates the folder. */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliIoError(`cannot write ${path}${code ? ` (${code})` : ''}`);
  }
}

/** Formats rows as an aligned plain-text table. */
export function table(rows: readonly (readonly (string | number)[])[], header: readonly string[]): string {
  const all = [header, ...rows].map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = header.map((_, j) => Math.max(...all.map((r) => String(r[j] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((c, j) => (j === 0 ? String(c).padEnd(widths[j] as number) : String(c).padStart(widths[j] as number))).join('  ');
  return [line(all[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map((r) => line(r as string[]))].join('\n');
}

/** A number with 3 significant decimals, no exponent for ordinary magnitudes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return x.toFixed(a >= 100 ? 1 : 3);
  return x.toExponential(2);
}
