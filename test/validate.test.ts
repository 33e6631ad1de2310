import { describe, expect, it } from 'vitest';
import { finite, finiteArray, integer, oneOf, positive, probability, uniqueLabels } from '../src/validate.js';

const bad = (field: string) => expect.objectContaining({ code: 'E_INVALID_ARGUMENT', fn: 'f', field });

describe('guards', () => {
  it('return good values and throw on bad ones', () => {
    expect(finite('f', 'x', -3.5)).toBe(-3.5);
    expect(() => finite('f', 'x', '3')).toThrowError(bad('x'));
    expect(() => positive('f', 'x', 0)).toThrowError(bad('x'));
    expect(probability('f', 'p', 1)).toBe(1);
    expect(() => probability('f', 'p', 1, true)).toThrowError(bad('p'));
    expect(() => integer('f', 'n', 2.5)).toThrowError(bad('n'));
    expect(() => integer('f', 'blocks', -2, 1)).toThrowError('f: `blocks` must be a positive integer; got -2');
    expect(() => oneOf('f', 'k', 'x', ['a', 'b'])).toThrowError("f: `k` must be one of 'a', 'b'; got \"x\"");
    expect(() => finiteArray('f', 'xs', [1, Number.NaN])).toThrowError(bad('xs[1]'));
  });
  it('unique labels', () => {
    expect(uniqueLabels('f', 'arms', ['a', 'b'], 2)).toEqual(['a', 'b']);
    expect(() => uniqueLabels('f', 'arms', ['a', 'a'])).toThrowError(bad('arms'));
    expect(() => uniqueLabels('f', 'arms', ['a'], 2)).toThrowError(bad('arms'));
    expect(() => uniqueLabels('f', 'arms', ['a', ' '])).toThrowError(bad('arms[1]'));
  });
});
