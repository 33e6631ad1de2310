/**
 * Options of {@link designTrial} and the one function that fills their defaults and checks them.
 *
 * @packageDocumentation
 */
import type { Seed } from '../rng/rng.js';
import { fail, integer, knownKeys, oneOf, plainObject, seed as seedGuard, uniqueLabels } from '../validate.js';
import { fitsCalendar, isoDate } from './dates.js';
import type { Randomization } from './types.js';

/**
 * Every randomisation scheme {@link designTrial} knows.
 *
 * @example
 * ```ts
 * DESIGN_RANDOMIZATIONS.includes('williams'); // true
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4.
 */
export const DESIGN_RANDOMIZATIONS: readonly Randomization[] = Object.freeze([
  'block',
  'complete',
  'counterbalanced',
  'williams',
  'fixed',
]);

/**
 * Largest number of treatments a design may compare (26: one letter each).
 *
 * @example
 * ```ts
 * MAX_DESIGN_TREATMENTS; // 26
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4.
 */
export const MAX_DESIGN_TREATMENTS = 26;
/**
 * Largest number of periods (treatments × blocks) a design may have.
 *
 * @example
 * ```ts
 * MAX_DESIGN_PERIODS; // 10000
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4.
 */
export const MAX_DESIGN_PERIODS = 10_000;

/**
 * Options of {@link designTrial}.
 *
 * @example
 * ```ts
 * const options: DesignOptions = { treatments: ['magnesium', 'placebo'], blocks: 3,
 *   periodDays: 14, washoutDays: 3, maxConsecutive: 2, seed: 'patient-7' };
 * designTrial(options).periods.length; // 6
 * ```
 * @see Vohra et al. (2015), CENT 2015 reporting guideline for N-of-1 trials, BMJ 350:h1738.
 */
export interface DesignOptions {
  /** Treatment labels, 2 or more, unique and non-empty (e.g. `['magnesium', 'placebo']`). */
  treatments: readonly string[];
  /** Number of blocks; the trial has `treatments.length × blocks` periods. */
  blocks: number;
  /** Length of every period in days (integer ≥ 1). */
  periodDays: number;
  /**
   * Washout days at the start of each period (integer, smaller than `periodDays`). They are
   * part of the period (the new treatment is already given) but not analysed by default.
   * @defaultValue 0
   */
  washoutDays?: number;
  /**
   * Run-in days before the first period (integer ≥ 0): days 0 … runInDays − 1.
   * @defaultValue 0
   */
  runInDays?: number;
  /**
   * How periods are ordered:
   * - `'block'`: every block holds each treatment once, in an order drawn at random per block;
   * - `'complete'`: a uniformly random order of all periods with `blocks` periods per treatment;
   * - `'counterbalanced'`: blocks alternate an order and its reverse in ABBA/BAAB pairs
   *   (for two treatments AB BA BA AB …), the order's labels drawn at random;
   * - `'williams'`: each block is a row of a Williams design (first-order carryover balance),
   *   rows and labels drawn at random;
   * - `'fixed'`: every block holds the treatments in the order given.
   * @defaultValue 'block'
   */
  randomization?: Randomization;
  /**
   * No treatment runs more than this many periods in a row, counted across block boundaries.
   * Random schemes draw uniformly among the sequences that satisfy it; deterministic run
   * structures (`'counterbalanced'`, `'fixed'`) that break it are an error.
   * @defaultValue no limit
   */
  maxConsecutive?: number;
  /** Seed of the randomisation: the same options and seed give the same design everywhere. */
  seed: Seed;
  /**
   * ISO date (YYYY-MM-DD) of day 0; when given, every period also carries its calendar dates.
   * @defaultValue none
   */
  startDate?: string;
}

/**
 * Every key of {@link DesignOptions}, and the derived fields of a `TrialDesign` (`totalDays`,
 * `periods`: recomputed, so `designTrial(design)` re-creates a design). Any other key (a
 * misspelt `washotDays`) is refused.
 */
const DESIGN_OPTION_KEYS = [
  'treatments',
  'blocks',
  'periodDays',
  'washoutDays',
  'runInDays',
  'randomization',
  'maxConsecutive',
  'seed',
  'startDate',
  'totalDays',
  'periods',
] as const;

/**
 * {@link DesignOptions} with every default filled in and every value checked.
 *
 * @example
 * ```ts
 * // designTrial resolves its options to these before it designs:
 * designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, seed: 1 }).randomization; // 'block'
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4.
 */
export interface ResolvedDesignOptions {
  readonly treatments: readonly string[];
  readonly blocks: number;
  readonly periodDays: number;
  readonly washoutDays: number;
  readonly runInDays: number;
  readonly randomization: Randomization;
  readonly maxConsecutive: number | undefined;
  readonly seed: Seed;
  readonly startDate: string | undefined;
}

/**
 * Fills the defaults of {@link DesignOptions} and validates every field (but not whether
 * `maxConsecutive` can be met, which depends on the scheme: {@link designTrial} checks that).
 *
 * @param options - the options as given by the caller
 * @param fn - the public function name used in error messages
 * @returns the resolved options
 * @throws ValidationError naming the field and value at fault
 * @example
 * ```ts
 * resolveDesignOptions({ treatments: ['A', 'B'], blocks: 3, periodDays: 7, seed: 1 }).washoutDays; // 0
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials: A User's Guide,
 * AHRQ 2014, ch. 4.
 */
export function resolveDesignOptions(options: DesignOptions, fn = 'designTrial'): ResolvedDesignOptions {
  const o = plainObject(fn, 'options', options);
  knownKeys(fn, 'options', o, DESIGN_OPTION_KEYS);
  const treatments = uniqueLabels(fn, 'treatments', o.treatments, 2);
  if (treatments.length > MAX_DESIGN_TREATMENTS) {
    fail(fn, 'treatments', `must hold at most ${MAX_DESIGN_TREATMENTS} labels`, o.treatments);
  }
  const blocks = integer(fn, 'blocks', o.blocks, 1);
  if (treatments.length * blocks > MAX_DESIGN_PERIODS) {
    fail(fn, 'blocks', `must keep treatments × blocks at most ${MAX_DESIGN_PERIODS}`, o.blocks);
  }
  const periodDays = integer(fn, 'periodDays', o.periodDays, 1);
  const washoutDays = o.washoutDays === undefined ? 0 : integer(fn, 'washoutDays', o.washoutDays, 0);
  if (washoutDays >= periodDays) {
    fail(fn, 'washoutDays', `must be shorter than periodDays (${periodDays})`, o.washoutDays);
  }
  const runInDays = o.runInDays === undefined ? 0 : integer(fn, 'runInDays', o.runInDays, 0);
  const randomization = o.randomization === undefined ? 'block' : oneOf(fn, 'randomization', o.randomization, DESIGN_RANDOMIZATIONS);
  const maxConsecutive = o.maxConsecutive === undefined ? undefined : integer(fn, 'maxConsecutive', o.maxConsecutive, 1);
  if (o.seed === undefined) fail(fn, 'seed', 'is required (a string or a finite number)', o.seed);
  const seed = seedGuard(fn, 'seed', o.seed);
  const startDate = o.startDate === undefined ? undefined : isoDate(fn, 'startDate', o.startDate);
  const totalDays = runInDays + treatments.length * blocks * periodDays;
  if (!Number.isSafeInteger(totalDays)) fail(fn, 'periodDays', 'gives a trial too long to count in days', o.periodDays);
  if (startDate !== undefined && !fitsCalendar(startDate, totalDays)) {
    fail(fn, 'startDate', 'must leave the whole trial before year 10000', o.startDate);
  }
  return { treatments, blocks, periodDays, washoutDays, runInDays, randomization, maxConsecutive, seed, startDate };
}
