/**
 * `designSummary`: counts and carryover balance of a design.
 *
 * @packageDocumentation
 */
import { longestRun } from './sequence.js';
import { validateDesign } from './validate-design.js';
import type { TrialDesign } from './types.js';

/**
 * What {@link designSummary} reports about a design.
 *
 * @example
 * ```ts
 * const s: DesignSummary = designSummary(designTrial({ treatments: ['A', 'B'], blocks: 2, periodDays: 7, seed: 1 }));
 * s.counts; // { A: 2, B: 2 }
 * ```
 * @see Williams, E. J. (1949), Australian Journal of Scientific Research A 2, 149–168.
 */
export interface DesignSummary {
  /** The treatments, in the design's order. */
  readonly treatments: readonly string[];
  /** Number of periods. */
  readonly periods: number;
  /** Number of blocks (periods / treatments for generated designs; last block + 1 for hand-made `'fixed'` ones). */
  readonly blocks: number;
  /** Trial length in days, run-in included. */
  readonly totalDays: number;
  /** Days per period that are analysed by default (periodDays − washoutDays; planned, for a recorded design). */
  readonly analysedDaysPerPeriod: number;
  /** Periods per treatment. */
  readonly counts: Readonly<Record<string, number>>;
  /** Analysed days per treatment (periods × analysed days per period; summed over the periods of a recorded design). */
  readonly analysedDays: Readonly<Record<string, number>>;
  /**
   * `carryover[a][b]`: how often treatment `b` directly follows treatment `a` in the whole
   * sequence (the patient lives the periods in one sequence, block boundaries included).
   */
  readonly carryover: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Like `carryover`, counting only neighbours within the same block. */
  readonly carryoverWithinBlocks: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * True when, within blocks, every treatment follows every other treatment equally often and
   * never itself (first-order carryover balance, as in a Williams design).
   */
  readonly carryoverBalanced: boolean;
  /** Longest run of one treatment in consecutive periods. */
  readonly longestRun: number;
}

function table(treatments: readonly string[]): Record<string, Record<string, number>> {
  return Object.fromEntries(treatments.map((a) => [a, Object.fromEntries(treatments.map((b) => [b, 0]))]));
}

/**
 * Summarises a design: periods and analysed days per treatment, and the carryover table (how
 * often each treatment follows each other), over the whole sequence and within blocks.
 *
 * @param design - a design (checked with {@link validateDesign} first)
 * @returns the summary, plain data
 * @throws ValidationError when `design` is not a valid design
 * @example
 * ```ts
 * const d = designTrial({ treatments: ['A', 'B', 'C', 'D'], blocks: 4, periodDays: 7,
 *   randomization: 'williams', seed: 7 });
 * const s = designSummary(d);
 * s.counts.A;              // 4
 * s.carryoverWithinBlocks.A.B; // 1
 * s.carryoverBalanced;     // true
 * ```
 * @see Williams, E. J. (1949), Australian Journal of Scientific Research A 2, 149–168
 * (first-order carryover balance).
 */
export function designSummary(design: TrialDesign): DesignSummary {
  const d = validateDesign(design, 'designSummary');
  const counts: Record<string, number> = Object.fromEntries(d.treatments.map((t) => [t, 0]));
  const carryover = table(d.treatments);
  const within = table(d.treatments);
  const seq = d.periods.map((p) => p.treatment);
  d.periods.forEach((p, i) => {
    counts[p.treatment] = (counts[p.treatment] as number) + 1;
    if (i === 0) return;
    const prev = d.periods[i - 1] as (typeof d.periods)[number];
    const row = carryover[prev.treatment] as Record<string, number>;
    row[p.treatment] = (row[p.treatment] as number) + 1;
    if (prev.block === p.block) {
      const w = within[prev.treatment] as Record<string, number>;
      w[p.treatment] = (w[p.treatment] as number) + 1;
    }
  });
  let balanced = true;
  let target: number | undefined;
  for (const a of d.treatments) {
    for (const b of d.treatments) {
      const c = (within[a] as Record<string, number>)[b] as number;
      if (a === b) {
        if (c !== 0) balanced = false;
      } else if (target === undefined) target = c;
      else if (c !== target) balanced = false;
    }
  }
  if (target === 0) balanced = false;
  const analysedDaysPerPeriod = d.periodDays - d.washoutDays;
  return {
    treatments: [...d.treatments],
    periods: d.periods.length,
    blocks: (d.periods[d.periods.length - 1] as (typeof d.periods)[number]).block + 1,
    totalDays: d.totalDays,
    analysedDaysPerPeriod,
    counts,
    analysedDays:
      d.origin === 'recorded'
        ? Object.fromEntries(d.treatments.map((t) => [t, d.periods.filter((p) => p.treatment === t).reduce((s, p) => s + p.endDay - p.washoutEndDay, 0)]))
        : Object.fromEntries(d.treatments.map((t) => [t, (counts[t] as number) * analysedDaysPerPeriod])),
    carryover,
    carryoverWithinBlocks: within,
    carryoverBalanced: balanced,
    longestRun: longestRun(seq),
  };
}
