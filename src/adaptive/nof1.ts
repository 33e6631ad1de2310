import { addArgmaxShare } from '../bayes/argmax.js';
import { cdf } from '../distributions/index.js';
import { type Rng, type Seed, toRng } from '../rng/index.js';
import { fail, finite, integer, nonEmptyString, nonNegative, oneOf, plainObject } from '../validate.js';
import { applyControlsInPlace, checkFeasible, projectBounds, resolveControls } from './controls.js';

/**
 * The part of an `analyzeTrial` result (a `TrialAnalysis`) that
 * {@link adaptiveNof1} reads: each non-reference treatment's effect (treatment minus
 * reference, on the link scale) with its posterior mean and sd. Defined structurally so any
 * object with this shape works.
 */
export interface AdaptiveNof1Analysis {
  readonly effects: Readonly<Record<string, { readonly mean: number; readonly sd: number }>>;
}

/** Options of {@link adaptiveNof1}. */
export interface AdaptiveNof1Options {
  /** The patient's current posterior (e.g. from `analyzeTrial`). */
  analysis: AdaptiveNof1Analysis;
  /** The reference (control) arm; its effect is 0 by definition. */
  reference: string;
  /**
   * Arms to choose among.
   * @defaultValue the reference plus every key of `analysis.effects`
   */
  treatments?: readonly string[];
  /** Treatments of the periods so far, oldest first (for the crossover rule). @defaultValue [] */
  history?: readonly string[];
  /** Direction of benefit of the effects. @defaultValue 'higher' */
  betterIs?: 'higher' | 'lower';
  /** Allocation floor for every arm. @defaultValue 0.1 */
  minProbability?: number;
  /** Allocation cap. @defaultValue 1 */
  maxProbability?: number;
  /** Equal allocation while fewer than `burnIn` periods are in `history`. @defaultValue 0 */
  burnIn?: number;
  /**
   * Power c on P(best) (p^c / Σp^c), or `{ horizon }` for Thall & Wathen's c = t / (2N) with
   * t = `history.length` and N the planned number of periods.
   * @defaultValue 1
   */
  power?: number | { horizon: number };
  /**
   * No more than this many periods of one arm in a row: after `maxConsecutive` periods of
   * the same arm, that arm gets probability 0 for the next period.
   * @defaultValue 2
   */
  maxConsecutive?: number;
  /** Posterior draws for more than two arms (two arms use the closed form). @defaultValue 10000 */
  draws?: number;
  /** Generator or seed for the draws and the allocation. */
  rng: Rng | Seed;
}

/** What {@link adaptiveNof1} returns. */
export interface AdaptiveNof1Decision {
  /** The treatment for the next period. */
  readonly treatment: string;
  /** The probabilities it was drawn with (after the floor, cap and crossover rule). */
  readonly probabilities: Readonly<Record<string, number>>;
  /** Posterior probability that each arm is best, under the normal approximation. */
  readonly probBest: Readonly<Record<string, number>>;
  /** `'exact'` (two arms: Φ(mean/sd)) or `'monte-carlo'` (`draws` draws). */
  readonly method: 'exact' | 'monte-carlo';
  readonly draws?: number;
  /** The arm excluded by the max-consecutive rule, or null. */
  readonly excluded: string | null;
}

/**
 * Chooses the next period's treatment in an N-of-1 trial by Thompson sampling on the
 * patient's current posterior: each effect (vs the reference, whose effect is 0) is taken as
 * normal N(mean, sd²) — a normal approximation to the posterior `analyzeTrial` returns, exact
 * for the conjugate normal model and close for MCMC posteriors that are roughly normal — and
 * the allocation is P(arm is best): Φ(mean/sd) in closed form for two arms, Monte Carlo with
 * `draws` draws otherwise. With three or more arms the effects are drawn independently, since
 * the analysis carries only their marginal sd; effects estimated against the same reference
 * are usually positively correlated, so P(best) among the non-reference treatments is then an
 * approximation (the reported probabilities are still exactly the ones the arm is drawn
 * with). Then burn-in, power, floor and cap are applied (as in
 * `applyAllocationControls`, with t = periods so far), and an arm already given
 * `maxConsecutive` periods in a row is excluded so the trial keeps crossing over (the cap is
 * relaxed to 1/(k − 1) if it must be, e.g. two arms force a switch).
 *
 * @param options - analysis, reference, history, floor, crossover rule, rng
 * @returns the treatment and the probabilities it was drawn with
 * @throws ValidationError for unknown treatments in `history`, non-finite effects, a
 *   negative sd, or a floor/cap the arms cannot meet
 * @example
 * ```ts
 * const next = adaptiveNof1({
 *   analysis: { effects: { drug: { mean: 1.2, sd: 0.8 } } },
 *   reference: 'placebo', history: ['drug', 'placebo', 'drug'], rng: 'alice-period-4',
 * });
 * next.probBest.drug; // returns ~0.933 (= Φ(1.5))
 * ```
 * @see Senarathne, Overstall & McGree (2020), Bayesian adaptive N-of-1 trials for estimating population and individual treatment effects, arXiv 1911.00878.
 * @see Thall & Wathen (2007), Eur J Cancer 43(5) (allocation floors).
 */
export function adaptiveNof1(options: AdaptiveNof1Options): AdaptiveNof1Decision {
  const fn = 'adaptiveNof1';
  const o = plainObject(fn, 'options', options) as unknown as AdaptiveNof1Options;
  const analysis = plainObject(fn, 'analysis', o.analysis);
  const effects = plainObject(fn, 'analysis.effects', analysis.effects);
  const reference = nonEmptyString(fn, 'reference', o.reference);
  const arms =
    o.treatments === undefined
      ? [reference, ...Object.keys(effects).filter((k) => k !== reference)]
      : (() => {
          if (!Array.isArray(o.treatments)) fail(fn, 'treatments', 'must be an array of labels', o.treatments);
          const t = [...o.treatments];
          if (!t.includes(reference)) fail(fn, 'treatments', `must include the reference '${reference}'`, t);
          if (new Set(t).size !== t.length) fail(fn, 'treatments', 'must hold unique labels', t);
          return t;
        })();
  if (arms.length < 2) fail(fn, 'analysis.effects', 'must hold at least one non-reference treatment', effects);
  const sign = oneOf(fn, 'betterIs', o.betterIs ?? 'higher', ['higher', 'lower'] as const) === 'higher' ? 1 : -1;
  const k = arms.length;
  const m = new Float64Array(k);
  const s = new Float64Array(k);
  arms.forEach((a, i) => {
    if (a === reference) return;
    const e = effects[a];
    if (e === undefined) fail(fn, `analysis.effects.${a}`, 'must exist for every non-reference treatment', e);
    const eo = plainObject(fn, `analysis.effects.${a}`, e);
    m[i] = sign * finite(fn, `analysis.effects.${a}.mean`, eo.mean);
    s[i] = nonNegative(fn, `analysis.effects.${a}.sd`, eo.sd);
  });
  const history = o.history ?? [];
  if (!Array.isArray(history)) fail(fn, 'history', 'must be an array of treatment labels', history);
  history.forEach((h, i) => {
    if (!arms.includes(h)) fail(fn, `history[${i}]`, `must be one of ${arms.join(', ')}`, h);
  });
  const maxConsecutive = integer(fn, 'maxConsecutive', o.maxConsecutive ?? 2, 1);
  const controls = resolveControls(fn, {
    minProbability: o.minProbability ?? 0.1,
    maxProbability: o.maxProbability ?? 1,
    ...(o.burnIn === undefined ? {} : { burnIn: o.burnIn }),
    ...(o.power === undefined ? {} : { power: o.power }),
  });
  checkFeasible(fn, controls, k);
  const draws = integer(fn, 'draws', o.draws ?? 10_000, 1, 1e7);
  const rng = toRng(fn, 'rng', o.rng);

  const pBest = new Float64Array(k);
  let method: 'exact' | 'monte-carlo' = 'exact';
  if (k === 2) {
    const j = arms[0] === reference ? 1 : 0;
    const pj =
      s[j]! > 0 ? cdf({ family: 'normal', mean: 0, sd: 1 }, m[j]! / s[j]!) : m[j]! > 0 ? 1 : m[j]! < 0 ? 0 : 0.5;
    pBest[j] = pj;
    pBest[1 - j] = 1 - pj;
  } else {
    method = 'monte-carlo';
    // arg-max shares, ties (arms without uncertainty at the same mean) split equally
    const row = new Float64Array(k);
    for (let t = 0; t < draws; t++) {
      for (let i = 0; i < k; i++) row[i] = s[i]! > 0 ? m[i]! + s[i]! * rng.normal() : m[i]!;
      addArgmaxShare(row, 0, 1, k, 1, pBest);
    }
    for (let i = 0; i < k; i++) pBest[i] = pBest[i]! / draws;
  }

  let excluded: string | null = null;
  if (history.length >= maxConsecutive) {
    const last = history[history.length - 1]!;
    let run = true;
    for (let i = history.length - maxConsecutive; i < history.length; i++) if (history[i] !== last) run = false;
    if (run) excluded = last;
  }
  const probabilities: Record<string, number> = {};
  // Burn-in, power, floor and cap (t = periods so far), then the crossover rule.
  const p = applyControlsInPlace(Float64Array.from(pBest), controls, history.length);
  if (excluded === null) {
    arms.forEach((a, i) => {
      probabilities[a] = p[i]!;
    });
  } else {
    const keep = arms.map((_, i) => i).filter((i) => arms[i] !== excluded);
    const q = Float64Array.from(keep, (i) => p[i]!);
    let t = 0;
    for (const v of q) t += v;
    if (t > 0) for (let j = 0; j < q.length; j++) q[j] = q[j]! / t;
    else q.fill(1 / q.length);
    projectBounds(q, controls.minProbability, Math.max(controls.maxProbability, 1 / keep.length));
    for (const a of arms) probabilities[a] = 0;
    keep.forEach((i, j) => {
      probabilities[arms[i]!] = q[j]!;
    });
  }
  const u = rng.uniform();
  let acc = 0;
  let treatment = arms[k - 1]!;
  for (const a of arms) {
    acc += probabilities[a]!;
    if (u < acc) {
      treatment = a;
      break;
    }
  }
  if (probabilities[treatment] === 0) treatment = arms.find((a) => probabilities[a]! > 0)!;
  const probBest: Record<string, number> = {};
  arms.forEach((a, i) => {
    probBest[a] = pBest[i]!;
  });
  const out: AdaptiveNof1Decision = { treatment, probabilities, probBest, method, excluded };
  return method === 'monte-carlo' ? { ...out, draws } : out;
}
