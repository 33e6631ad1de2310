import { periodOfDay, validateDesign } from '../design/index.js';
import type { Dist } from '../distributions/dist.js';
import { validatePopulationPrior } from '../prior/request.js';
import type { PopulationPrior } from '../prior/types.js';
import type { TrialDesign } from '../design/types.js';
import type { TrialObservation } from '../models/types.js';
import type { Rng, Seed } from '../rng/rng.js';
import { toRng } from '../rng/rng.js';
import { fail, finite, inRange, oneOf, plainObject, positive, probability } from '../validate.js';

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
  /**
   * How a day is written: `'binary'`, 1 on a migraine day and 0 otherwise (with `trials: 1`),
   * for `outcome: 'binomial'` (logistic), the model that fits a yes/no diary; `'daysPer30'`,
   * 30 or 0, so that an arm's mean is its migraine days per 30 days (a normal model of 0/30
   * values; kept for comparison, it misstates the noise of a yes/no outcome).
   * @defaultValue 'binary'
   */
  readonly coding?: 'binary' | 'daysPer30';
}

/**
 * Simulates a daily migraine diary for an N-of-1 trial: on each day of an arm with true effect
 * δ the patient has a migraine with probability (baselineDays + δ)/30 (clamped to
 * [0.005, 0.995]), independently across days. Each entry is `{ day, value: 1 | 0, trials: 1 }`
 * (migraine or not): analyse it with `outcome: 'binomial'`, the effect priors on the log-odds
 * scale ({@link migrainePriorToLogOdds} converts the migraine table's days-per-30 priors) and
 * the clinical threshold on the natural scale (2 migraine days per 30 days is a difference in
 * daily probability of 2/30). With `coding: 'daysPer30'` the entries are 30 or 0 instead.
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
  const coding = o.coding === undefined ? 'binary' : oneOf(fn, 'options.coding', o.coding, ['binary', 'daysPer30'] as const);
  const rng = toRng(fn, 'options.rng', o.rng as Rng | Seed);
  const out: TrialObservation[] = [];
  for (let day = 0; day < d.totalDays; day++) {
    const period = periodOfDay(d, day); // undefined during run-in
    const delta = period === undefined ? 0 : ((eff[period.treatment] as number | undefined) ?? 0);
    const p = Math.min(0.995, Math.max(0.005, (baseline + delta) / 30));
    const migraine = rng.uniform() < p;
    if (missing > 0 && rng.uniform() < missing) continue;
    out.push(coding === 'binary' ? { day, value: migraine ? 1 : 0, trials: 1 } : { day, value: migraine ? 30 : 0 });
  }
  return out;
}

const logit = (p: number): number => Math.log(p / (1 - p));

/** Options of {@link migrainePriorToLogOdds}. */
export interface MigrainePriorToLogOddsOptions {
  /** The patient's migraine days per `per` days without treatment. @defaultValue 12 (the paper's Alice) */
  readonly baselineDays?: number;
  /** The length the days are counted over. @defaultValue 30 */
  readonly per?: number;
}

/**
 * Converts a population prior on the difference scale (migraine days per 30 days, treatment
 * minus control, as the migraine prior table gives it) into one on the log-odds-ratio scale of
 * a daily yes/no diary analysed with `outcome: 'binomial'`. At a baseline of b days per 30, an
 * effect of δ days is the log odds ratio g(δ) = logit((b + δ)/30) − logit(b/30); each normal
 * (or each normal component of a mixture) N(m, s) becomes N(g(m), s·g′(m)) with
 * g′(m) = 1 / (30·q·(1 − q)), q = (b + m)/30 (the delta method; q is kept inside
 * [0.5/30, 29.5/30]). The mixture weights are kept.
 *
 * @param prior - a PopulationPrior on the `'difference'` scale with normal or mixture-of-normal effects
 * @param options - see {@link MigrainePriorToLogOddsOptions}
 * @returns the prior on the `'logOddsRatio'` scale, same candidates and source
 * @throws ValidationError for a prior not on the difference scale, a non-normal effect, or a baseline outside (0, per)
 * @example
 * ```ts
 * const days = await staticPriorProvider().elicit(migrainePriorRequest());
 * const lor = migrainePriorToLogOdds(days, { baselineDays: 12 });
 * lor.scale; // 'logOddsRatio'
 * startPersonalization({ prior: lor, betterIs: 'lower', seed: 'alice', mcid: 2 / 30 }).settings.outcome; // 'binomial'
 * ```
 * @see Oehlert (1992), A note on the delta method, The American Statistician 46(1):27.
 */
export function migrainePriorToLogOdds(prior: PopulationPrior, options: MigrainePriorToLogOddsOptions = {}): PopulationPrior {
  const fn = 'migrainePriorToLogOdds';
  const p = validatePopulationPrior(prior, fn);
  if (p.scale !== 'difference') fail(fn, 'prior.scale', "must be 'difference' (migraine days per 30 days)", p.scale);
  const o = plainObject(fn, 'options', options);
  const per = o.per === undefined ? 30 : positive(fn, 'options.per', o.per);
  const b = o.baselineDays === undefined ? 12 : finite(fn, 'options.baselineDays', o.baselineDays);
  if (!(b > 0 && b < per)) fail(fn, 'options.baselineDays', `must be inside (0, ${per})`, b);
  const lo = 0.5 / per;
  const hi = 1 - lo;
  const base = logit(b / per);
  const convert = (m: number, s: number): Dist => {
    const q = Math.min(hi, Math.max(lo, (b + m) / per));
    return { family: 'normal', mean: logit(q) - base, sd: s / (per * q * (1 - q)) };
  };
  const effects: Record<string, Dist> = {};
  for (const [id, d] of Object.entries(p.effects)) {
    if (d.family === 'normal') effects[id] = convert(d.mean, d.sd);
    else if (d.family === 'mixture' && d.components.every((c) => c.dist.family === 'normal')) {
      effects[id] = {
        family: 'mixture',
        components: d.components.map((c) => {
          const n = c.dist as Extract<Dist, { family: 'normal' }>;
          return { weight: c.weight, dist: convert(n.mean, n.sd) };
        }),
      };
    } else fail(fn, `prior.effects.${id}`, "must be a 'normal' Dist or a mixture of normals", d.family);
  }
  return { ...p, effects, scale: 'logOddsRatio' };
}
