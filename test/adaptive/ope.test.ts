import { describe, expect, it } from 'vitest';
import {
  type LoggedDecision,
  bernoulliBandit,
  epsilonGreedy,
  offPolicyEvaluate,
  simulatePolicy,
  thompsonSampling,
  ucb1,
} from '../../src/adaptive/index.js';
import { createRng } from '../../src/rng/index.js';

const code = expect.objectContaining({ code: 'E_INVALID_ARGUMENT' });

// A finite context space makes the true value of a target policy an exact sum.
const contexts = [
  [1, -1],
  [1, 0],
  [1, 1],
  [1, 2],
];
const arms = ['a', 'b', 'c'];
const mu = (x: readonly number[], a: string) => {
  const eta = a === 'a' ? 0.3 * x[1]! : a === 'b' ? -0.4 * x[1]! + 0.2 : 0.1;
  return 1 / (1 + Math.exp(-eta));
};
// Logging policy: softmax of fixed scores (known, strictly positive propensities).
const logging = (x: readonly number[]) => {
  const s = arms.map((_a, i) => Math.exp((i - 1) * 0.5 * x[1]!));
  const t = s.reduce((u, v) => u + v, 0);
  return Object.fromEntries(arms.map((a, i) => [a, s[i]! / t])) as Record<string, number>;
};
// Target: mostly the arm 'a' when x₁ > 0, else mostly 'b'.
const target = (x: readonly number[] | undefined) =>
  x![1]! > 0 ? { a: 0.8, b: 0.1, c: 0.1 } : { a: 0.1, b: 0.8, c: 0.1 };
const trueValue = contexts.reduce((s, x) => {
  const t = target(x) as Record<string, number>;
  return s + arms.reduce((u, a) => u + t[a]! * mu(x, a), 0) / contexts.length;
}, 0);

function simulateLogs(seed: string, n: number): LoggedDecision[] {
  const rng = createRng(seed);
  const logs: LoggedDecision[] = [];
  for (let i = 0; i < n; i++) {
    const x = contexts[rng.integer(contexts.length)]!;
    const p = logging(x);
    const u = rng.uniform();
    let acc = 0;
    let arm = 'c';
    for (const a of arms) {
      acc += p[a]!;
      if (u < acc) {
        arm = a;
        break;
      }
    }
    logs.push({ context: x, arm, reward: rng.uniform() < mu(x, arm) ? 1 : 0, propensity: p[arm]! });
  }
  return logs;
}

describe('offPolicyEvaluate', () => {
  it('hand-computed IPS, SNIPS and DR on a tiny log', () => {
    const logs = [
      { arm: 'a', reward: 1, propensity: 0.5 },
      { arm: 'b', reward: 0, propensity: 0.25 },
      { arm: 'a', reward: 0, propensity: 0.5 },
      { arm: 'b', reward: 1, propensity: 0.25 },
    ];
    const r = offPolicyEvaluate(logs, { target: { a: 0.2, b: 0.8 }, rewardModel: () => 0.5 });
    // weights 0.4, 3.2, 0.4, 3.2; w·r = 0.4, 0, 0, 3.2
    expect(r.ips.estimate).toBeCloseTo(3.6 / 4, 14);
    expect(r.snips!.estimate).toBeCloseTo(3.6 / 7.2, 14);
    // DR terms: 0.5 + w (r − 0.5) = 0.7, −1.1, 0.3, 2.1
    expect(r.dr.estimate).toBeCloseTo((0.7 - 1.1 + 0.3 + 2.1) / 4, 14);
    const m = 0.9;
    const sd = Math.sqrt(((0.4 - m) ** 2 + m ** 2 + m ** 2 + (3.2 - m) ** 2) / 3);
    expect(r.ips.se).toBeCloseTo(sd / 2, 14);
    expect(r.ips.interval[1] - r.ips.estimate).toBeCloseTo(1.959963984540054 * (sd / 2), 10);
    expect(r.effectiveSampleSize).toBeCloseTo(7.2 ** 2 / (2 * 0.16 + 2 * 10.24), 12);
    expect(r.maxWeight).toBeCloseTo(3.2, 14);
  });

  it('IPS, SNIPS and DR are unbiased and their 95% intervals cover at the nominal rate (200 data sets)', () => {
    const R = 200;
    const n = 400;
    const est = { ips: [] as number[], snips: [] as number[], dr: [] as number[] };
    const cover = { ips: 0, snips: 0, dr: 0 };
    for (let r = 0; r < R; r++) {
      const res = offPolicyEvaluate(simulateLogs(`ope-${r}`, n), { target });
      for (const k of ['ips', 'snips', 'dr'] as const) {
        const e = res[k]!;
        est[k].push(e.estimate);
        if (e.interval[0] <= trueValue && trueValue <= e.interval[1]) cover[k]++;
      }
    }
    for (const k of ['ips', 'snips', 'dr'] as const) {
      const m = est[k].reduce((a, b) => a + b, 0) / R;
      const sd = Math.sqrt(est[k].reduce((a, b) => a + (b - m) ** 2, 0) / (R - 1));
      // unbiased: the mean over R data sets is within 4 standard errors of the true value
      expect(Math.abs(m - trueValue)).toBeLessThan((4 * sd) / Math.sqrt(R));
      // coverage 0.95 ± 4.5·sqrt(0.95·0.05/200) = ± 0.069 (normal approximation at n = 400)
      expect(cover[k] / R).toBeGreaterThan(0.95 - 0.07);
    }
    // DR with a fitted (cross-fitted) model should not be noisier than IPS here.
    const v = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return xs.reduce((a, b) => a + (b - m) ** 2, 0);
    };
    expect(v(est.dr)).toBeLessThan(v(est.ips));
  });

  it('with the propensities a policy reports, IPS recovers a uniform target on adaptive logs', () => {
    // Log 3000 decisions of Thompson sampling (with a floor) on a Bernoulli bandit; evaluate
    // uniform allocation, whose true value is the mean of the arms' success probabilities.
    const probs = { a: 0.2, b: 0.5, c: 0.7 };
    const env = bernoulliBandit(probs);
    const truth = (0.2 + 0.5 + 0.7) / 3;
    const run = (draws: number) => {
      const p = thompsonSampling({ arms: ['a', 'b', 'c'], draws, minProbability: 0.1, seed: `log-${draws}` });
      const rng = createRng(`log-rewards-${draws}`);
      const out: LoggedDecision[] = [];
      for (let t = 0; t < 3000; t++) {
        const s = p.select();
        const r = env.reward(s.arm, undefined, rng);
        p.update(s.arm, r);
        out.push({ arm: s.arm, reward: r, propensity: s.probabilities[s.arm]! });
      }
      return out;
    };
    // draws: 200, and draws: 1 (classical TS) made honest by the 0.1 floor.
    for (const draws of [200, 1]) {
      const res = offPolicyEvaluate(run(draws), { target: { a: 1 / 3, b: 1 / 3, c: 1 / 3 } });
      expect(Math.abs(res.ips.estimate - truth)).toBeLessThan(4 * res.ips.se);
      expect(Math.abs(res.dr.estimate - truth)).toBeLessThan(4 * res.dr.se);
    }
    const logs = run(200);
    // Logging 1/k instead of the true propensity (the pitfall) is far off.
    const naive = offPolicyEvaluate(
      logs.map((l) => ({ ...l, propensity: 1 / 3 })),
      { target: { a: 1 / 3, b: 1 / 3, c: 1 / 3 } },
    );
    expect(Math.abs(naive.ips.estimate - truth)).toBeGreaterThan(0.1);
  });

  it.each([
    ['empty logs', [], { target: { a: 1 } }],
    ['propensity 0', [{ arm: 'a', reward: 1, propensity: 0 }], { target: { a: 1 } }],
    ['propensity > 1', [{ arm: 'a', reward: 1, propensity: 1.5 }], { target: { a: 1 } }],
    ['NaN reward', [{ arm: 'a', reward: Number.NaN, propensity: 0.5 }], { target: { a: 1 } }],
    ['target not summing to 1', [{ arm: 'a', reward: 1, propensity: 0.5 }], { target: { a: 0.5 } }],
    ['logged arm unknown to the target', [{ arm: 'z', reward: 1, propensity: 0.5 }], { target: { a: 1 } }],
    ['logged arm named like a prototype key', [{ arm: 'constructor', reward: 1, propensity: 0.5 }], { target: { a: 1 } }],
    [
      'ragged contexts',
      [
        { arm: 'a', reward: 1, propensity: 0.5, context: [1] },
        { arm: 'a', reward: 1, propensity: 0.5, context: [1, 2] },
      ],
      { target: { a: 1 } },
    ],
    ['reward model returning NaN', [{ arm: 'a', reward: 1, propensity: 0.5 }], { target: { a: 1 }, rewardModel: () => Number.NaN }],
  ])('%s throws E_INVALID_ARGUMENT', (_n, logs, o) => {
    expect(() => offPolicyEvaluate(logs as LoggedDecision[], o as Parameters<typeof offPolicyEvaluate>[1])).toThrowError(code);
  });
});

describe('simulatePolicy', () => {
  it('is reproducible, cumulative regret is non-decreasing, and a known-best policy has zero regret', () => {
    const env = bernoulliBandit({ a: 0.3, b: 0.6 });
    const o = { horizon: 300, replicates: 3, seed: 9 };
    const s1 = simulatePolicy(env, ucb1({ arms: ['a', 'b'] }), o);
    const s2 = simulatePolicy(env, ucb1({ arms: ['a', 'b'] }), o);
    expect(s2).toEqual(s1);
    for (let t = 1; t < s1.cumulativeRegret.length; t++) expect(s1.cumulativeRegret[t]!).toBeGreaterThanOrEqual(s1.cumulativeRegret[t - 1]!);
    // UCB1's regret per step is 0 (best arm) or 0.3 (other arm): the total is 0.3 × pulls of a.
    for (const r of s1.perReplicate) expect((r.regret / 0.3) % 1).toBeCloseTo(0, 6);
    expect(s1.perReplicate[0]!.regret).toBeCloseTo(0.3 * 300 * (1 - s1.perReplicate[0]!.bestArmShare), 8);
    // Greedy with b's mean kept > 0 = a's mean: always plays the best arm b.
    const greedy = epsilonGreedy({ arms: ['a', 'b'], epsilon: 0 });
    greedy.updateMany([
      { arm: 'a', reward: 0 },
      { arm: 'b', reward: 1 },
    ]);
    const g = simulatePolicy(env, greedy, o);
    expect(g.finalRegret).toEqual({ mean: 0, sd: 0, se: 0 });
    expect(g.bestArmShare).toBe(1);
  });

  it('rejects bad options', () => {
    const env = bernoulliBandit({ a: 0.3, b: 0.6 });
    expect(() => simulatePolicy(env, ucb1({ arms: ['a', 'b'] }), { horizon: 0, seed: 1 })).toThrowError(code);
    expect(() => simulatePolicy(env, ucb1({ arms: ['a', 'z'] }), { horizon: 5, seed: 1 })).toThrowError(code);
    expect(() => bernoulliBandit({ a: 1.5 })).toThrowError(code);
  });
});
