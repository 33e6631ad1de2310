import type { Dist } from '../distributions/index.js';
import { cdfRaw } from '../distributions/index.js';
import { fail, integer, plainObject, knownKeys } from '../validate.js';
import {
  binomialUpdateCore,
  likelihoodOfData,
  normalUpdateCore,
  poissonUpdateCore,
  readBinomialData,
  readNormalData,
  readPoissonData,
  type UpdateResult,
} from './conjugate.js';
import { betaBinomialPredictive, type CountPredictive, countTails, gammaPoissonPredictive, normalPredictive } from './predictive.js';
import { upperTail } from './summarize.js';
import type { ConjugateData } from './types.js';

/** Options of {@link priorDataConflict}. */
export interface PriorDataConflictOptions {
  /**
   * Index (in the flattened list of mixture components) of the robust component whose
   * posterior weight is reported.
   * @defaultValue the last component, when the prior is a mixture of two or more components
   *   (where {@link robustify} puts it); none for a single-component prior
   */
  readonly robustComponent?: number;
}

/** The result of {@link priorDataConflict} (plain data). */
export interface PriorDataConflict {
  /** The observed statistic: ȳ, the number of successes or the total count. */
  readonly statistic: number;
  /** Prior-predictive P(T ≤ observed). */
  readonly lowerTail: number;
  /** Prior-predictive P(T ≥ observed). */
  readonly upperTail: number;
  /** Box's prior-predictive p-value, two-sided: min(1, 2·min(lowerTail, upperTail)). Small = conflict. */
  readonly pValue: number;
  /** The prior predictive distribution of the statistic. */
  readonly predictive: Dist | CountPredictive;
  /** The posterior (same as the matching update function returns). */
  readonly posterior: Dist;
  /** Posterior weight of each (flattened) prior component. */
  readonly posteriorWeights: readonly number[];
  /** For mixture priors: the robust component's prior and posterior weight. */
  readonly robustWeight?: { readonly index: number; readonly prior: number; readonly posterior: number };
}

/**
 * Checks whether observed data conflict with a prior.
 *
 * Reports Box's prior-predictive tail probability of the observed statistic (the mean ȳ for
 * normal data, the successes for binomial data, the total count for Poisson data) and, for a
 * mixture prior, how the weight of the robust component moves from prior to posterior: a
 * robust weight that grows towards 1 means the data overruled the informative part.
 *
 * For a single normal component the two-sided p-value equals Box's density-based p-value
 * P(p(T) ≤ p(t)); for mixtures and counts it is the equal-tail version. The p-value of a
 * robustified prior is diluted by its vague component (the check is of the whole mixture), so
 * check the informative prior itself for conflict and read the robust weight for how much the
 * posterior discounted it.
 *
 * @param prior - a normal, beta or gamma prior (or mixture) matching the data
 * @param data - `{ mean, n, sigma }`, `{ successes, trials }` or `{ total, exposure }`
 * @param options - `{ robustComponent? }`, see {@link PriorDataConflictOptions}
 * @returns a {@link PriorDataConflict}
 * @throws ValidationError for bad data, a prior family that does not match the data, or a
 *   robust component index out of range
 * @example
 * ```ts
 * const data = { mean: 1, n: 28, sigma: 2 };
 * priorDataConflict(normal(-3, 0.5), data).pValue; // ~1.75e-10: the data contradict the LFM prior
 * const robust = robustify(normal(-3, 0.5), { weight: 0.2, mean: 0, sigma: 2 });
 * priorDataConflict(robust, data).robustWeight;
 * // { index: 1, prior: 0.2, posterior: ~0.99999998 }: the vague component took over
 * ```
 * @see Box (1980), Sampling and Bayes' inference in scientific modelling and robustness,
 *   JRSS A 143(4): 383–430.
 * @see Evans & Moshonov (2006), Checking for prior-data conflict, Bayesian Analysis 1(4): 893–914.
 * @see Schmidli et al. (2014), Biometrics 70(4): 1023–1032 (robust mixture weights).
 */
export function priorDataConflict(
  prior: Dist,
  data: ConjugateData,
  options: PriorDataConflictOptions = {},
): PriorDataConflict {
  const fn = 'priorDataConflict';
  const o = plainObject(fn, 'options', options);
  knownKeys(fn, 'options', o, ['robustComponent']);
  const kind = likelihoodOfData(fn, data);
  let upd: UpdateResult;
  let pred: Dist | CountPredictive;
  let statistic: number;
  let lower: number;
  let upper: number;
  let priorWeights: number[];
  if (kind === 'normal') {
    const d = readNormalData(fn, data);
    if (d.n === 0) fail(fn, 'data.n', 'must be > 0 for a conflict check', d.n);
    upd = normalUpdateCore(fn, prior, d);
    pred = normalPredictive(fn, prior, d.n, d.sigma);
    statistic = d.mean;
    lower = cdfRaw(pred, d.mean);
    upper = upperTail(pred, d.mean);
    priorWeights = pred.family === 'mixture' ? pred.components.map((c) => c.weight) : [1];
  } else if (kind === 'binomial') {
    const d = readBinomialData(fn, data);
    if (d.trials === 0) fail(fn, 'data.trials', 'must be > 0 for a conflict check', d.trials);
    upd = binomialUpdateCore(fn, prior, d);
    const cp = betaBinomialPredictive(fn, prior, d.trials);
    pred = cp;
    statistic = d.successes;
    ({ lower, upper } = countTails(cp, d.successes));
    priorWeights = cp.components.map((c) => c.weight);
  } else {
    const d = readPoissonData(fn, data);
    upd = poissonUpdateCore(fn, prior, d);
    const cp = gammaPoissonPredictive(fn, prior, d.exposure);
    pred = cp;
    statistic = d.total;
    ({ lower, upper } = countTails(cp, d.total));
    priorWeights = cp.components.map((c) => c.weight);
  }
  const k = upd.weights.length;
  let robustIndex: number | undefined;
  if (o.robustComponent !== undefined) robustIndex = integer(fn, 'options.robustComponent', o.robustComponent, 0, k - 1);
  else if (k >= 2) robustIndex = k - 1;
  const base: PriorDataConflict = {
    statistic,
    lowerTail: lower,
    upperTail: upper,
    pValue: Math.min(1, 2 * Math.min(lower, upper)),
    predictive: pred,
    posterior: upd.posterior,
    posteriorWeights: upd.weights,
  };
  if (robustIndex === undefined) return base;
  return {
    ...base,
    robustWeight: {
      index: robustIndex,
      prior: priorWeights[robustIndex] as number,
      posterior: upd.weights[robustIndex] as number,
    },
  };
}
