import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { describe, expect, it } from 'vitest';
import { createRng, restoreRng, toRng } from '../../src/rng/index.js';

const firstUniforms = (seed: string | number, n: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.uniform());
};

/** Kolmogorov–Smirnov statistic of `xs` against `cdf`. */
function ks(xs: number[], cdf: (x: number) => number): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs((i + 1) / s.length - f), Math.abs(f - i / s.length));
  });
  return d;
}
// Critical value of the one-sample KS test at alpha = 0.001: 1.95 / sqrt(n).
const KS_CRIT = (n: number) => 1.95 / Math.sqrt(n);

describe('createRng', () => {
  it('matches the committed first normal, gamma, beta and integer variates of createRng("alice")', async () => {
    // test/fixtures/rng-alice-variates.json: scripts/fixtures/rng_variates.ts, run once. Relative
    // 1e-12: Math.log/exp may differ in the last bits across V8 versions; a changed sampler does not.
    const fx = (await import('../fixtures/rng-alice-variates.json')).default as Record<'normal' | 'gamma' | 'beta' | 'integer', number[]>;
    const rng = createRng('alice');
    const got = {
      normal: fx.normal.map(() => rng.normal()),
      gamma: fx.gamma.map(() => rng.gamma(2.5, 1)),
      beta: fx.beta.map(() => rng.beta(0.3, 4)),
      integer: fx.integer.map(() => rng.integer(10)),
    };
    for (const key of ['normal', 'gamma', 'beta'] as const) {
      got[key].forEach((v, i) => {
        const want = fx[key][i]!;
        expect(Math.abs(v - want), `${key}[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(want), 1e-300));
      });
    }
    expect(got.integer).toEqual(fx.integer);
  });

  it('matches the committed stream of createRng("alice") (any change of algorithm breaks reproducibility)', async () => {
    // test/fixtures/rng-alice.json was written once from this implementation; the ESM and CJS
    // builds are compared against each other in scripts/smoke.cjs.
    const fixture = (await import('../fixtures/rng-alice.json')).default as { uniforms: number[] };
    expect(firstUniforms('alice', 1000)).toEqual(fixture.uniforms);
  });

  it('numbers and strings are distinct seeds only when their text differs', () => {
    expect(firstUniforms(42, 5)).toEqual(firstUniforms('42', 5));
    expect(firstUniforms('alice', 5)).not.toEqual(firstUniforms('bob', 5));
  });

  it('uniforms lie in [0, 1) and are uniform (KS)', () => {
    const xs = firstUniforms('u', 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(ks(xs, (x) => x)).toBeLessThan(KS_CRIT(xs.length));
  });

  it('rejects seeds that are neither strings nor finite numbers', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, null, undefined, {}, []]) {
      expect(() => createRng(bad as never)).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field: 'seed' }));
    }
  });
});

describe('state() and restoreRng', () => {
  it('resume exactly, including a cached normal deviate, through JSON', () => {
    const rng = createRng('alice');
    for (let i = 0; i < 37; i++) rng.uniform();
    rng.normal(); // leaves the polar method's spare cached
    const saved = JSON.parse(JSON.stringify(rng.state()));
    const expected = [rng.normal(), rng.uniform(), rng.gamma(2.5), rng.beta(0.3, 4), ...Array.from({ length: 1000 }, () => rng.uniform())];
    const resumed = restoreRng(saved);
    const got = [resumed.normal(), resumed.uniform(), resumed.gamma(2.5), resumed.beta(0.3, 4), ...Array.from({ length: 1000 }, () => resumed.uniform())];
    expect(got).toEqual(expected);
  });

  it('restored generators fork like the original', () => {
    const rng = createRng('alice');
    rng.uniform();
    const r2 = restoreRng(rng.state());
    expect(r2.fork('chain-1').uniform()).toBe(rng.fork('chain-1').uniform());
  });

  it('rejects anything that is not a state', () => {
    expect(() => restoreRng({} as never)).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    const s = { ...createRng(1).state(), alea: { c: 1, s0: Number.NaN, s1: 0, s2: 0 } };
    expect(() => restoreRng(s)).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
  });
});

describe('fork', () => {
  it('differs by label, repeats for one label, ignores draws made by the parent', () => {
    const a = createRng('alice');
    const f1 = Array.from({ length: 10 }, ((r) => () => r.uniform())(a.fork('chain-1')));
    const f2 = Array.from({ length: 10 }, ((r) => () => r.uniform())(a.fork('chain-2')));
    expect(f1).not.toEqual(f2);
    for (let i = 0; i < 100; i++) a.uniform();
    const again = Array.from({ length: 10 }, ((r) => () => r.uniform())(a.fork('chain-1')));
    expect(again).toEqual(f1);
    expect(f1).not.toEqual(firstUniforms('alice', 10));
  });

  it('forks of forks are distinct from forks with a joined label', () => {
    const a = createRng('s');
    expect(a.fork('a').fork('b').uniform()).not.toBe(a.fork('a/b').uniform());
    expect(a.fork('a').fork('b').seedPath).toEqual(['s', 'a', 'b']);
  });
});

describe('samplers agree with stdlib distribution functions (KS at alpha 0.001)', () => {
  const n = 20_000;
  const draw = (f: () => number) => Array.from({ length: n }, f);
  it('normal', () => {
    const r = createRng('n');
    expect(ks(draw(() => r.normal(1.5, 2)), (x) => normalCdf(x, 1.5, 2))).toBeLessThan(KS_CRIT(n));
  });
  for (const [shape, rate] of [[0.05, 1], [0.7, 2], [1, 1], [3.3, 0.5], [250, 10]] as const) {
    it(`gamma(${shape}, ${rate})`, () => {
      const r = createRng(`g${shape}`);
      expect(ks(draw(() => r.gamma(shape, rate)), (x) => gammaCdf(x, shape, rate))).toBeLessThan(KS_CRIT(n));
    });
  }
  for (const [a, b] of [[0.02, 0.5], [0.5, 0.5], [2, 3], [0.3, 40], [500, 300]] as const) {
    it(`beta(${a}, ${b})`, () => {
      const r = createRng(`b${a}`);
      const xs = draw(() => r.beta(a, b));
      expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
      expect(ks(xs, (x) => betaCdf(x, a, b))).toBeLessThan(KS_CRIT(n));
    });
  }
  it('beta with both shapes tiny: mass split between 0 and 1 as the cdf says (within 4 SE)', () => {
    // Many Beta(0.02, 0.05) draws round to exactly 1 in double precision, so a KS test would
    // test rounding; P(X < 0.5) is what matters.
    const r = createRng('tiny');
    const xs = draw(() => r.beta(0.02, 0.05));
    const p = betaCdf(0.5, 0.02, 0.05);
    const freq = xs.filter((x) => x < 0.5).length / n;
    expect(Math.abs(freq - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    expect(xs.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)).toBe(true);
  });
  it('integer(n) is uniform on {0..n-1} (chi-square, 9 df, p = 0.001 critical value 27.88)', () => {
    const r = createRng('i');
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.integer(10)]++;
    const chi = counts.reduce((s, c) => s + (c - 5000) ** 2 / 5000, 0);
    expect(chi).toBeLessThan(27.88);
  });
  it('shuffle returns a permutation and leaves its input alone', () => {
    const r = createRng('sh');
    const xs = [1, 2, 3, 4, 5, 6];
    const s = r.shuffle(xs);
    expect(xs).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...s].sort()).toEqual(xs);
    // All 6 orders of 3 items appear equally often (chi-square, 5 df, p = 0.001: 20.52).
    const counts = new Map<string, number>();
    for (let i = 0; i < 12_000; i++) {
      const k = r.shuffle(['a', 'b', 'c']).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi = [...counts.values()].reduce((s, c) => s + (c - 2000) ** 2 / 2000, 0);
    expect(chi).toBeLessThan(20.52);
  });
});

describe('Rng methods reject bad parameters instead of returning NaN', () => {
  it('one test per method', () => {
    const r = createRng(1);
    const bad = (field: string) => expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field });
    expect(() => r.normal(0, -1)).toThrowError(bad('sd'));
    expect(() => r.normal(Number.NaN, 1)).toThrowError(bad('mean'));
    expect(() => r.gamma(0)).toThrowError(bad('shape'));
    expect(() => r.gamma(2, Number.POSITIVE_INFINITY)).toThrowError(bad('rate'));
    expect(() => r.beta(1, -2)).toThrowError(bad('b'));
    expect(() => r.integer(2.5)).toThrowError(bad('n'));
    expect(() => r.integer(0)).toThrowError(bad('n'));
    expect(() => r.shuffle('abc' as never)).toThrowError(bad('xs'));
    expect(r.normal(3, 0)).toBe(3); // sd 0 is a point mass
  });
});

describe('toRng', () => {
  it('accepts a seed or an Rng, rejects the rest', () => {
    expect(toRng('f', 'rng', 'x').uniform()).toBe(createRng('x').uniform());
    const r = createRng(3);
    expect(toRng('f', 'rng', r)).toBe(r);
    expect(() => toRng('f', 'rng', {} as never)).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', fn: 'f', field: 'rng' }));
  });
});
