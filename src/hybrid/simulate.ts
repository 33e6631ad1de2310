import { periodOfDay, validateDesign } from '../design/index.js';
import type { TrialDesign } from '../design/types.js';
import type { TrialObservation } from '../models/types.js';
import type { Rng, Seed } from '../rng/rng.js';
import { toRng } from '../rng/rng.js';
import { fail, finite, inRange, plainObject, probability } from '../validate.js';

/** Options of {@link simulateMigraineDiary}. */
export interface SimulateMigraineDiaryOptions {
  /** The patient's migraine days per 30 days on the control arm (and during run-in). @defaultValue 12 (the paper's Alice) */
  readonly baselineDays?: number;
  /** True effect of each arm in migraine days per 30 days (negative helps); arms not listed have 0. */
  readonly effects: Readonly<Record<string, number>>;
  /** Random source. */
  readonly rng: Rng | Seed;
  /** Probability that a day's entry is missing. @defaultValue 0 */
  readonly missing?: number;
}

/**
 * Simulates a daily migraine diary for an N-of-1 trial: on each day of an arm with true effect
 * δ the patient has a migraine with probability (baselineDays + δ)/30 (clamped to
 * [0.005, 0.995]), independently across days. Each entry is `{ day, value }` with `value = 30`
 * on a migraine day and 0 otherwise, so that an arm's mean value is its migraine days per 30
 * days, the scale of the migraine prior table; analyse it with `outcome: 'normal'`.
 *
 * @param design - the trial design
 * @param options - see {@link SimulateMigraineDiaryOptions}
 * @returns one observation per day (minus missing days), run-in included
 * @throws ValidationError for an invalid design, effects that name no arm, or bad options
 * @example
 * ```ts
 * const prior = await staticPriorProvider().elicit(migrainePriorRequest());
 * const plan = startPersonalization({ prior, betterIs: 'lower', seed: 'alice', mcid: 2 });
 * const diary = simulateMigraineDiary(plan.design!, { effects: { magnesium: -6 }, rng: createRng('alice-diary') });
 * ```
 * @see https://arxiv.org/abs/2601.03482 (case study: Alice, 12 migraine days a month, daily diary)
 */
export function simulateMigraineDiary(design: TrialDesign, options: SimulateMigraineDiaryOptions): TrialObservation[] {
  const fn = 'simulateMigraineDiary';
  const d = validateDesign(design, fn);
  const o = plainObject(fn, 'options', options);
  const baseline = o.baselineDays === undefined ? 12 : inRange(fn, 'options.baselineDays', o.baselineDays, 0, 30);
  const eff = plainObject(fn, 'options.effects', o.effects);
  for (const [k, v] of Object.entries(eff)) {
    if (!d.treatments.includes(k)) fail(fn, `options.effects.${k}`, 'must name an arm of the design', k);
    finite(fn, `options.effects.${k}`, v);
  }
  const missing = o.missing === undefined ? 0 : probability(fn, 'options.missing', o.missing);
  const rng = toRng(fn, 'options.rng', o.rng as Rng | Seed);
  const out: TrialObservation[] = [];
  for (let day = 0; day < d.totalDays; day++) {
    const period = periodOfDay(d, day); // undefined during run-in
    const delta = period === undefined ? 0 : ((eff[period.treatment] as number | undefined) ?? 0);
    const p = Math.min(0.995, Math.max(0.005, (baseline + delta) / 30));
    const migraine = rng.uniform() < p;
    if (missing > 0 && rng.uniform() < missing) continue;
    out.push({ day, value: migraine ? 30 : 0 });
  }
  return out;
}
