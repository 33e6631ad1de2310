import { type Rng, type Seed, createRng } from '../rng/index.js';
import { fail, finite, integer, plainObject, positive, probability, seed as seedGuard, uniqueLabels } from '../validate.js';
import type { BanditPolicy } from './policy.js';
import { restorePolicy } from './restore.js';

/** A simulated bandit problem for {@link simulatePolicy}. */
export interface BanditEnvironment {
  /** The arms (the policy's active arms must be among them). */
  readonly arms: readonly string[];
  /** Context length, when contextual. */
  readonly dimension?: number;
  /** Draws the next context (contextual environments). */
  context?(rng: Rng): number[];
  /** Draws a reward for `arm` in `context`. */
  reward(arm: string, context: readonly number[] | undefined, rng: Rng): number;
  /** The expected reward of `arm` in `context` (for regret). */
  expectedReward(arm: string, context: readonly number[] | undefined): number;
}

/** Options of {@link simulatePolicy}. */
export interface SimulatePolicyOptions {
  /** Decisions per replicate. */
  horizon: number;
  /** Independent replicates. @defaultValue 1 */
  replicates?: number;
  /** Seed; replicate r uses forks `replicate-r/context`, `/reward`, `/policy`. */
  seed: Seed;
}

/** What {@link simulatePolicy} returns. */
export interface PolicySimulation {
  readonly horizon: number;
  readonly replicates: number;
  /** Mean cumulative (pseudo-)regret after each decision t = 1..horizon. */
  readonly cumulativeRegret: readonly number[];
  /** Final cumulative regret over replicates. */
  readonly finalRegret: { readonly mean: number; readonly sd: number; readonly se: number };
  /** Share of decisions that chose a best arm (mean over replicates). */
  readonly bestArmShare: number;
  /** Per replicate: final regret and best-arm share. */
  readonly perReplicate: readonly { readonly regret: number; readonly bestArmShare: number }[];
}

/**
 * Runs a policy against a simulated environment: each replicate starts from a fresh copy of
 * the policy's current state (`restorePolicy(policy.toJSON())`), draws contexts and rewards
 * from its own seeded streams (the same for every policy under one seed: common random
 * numbers, so policies compare fairly), and records the pseudo-regret
 * max_a E[r | x, a] − E[r | x, chosen], the maximum taken over the policy's active arms.
 *
 * @param environment - arms, context and reward generators, expected rewards
 * @param policy - the policy to copy for each replicate
 * @param options - horizon, replicates, seed
 * @returns mean cumulative regret per step, final regret, best-arm share
 * @throws ValidationError for a non-positive horizon, arms missing from the environment, or
 *   non-finite rewards
 * @example
 * ```ts
 * const env = bernoulliBandit({ a: 0.3, b: 0.6 });
 * const sim = simulatePolicy(env, thompsonSampling({ arms: ['a', 'b'], draws: 1 }), { horizon: 200, replicates: 5, seed: 1 });
 * sim.bestArmShare; // well above 0.5
 * ```
 * @see Lattimore & Szepesvári (2020), Bandit Algorithms, ch. 4 (regret).
 */
export function simulatePolicy(
  environment: BanditEnvironment,
  policy: BanditPolicy,
  options: SimulatePolicyOptions,
): PolicySimulation {
  const fn = 'simulatePolicy';
  const env = plainObject(fn, 'environment', environment) as unknown as BanditEnvironment;
  const envArms = uniqueLabels(fn, 'environment.arms', env.arms);
  if (typeof env.reward !== 'function' || typeof env.expectedReward !== 'function') {
    fail(fn, 'environment', 'must have reward() and expectedReward()', env);
  }
  if (policy === null || typeof policy !== 'object' || typeof policy.toJSON !== 'function') {
    fail(fn, 'policy', 'must be a policy (e.g. thompsonSampling(...))', policy);
  }
  const o = plainObject(fn, 'options', options) as unknown as SimulatePolicyOptions;
  const horizon = integer(fn, 'horizon', o.horizon, 1, 1e8);
  const replicates = integer(fn, 'replicates', o.replicates ?? 1, 1, 1e6);
  const seed = seedGuard(fn, 'seed', o.seed);
  for (const a of policy.arms) if (!envArms.includes(a)) fail(fn, 'policy.arms', 'must all be arms of the environment', a);
  const contextual = policy.dimension !== undefined;
  if (contextual && typeof env.context !== 'function') fail(fn, 'environment.context', 'is needed for a contextual policy', env.context);
  const snapshot = policy.toJSON();
  const root = createRng(seed);
  const cum = new Float64Array(horizon);
  const per: { regret: number; bestArmShare: number }[] = [];
  for (let r = 0; r < replicates; r++) {
    const rep = root.fork(`replicate-${r}`);
    const ctxRng = rep.fork('context');
    const rewRng = rep.fork('reward');
    const polRng = rep.fork('policy');
    const p = restorePolicy(snapshot);
    let regret = 0;
    let best = 0;
    for (let t = 0; t < horizon; t++) {
      // Contexts come from the environment whenever it has them (a context-free policy is
      // then simply blind to them), so regret is measured against the same problem.
      const x = typeof env.context === 'function' ? env.context(ctxRng) : undefined;
      const arms = p.arms;
      let top = Number.NEGATIVE_INFINITY;
      for (const a of arms) top = Math.max(top, finite(fn, 'environment.expectedReward()', env.expectedReward(a, x)));
      const s = p.select(polRng, x);
      const mine = env.expectedReward(s.arm, x);
      const y = env.reward(s.arm, x, rewRng);
      if (typeof y !== 'number' || !Number.isFinite(y)) fail(fn, 'environment.reward()', 'must return finite numbers', y);
      p.update(s.arm, y, x);
      regret += top - mine;
      if (mine >= top - 1e-12) best++;
      cum[t]! += regret;
    }
    per.push({ regret, bestArmShare: best / horizon });
  }
  let mean = 0;
  let m2 = 0;
  per.forEach((q, i) => {
    const d = q.regret - mean;
    mean += d / (i + 1);
    m2 += d * (q.regret - mean);
  });
  const sd = replicates > 1 ? Math.sqrt(m2 / (replicates - 1)) : 0;
  return {
    horizon,
    replicates,
    cumulativeRegret: Array.from(cum, (v) => v / replicates),
    finalRegret: { mean, sd, se: sd / Math.sqrt(replicates) },
    bestArmShare: per.reduce((s, q) => s + q.bestArmShare, 0) / replicates,
    perReplicate: per,
  };
}

/**
 * A Bernoulli bandit: arm a pays 1 with probability pₐ.
 *
 * @param probabilities - arm → success probability
 * @returns a {@link BanditEnvironment}
 * @throws ValidationError for probabilities outside [0, 1]
 * @example
 * ```ts
 * const env = bernoulliBandit({ a: 0.2, b: 0.5 });
 * env.expectedReward('b', undefined); // returns 0.5
 * ```
 * @see Lattimore & Szepesvári (2020), Bandit Algorithms, §4.3.
 */
export function bernoulliBandit(probabilities: Record<string, number>): BanditEnvironment {
  const fn = 'bernoulliBandit';
  const t = plainObject(fn, 'probabilities', probabilities);
  const arms = uniqueLabels(fn, 'probabilities', Object.keys(t));
  const p = new Map(arms.map((a) => [a, probability(fn, `probabilities.${a}`, t[a])]));
  return {
    arms,
    reward: (arm, _x, rng) => (rng.uniform() < p.get(arm)! ? 1 : 0),
    expectedReward: (arm) => p.get(arm) ?? fail(fn, 'arm', 'must be an arm of the environment', arm),
  };
}

/**
 * A Gaussian bandit: arm a pays N(meanₐ, sd²).
 *
 * @param means - arm → mean reward
 * @param sd - reward sd (> 0)
 * @returns a {@link BanditEnvironment}
 * @throws ValidationError for non-finite means or sd ≤ 0
 * @example
 * ```ts
 * const env = gaussianBandit({ a: 0, b: 0.5 }, 1);
 * ```
 * @see Lattimore & Szepesvári (2020), Bandit Algorithms, §4.3.
 */
export function gaussianBandit(means: Record<string, number>, sd: number): BanditEnvironment {
  const fn = 'gaussianBandit';
  const t = plainObject(fn, 'means', means);
  const arms = uniqueLabels(fn, 'means', Object.keys(t));
  const m = new Map(arms.map((a) => [a, finite(fn, `means.${a}`, t[a])]));
  const s = positive(fn, 'sd', sd);
  return {
    arms,
    reward: (arm, _x, rng) => rng.normal(m.get(arm)!, s),
    expectedReward: (arm) => m.get(arm) ?? fail(fn, 'arm', 'must be an arm of the environment', arm),
  };
}

/**
 * A linear contextual bandit: contexts x = [1, z₁, …, z_{d−1}] with zⱼ ~ N(0, 1), rewards
 * θₐᵀx + N(0, noiseSd²).
 *
 * @param coefficients - arm → θₐ (all of one length d ≥ 1; θₐ[0] is the intercept)
 * @param noiseSd - reward noise sd (≥ 0)
 * @returns a {@link BanditEnvironment} with `dimension` d
 * @throws ValidationError for ragged or non-finite coefficients
 * @example
 * ```ts
 * const env = linearBandit({ a: [0.1, 1], b: [0.1, -1] }, 0.5);
 * env.expectedReward('a', [1, 2]); // returns 2.1
 * ```
 * @see Li, Chu, Langford & Schapire (2010), WWW (the linear payoff model).
 */
export function linearBandit(coefficients: Record<string, readonly number[]>, noiseSd: number): BanditEnvironment {
  const fn = 'linearBandit';
  const t = plainObject(fn, 'coefficients', coefficients);
  const arms = uniqueLabels(fn, 'coefficients', Object.keys(t));
  let d = -1;
  const th = new Map<string, number[]>();
  for (const a of arms) {
    const c = t[a];
    if (!Array.isArray(c) || c.length === 0) fail(fn, `coefficients.${a}`, 'must be a non-empty array', c);
    if (d === -1) d = c.length;
    if (c.length !== d) fail(fn, `coefficients.${a}`, `must have length ${d}`, c.length);
    th.set(
      a,
      c.map((v, j) => finite(fn, `coefficients.${a}[${j}]`, v)),
    );
  }
  if (typeof noiseSd !== 'number' || !(noiseSd >= 0) || !Number.isFinite(noiseSd)) fail(fn, 'noiseSd', 'must be >= 0', noiseSd);
  const mean = (arm: string, x: readonly number[] | undefined): number => {
    const c = th.get(arm) ?? fail(fn, 'arm', 'must be an arm of the environment', arm);
    let s = 0;
    for (let j = 0; j < d; j++) s += c[j]! * (x?.[j] ?? 0);
    return s;
  };
  return {
    arms,
    dimension: d,
    context: (rng) => {
      const x = [1];
      for (let j = 1; j < d; j++) x.push(rng.normal());
      return x;
    },
    reward: (arm, x, rng) => mean(arm, x) + (noiseSd > 0 ? rng.normal(0, noiseSd) : 0),
    expectedReward: mean,
  };
}
