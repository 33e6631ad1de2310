import { fail, integer, nonEmptyString, plainObject, probability } from '../validate.js';
import type { CandidateRanking, RankedCandidate } from './rank.js';

/** Options of {@link planValidation}. */
export interface PlanValidationOptions {
  /**
   * τ: a candidate with P(best) ≥ `include` is plausible enough to earn a trial arm (the paper's
   * "σ > τ triggers validation").
   * @defaultValue 0.2
   */
  readonly include?: number;
  /**
   * A candidate with P(best) ≥ `confident` is adopted without a trial (and, later, a trial stops
   * early when one arm reaches it).
   * @defaultValue 0.9
   */
  readonly confident?: number;
  /** At most this many candidates (the control not counted) go into the trial. @defaultValue 2 */
  readonly maxArms?: number;
  /** The control arm of the trial. @defaultValue 'placebo' */
  readonly control?: string;
}

/** The decision of {@link planValidation}: plain data. */
export interface ValidationDecision {
  /** `'adopt'`: follow the leader without a trial; `'trial'`: validate `candidates` in an N-of-1 trial. */
  readonly action: 'adopt' | 'trial';
  /** The candidate with the highest P(best). */
  readonly leader: string;
  readonly leaderProbBest: number;
  /** Candidates to test (empty when adopting), highest P(best) first. */
  readonly candidates: readonly string[];
  /** Trial arms: `candidates` then the control (empty when adopting). */
  readonly arms: readonly string[];
  readonly control: string;
  readonly include: number;
  readonly confident: number;
  readonly maxArms: number;
  /** The decision in plain words. */
  readonly reason: string;
}

const pct = (p: number): string => `${(100 * p).toFixed(0)}%`;

/**
 * Decides what to validate (the bridge between the paper's steps 1 and 2). When some candidate
 * already has P(best) ≥ `confident`, adopt it. Otherwise the plausible candidates, those with
 * P(best) ≥ `include` (at most `maxArms`, highest first; the leader alone when none qualifies),
 * go into an N-of-1 trial against the `control`.
 *
 * The paper is ambiguous about σ: it calls σ an "uncertainty estimate" yet defines it as "the
 * probability of being the optimal treatment", and triggers validation "when σ exceeds τ". Read
 * literally, a *more* promising candidate triggers validation. n1kit reads both sides: σ ≥ τ
 * (`include`) makes a candidate worth testing, and the trial is needed because uncertainty is
 * high, i.e. no candidate has σ ≥ `confident`. In the paper's migraine case magnesium (σ = 0.30)
 * and sleep regularity (σ = 0.32) both pass τ = 0.2 and no candidate is confident, so both are
 * tested against placebo.
 *
 * @param ranking - the output of `rankCandidates`
 * @param options - see {@link PlanValidationOptions}
 * @returns the decision
 * @throws ValidationError for an empty ranking, thresholds outside (0, 1), `include` above
 *   `confident`, a `maxArms` below 1, or a control that is also a candidate
 * @example
 * ```ts
 * const prior = await staticPriorProvider().elicit(migrainePriorRequest());
 * const ranking = rankCandidates(prior, { betterIs: 'lower', rng: 'alice' });
 * const decision = planValidation(ranking, { include: 0.2, confident: 0.9, maxArms: 2, control: 'placebo' });
 * decision.arms; // ['sleepRegularity', 'magnesium', 'placebo']
 * ```
 * @see https://arxiv.org/abs/2601.03482 (Step 1: "when σ exceeds τ, N-of-1 validation is triggered")
 */
export function planValidation(ranking: CandidateRanking, options: PlanValidationOptions = {}): ValidationDecision {
  const fn = 'planValidation';
  const r = plainObject(fn, 'ranking', ranking);
  if (!Array.isArray(r.candidates) || r.candidates.length === 0) fail(fn, 'ranking.candidates', 'must be a non-empty array', r.candidates);
  const cands = (r.candidates as RankedCandidate[]).map((c, i) => {
    plainObject(fn, `ranking.candidates[${i}]`, c);
    nonEmptyString(fn, `ranking.candidates[${i}].id`, c.id);
    probability(fn, `ranking.candidates[${i}].probBest`, c.probBest);
    return c;
  });
  const sorted = [...cands].sort((a, b) => b.probBest - a.probBest);
  const o = plainObject(fn, 'options', options);
  const include = o.include === undefined ? 0.2 : probability(fn, 'options.include', o.include, true);
  const confident = o.confident === undefined ? 0.9 : probability(fn, 'options.confident', o.confident, true);
  if (include > confident) fail(fn, 'options.include', `must not exceed confident (${confident})`, include);
  const maxArms = o.maxArms === undefined ? 2 : integer(fn, 'options.maxArms', o.maxArms, 1, 7);
  const control = o.control === undefined ? 'placebo' : nonEmptyString(fn, 'options.control', o.control);
  if (cands.some((c) => c.id === control)) fail(fn, 'options.control', 'must not be one of the ranked candidates', control);
  const leader = sorted[0] as RankedCandidate;
  const base = { leader: leader.id, leaderProbBest: leader.probBest, control, include, confident, maxArms };
  if (leader.probBest >= confident) {
    return {
      ...base,
      action: 'adopt',
      candidates: [],
      arms: [],
      reason: `${leader.id} is the best candidate with probability ${pct(leader.probBest)} (at least ${pct(confident)}): adopt it; no trial is needed.`,
    };
  }
  const plausible = sorted.filter((c) => c.probBest >= include).slice(0, maxArms);
  const chosen = plausible.length > 0 ? plausible : [leader];
  const list = chosen.map((c) => `${c.id} (${pct(c.probBest)})`).join(', ');
  const reason =
    plausible.length > 0
      ? `No candidate is confidently best (leader ${leader.id} at ${pct(leader.probBest)}, below ${pct(confident)}); ` +
        `test ${list} against ${control} in an N-of-1 trial.`
      : `No candidate is confidently best and none reaches ${pct(include)}; test the leader ${list} against ${control}.`;
  return {
    ...base,
    action: 'trial',
    candidates: chosen.map((c) => c.id),
    arms: [...chosen.map((c) => c.id), control],
    reason,
  };
}
