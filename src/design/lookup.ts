/**
 * Day lookups on a design: which period and treatment a study day belongs to.
 *
 * @packageDocumentation
 */
import { fail, integer } from '../validate.js';
import type { TrialDesign, TrialPeriod } from './types.js';

function checkDesignShape(fn: string, design: TrialDesign): void {
  if (
    design === null ||
    typeof design !== 'object' ||
    !Array.isArray(design.periods) ||
    typeof design.periodDays !== 'number' ||
    typeof design.runInDays !== 'number'
  ) {
    fail(fn, 'design', 'must be a TrialDesign (see designTrial)', design);
  }
}

/**
 * The period a study day falls in (washout days included), or `undefined` for run-in days and
 * days before 0 or from `totalDays` on. Constant time for a planned design (periods tile the
 * days after run-in); a binary search over the periods for a recorded one (`origin: 'recorded'`).
 *
 * @param design - a design from {@link designTrial} (or checked by `validateDesign`)
 * @param day - a study day, an integer (day 0 is the first day of the trial)
 * @returns the period, or undefined outside all periods
 * @throws ValidationError when `day` is not an integer or `design` is not a design
 * @example
 * ```ts
 * const d = designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, runInDays: 3, seed: 1 });
 * periodOfDay(d, 2);        // undefined (run-in)
 * periodOfDay(d, 3)?.index; // 0
 * periodOfDay(d, 10)?.index; // 1
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4.
 */
export function periodOfDay(design: TrialDesign, day: number): TrialPeriod | undefined {
  checkDesignShape('periodOfDay', design);
  integer('periodOfDay', 'day', day);
  if (day < design.runInDays) return undefined;
  if (design.origin === 'recorded') {
    let lo = 0;
    let hi = design.periods.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = design.periods[mid] as TrialPeriod;
      if (day < p.startDay) hi = mid - 1;
      else if (day > p.endDay) lo = mid + 1;
      else return p;
    }
    return undefined;
  }
  const i = Math.floor((day - design.runInDays) / design.periodDays);
  return design.periods[i];
}

/**
 * The treatment given on a study day (washout days included: the new treatment is already
 * taken while the previous one washes out), or `undefined` outside all periods.
 *
 * @param design - a design from {@link designTrial}
 * @param day - a study day (integer)
 * @returns the treatment label, or undefined during run-in or outside the trial
 * @throws ValidationError when `day` is not an integer or `design` is not a design
 * @example
 * ```ts
 * const d = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, randomization: 'fixed', seed: 1 });
 * treatmentOnDay(d, 0);  // 'A'
 * treatmentOnDay(d, 7);  // 'B'
 * treatmentOnDay(d, 14); // undefined
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4.
 */
export function treatmentOnDay(design: TrialDesign, day: number): string | undefined {
  checkDesignShape('treatmentOnDay', design);
  integer('treatmentOnDay', 'day', day);
  return periodOfDay(design, day)?.treatment;
}

/**
 * True when a study day is a washout day (one of the first `washoutDays` days of its period).
 * Analyses drop these days unless told to include them.
 *
 * @param design - a design from {@link designTrial}
 * @param day - a study day (integer)
 * @returns whether the day is in a washout
 * @throws ValidationError when `day` is not an integer or `design` is not a design
 * @example
 * ```ts
 * const d = designTrial({ treatments: ['A', 'B'], blocks: 1, periodDays: 7, washoutDays: 2, seed: 1 });
 * isWashoutDay(d, 1); // true
 * isWashoutDay(d, 2); // false
 * isWashoutDay(d, 8); // true
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials, AHRQ 2014, ch. 4 (washout).
 */
export function isWashoutDay(design: TrialDesign, day: number): boolean {
  checkDesignShape('isWashoutDay', design);
  integer('isWashoutDay', 'day', day);
  const p = periodOfDay(design, day);
  return p !== undefined && day <= p.washoutEndDay;
}
