/**
 * The one check of plot options: every plot function calls {@link checkPlotOptions} first, so an
 * options object is a plain object without getters, with known keys only and values of the
 * right type, before any of it is read. @internal
 *
 * @packageDocumentation
 */
import { denseArray, fail, finite, knownKeys, nonEmptyString, ownEntries, plainObject, positive } from '../validate.js';

/** How an option's value is checked. */
type OptionKind = 'string' | 'number' | 'size' | 'labels' | 'strings' | 'numbers' | 'lines' | 'interval' | 'array';

/** Options every plot takes (title, size, colour order). */
const COMMON: Readonly<Record<string, OptionKind>> = { title: 'string', width: 'size', height: 'size', treatments: 'strings' };
/** Options every report chart takes in addition (readable labels). */
export const REPORT: Readonly<Record<string, OptionKind>> = { ...COMMON, labels: 'labels' };
export { COMMON as PLOT };

function checkValue(fn: string, field: string, kind: OptionKind, v: unknown): void {
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') fail(fn, field, 'must be a string', v);
      return;
    case 'number':
      finite(fn, field, v);
      return;
    case 'size':
      positive(fn, field, v);
      return;
    case 'strings':
      denseArray(fn, field, v).forEach((t, i) => {
        nonEmptyString(fn, `${field}[${i}]`, t);
      });
      return;
    case 'labels':
      for (const [k, s] of ownEntries(fn, field, v)) if (typeof s !== 'string') fail(fn, `${field}.${k}`, 'must be a string', s);
      return;
    case 'numbers':
      for (const [k, x] of ownEntries(fn, field, v)) finite(fn, `${field}.${k}`, x);
      return;
    case 'lines':
      denseArray(fn, field, v).forEach((l, i) => {
        const o = plainObject(fn, `${field}[${i}]`, l);
        knownKeys(fn, `${field}[${i}]`, o, ['x', 'label']);
        finite(fn, `${field}[${i}].x`, o.x);
        if (typeof o.label !== 'string') fail(fn, `${field}[${i}].label`, 'must be a string', o.label);
      });
      return;
    case 'interval': {
      const xs = denseArray(fn, field, v, 2, 2);
      finite(fn, `${field}[0]`, xs[0]);
      finite(fn, `${field}[1]`, xs[1]);
      return;
    }
    case 'array':
      denseArray(fn, field, v); // elements are checked where they are read
      return;
  }
}

/**
 * Checks `options` of the plot function `fn` against `kinds` (the shared keys plus the
 * function's own): undefined, or a plain object of known keys whose defined values have the
 * stated kind.
 */
export function checkPlotOptions(fn: string, options: unknown, kinds: Readonly<Record<string, OptionKind>>): void {
  if (options === undefined) return;
  const o = plainObject(fn, 'options', options);
  const keys = Object.keys(kinds);
  knownKeys(fn, 'options', o, keys);
  for (const [k, v] of ownEntries(fn, 'options', o)) if (v !== undefined) checkValue(fn, `options.${k}`, kinds[k]!, v);
}
