import type { Dist } from '../distributions/index.js';
import { mean as distMean, validateDist } from '../distributions/index.js';
import { fail, finite, plainObject, positive, probability, knownKeys } from '../validate.js';
import { buildMixture, conjugateFamilyOf } from './components.js';

/** Options of {@link robustify}. */
export interface RobustifyOptions {
  /** Prior weight of the added weakly informative component, in [0, 1]; 0.2 is common. */
  readonly weight: number;
  /**
   * Mean of the robust component.
   * @defaultValue the prior mean for normal and gamma priors (set it explicitly, e.g. to the
   *   null effect 0, as RBesT recommends); 1/2 for beta priors
   */
  readonly mean?: number;
  /**
   * Number of observations the robust component is worth. Beta priors use n + 1, as RBesT
   * does, so that the default is the uniform Beta(1, 1) rather than the strict
   * unit-information Beta(1/2, 1/2) (its ELIR effective sample size is then n + 1).
   * @defaultValue 1 (a unit-information prior)
   */
  readonly n?: number;
  /**
   * Sampling sd of one observation, needed for normal priors: the robust component is
   * N(mean, sigma/√n). Ignored for beta and gamma priors.
   */
  readonly sigma?: number;
}

/**
 * Adds a weakly informative component to a prior: (1 − w)·prior + w·vague, so that data which
 * contradict the prior can overrule it (the posterior weight moves to the vague component).
 *
 * The vague component follows RBesT: normal priors get the unit-information prior
 * N(mean, sigma/√n); beta priors get Beta(mean·(n + 1), (1 − mean)·(n + 1)), which is the
 * uniform Beta(1, 1) for the defaults mean = 1/2, n = 1; gamma priors (Poisson rates) get
 * Gamma(mean·n, rate n), worth n units of exposure (when mean·n < 1 that component's density
 * is unbounded at 0 and the mixture's ELIR effective sample size is infinite:
 * {@link effectiveSampleSize} then asks for `method: 'moment'` or `'morita'`). A mixture prior keeps its components,
 * their weights scaled by 1 − w, and the robust component is appended last (so
 * {@link priorDataConflict} finds it). Weight 0 returns the (validated) prior unchanged;
 * weight 1 returns a one-component mixture of the vague component.
 *
 * @param prior - a normal, beta or gamma prior, or a mixture of one of these families
 * @param options - `{ weight, mean?, n?, sigma? }`, see {@link RobustifyOptions}
 * @returns a mixture with the robust component last
 * @throws ValidationError for a weight outside [0, 1], a normal prior without `sigma`, a mean
 *   outside the family's support, a non-positive `n`, or a non-conjugate prior family
 * @example
 * ```ts
 * const lfm = normal(-3, 0.5); // an LFM's (over-confident) prior on the effect
 * robustify(lfm, { weight: 0.2, mean: 0, sigma: 2 });
 * // returns mixture([[0.8, normal(-3, 0.5)], [0.2, normal(0, 2)]])
 * ```
 * @see Schmidli et al. (2014), Robust meta-analytic-predictive priors in clinical trials with
 *   historical control information, Biometrics 70(4): 1023–1032.
 * @see RBesT `robustify` (Weber et al. 2021, Journal of Statistical Software 100(19)).
 */
export function robustify(prior: Dist, options: RobustifyOptions): Dist {
  const fn = 'robustify';
  const o = plainObject(fn, 'options', options);
  knownKeys(fn, 'options', o, ['weight', 'mean', 'n', 'sigma']);
  const w = probability(fn, 'options.weight', o.weight);
  const family = conjugateFamilyOf(fn, prior);
  const p = validateDist(prior, fn, 'prior');
  const n = o.n === undefined ? 1 : positive(fn, 'options.n', o.n);
  let robust: Dist;
  switch (family) {
    case 'normal': {
      if (o.sigma === undefined) {
        fail(fn, 'options.sigma', 'is required for a normal prior (the robust component is N(mean, sigma/√n))', o.sigma);
      }
      const sigma = positive(fn, 'options.sigma', o.sigma);
      const m = o.mean === undefined ? distMean(p) : finite(fn, 'options.mean', o.mean);
      robust = { family: 'normal', mean: m, sd: sigma / Math.sqrt(n) };
      break;
    }
    case 'beta': {
      const m = o.mean === undefined ? 0.5 : probability(fn, 'options.mean', o.mean, true);
      robust = { family: 'beta', alpha: m * (n + 1), beta: (1 - m) * (n + 1) };
      break;
    }
    default: {
      const m = o.mean === undefined ? distMean(p) : positive(fn, 'options.mean', o.mean);
      robust = { family: 'gamma', shape: m * n, rate: n };
      break;
    }
  }
  if (w === 0) return p;
  if (w === 1) return buildMixture([1], [robust]);
  const comps = p.family === 'mixture' ? p.components : [{ weight: 1, dist: p }];
  return buildMixture(
    [...comps.map((c) => c.weight * (1 - w)), w],
    [...comps.map((c) => c.dist), robust],
  );
}
