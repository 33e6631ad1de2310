import { probabilityOfBest } from '../bayes/index.js';
import type { Dist } from '../distributions/dist.js';
import { validateDist } from '../distributions/dist.js';
import { cdf, mean as distMean, quantile, sd as distSd } from '../distributions/functions.js';
import { validatePopulationPrior } from '../prior/request.js';
import type { PopulationPrior, PriorScale } from '../prior/types.js';
import type { Rng, Seed } from '../rng/rng.js';
import { toRng } from '../rng/rng.js';
import { fail, inRange, integer, oneOf, plainObject } from '../validate.js';

/** Options of {@link rankCandidates}. */
export interface RankCandidatesOptions {
  /** Whether a higher or a lower effect is better (migraine days: `'lower'`). */
  readonly betterIs: 'higher' | 'lower';
  /**
   * Random source for the Monte Carlo P(best) (an `Rng` or a seed). Required unless the answer
   * is exact (one candidate, or two normal priors).
   */
  readonly rng?: Rng | Seed;
  /** Monte Carlo draws. @defaultValue 20000 (standard error of each P(best) ≤ 0.0036) */
  readonly draws?: number;
  /** Credible level of each candidate's interval. @defaultValue 0.95 */
  readonly level?: number;
}

/** One candidate in a {@link CandidateRanking}. */
export interface RankedCandidate {
  readonly id: string;
  /** 1 for the most probable best. */
  readonly rank: number;
  /** Prior mean effect (treatment minus control, on the prior's scale). */
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  /** Central credible interval at `level`. */
  readonly interval: readonly [number, number];
  /** σ in the paper: the probability that this candidate is the best of the candidates. */
  readonly probBest: number;
  /** P(the candidate beats the control), i.e. P(effect < 0) when lower is better. */
  readonly probBetterThanControl: number;
}

/** The result of {@link rankCandidates}: plain data, candidates sorted by P(best), best first. */
export interface CandidateRanking {
  readonly betterIs: 'higher' | 'lower';
  readonly scale: PriorScale | undefined;
  /** `'exact'` for one candidate or two normals, otherwise `'monteCarlo'`. */
  readonly method: 'exact' | 'monteCarlo';
  /** Monte Carlo draws (absent when exact). */
  readonly draws?: number;
  readonly level: number;
  readonly candidates: readonly RankedCandidate[];
}

/**
 * Step 1 of the paper's pipeline: ranks candidate interventions by their population prior. For
 * each candidate: prior mean, sd, median, central interval, P(better than control) and σ =
 * P(being the best candidate), by Monte Carlo over the independent priors (exact for two
 * normals, via `probabilityOfBest`).
 *
 * The control itself is not a competitor for "best": effects are already relative to it, and
 * `probBetterThanControl` says how likely each candidate is to help at all.
 *
 * @param prior - a `PopulationPrior` or a record of effect `Dist`s (candidate → effect)
 * @param options - see {@link RankCandidatesOptions}
 * @returns the ranking, best first (ties keep the prior's order)
 * @throws ValidationError for an invalid prior (or one without a finite mean and sd, e.g. a
 *   Cauchy), a missing `rng` when Monte Carlo is needed, or
 *   bad options
 * @example
 * ```ts
 * const prior = await staticPriorProvider().elicit(migrainePriorRequest());
 * const ranking = rankCandidates(prior, { betterIs: 'lower', rng: createRng('alice') });
 * ranking.candidates.map((c) => [c.id, c.probBest]); // sleepRegularity ~0.33, magnesium ~0.30, ...
 * ```
 * @see https://arxiv.org/abs/2601.03482 (Step 1: ranked candidates with σ = P(optimal))
 */
export function rankCandidates(prior: PopulationPrior | Readonly<Record<string, Dist>>, options: RankCandidatesOptions): CandidateRanking {
  const fn = 'rankCandidates';
  const pIn = plainObject(fn, 'prior', prior);
  let effects: Record<string, Dist>;
  let scale: PriorScale | undefined;
  if (typeof pIn.effects === 'object' && pIn.effects !== null && typeof pIn.scale === 'string') {
    const p = validatePopulationPrior(prior, fn);
    effects = { ...p.effects };
    scale = p.scale;
  } else {
    const keys = Object.keys(pIn);
    if (keys.length === 0) fail(fn, 'prior', 'must hold at least one candidate', prior);
    effects = {};
    for (const k of keys) effects[k] = validateDist(pIn[k], fn, `prior.${k}`);
  }
  const o = plainObject(fn, 'options', options);
  const betterIs = oneOf(fn, 'options.betterIs', o.betterIs, ['higher', 'lower'] as const);
  const draws = o.draws === undefined ? 20000 : integer(fn, 'options.draws', o.draws, 100, 10_000_000);
  const level = o.level === undefined ? 0.95 : inRange(fn, 'options.level', o.level, 0.5, 0.999);
  const ids = Object.keys(effects);
  const dists = ids.map((id) => effects[id] as Dist);
  const exact = ids.length === 1 || (ids.length === 2 && dists.every((d) => d.family === 'normal'));
  let rng: Rng | undefined;
  if (!exact) {
    if (o.rng === undefined) fail(fn, 'options.rng', 'is required for more than two candidates or non-normal priors (an Rng or a seed)', o.rng);
    rng = toRng(fn, 'options.rng', o.rng as Rng | Seed);
  }
  const moments = ids.map((id, i) => finiteMoments(fn, id, dists[i] as Dist)); // checked before the Monte Carlo
  const pBest = probabilityOfBest(dists, { betterIs, draws, ...(rng === undefined ? {} : { rng }) });
  const a = (1 - level) / 2;
  const rows = ids.map((id, i) => {
    const d = dists[i] as Dist;
    const below = cdf(d, 0);
    const { mean, sd } = moments[i] as { mean: number; sd: number };
    return {
      id,
      mean,
      sd,
      median: quantile(d, 0.5),
      interval: [quantile(d, a), quantile(d, 1 - a)] as const,
      probBest: pBest[i] as number,
      probBetterThanControl: betterIs === 'lower' ? below : 1 - below,
      order: i,
    };
  });
  rows.sort((x, y) => y.probBest - x.probBest || x.order - y.order);
  return {
    betterIs,
    scale,
    method: exact ? 'exact' : 'monteCarlo',
    ...(exact ? {} : { draws }),
    level,
    candidates: rows.map(({ order: _order, ...r }, i) => ({ ...r, rank: i + 1 })),
  };
}

/** The mean and sd of a candidate's prior; both must be finite (a Cauchy prior has neither). */
function finiteMoments(fn: string, id: string, d: Dist): { mean: number; sd: number } {
  let mean = Number.NaN;
  let sd = Number.NaN;
  try {
    mean = distMean(d);
    sd = distSd(d);
  } catch {
    // undefined moment: reported below
  }
  if (!Number.isFinite(mean) || !Number.isFinite(sd)) {
    fail(fn, `prior.${id}`, 'must have a finite mean and sd (a studentT prior needs df > 2)', d);
  }
  return { mean, sd };
}
