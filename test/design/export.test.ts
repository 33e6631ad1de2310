import { describe, expect, it } from 'vitest';
import { designToCsv, designToICalendar, designTrial, type TrialDesign } from '../../src/index.js';

/** A small RFC 4180 parser (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe(''); // the text ends with a line break
  return rows;
}

interface IcsComponent {
  name: string;
  props: { name: string; params: Record<string, string>; value: string }[];
  children: IcsComponent[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A small RFC 5545 reader: checks line endings and folding, unfolds, nests components. */
function parseIcs(text: string): IcsComponent {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  const enc = new TextEncoder();
  for (const line of physical) {
    expect(line.includes('\n') || line.includes('\r')).toBe(false); // bare LF/CR never appear
    expect(enc.encode(line).length).toBeLessThanOrEqual(75); // §3.1: at most 75 octets
    expect(LONE_SURROGATE.test(line)).toBe(false); // folding never splits a surrogate pair
    // biome-ignore lint/suspicious/noControlCharactersInRegex: §3.3.11 TEXT allows no control character but HTAB
    expect(/[\x00-\x08\x0a-\x1f\x7f]/.test(line)).toBe(false);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const stack: IcsComponent[] = [{ name: 'ROOT', props: [], children: [] }];
  for (const line of logical) {
    const colon = line.indexOf(':');
    expect(colon).toBeGreaterThan(0);
    const [name, ...paramParts] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1);
    const top = stack[stack.length - 1] as IcsComponent;
    if (name === 'BEGIN') {
      const c: IcsComponent = { name: value, props: [], children: [] };
      top.children.push(c);
      stack.push(c);
    } else if (name === 'END') {
      expect(top.name).toBe(value);
      stack.pop();
    } else {
      const params = Object.fromEntries(paramParts.map((p) => p.split('=') as [string, string]));
      top.props.push({ name: name as string, params, value });
    }
  }
  expect(stack.length).toBe(1);
  const root = stack[0] as IcsComponent;
  expect(root.children.length).toBe(1);
  return root.children[0] as IcsComponent;
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function prop(c: IcsComponent, name: string): string | undefined {
  return c.props.find((p) => p.name === name)?.value;
}

function isoFromCompact(v: string): string {
  return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
}

function dayAfter(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const tricky = ['Mg 400 mg; evening, with food', 'sleep "regular"\\22:30', 'café ☕ 😴 placebo', 'line\nbreak'];
const design: TrialDesign = designTrial({
  treatments: tricky,
  blocks: 3,
  periodDays: 14,
  washoutDays: 3,
  runInDays: 7,
  seed: 'export',
  startDate: '2026-03-23',
});

describe('designToCsv', () => {
  it('writes the documented header and rows, exactly, for a fixed design', () => {
    const d = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, randomization: 'fixed', seed: 1, startDate: '2026-03-02' });
    expect(designToCsv(d, { lineEnding: '\n' })).toBe(
      'period,block,treatment,start_day,end_day,washout_end_day,start_date,end_date\n' +
        '1,1,A,0,6,-1,2026-03-02,2026-03-08\n' +
        '2,1,B,7,13,6,2026-03-09,2026-03-15\n',
    );
  });

  it('parses back (RFC 4180) to the same periods, labels with quotes, commas and line breaks intact', () => {
    const rows = parseCsv(designToCsv(design));
    expect(rows[0]).toEqual(['period', 'block', 'treatment', 'start_day', 'end_day', 'washout_end_day', 'start_date', 'end_date']);
    expect(rows.slice(1)).toEqual(
      design.periods.map((p) => [
        String(p.index + 1),
        String(p.block + 1),
        p.treatment,
        String(p.startDay),
        String(p.endDay),
        String(p.washoutEndDay),
        p.startDate,
        p.endDate,
      ]),
    );
  });

  it('leaves the date columns empty without a start date', () => {
    const d = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, seed: 1 });
    expect(parseCsv(designToCsv(d))[1]?.slice(6)).toEqual(['', '']);
  });
});

describe('designToICalendar', () => {
  const ics = designToICalendar(design, {
    timestamp: '2026-03-01T08:30:00Z',
    reminder: { offsetMinutes: -900 },
    includeRunIn: true,
  });
  const cal = parseIcs(ics);
  const events = cal.children.filter((c) => c.name === 'VEVENT');

  it('is a VCALENDAR with VERSION 2.0 and a PRODID', () => {
    expect(cal.name).toBe('VCALENDAR');
    expect(prop(cal, 'VERSION')).toBe('2.0');
    expect(prop(cal, 'PRODID')).toMatch(/n1kit/);
  });

  it('has one all-day event per period (plus the run-in) that parses back to the same periods', () => {
    expect(events.length).toBe(design.periods.length + 1);
    const runIn = events[0] as IcsComponent;
    expect(prop(runIn, 'DTSTART')).toBe('20260323');
    expect(prop(runIn, 'DTEND')).toBe('20260330'); // 7 run-in days, exclusive end
    design.periods.forEach((p, i) => {
      const e = events[i + 1] as IcsComponent;
      const start = e.props.find((x) => x.name === 'DTSTART');
      const end = e.props.find((x) => x.name === 'DTEND');
      expect(start?.params).toEqual({ VALUE: 'DATE' });
      expect(end?.params).toEqual({ VALUE: 'DATE' });
      expect(isoFromCompact(start?.value as string)).toBe(p.startDate);
      expect(isoFromCompact(end?.value as string)).toBe(dayAfter(p.endDate as string)); // DTEND is exclusive
      const summary = unescapeText(prop(e, 'SUMMARY') as string);
      expect(summary).toBe(`N-of-1 trial: ${p.treatment} (period ${i + 1} of ${design.periods.length})`);
      expect(prop(e, 'DTSTAMP')).toBe('20260301T083000Z');
      const alarm = e.children.find((c) => c.name === 'VALARM') as IcsComponent;
      expect(prop(alarm, 'ACTION')).toBe('DISPLAY');
      expect(prop(alarm, 'TRIGGER')).toBe('-PT900M');
      expect(prop(alarm, 'DESCRIPTION')).toBeTruthy(); // required for DISPLAY alarms
    });
  });

  it('writes control characters in labels (not allowed in RFC 5545 TEXT) as spaces', () => {
    const d = designTrial({ treatments: ['a\u0001b', 'c\u007fd\te'], blocks: 1, periodDays: 2, randomization: 'fixed', seed: 1, startDate: '2026-01-01' });
    const evs = parseIcs(designToICalendar(d, { timestamp: new Date(0) })).children;
    expect(evs.map((e) => unescapeText(prop(e, 'SUMMARY') as string))).toEqual(['N-of-1 trial: a b (period 1 of 2)', 'N-of-1 trial: c d\te (period 2 of 2)']);
  });

  it('gives every event a unique UID, stable across exports', () => {
    const uids = events.map((e) => prop(e, 'UID'));
    expect(new Set(uids).size).toBe(uids.length);
    const again = parseIcs(designToICalendar(design, { timestamp: '2027-01-01T00:00:00Z', includeRunIn: true }));
    expect(again.children.map((e) => prop(e, 'UID'))).toEqual(uids);
  });

  it('needs a start date, from the design or the options', () => {
    const d = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, seed: 1 });
    expect(() => designToICalendar(d)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field: 'options.startDate' }));
    const e = parseIcs(designToICalendar(d, { startDate: '2024-02-28', timestamp: new Date(0) })).children;
    expect(e.map((x) => prop(x, 'DTSTART'))).toEqual(['20240228', '20240306']);
    expect(e.every((x) => x.children.length === 0)).toBe(true); // no reminder unless asked
  });

  it('escapes the UID as TEXT (a comma in uidDomain)', () => {
    const evs = parseIcs(designToICalendar(design, { timestamp: new Date(0), uidDomain: 'clinic,example' })).children;
    expect(evs.every((e) => (prop(e, 'UID') as string).endsWith('@clinic\\,example'))).toBe(true);
  });

  it('rejects bad options', () => {
    for (const [opts, field] of [
      [{ timestamp: 'yesterday' }, 'options.timestamp'],
      [{ reminder: { offsetMinutes: 1.5 } }, 'options.reminder.offsetMinutes'],
      [{ uidDomain: 'a b' }, 'options.uidDomain'],
      [{ uidDomain: 'a\u0001b' }, 'options.uidDomain'],
      [{ startDate: '2026-02-30' }, 'options.startDate'],
    ] as const) {
      expect(() => designToICalendar(design, opts as never)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field }));
    }
  });
});
