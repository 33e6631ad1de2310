/**
 * Input and output for the `n1kit` command: JSON or CSV from a file or stdin, atomic writes.
 * Node-only (uses `node:fs`).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
 * Parses a CSV with a header row into objects; numeric-looking cells become numbers.
 * Accepts `,` or `;` separators and quoted cells.
 */
export function parseCsv(text: string, source: string): Record<string, string | number>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0 && !l.startsWith('#'));
  if (lines.length === 0) throw new ValidationError(`n1kit: ${source} is empty`, { fn: 'n1kit', field: source });
  const sep = (lines[0] as string).includes(';') && !(lines[0] as string).includes(',') ? ';' : ',';
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === sep) {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out.map((c) => c.trim());
  };
  const header = split(lines[0] as string);
  return lines.slice(1).map((line, i) => {
    const cells = split(line);
    if (cells.length !== header.length) {
      throw new ValidationError(
        `n1kit: ${source} line ${i + 2} has ${cells.length} cells; the header has ${header.length}`,
        { fn: 'n1kit', field: `${source}:${i + 2}`, value: line },
      );
    }
    const row: Record<string, string | number> = {};
    header.forEach((h, j) => {
      const c = cells[j] as string;
      row[h] = c !== '' && Number.isFinite(Number(c)) ? Number(c) : c;
    });
    return row;
  });
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
