import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The SciPy/mpmath reference values written by scripts/fixtures/bayes.py. */
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
export const fixtures: any = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/bayes.json', import.meta.url)), 'utf8'),
);

/** |actual − expected| ≤ max(rel·|expected|, abs). */
export function close(actual: number, expected: number, rel: number, abs = 0): void {
  const tol = Math.max(rel * Math.abs(expected), abs);
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(`expected ${actual} to be within ${tol} of ${expected} (diff ${Math.abs(actual - expected)})`);
  }
}

/** Calls `f` and returns the N1kitError it throws (fails when it does not throw). */
export function thrown(f: () => unknown): { code: string; message: string; fn?: string; field?: string } {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string; fn?: string; field?: string };
  }
  return expect.fail('expected a throw');
}

/** Every number inside a plain value (deep), for finiteness checks. */
export function numbersIn(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(numbersIn);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(numbersIn);
  return [];
}
