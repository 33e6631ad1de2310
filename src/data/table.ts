/**
 * `parseTable`: CSV / TSV text (a spreadsheet export, a diary app's download) into rows of
 * plain objects, with the quirks real files have: a UTF-8 byte-order mark, CRLF line ends,
 * quoted fields holding commas, quotes or line breaks, blank cells for values not recorded.
 *
 * @packageDocumentation
 */
import { dsvFormat } from 'd3-dsv';
import { fail, plainObject } from '../validate.js';

/** One cell of a parsed table: a number when the cell reads as one, text otherwise, `null` when blank. */
export type TableCell = string | number | null;

/** One data row of a parsed table, keyed by the header's column names (in header order). */
export type TableRow = Record<string, TableCell>;

/** Options of {@link parseTable}. */
export interface ParseTableOptions {
  /**
   * The field separator, one character (`','`, `';'`, `'\t'`).
   * @defaultValue detected from the header line: a tab if it holds one, else `';'` if it holds a
   *   semicolon and no comma, else `','`
   */
  readonly delimiter?: string;
  /**
   * Cell texts that mean "not recorded" and become `null` (after trimming). A blank cell is
   * always missing; it never becomes 0.
   * @defaultValue `['', 'NA']` (blank, and R's `write.csv` missing value)
   */
  readonly missing?: readonly string[];
  /** Lines starting with this text (before the header or between rows) are skipped. @defaultValue none */
  readonly comment?: string;
}

/** Where a parsed row came from (line of the file, header), for error messages downstream. @internal */
export interface RowSource {
  readonly line: number;
  readonly columns: readonly string[];
}

const SOURCES = new WeakMap<object, RowSource>();

/** The line number and header of a row made by {@link parseTable}, if it was. @internal */
export function rowSource(row: object): RowSource | undefined {
  return SOURCES.get(row);
}

/** " at line 7, column 3 (value)" for a parsed row's cell, or " in row 5" for a hand-made one. @internal */
export function cellWhere(row: object, index: number, column?: string): string {
  const src = SOURCES.get(row);
  if (src === undefined) return ` in rows[${index}]${column === undefined ? '' : ` (column '${column}')`}`;
  if (column === undefined) return ` at line ${src.line}`;
  return ` at line ${src.line}, column ${src.columns.indexOf(column) + 1} ('${column}')`;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const LINE_BREAKS = /\r\n|\r|\n/g;

function countBreaks(s: string): number {
  return s.match(LINE_BREAKS)?.length ?? 0;
}

/** Finds a quoted field that is never closed: returns its line and field number, or undefined. */
function unclosedQuote(text: string, delimiter: string): { line: number; field: number } | undefined {
  let line = 1;
  let field = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // At the start of a field.
    if (text[i] === '"') {
      const openLine = line;
      i++;
      for (;;) {
        if (i >= n) return { line: openLine, field };
        const c = text[i] as string;
        if (c === '"') {
          if (text[i + 1] === '"') i += 2;
          else {
            i++;
            break;
          }
        } else {
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          i++;
        }
      }
    }
    // Rest of the field (unquoted, or after a closing quote) up to a delimiter or line end.
    while (i < n) {
      const c = text[i] as string;
      if (c === delimiter) {
        field++;
        i++;
        break;
      }
      if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        field = 1;
        break;
      }
      i++;
    }
  }
  return undefined;
}

/**
 * Parses CSV or TSV text with a header row into one plain object per data row. The header's
 * names (trimmed) are the keys, in order. Cells are trimmed; a blank cell (or one of
 * `missing`) becomes `null`, never 0; a cell that reads as a decimal number (`12`, `-0.5`,
 * `1e3`) becomes a number; anything else stays text (dates stay `'2026-03-01'`). A leading
 * UTF-8 byte-order mark is dropped; LF, CRLF and CR line ends all work; quoted fields may hold
 * the delimiter, doubled quotes (`""`) and line breaks. Lines that are blank (or all cells
 * blank, as spreadsheets export trailing rows) are skipped.
 *
 * The splitting is d3-dsv's RFC 4180 parser (ISC licence): chosen for being small (about
 * 5 KB of code), written as ES modules and equally at home in the browser and in Node, where
 * csv-parse needs Node's `Buffer` and papaparse ships no ES module. (Its own dependencies serve
 * only its command-line tool; a bundler leaves them out.) On top of it, `parseTable` adds what d3-dsv leaves out: BOM
 * removal, typed and missing cells, and errors that name the line and column.
 *
 * @param text - the file's content
 * @param options - see {@link ParseTableOptions}
 * @returns the data rows (header excluded)
 * @throws ValidationError (code `E_INVALID_ARGUMENT`) for text that is not a string, an empty
 *   table, a blank or repeated column name, a row with a different number of cells than the
 *   header (naming the line), or a quoted field never closed (naming its line and column)
 * @example
 * ```ts
 * const rows = parseTable('\uFEFFdate,treatment,pain,note\r\n2026-03-01,placebo,4,"slept badly, woke at 3"\r\n2026-03-02,placebo,,\r\n');
 * rows[0]; // { date: '2026-03-01', treatment: 'placebo', pain: 4, note: 'slept badly, woke at 3' }
 * rows[1].pain; // null (not recorded)
 * ```
 * @see Shafranovich (2005), RFC 4180: Common Format and MIME Type for Comma-Separated Values (CSV) Files.
 * @see https://github.com/d3/d3-dsv (the parser used)
 */
export function parseTable(text: string, options: ParseTableOptions = {}): TableRow[] {
  const fn = 'parseTable';
  if (typeof text !== 'string') fail(fn, 'text', 'must be a string (the file content)', text);
  const o = plainObject(fn, 'options', options);
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const comment = o.comment === undefined ? undefined : (o.comment as string);
  if (comment !== undefined && (typeof comment !== 'string' || comment.length === 0)) fail(fn, 'options.comment', 'must be a non-empty string', comment);
  const missingIn = o.missing === undefined ? ['', 'NA'] : o.missing;
  if (!Array.isArray(missingIn) || missingIn.some((m) => typeof m !== 'string')) {
    fail(fn, 'options.missing', 'must be an array of strings', missingIn);
  }
  const missing = new Set((missingIn as string[]).map((m) => m.trim()));
  missing.add('');
  // Comment lines are blanked (not removed) so that line numbers stay those of the file.
  if (comment !== undefined) {
    body = body
      .split(/(\r\n|\r|\n)/)
      .map((part, i) => (i % 2 === 0 && part.trimStart().startsWith(comment) ? '' : part))
      .join('');
  }
  let delimiter: string;
  if (o.delimiter !== undefined) {
    if (typeof o.delimiter !== 'string' || o.delimiter.length !== 1 || o.delimiter === '"' || o.delimiter === '\n' || o.delimiter === '\r') {
      fail(fn, 'options.delimiter', 'must be one character other than a quote or a line break', o.delimiter);
    }
    delimiter = o.delimiter;
  } else {
    const first = body.split(/\r\n|\r|\n/).find((l) => l.trim().length > 0) ?? '';
    delimiter = first.includes('\t') ? '\t' : first.includes(';') && !first.includes(',') ? ';' : ',';
  }
  const open = unclosedQuote(body, delimiter);
  if (open !== undefined) {
    fail(fn, 'text', `has a quoted field that is never closed, opened at line ${open.line}, column ${open.field}`, body.split(/\r\n|\r|\n/)[open.line - 1]);
  }
  const raw = dsvFormat(delimiter).parseRows(body);
  let line = 1;
  let header: string[] | undefined;
  const rows: TableRow[] = [];
  for (const cells of raw) {
    const at = line;
    line += 1 + cells.reduce((s, c) => s + countBreaks(c), 0);
    const trimmed = cells.map((c) => c.trim());
    if (trimmed.every((c) => c === '')) continue;
    if (header === undefined) {
      header = trimmed;
      const seen = new Set<string>();
      header.forEach((h, j) => {
        if (h === '') fail(fn, 'text', `has a blank column name in its header (line ${at}, column ${j + 1})`, cells.join(delimiter));
        if (h === '__proto__') fail(fn, 'text', `must not name a column '__proto__' (line ${at}, column ${j + 1})`, h);
        if (seen.has(h)) fail(fn, 'text', `has the column name '${h}' twice in its header (line ${at})`, h);
        seen.add(h);
      });
      continue;
    }
    if (trimmed.length !== header.length) {
      fail(fn, 'text', `line ${at} has ${trimmed.length} cells where the header has ${header.length} (${header.join(', ')})`, cells.join(delimiter));
    }
    const row: TableRow = {};
    header.forEach((h, j) => {
      const c = trimmed[j] as string;
      row[h] = missing.has(c) ? null : NUMBER.test(c) && Number.isFinite(Number(c)) ? Number(c) : c;
    });
    SOURCES.set(row, { line: at, columns: header });
    rows.push(row);
  }
  if (header === undefined) fail(fn, 'text', 'must hold a header row (the table is empty)', text.slice(0, 40));
  return rows;
}
