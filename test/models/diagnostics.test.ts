/**
 * splitRhat / essBulk / essTail against the R package `posterior` 1.4.0 (Vehtari et al.'s own
 * implementation) on fixed chains: iid, AR(1) φ = 0.9, shifted chains, Cauchy, ties, odd
 * length, a single chain. Fixture: test/fixtures/models-diagnostics.json, made by
 * scripts/fixtures/models_diagnostics.R. posterior computes autocovariances by FFT, n1kit
 * directly, so agreement is to round-off (relative 1e-8).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { essBulk, essTail, splitRhat } from '../../src/models/index.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/models-diagnostics.json', import.meta.url), 'utf8')) as Record<
  string,
  { chains: number[][]; rhat: number; essBulk: number; essTail: number }
>;

describe('diagnostics agree with posterior (R)', () => {
  for (const [name, c] of Object.entries(fx)) {
    if (name.startsWith('_')) continue;
    it(name, () => {
      const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
      expect(rel(splitRhat(c.chains), c.rhat)).toBeLessThan(1e-8);
      expect(rel(essBulk(c.chains), c.essBulk)).toBeLessThan(1e-8);
      expect(rel(essTail(c.chains), c.essTail)).toBeLessThan(1e-8);
    });
  }
});
