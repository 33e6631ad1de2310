import { describe, expect, it } from 'vitest';
import { ConvergenceError, N1kitError, ProviderError, ValidationError, isN1kitError } from '../../src/errors.js';
import { type Dist, beta, cdf, gamma, mean, mixture, normal, pdf, quantile, sample, studentT, uniform, validateDist, variance } from '../../src/distributions/index.js';
import { createRng } from '../../src/rng/index.js';

const invalid = (field?: string) =>
  expect.objectContaining({ code: 'E_INVALID_ARGUMENT', name: 'ValidationError', ...(field ? { field } : {}) });

describe('bad input to distributions', () => {
  it('NaN parameters', () => {
    expect(() => normal(Number.NaN, 1)).toThrowError(invalid('mean'));
    expect(() => beta(2, Number.NaN)).toThrowError(invalid('beta'));
  });
  it('infinite parameters', () => {
    expect(() => normal(0, Number.POSITIVE_INFINITY)).toThrowError(invalid('sd'));
    expect(() => gamma(Number.POSITIVE_INFINITY, 1)).toThrowError(invalid('shape'));
  });
  it('negative or zero scale', () => {
    expect(() => normal(0, -1)).toThrowError(invalid('sd'));
    expect(() => studentT(3, 0, 0)).toThrowError(invalid('scale'));
    expect(() => uniform(2, 2)).toThrowError(invalid('max'));
  });
  it('mixture weights that are not a distribution', () => {
    expect(() => mixture([[0.5, normal(0, 1)], [0.6, normal(1, 1)]])).toThrowError(invalid('components'));
    expect(() => mixture([[-0.2, normal(0, 1)], [1.2, normal(1, 1)]])).toThrowError(invalid());
    expect(() => mixture([])).toThrowError(invalid('components'));
  });
  it('unknown family, from JSON', () => {
    const d = JSON.parse('{"family":"lognormal","mu":0,"sigma":1}') as Dist;
    expect(() => validateDist(d)).toThrowError(invalid('dist.family'));
    expect(() => cdf(d, 1)).toThrowError(invalid('dist.family'));
    expect(() => mean(d)).toThrowError(invalid());
    expect(() => sample(d, createRng(1))).toThrowError(invalid());
  });
  it('invalid parameters hidden in JSON are caught when used, never returned as NaN', () => {
    const d = JSON.parse('{"family":"normal","mean":0,"sd":-1}') as Dist;
    expect(() => pdf(d, 0)).toThrowError(invalid('dist.sd'));
    expect(() => quantile(d, 0.5)).toThrowError(invalid('dist.sd'));
  });
  it('bad points and probabilities', () => {
    expect(() => cdf(normal(0, 1), Number.NaN)).toThrowError(invalid('x'));
    expect(() => quantile(normal(0, 1), 1.5)).toThrowError(invalid('p'));
    expect(() => quantile(normal(0, 1), Number.NaN)).toThrowError(invalid('p'));
  });
  it('moments that do not exist', () => {
    expect(() => mean(studentT(1))).toThrowError(invalid());
    expect(variance(studentT(2))).toBe(Number.POSITIVE_INFINITY);
  });
  it('messages name the function, the field and the value', () => {
    try {
      normal(0, -2);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('normal: `sd` must be a finite number > 0; got -2');
      expect(e).toBeInstanceOf(ValidationError);
      expect(e).toBeInstanceOf(N1kitError);
      expect(isN1kitError(e)).toBe(true);
      expect((e as ValidationError).value).toBe(-2);
    }
  });
});

describe('error classes', () => {
  it('carry stable codes', () => {
    expect(new ConvergenceError('x').code).toBe('E_CONVERGENCE');
    const p = new ProviderError('bad answer', { status: 429 });
    expect([p.code, p.status, p.name]).toEqual(['E_PROVIDER', 429, 'ProviderError']);
    expect(isN1kitError(new Error('plain'))).toBe(false);
    // Shape check works for a copy of the class from another bundle (dual-package hazard).
    const foreign = Object.assign(new Error('x'), { code: 'E_INVALID_ARGUMENT' });
    expect(isN1kitError(foreign)).toBe(true);
  });
});
