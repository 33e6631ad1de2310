// Uniformity of the randomisation schemes: over many seeds every allowed sequence must appear,
// nothing else may, and the frequencies must pass a chi-square goodness-of-fit test against the
// uniform distribution. The allowed sets (brute-force enumeration) and the critical values
// (SciPy chi2.ppf(1 - alpha, df), alpha = 0.001) come from scripts/fixtures/design_fixtures.py.
// Seeds are fixed, so the test is deterministic; alpha states how unlikely a failure would be
// for a correct sampler.
import { describe, expect, it } from 'vitest';
import { designTrial, type Randomization } from '../../src/index.js';
import { createRng } from '../../src/rng/index.js';
import { completeSequenceExact, williamsSequence } from '../../src/design/sequence.js';
import fixture from '../fixtures/design.json';

interface Case {
  name: string;
  randomization: Randomization;
  k: number;
  blocks: number;
  maxConsecutive: number | null;
  allowed: string[];
  draws: number;
  alpha: number;
  chi2Critical: number;
}

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

function chiSquare(counts: Map<string, number>, allowed: readonly string[], draws: number): number {
  const expected = draws / allowed.length;
  let stat = 0;
  for (const s of allowed) {
    const o = counts.get(s) ?? 0;
    stat += ((o - expected) * (o - expected)) / expected;
  }
  return stat;
}

function check(c: Case, draw: (i: number) => string): void {
  const counts = new Map<string, number>();
  for (let i = 0; i < c.draws; i++) {
    const s = draw(i);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const allowed = new Set(c.allowed);
  const outside = [...counts.keys()].filter((s) => !allowed.has(s));
  expect(outside).toEqual([]);
  expect(counts.size).toBe(c.allowed.length); // every allowed sequence appears
  const stat = chiSquare(counts, c.allowed, c.draws);
  expect(stat, `${c.name}: chi-square ${stat.toFixed(2)} vs critical ${c.chi2Critical.toFixed(2)} (alpha ${c.alpha})`).toBeLessThan(
    c.chi2Critical,
  );
}

describe('designTrial draws uniformly over the allowed sequences', () => {
  for (const c of fixture.uniformity as Case[]) {
    it(`${c.name}: ${c.allowed.length} allowed sequences, ${c.draws} seeds`, () => {
      const treatments = LETTERS.slice(0, c.k);
      check(c, (i) =>
        designTrial({
          treatments,
          blocks: c.blocks,
          periodDays: 1,
          randomization: c.randomization,
          seed: `uniformity-${i}`,
          ...(c.maxConsecutive === null ? {} : { maxConsecutive: c.maxConsecutive }),
        })
          .periods.map((p) => p.treatment)
          .join(''),
      );
    });
  }
});

describe('the exact counting sampler (fallback when rejection is slow) is uniform too', () => {
  for (const c of (fixture.uniformity as Case[]).filter((x) => x.randomization === 'complete' && x.maxConsecutive !== null)) {
    it(c.name, () => {
      const rng = createRng('exact-sampler');
      check(c, () =>
        completeSequenceExact(c.k, c.blocks, c.maxConsecutive as number, rng)
          .map((t) => LETTERS[t])
          .join(''),
      );
    });
  }
});

describe('the exact Williams row-order sampler (fallback when rejection is slow) is uniform too', () => {
  for (const c of (fixture.uniformity as Case[]).filter((x) => x.randomization === 'williams' && x.maxConsecutive === 1)) {
    it(c.name, () => {
      const rng = createRng('exact-williams');
      check(c, () =>
        williamsSequence(c.k, c.blocks, 1, rng, 0)
          .map((t) => LETTERS[t])
          .join(''),
      );
    });
  }
});
