/** Shared test helpers. */
import type { TrialDesign } from '../src/design/types.js';

/** The `code` of the error `f` throws, or 'no error'. */
export function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
}

/**
 * A design literal with periods of `periodDays` in exactly the given order (tagged 'fixed',
 * which `validateDesign` accepts in any order), optional washout and run-in, with day numbers
 * as the API contract defines them.
 */
export function fixedDesign(order: readonly string[], periodDays: number, washoutDays = 0, runInDays = 0): TrialDesign {
  const treatments = [...new Set(order)];
  return {
    treatments,
    randomization: 'fixed',
    seed: 0,
    periodDays,
    washoutDays,
    runInDays,
    totalDays: runInDays + order.length * periodDays,
    periods: order.map((treatment, index) => {
      const startDay = runInDays + index * periodDays;
      return {
        index,
        block: Math.floor(index / treatments.length),
        treatment,
        startDay,
        endDay: startDay + periodDays - 1,
        washoutEndDay: startDay + washoutDays - 1,
      };
    }),
  };
}
