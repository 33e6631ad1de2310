import { fail, plainObject } from '../validate.js';
import { restoreThompson, restoreValue } from './context-free.js';
import { restoreLinUcb, restoreLinearThompson, restoreLogisticThompson } from './contextual.js';
import type { BanditPolicy, PolicyState } from './policy.js';

/**
 * Rebuilds a policy from {@link BanditPolicy.toJSON} (also after `JSON.stringify` /
 * `JSON.parse`). The restored policy, including its own generator, continues exactly as the
 * original would have: same selections, same probabilities, bit for bit.
 *
 * @param state - a policy state
 * @returns the policy
 * @throws ValidationError when `state` is not a policy state
 * @example
 * ```ts
 * const p = thompsonSampling({ arms: ['a', 'b'], seed: 1 });
 * const saved = JSON.stringify(p);
 * const q = restorePolicy(JSON.parse(saved));
 * q.select().arm === p.select().arm; // true
 * ```
 * @see n1kit STYLE.md, "Pitfalls": serialise the generator's state with the policy (Thompson-sampling libraries that do not are irreproducible after a restore).
 */
export function restorePolicy(state: PolicyState): BanditPolicy {
  const fn = 'restorePolicy';
  const s = plainObject(fn, 'state', state) as unknown as PolicyState;
  if (s.kind !== 'n1kit.policy' || s.version !== 1) fail(fn, 'state.kind', "must be 'n1kit.policy' version 1", s.kind);
  plainObject(fn, 'state.params', s.params);
  plainObject(fn, 'state.stats', s.stats);
  switch (s.policy) {
    case 'thompsonSampling':
    case 'topTwoThompson':
      return restoreThompson(s);
    case 'ucb1':
    case 'epsilonGreedy':
    case 'softmax':
      return restoreValue(s);
    case 'linUCB':
      return restoreLinUcb(s);
    case 'linearThompson':
      return restoreLinearThompson(s);
    case 'logisticThompson':
      return restoreLogisticThompson(s);
    default:
      return fail(fn, 'state.policy', 'must name a known policy', s.policy);
  }
}
