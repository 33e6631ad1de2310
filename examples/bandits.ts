// Adaptive allocation with n1kit: Thompson sampling with clinical-trial controls, honest
// propensities for off-policy evaluation, bit-exact save/restore, LinUCB, and the adaptive
// choice of the next N-of-1 period.
// Run: npx tsup && node node_modules/tsx/dist/cli.mjs examples/bandits.ts
import assert from 'node:assert/strict';
import {
  adaptiveNof1,
  bernoulliBandit,
  createRng,
  epsilonGreedy,
  linUCB,
  linearBandit,
  offPolicyEvaluate,
  restorePolicy,
  simulatePolicy,
  thompsonSampling,
} from 'n1kit';

// 1. Thompson sampling over three candidate interventions, LFM prior on one of them, a 10%
//    floor per arm and an equal-allocation burn-in of 30 participants-days.
const env = bernoulliBandit({ walk: 0.35, sleep: 0.5, breathing: 0.6 });
const ts = thompsonSampling({
  arms: ['walk', 'sleep', 'breathing'],
  priors: { sleep: { alpha: 5, beta: 5 } },
  minProbability: 0.1,
  burnIn: 30,
  draws: 500,
  seed: 'example',
});
const rewards = createRng('example-rewards');
const logs: { arm: string; reward: number; propensity: number }[] = [];
for (let t = 0; t < 400; t++) {
  const s = ts.select();
  if (t < 30) assert.equal(s.probabilities[s.arm], 1 / 3);
  for (const p of Object.values(s.probabilities)) assert.ok(p >= 0.1 - 1e-12);
  const r = env.reward(s.arm, undefined, rewards);
  ts.update(s.arm, r);
  logs.push({ arm: s.arm, reward: r, propensity: s.probabilities[s.arm]! });
}
const post = ts.posterior('breathing');
assert.equal(post.family, 'beta');
const last = ts.select();
console.log('allocation after 400 decisions:', last.probabilities);
assert.ok(last.probabilities.breathing! > 0.5);

// 2. Save and restore: the restored policy continues bit for bit.
const saved = JSON.stringify(ts);
const copy = restorePolicy(JSON.parse(saved));
for (let t = 0; t < 5; t++) assert.deepEqual(copy.select(), ts.select());
console.log('restored policy continues identically: yes');

// 3. Off-policy evaluation of "always breathing" from the logged, true propensities.
const ope = offPolicyEvaluate(logs, { target: { walk: 0, sleep: 0, breathing: 1 } });
console.log(`IPS ${ope.ips.estimate.toFixed(3)} [${ope.ips.interval.map((v) => v.toFixed(3)).join(', ')}],`, `DR ${ope.dr.estimate.toFixed(3)}`);
assert.ok(ope.ips.interval[0] < 0.6 && 0.6 < ope.ips.interval[1]);

// 4. LinUCB on a contextual problem beats uniform allocation.
const lin = linearBandit({ a: [0.2, 1, 0], b: [0.2, -1, 0.5], c: [0.5, 0, -0.5] }, 0.5);
const o = { horizon: 500, replicates: 3, seed: 'example-sim' };
const ucb = simulatePolicy(lin, linUCB({ arms: ['a', 'b', 'c'], dimension: 3 }), o);
const uni = simulatePolicy(lin, epsilonGreedy({ arms: ['a', 'b', 'c'], epsilon: 1 }), o);
console.log(`regret over 500 decisions: LinUCB ${ucb.finalRegret.mean.toFixed(1)}, uniform ${uni.finalRegret.mean.toFixed(1)}`);
assert.ok(ucb.finalRegret.mean < 0.5 * uni.finalRegret.mean);

// 5. Next N-of-1 period from the patient's posterior (an analyzeTrial-shaped result).
const next = adaptiveNof1({
  analysis: { effects: { magnesium: { mean: -1.1, sd: 0.9 } } },
  reference: 'placebo',
  betterIs: 'lower',
  history: ['magnesium', 'placebo', 'magnesium', 'magnesium'],
  rng: 'patient-17-period-5',
});
console.log('next period:', next.treatment, next.probabilities, 'excluded:', next.excluded);
assert.equal(next.excluded, 'magnesium');
assert.equal(next.treatment, 'placebo');
