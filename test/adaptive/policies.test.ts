import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BanditPolicy,
  epsilonGreedy,
  linUCB,
  linearThompson,
  logisticThompson,
  restorePolicy,
  softmax,
  thompsonSampling,
  topTwoThompson,
  ucb1,
} from '../../src/adaptive/index.js';
import { createRng } from '../../src/rng/index.js';

const SEED = 20261128;
const ARMS = ['a', 'b', 'c', 'd'];
const D = 3;

interface Controls {
  minProbability?: number;
  maxProbability?: number;
  burnIn?: number;
  power?: number | { horizon: number };
  seed?: string;
}

/** Every policy, built with the given controls. */
const factories: Record<string, (c: Controls) => BanditPolicy> = {
  thompsonBernoulli: (c) => thompsonSampling({ arms: ARMS, draws: 64, ...c }),
  thompsonNormal: (c) => thompsonSampling({ arms: ARMS, likelihood: 'normal', draws: 64, ...c }),
  topTwo: (c) => topTwoThompson({ arms: ARMS, draws: 64, ...c }),
  ucb1: (c) => ucb1({ arms: ARMS, ...c }),
  epsilonGreedy: (c) => epsilonGreedy({ arms: ARMS, epsilon: 0.2, ...c }),
  softmax: (c) => softmax({ arms: ARMS, temperature: 0.3, ...c }),
  linUCB: (c) => linUCB({ arms: ARMS, dimension: D, alpha: 0.8, ...c }),
  linearThompson: (c) => linearThompson({ arms: ARMS, dimension: D, draws: 64, ...c }),
  logisticThompson: (c) => logisticThompson({ arms: ARMS, dimension: D, draws: 64, ...c }),
};
const names = Object.keys(factories);

const controlsArb = fc.record(
  {
    minProbability: fc.double({ min: 0, max: 0.25, noNaN: true }),
    maxProbability: fc.double({ min: 0.25, max: 1, noNaN: true }),
    burnIn: fc.integer({ min: 0, max: 5 }),
    power: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.record({ horizon: fc.integer({ min: 1, max: 50 }) })),
  },
  { requiredKeys: [] },
);

/** Drives a policy t steps with rewards from `rng` (0/1, so every policy accepts them). */
function drive(p: BanditPolicy, rng: ReturnType<typeof createRng>, steps: number, ctxRng = rng): unknown[] {
  const log: unknown[] = [];
  for (let t = 0; t < steps; t++) {
    const x = p.dimension === undefined ? undefined : [1, ctxRng.normal(), ctxRng.normal()];
    const s = p.select(undefined, x);
    const r = rng.uniform() < 0.3 + 0.1 * ARMS.indexOf(s.arm) ? 1 : 0;
    p.update(s.arm, r, x);
    log.push(s);
  }
  return log;
}

describe('every policy', () => {
  it('reports probabilities that sum to 1, respect floor and cap, and never picks a 0-probability arm', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), controlsArb, fc.integer({ min: 0, max: 30 }), (name, c, steps) => {
        const p = factories[name]!({ ...c, seed: `prob-${name}` });
        const rng = createRng(`rewards-${steps}`);
        drive(p, rng, steps);
        const x = p.dimension === undefined ? undefined : [1, 0.3, -0.2];
        const s = p.select(undefined, x);
        const vals = ARMS.map((a) => s.probabilities[a]!);
        expect(Math.abs(vals.reduce((t, v) => t + v, 0) - 1)).toBeLessThan(1e-12);
        for (const v of vals) {
          expect(v).toBeGreaterThanOrEqual((c.minProbability ?? 0) - 1e-12);
          expect(v).toBeLessThanOrEqual((c.maxProbability ?? 1) + 1e-12);
        }
        expect(s.probabilities[s.arm]!).toBeGreaterThan(0);
        if (steps < (c.burnIn ?? 0)) for (const v of vals) expect(v).toBeCloseTo(0.25, 14);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('restore-then-continue equals continue, bit for bit (own generator, through JSON)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 1, max: 15 }), (name, before, after) => {
        const p = factories[name]!({ seed: `restore-${name}`, minProbability: 0.02 });
        drive(p, createRng('r1'), before);
        const json = JSON.stringify(p.toJSON());
        const q = restorePolicy(JSON.parse(json));
        expect(q.policy).toBe(p.policy);
        // Same reward and context streams for both from here on.
        const a = drive(p, createRng('r2'), after);
        const b = drive(q, createRng('r2'), after);
        expect(b).toEqual(a);
        expect(JSON.stringify(q.toJSON())).toBe(JSON.stringify(p.toJSON()));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('selection frequencies follow the reported probabilities (honest propensities)', () => {
    // ε-greedy after one reward: exact probabilities (0.05, 0.85, 0.05, 0.05) with ε = 0.2.
    const p = epsilonGreedy({ arms: ARMS, epsilon: 0.2, seed: 'freq' });
    p.update('b', 1);
    const n = 20_000;
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
    let probs: Readonly<Record<string, number>> = {};
    for (let t = 0; t < n; t++) {
      const s = p.select();
      probs = s.probabilities;
      counts[s.arm]!++;
    }
    const want: Record<string, number> = { a: 0.05, b: 0.85, c: 0.05, d: 0.05 };
    for (const a of ARMS) expect(probs[a]!).toBeCloseTo(want[a]!, 14);
    for (const a of ARMS) {
      const q = probs[a]!;
      expect(Math.abs(counts[a]! / n - q)).toBeLessThan(4.5 * Math.sqrt((q * (1 - q)) / n));
    }
  });

  it('adds and retires arms; retired arms get probability 0 and still accept late rewards', () => {
    for (const name of names) {
      const p = factories[name]!({ seed: `arms-${name}`, minProbability: 0.1 });
      p.retireArm('b');
      p.addArm('e');
      expect(p.arms).toEqual(['a', 'c', 'd', 'e']);
      const x = p.dimension === undefined ? undefined : [1, 0, 0];
      for (let t = 0; t < 20; t++) {
        const s = p.select(undefined, x);
        expect(s.arm).not.toBe('b');
        expect(s.probabilities.b).toBe(0);
        expect(s.probabilities.e!).toBeGreaterThanOrEqual(0.1 - 1e-12);
      }
      p.update('b', 1, x);
      const q = restorePolicy(JSON.parse(JSON.stringify(p)));
      expect(q.arms).toEqual(p.arms);
      // Retiring below what the floor allows is refused: 4 arms × 0.1 ok, but then a
      // 0.3 floor policy with 4 arms cannot add a fifth.
      const tight = factories[name]!({ minProbability: 0.25 });
      expect(() => tight.addArm('e')).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    }
  });

  it('softmax and UCB1 probabilities equal their closed forms', () => {
    const s = softmax({ arms: ['a', 'b', 'c'], temperature: 0.5, seed: 1 });
    s.updateMany([
      { arm: 'a', reward: 1 },
      { arm: 'a', reward: 0 },
      { arm: 'b', reward: 0.2 },
    ]);
    const e = [Math.exp(0.5 / 0.5), Math.exp(0.2 / 0.5), Math.exp(0 / 0.5)];
    const z = e[0]! + e[1]! + e[2]!;
    const got = s.select().probabilities;
    expect(got.a).toBeCloseTo(e[0]! / z, 14);
    expect(got.b).toBeCloseTo(e[1]! / z, 14);
    const u = ucb1({ arms: ['a', 'b'], seed: 2 });
    expect(u.select().probabilities).toEqual({ a: 0.5, b: 0.5 });
    u.updateMany([
      { arm: 'a', reward: 1 },
      { arm: 'b', reward: 0 },
      { arm: 'b', reward: 1 },
    ]);
    const sel = u.select();
    // a: 1 + √2·sqrt(ln 3 / 1); b: 0.5 + √2·sqrt(ln 3 / 2)
    expect(sel.scores!.a).toBeCloseTo(1 + Math.SQRT2 * Math.sqrt(Math.log(3)), 14);
    expect(sel.scores!.b).toBeCloseTo(0.5 + Math.SQRT2 * Math.sqrt(Math.log(3) / 2), 14);
    expect(sel.probabilities).toEqual({ a: 1, b: 0 });
  });
});

describe('bad input throws ValidationError (E_INVALID_ARGUMENT), never NaN', () => {
  const code = expect.objectContaining({ code: 'E_INVALID_ARGUMENT' });
  it.each([
    ['unknown arm in update', () => thompsonSampling({ arms: ['a', 'b'] }).update('z', 1)],
    ['NaN reward', () => ucb1({ arms: ['a', 'b'] }).update('a', Number.NaN)],
    ['Bernoulli reward outside [0, 1]', () => thompsonSampling({ arms: ['a', 'b'] }).update('a', 2)],
    ['NaN reward in a batch', () => softmax({ arms: ['a', 'b'] }).updateMany([{ arm: 'a', reward: 1 }, { arm: 'b', reward: Number.NaN }])],
    ['wrong context length', () => linUCB({ arms: ['a'], dimension: 3 }).select(createRng(1), [1, 2])],
    ['missing context', () => linearThompson({ arms: ['a'], dimension: 2 }).select(createRng(1))],
    ['NaN in context', () => linUCB({ arms: ['a'], dimension: 2 }).update('a', 1, [1, Number.NaN])],
    ['dimension 0', () => linUCB({ arms: ['a'], dimension: 0 })],
    ['floors that cannot sum to 1', () => thompsonSampling({ arms: ['a', 'b', 'c'], minProbability: 0.4 })],
    ['caps that cannot sum to 1', () => epsilonGreedy({ arms: ['a', 'b', 'c'], maxProbability: 0.3 })],
    ['duplicate arms', () => ucb1({ arms: ['a', 'a'] })],
    ['no rng and no seed', () => ucb1({ arms: ['a', 'b'] }).select()],
    ['bad prior', () => thompsonSampling({ arms: ['a'], priors: { a: { alpha: -1, beta: 1 } } })],
    ['prior for an unknown arm', () => thompsonSampling({ arms: ['a'], priors: { z: { alpha: 1, beta: 1 } } })],
    ['λ ≤ 0', () => linearThompson({ arms: ['a'], dimension: 2, lambda: 0 })],
    ['logistic reward outside [0, 1]', () => logisticThompson({ arms: ['a'], dimension: 1 }).update('a', 3, [1])],
    ['retiring the last arm', () => ucb1({ arms: ['a'] }).retireArm('a')],
    ['corrupt state', () => restorePolicy({ ...ucb1({ arms: ['a'] }).toJSON(), stats: { n: [Number.NaN], sum: [0] } })],
    ['unknown policy in state', () => restorePolicy({ ...ucb1({ arms: ['a'] }).toJSON(), policy: 'nope' as 'ucb1' })],
    // Corrupt states that the constructors would refuse (they gave negative or NaN probabilities).
    ['state with ε = 5', () => restorePolicy({ ...epsilonGreedy({ arms: ['a', 'b'] }).toJSON(), params: { param: 5, initialValue: 0 } })],
    ['state with temperature 0', () => restorePolicy({ ...softmax({ arms: ['a', 'b'] }).toJSON(), params: { param: 0, initialValue: 0 } })],
    ['state with a negative count', () => restorePolicy({ ...ucb1({ arms: ['a'] }).toJSON(), stats: { n: [-1], sum: [0] } })],
    ['state with Beta(0, 1)', () => restorePolicy({ ...thompsonSampling({ arms: ['a'] }).toJSON(), stats: { a: [0], b: [1] } })],
    ['state with fractional selections', () => restorePolicy({ ...ucb1({ arms: ['a'] }).toJSON(), selections: 1.5 })],
    // Rewards and contexts beyond ±1e100 would overflow the running sums (softmax and UCB1
    // scores Infinity − Infinity = NaN, a NIG rate of Infinity, Aₐ with Infinity entries).
    ['softmax reward 1e300', () => softmax({ arms: ['a', 'b'] }).update('a', 1e300)],
    ['Gaussian Thompson reward -1e200', () => thompsonSampling({ arms: ['a'], likelihood: 'normal' }).update('a', -1e200)],
    ['LinUCB context entry 1e200', () => linUCB({ arms: ['a'], dimension: 2 }).update('a', 1, [1, 1e200])],
    ['huge reward in a batch', () => ucb1({ arms: ['a', 'b'] }).updateMany([{ arm: 'a', reward: 1e101 }])],
  ])('%s', (_name, f) => {
    expect(f).toThrowError(code);
  });
});

describe('extreme but accepted rewards', () => {
  it('rewards of ±1e100 keep every score and probability finite', () => {
    for (const name of names) {
      const p = factories[name]!({ seed: `big-${name}` });
      if (name === 'thompsonBernoulli' || name === 'topTwo' || name === 'logisticThompson') continue; // rewards in [0, 1]
      const x = p.dimension === undefined ? undefined : [1, 1e100, -1e100];
      for (let t = 0; t < 4; t++) p.update(ARMS[t % 2]!, t % 2 === 0 ? 1e100 : -1e100, x);
      const s = p.select(undefined, x);
      for (const v of Object.values(s.probabilities)) expect(Number.isFinite(v)).toBe(true);
      for (const v of Object.values(s.scores ?? {})) expect(Number.isNaN(v)).toBe(false);
    }
  });

  it('an arm named like an Object.prototype key gets the default prior, not the prototype', () => {
    const ts = thompsonSampling({ arms: ['constructor', 'b'], priors: { b: { alpha: 2, beta: 3 } } });
    expect(ts.posterior('constructor')).toEqual({ family: 'beta', alpha: 1, beta: 1 });
  });
});

describe('addArm priors', () => {
  it('Thompson arms take a prior; policies without priors refuse one', () => {
    const ts = thompsonSampling({ arms: ['a'] });
    ts.addArm('b', { alpha: 4, beta: 2 });
    expect(ts.posterior('b')).toEqual({ family: 'beta', alpha: 4, beta: 2 });
    expect(() => ts.addArm('c', { alpha: 0, beta: 2 })).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    expect(() => ucb1({ arms: ['a'] }).addArm('b', { alpha: 1, beta: 1 })).toThrowError(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
    expect(() => linUCB({ arms: ['a'], dimension: 2 }).addArm('b', {})).toThrowError(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
  });
});
