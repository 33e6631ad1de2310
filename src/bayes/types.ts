/**
 * Data shapes taken by the Bayesian updates.
 *
 * @packageDocumentation
 */

/**
 * A normal-mean summary: the mean of `n` observations whose sampling sd `sigma` is known.
 * `n` may be fractional (an effective number of observations) and 0 (no data).
 */
export interface NormalMeanData {
  /** The observed mean ȳ. */
  readonly mean: number;
  /** The number of observations (≥ 0). */
  readonly n: number;
  /** The known sampling sd of one observation (> 0); the standard error is sigma/√n. */
  readonly sigma: number;
}

/** Binomial data: `successes` out of `trials`. */
export interface BinomialCountData {
  /** Number of successes, an integer in [0, trials]. */
  readonly successes: number;
  /** Number of trials, a non-negative integer. */
  readonly trials: number;
}

/** Poisson data: a `total` count observed over `exposure` units (e.g. days). */
export interface PoissonCountData {
  /** The total count, a non-negative integer. */
  readonly total: number;
  /** The exposure (> 0), in the units the rate is per. */
  readonly exposure: number;
}

/** Any of the data shapes the conjugate updates take. */
export type ConjugateData = NormalMeanData | BinomialCountData | PoissonCountData;

/** Direction of benefit for an outcome. */
export type BetterIs = 'higher' | 'lower';
