// parseTable on the quirks of real exports; every expected row is written out by hand.
import { describe, expect, it } from 'vitest';
import { parseTable } from '../../src/index.js';
import { code } from '../helpers.js';

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('parseTable', () => {
  it('drops a UTF-8 byte-order mark from the first column name', () => {
    const rows = parseTable('\uFEFFday,value\n0,1.5\n');
    expect(rows).toEqual([{ day: 0, value: 1.5 }]);
    expect(Object.keys(rows[0] as object)).toEqual(['day', 'value']);
  });

  it('reads CRLF, LF and CR line ends alike', () => {
    const want = [
      { day: 0, value: 3 },
      { day: 1, value: 4 },
    ];
    expect(parseTable('day,value\r\n0,3\r\n1,4\r\n')).toEqual(want);
    expect(parseTable('day,value\n0,3\n1,4')).toEqual(want);
    expect(parseTable('day,value\r0,3\r1,4\r')).toEqual(want);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const rows = parseTable('day,note,value\r\n0,"slept badly, woke at 3",2\r\n1,"said ""fine""",3\r\n2,"two\r\nlines",4\r\n');
    expect(rows).toEqual([
      { day: 0, note: 'slept badly, woke at 3', value: 2 },
      { day: 1, note: 'said "fine"', value: 3 },
      { day: 2, note: 'two\r\nlines', value: 4 },
    ]);
  });

  it('turns blank cells (and NA) into null, never 0, and skips blank lines', () => {
    const rows = parseTable('day,value,note\n0,,\n\n1, NA ,x\n,,\n2,0,\n');
    expect(rows).toEqual([
      { day: 0, value: null, note: null },
      { day: 1, value: null, note: 'x' },
      { day: 2, value: 0, note: null },
    ]);
  });

  it('parses numbers, keeps dates, labels and odd numerals as text', () => {
    const rows = parseTable('a,b,c,d,e,f\n-0.5,1e3,2026-03-01,placebo,3.5.1,1e400\n');
    expect(rows).toEqual([{ a: -0.5, b: 1000, c: '2026-03-01', d: 'placebo', e: '3.5.1', f: '1e400' }]);
  });

  it('detects tab and semicolon separators, or takes one given', () => {
    expect(parseTable('day\tvalue\n0\t7\n')).toEqual([{ day: 0, value: 7 }]);
    expect(parseTable('day;value\n0;7\n')).toEqual([{ day: 0, value: 7 }]);
    expect(parseTable('day|value\n0|7\n', { delimiter: '|' })).toEqual([{ day: 0, value: 7 }]);
  });

  it('skips comment lines and keeps the file line numbers in errors', () => {
    const text = '# source: a paper\nday,value\n# a note\n0,1\n1,2,3\n';
    expect(parseTable('# c\nday,value\n# d\n0,1\n', { comment: '#' })).toEqual([{ day: 0, value: 1 }]);
    expect(errorOf(() => parseTable(text, { comment: '#' }))).toContain('line 5 has 3 cells where the header has 2');
  });

  it('names the line of a row with the wrong number of cells (quoted line breaks counted)', () => {
    const msg = errorOf(() => parseTable('day,note,value\n0,"a\nb",1\n1,2\n'));
    expect(msg).toContain('line 4 has 2 cells');
  });

  it('names the line and column of a quoted field that is never closed', () => {
    const msg = errorOf(() => parseTable('day,value,note\n0,1,ok\n1,2,"never closed\n2,3,x\n'));
    expect(msg).toContain('opened at line 3, column 3');
  });

  it('rejects empty tables, blank and repeated column names, bad options', () => {
    expect(code(() => parseTable(''))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => parseTable('a,,b\n1,2,3\n'))).toBe('E_INVALID_ARGUMENT');
    expect(errorOf(() => parseTable('a,b,a\n1,2,3\n'))).toContain("'a' twice");
    expect(code(() => parseTable(42 as unknown as string))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => parseTable('a\n1\n', { delimiter: ',,' }))).toBe('E_INVALID_ARGUMENT');
    expect(code(() => parseTable('a\n1\n', { missing: [1] as unknown as string[] }))).toBe('E_INVALID_ARGUMENT');
  });
});
