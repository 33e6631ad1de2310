/**
 * `designTrial`: N-of-1 crossover designs as plain data.
 *
 * @packageDocumentation
 */
import { createRng } from '../rng/rng.js';
import { fail } from '../validate.js';
import { addDays } from './dates.js';
import { type DesignOptions, type ResolvedDesignOptions, resolveDesignOptions } from './options.js';
import {
  blockSequence,
  completeSequence,
  counterbalancedSequence,
  fixedSequence,
  longestRun,
  williamsSequence,
} from './sequence.js';
import type { TrialDesign, TrialPeriod } from './types.js';

/**
 * Designs an N-of-1 crossover trial: `treatments.length × blocks` periods of `periodDays` days
 * after `runInDays` days of run-in, ordered by the chosen randomisation, deterministic in `seed`.
 *
 * Day numbers count from 0 at trial start, ends inclusive: period i covers
 * [runInDays + i·periodDays, runInDays + (i+1)·periodDays − 1]; its first `washoutDays` days are
 * washout (`washoutEndDay = startDay + washoutDays − 1`, i.e. `startDay − 1` without washout).
 * The design records its seed and every option, so `designTrial(design)` re-creates it.
 *
 * Schemes: `'block'` (default; each block holds every treatment once, order drawn per block),
 * `'complete'` (a uniform random order of all periods with equal counts), `'counterbalanced'`
 * (ABBA/BAAB pairs; for more treatments an order and its reverse), `'williams'` (blocks are rows
 * of a Williams design: first-order carryover balance, exact when `blocks` is a multiple of k
 * for even k or of 2k for odd k), `'fixed'` (the order given). `maxConsecutive` caps runs of one
 * treatment across block boundaries; random schemes draw uniformly among the sequences that
 * satisfy it.
 *
 * @param options - see {@link DesignOptions}
 * @returns the design, plain JSON-serialisable data
 * @throws ValidationError (code `'E_INVALID_ARGUMENT'`) for fewer than 2 or duplicate
 * treatments, `blocks` < 1, non-integer or zero `periodDays`, washout not shorter than the
 * period, an impossible `maxConsecutive`, an invalid `startDate`
 * @example
 * ```ts
 * const design = designTrial({
 *   treatments: ['magnesium', 'sleep regularity', 'placebo'],
 *   blocks: 2, periodDays: 14, seed: 'patient-42', startDate: '2026-01-05',
 * });
 * design.periods.length;   // 6
 * design.totalDays;        // 84
 * design.periods[1].startDay; // 14
 * ```
 * @see Kravitz & Duan (eds.), Design and Implementation of N-of-1 Trials: A User's Guide, AHRQ
 * 2014, ch. 4 (blocks, randomisation vs counterbalancing, washout, run-in).
 * @see Williams, E. J. (1949), Australian Journal of Scientific Research A 2, 149–168.
 */
export function designTrial(options: DesignOptions): TrialDesign {
  const o = resolveDesignOptions(options, 'designTrial');
  const order = sequenceFor(o);
  return buildDesign(o, order);
}

/**
 * `designTrial` on options resolved once, with another seed: the same design as
 * `designTrial({ ...options, seed })`, without validating the options again (the simulator
 * randomises every replicate afresh). @internal
 */
export function designWithSeed(o: ResolvedDesignOptions, seed: string): TrialDesign {
  const r = { ...o, seed };
  return buildDesign(r, sequenceFor(r));
}

function sequenceFor(o: ResolvedDesignOptions): number[] {
  const k = o.treatments.length;
  const m = o.maxConsecutive;
  const rng = createRng(o.seed).fork(`designTrial:${o.randomization}`);
  let seq: number[];
  switch (o.randomization) {
    case 'block':
      return blockSequence(k, o.blocks, m, rng);
    case 'complete':
      return completeSequence(k, o.blocks, m, rng);
    case 'williams':
      return williamsSequence(k, o.blocks, m, rng);
    case 'counterbalanced':
      seq = counterbalancedSequence(k, o.blocks, rng);
      break;
    case 'fixed':
      seq = fixedSequence(k, o.blocks);
      break;
  }
  if (m !== undefined) {
    const run = longestRun(seq);
    if (run > m) {
      fail(
        'designTrial',
        'maxConsecutive',
        `cannot be met by '${o.randomization}' ordering with ${k} treatments × ${o.blocks} blocks (it has runs of ${run})`,
        m,
      );
    }
  }
  return seq;
}

/** Builds the plain-data design from resolved options and a sequence of treatment indices. */
export function buildDesign(o: ResolvedDesignOptions, order: readonly number[]): TrialDesign {
  const k = o.treatments.length;
  const periods: TrialPeriod[] = order.map((t, index) => {
    const startDay = o.runInDays + index * o.periodDays;
    const endDay = startDay + o.periodDays - 1;
    const period: TrialPeriod = {
      index,
      block: Math.floor(index / k),
      treatment: o.treatments[t] as string,
      startDay,
      endDay,
      washoutEndDay: startDay + o.washoutDays - 1,
    };
    if (o.startDate === undefined) return period;
    return { ...period, startDate: addDays(o.startDate, startDay), endDate: addDays(o.startDate, endDay) };
  });
  const design: TrialDesign = {
    treatments: [...o.treatments],
    randomization: o.randomization,
    seed: o.seed,
    periodDays: o.periodDays,
    washoutDays: o.washoutDays,
    runInDays: o.runInDays,
    totalDays: o.runInDays + periods.length * o.periodDays,
    periods,
    blocks: o.blocks,
    ...(o.maxConsecutive === undefined ? {} : { maxConsecutive: o.maxConsecutive }),
    ...(o.startDate === undefined ? {} : { startDate: o.startDate }),
  };
  return design;
}
