import { describe, expect, it } from 'vitest';
import { abortSignal, finite, finiteArray, finiteChains, integer, knownOptions, nameArg, oneOf, positive, probability, uniqueLabels } from '../src/validate.js';

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

describe('guards of issue 15', () => {
  it('finiteChains: equal-length dense chains of finite numbers, at least 4 draws, bounded in all', () => {
    expect(finiteChains('f', 'chains', [[1, 2, 3, 4], Float64Array.of(5, 6, 7, 8)])).toBe(4);
    expect(() => finiteChains('f', 'chains', [[1, 2, 3]])).toThrowError(bad('chains[0]'));
    expect(() => finiteChains('f', 'chains', [[1, 2, 3, 4], [1, 2, 3, 4, 5]])).toThrowError(bad('chains[1]'));
    expect(() => finiteChains('f', 'chains', [[1, 2, 3, null]])).toThrowError(bad('chains[0][3]'));
    expect(() => finiteChains('f', 'chains', [{ length: 4 }])).toThrowError(bad('chains[0]'));
    expect(() => finiteChains('f', 'chains', [new Float64Array(5_000_001), new Float64Array(5_000_001)])).toThrowError(bad('chains'));
  });
  it('knownOptions: undefined is every default; null, arrays, getters and unknown keys are refused', () => {
    expect(knownOptions('f', 'options', undefined, ['a'])).toEqual({});
    expect(knownOptions('f', 'options', { a: 1 }, ['a'])).toEqual({ a: 1 });
    expect(() => knownOptions('f', 'options', null, ['a'])).toThrowError(bad('options'));
    expect(() => knownOptions('f', 'options', [], ['a'])).toThrowError(bad('options'));
    expect(() => knownOptions('f', 'options', { b: 1 }, ['a'])).toThrowError(bad('options.b'));
    const getter = Object.defineProperty({}, 'a', { enumerable: true, get: () => 1 });
    expect(() => knownOptions('f', 'options', getter, ['a'])).toThrowError(bad('options.a'));
  });
  it('abortSignal: a real AbortSignal passes, a look-alike without addEventListener does not', () => {
    const s = new AbortController().signal;
    expect(abortSignal('f', 'signal', s)).toBe(s);
    expect(abortSignal('f', 'signal', undefined)).toBeUndefined();
    expect(() => abortSignal('f', 'signal', { aborted: true, reason: 'x' })).toThrowError(bad('signal'));
  });
  it('nameArg: a string name as given, anything else the fallback', () => {
    expect(nameArg('caller', 'f')).toBe('caller');
    expect(nameArg('', 'f')).toBe('f');
    expect(nameArg('', 'f', true)).toBe('');
    expect(nameArg({ toString: 1 }, 'f')).toBe('f');
    expect(nameArg('x'.repeat(201), 'f')).toBe('f');
  });
});
