import type { Seed } from '../rng/rng.js';

/**
 * How periods are ordered; see `designTrial`.
 *
 * @example
 * ```ts
 * const r: Randomization = 'williams';
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4.
 */
export type Randomization = 'block' | 'complete' | 'counterbalanced' | 'williams' | 'fixed';

/**
 * One treatment period of an N-of-1 trial. Days count from 0 at trial start; ends are inclusive.
 *
 * @example
 * ```ts
 * const p: TrialPeriod = { index: 0, block: 0, treatment: 'placebo', startDay: 7, endDay: 20, washoutEndDay: 9 };
 * ```
 * @see {@link designTrial} (how the day numbers are laid out).
 */
export interface TrialPeriod {
  /** 0-based position of the period in the trial. */
  readonly index: number;
  /** 0-based block the period belongs to. */
  readonly block: number;
  /** The treatment label given during the period. */
  readonly treatment: string;
  /**
   * First day of the period: runInDays + index * periodDays for a planned design; for a
   * recorded design (`origin: 'recorded'`) the day after the previous period ends.
   */
  readonly startDay: number;
  /** Last day of the period (inclusive): startDay + periodDays − 1 for a planned design; as recorded otherwise. */
  readonly endDay: number;
  /**
   * Last washout day (inclusive): startDay + washoutDays − 1 (startDay − 1 when washoutDays is
   * 0); in a recorded period shorter than the washout, its endDay.
   */
  readonly washoutEndDay: number;
  /** ISO date (YYYY-MM-DD) of startDay, when the design has a startDate. */
  readonly startDate?: string;
  /** ISO date (YYYY-MM-DD) of endDay, when the design has a startDate. */
  readonly endDate?: string;
}

/**
 * An N-of-1 crossover design as plain, JSON-serialisable data. Run-in is [0, runInDays);
 * period i covers [runInDays + i·periodDays, runInDays + (i+1)·periodDays − 1], and its first
 * washoutDays days are washout.
 *
 * A design can also describe what was done rather than what was planned (`origin: 'recorded'`,
 * e.g. from {@link trialFromTable}): then the periods still follow one another without gap from
 * `runInDays` to `totalDays`, but each has its own length (an extended period, a period cut
 * short, a swapped or missing period); `periodDays` is the planned length, and each period's
 * `startDay` / `endDay` are authoritative.
 *
 * @example
 * ```ts
 * const design: TrialDesign = designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, seed: 1 });
 * validateDesign(JSON.parse(JSON.stringify(design))); // plain data: survives JSON
 * ```
 * @see Vohra et al. (2015), CENT 2015 reporting guideline for N-of-1 trials, BMJ 350:h1738.
 */
export interface TrialDesign {
  readonly treatments: readonly string[];
  readonly randomization: Randomization;
  readonly seed: Seed;
  readonly periodDays: number;
  readonly washoutDays: number;
  readonly runInDays: number;
  /** runInDays + periods.length · periodDays (planned); the last period's endDay + 1 (recorded). */
  readonly totalDays: number;
  readonly periods: readonly TrialPeriod[];
  /** Number of blocks (each block has one period per treatment). */
  readonly blocks?: number;
  /** The maxConsecutive option the design was made with, if any. */
  readonly maxConsecutive?: number;
  /** ISO date of day 0, if given. */
  readonly startDate?: string;
  /**
   * 'planned' (absent means planned): equal periods as {@link designTrial} makes them.
   * 'recorded': the periods as they happened (as treated), of unequal length; the scheme's
   * structure (`blocks`, one period per treatment per block, `maxConsecutive`) describes the
   * plan and is not checked against them.
   */
  readonly origin?: 'planned' | 'recorded';
}
