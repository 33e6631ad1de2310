/**
 * The default function table of the worker helper: the analyses and the bandits, each a
 * function of plain data returning plain data. Bandits cross the thread boundary as their
 * JSON state (`policy.toJSON()` / `restorePolicy`), so the worker keeps nothing between calls.
 *
 * @packageDocumentation
 */
import { adaptiveNof1 } from '../adaptive/nof1.js';
import { offPolicyEvaluate } from '../adaptive/ope.js';
import type { BanditFeedback, BanditSelection, PolicyState } from '../adaptive/policy.js';
import { restorePolicy } from '../adaptive/restore.js';
import { analyzeSeries } from '../models/series.js';
import { analyzeTrial } from '../models/trial.js';
import { plainObject } from '../validate.js';

/**
 * One bandit selection on a policy's JSON state: restores the policy, selects (with the
 * policy's own seeded generator, so the result equals `restorePolicy(state).select()`), and
 * returns the selection and the new state.
 *
 * @param input - `{ state, context? }`: `policy.toJSON()`, and the context of a contextual policy
 * @returns `{ selection, state }`
 * @throws ValidationError as `restorePolicy` and `select` do
 * @example
 * ```ts
 * const { selection, state } = await n1.banditSelect({ state: thompsonSampling({ arms: ['a', 'b'], seed: 1 }).toJSON() });
 * ```
 * @see {@link restorePolicy}
 */
export function banditSelect(input: { state: PolicyState; context?: ArrayLike<number> }): { selection: BanditSelection; state: PolicyState } {
  const o = plainObject('banditSelect', 'input', input);
  const policy = restorePolicy(o.state as PolicyState);
  const selection = policy.select(undefined, o.context as ArrayLike<number> | undefined);
  return { selection, state: policy.toJSON() };
}

/**
 * Feeds rewards to a policy's JSON state and returns the new state (`updateMany`).
 *
 * @param input - `{ state, feedback }`: the state and `{ arm, reward, context? }[]`
 * @returns the updated state
 * @throws ValidationError as `restorePolicy` and `updateMany` do
 * @example
 * ```ts
 * const next = await n1.banditUpdate({ state, feedback: [{ arm: 'a', reward: 1 }] });
 * ```
 * @see {@link restorePolicy}
 */
export function banditUpdate(input: { state: PolicyState; feedback: readonly BanditFeedback[] }): PolicyState {
  const o = plainObject('banditUpdate', 'input', input);
  const policy = restorePolicy(o.state as PolicyState);
  policy.updateMany(o.feedback as readonly BanditFeedback[]);
  return policy.toJSON();
}

/**
 * The functions a worker exposes by default. Extend it for your own (or for modules such as
 * `simulateTrials`): `exposeWorkerFunctions(self, { ...workerFunctions, simulateTrials })`, and
 * on the main thread `wrapWorker<typeof table>(worker)`.
 */
export const workerFunctions = {
  analyzeTrial,
  analyzeSeries,
  adaptiveNof1,
  offPolicyEvaluate,
  banditSelect,
  banditUpdate,
};

/** The type of {@link workerFunctions}. */
export type WorkerFunctions = typeof workerFunctions;
