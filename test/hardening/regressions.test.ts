// Regression tests of issue 15, items 8–11: bounded sizes, validation as one mechanism,
// validated numeric helpers and random sources, no Infinity in bandit results.
import { describe, expect, it } from 'vitest';
import {
  createRng,
  designTrial,
  linUCB,
  logSumExp,
  normal,
  normalInverseGamma,
  normalInverseGammaMarginals,
  plotRanking,
  probabilityOfBest,
  sample,
  sampleMany,
  studentT,
  summarize,
  thompsonSampling,
  ucb1,
  variance,
  williamsSquare,
} from '../../src/index.js';
// Validated numeric helpers (not on the root: they are reachable from their module).
import { gammaP, gammaPInv, gammaQ, log1pmx, normalQuantileStd, solveMonotone } from '../../src/distributions/index.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? `foreign ${String(e)}`;
  }
  return undefined;
}
const INVALID = 'E_INVALID_ARGUMENT';
function holes<T>(xs: T[], at: number): T[] {
  const out = [...xs];
  delete out[at];
  return out;
}

describe('every size or count has an upper bound (item 8)', () => {
  it('williamsSquare refuses k above 1000 at once (2**31 used to abort Node, 30000 ran for 10 s)', () => {
    for (const k of [2 ** 31, 30_000, 1001]) {
      const t0 = performance.now();
      expect(code(() => williamsSquare(k))).toBe(INVALID);
      expect(performance.now() - t0).toBeLessThan(50);
    }
    // k = 1000 still works: 1000 rows, each a permutation of 0..999
    const rows = williamsSquare(1000);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows[999]).size).toBe(1000);
  });

  it("gammaP('a', '1') is refused instead of looping forever", () => {
    expect(code(() => gammaP('a' as unknown as number, '1' as unknown as number))).toBe(INVALID);
  });

  it('probabilityOfBest refuses draws above 10,000,000', () => {
    const dists = [normal(0, 1), normal(0.1, 1), normal(0.2, 1)];
    expect(code(() => probabilityOfBest(dists, { draws: 2 ** 53 - 1, rng: 1 }))).toBe(INVALID);
    expect(code(() => probabilityOfBest(dists, { draws: 10_000_001, rng: 1 }))).toBe(INVALID);
  });
});

describe('validation is one mechanism (item 9)', () => {
  it('sparse arrays are refused', () => {
    expect(code(() => designTrial({ treatments: holes(['A', 'X', 'B'], 1), blocks: 2, periodDays: 7, seed: 1 }))).toBe(INVALID);
    expect(code(() => thompsonSampling({ arms: holes(['a', 'x', 'b'], 1), seed: 1 }))).toBe(INVALID);
    expect(code(() => logSumExp(holes([1, 2, 3], 1)))).toBe(INVALID);
    expect(code(() => probabilityOfBest(holes([normal(0, 1), normal(0, 1), normal(1, 1)], 1), { rng: 1 }))).toBe(INVALID);
  });

  it("'__proto__' keys are own keys: allocation probabilities still sum to 1", () => {
    const policy = thompsonSampling({ arms: ['__proto__', 'constructor', 'b'], seed: 3 });
    const s = policy.select();
    expect(Object.keys(s.probabilities).sort()).toEqual(['__proto__', 'b', 'constructor']);
    const total = Object.values(s.probabilities).reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    const dists = JSON.parse('{"__proto__": {"family":"normal","mean":5,"sd":0.01}, "b": {"family":"normal","mean":0,"sd":0.01}}');
    const pb = probabilityOfBest(dists, { method: 'monteCarlo', draws: 200, rng: 1 });
    expect(Object.keys(pb).sort()).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(pb, '__proto__')?.value).toBe(1);
  });

  it('misspelt option keys are refused', () => {
    expect(code(() => designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, seed: 1, washotDays: 2 } as never))).toBe(INVALID);
    expect(code(() => thompsonSampling({ arms: ['a', 'b'], drawz: 10 } as never))).toBe(INVALID);
    expect(code(() => linUCB({ arms: ['a', 'b'], dimension: 2, lamda: 2 } as never))).toBe(INVALID);
    expect(code(() => summarize(normal(0, 1), { levl: 0.9 } as never))).toBe(INVALID);
    // the spelt-right keys still work
    expect(designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, seed: 1, washoutDays: 2 }).washoutDays).toBe(2);
  });

  it('a getter in an options object is refused before it is read', () => {
    let reads = 0;
    const o = Object.defineProperty({ treatments: ['A', 'B'], periodDays: 7, seed: 1 }, 'blocks', {
      enumerable: true,
      get() {
        reads++;
        throw new Error('boom');
      },
    });
    expect(code(() => designTrial(o as never))).toBe(INVALID);
    expect(reads).toBe(0);
  });
});

describe('numeric helpers validate; random sources are checked; overflow is a coded error (item 10)', () => {
  it('public numeric helpers refuse bad input and give the closed forms otherwise', () => {
    expect(gammaP(1, 1)).toBeCloseTo(1 - Math.exp(-1), 14);
    expect(gammaQ(1, 1)).toBeCloseTo(Math.exp(-1), 14);
    expect(gammaPInv(1, 1 - Math.exp(-1))).toBeCloseTo(1, 10);
    expect(log1pmx(1)).toBeCloseTo(Math.log(2) - 1, 15);
    expect(normalQuantileStd(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(solveMonotone((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 14);
    for (const f of [
      () => gammaP(-1, 1),
      () => gammaQ(1, Number.NaN),
      () => gammaPInv(2, 1),
      () => log1pmx(-1),
      () => normalQuantileStd(0),
      () => normalQuantileStd('0.5' as never),
      () => logSumExp([Number.NaN]),
      () => logSumExp([Number.POSITIVE_INFINITY]),
      () => solveMonotone('f' as never, 0, 1),
      () => solveMonotone((x) => x, 1, 0),
    ]) {
      expect(code(f)).toBe(INVALID);
    }
  });

  it('an object without the Rng methods is refused as a random source', () => {
    expect(code(() => sample(normal(0, 1), {} as never))).toBe(INVALID);
    expect(code(() => sample(normal(0, 1), { uniform: () => 0.5 } as never))).toBe(INVALID);
    expect(code(() => ucb1({ arms: ['a', 'b'] }).select({} as never))).toBe(INVALID);
    expect(code(() => probabilityOfBest([normal(0, 1), normal(0, 1), normal(0, 1)], { rng: {} as never }))).toBe(INVALID);
  });

  it('finite but extreme inputs that overflow give a coded error', () => {
    expect(code(() => variance(studentT(5, 0, 1e308)))).toBe(INVALID);
    expect(variance(studentT(5, 0, 1e100))).toBeCloseTo((1e200 * 5) / 3, -190);
    expect(variance(studentT(1.5, 0, 1))).toBe(Number.POSITIVE_INFINITY); // diverges: documented
    expect(code(() => createRng(1).normal(0, 1.7e308))).toBe(INVALID);
    expect(code(() => normalInverseGammaMarginals(normalInverseGamma(0, 1, 1e308, 1)))).toBe(INVALID);
    // about half the draws of N(1e308, 1e308) overflow: 100 of them (fixed seed) include some
    expect(code(() => sampleMany(normal(1e308, 1e308), createRng(2), 100))).toBe(INVALID);
  });

  it('plotting functions validate their input', () => {
    expect(code(() => plotRanking(null as never))).toBe(INVALID);
    expect(code(() => plotRanking([null] as never))).toBe(INVALID);
    expect(code(() => plotRanking(holes([{ id: 'a', probBest: 0.5 }, { id: 'b', probBest: 0.5 }], 0)))).toBe(INVALID);
  });
});

describe('ucb1 scores hold no Infinity (item 11)', () => {
  it('untried arms are left out of scores and listed in unscored; JSON keeps every number', () => {
    const p = ucb1({ arms: ['a', 'b', 'c'], seed: 3 });
    const first = p.select();
    expect(first.scores).toEqual({});
    expect(first.unscored).toEqual(['a', 'b', 'c']);
    p.update('a', 1);
    const s = p.select();
    expect(Object.keys(s.scores!)).toEqual(['a']);
    expect(s.unscored).toEqual(['b', 'c']);
    // with one of three pulls, the UCB1 index of a is mean + sqrt(2) * sqrt(ln 1 / 1) = 1
    expect(s.scores!.a).toBeCloseTo(1, 14);
    expect(JSON.stringify(s)).not.toContain('null');
    p.update('b', 0);
    p.update('c', 0);
    const all = p.select();
    expect(all.unscored).toBeUndefined();
    for (const v of Object.values(all.scores!)) expect(Number.isFinite(v)).toBe(true);
  });
});
