/**
 * Adaptive allocation and contextual bandits: Thompson sampling (Beta–Bernoulli, Gaussian
 * with unknown variance, top-two), UCB1, ε-greedy, softmax, LinUCB, linear and logistic
 * Thompson sampling, clinical-trial allocation controls, adaptive N-of-1 allocation,
 * off-policy evaluation and policy simulation.
 *
 * @packageDocumentation
 */
export { applyAllocationControls } from './controls.js';
export type { AllocationControls, ResolvedAllocationControls } from './controls.js';
export type {
  BanditFeedback,
  BanditPolicy,
  BanditSelection,
  JsonValue,
  PolicyBaseOptions,
  PolicyName,
  PolicyState,
} from './policy.js';
export { epsilonGreedy, softmax, thompsonSampling, topTwoThompson, ucb1 } from './context-free.js';
export type {
  ArmPosterior,
  BetaPrior,
  EpsilonGreedyOptions,
  NormalInverseGammaPrior,
  SoftmaxOptions,
  ThompsonOptions,
  ThompsonPolicy,
  TopTwoThompsonOptions,
  Ucb1Options,
} from './context-free.js';
export { linUCB, linearThompson, logisticThompson } from './contextual.js';
export type {
  ContextualOptions,
  LinUcbOptions,
  LinearThompsonOptions,
  LinearThompsonPolicy,
  LogisticThompsonOptions,
} from './contextual.js';
export { restorePolicy } from './restore.js';
export { adaptiveNof1 } from './nof1.js';
export type { AdaptiveNof1Analysis, AdaptiveNof1Decision, AdaptiveNof1Options } from './nof1.js';
export { offPolicyEvaluate } from './ope.js';
export type { LoggedDecision, OffPolicyEstimate, OffPolicyOptions, OffPolicyResult, RewardModel } from './ope.js';
export { bernoulliBandit, gaussianBandit, linearBandit, simulatePolicy } from './simulate.js';
export type { BanditEnvironment, PolicySimulation, SimulatePolicyOptions } from './simulate.js';
