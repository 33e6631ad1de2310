import { ValidationError, formatValue } from '../errors.js';
import { fail, finite, nameArg, positive } from '../validate.js';

/** One component of a mixture: a weight in (0, 1] and a distribution. */
export interface MixtureComponent {
  readonly weight: number;
  readonly dist: Dist;
}

/**
 * A probability distribution as plain, JSON-serialisable data, tagged by `family`.
 * Functions such as {@link pdf}, {@link cdf} and {@link sample} act on it.
 */
export type Dist =
  | { readonly family: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly family: 'studentT'; readonly df: number; readonly location: number; readonly scale: number }
  | { readonly family: 'beta'; readonly alpha: number; readonly beta: number }
  | { readonly family: 'gamma'; readonly shape: number; readonly rate: number }
  | { readonly family: 'invGamma'; readonly shape: number; readonly scale: number }
  | { readonly family: 'halfNormal'; readonly scale: number }
  | { readonly family: 'uniform'; readonly min: number; readonly max: number }
  | { readonly family: 'mixture'; readonly components: readonly MixtureComponent[] };

/** The family tags of {@link Dist}. */
export type DistFamily = Dist['family'];

/** The distribution of one family, e.g. `DistOf<'normal'>`. */
export type DistOf<F extends DistFamily> = Extract<Dist, { family: F }>;

/** All family tags. */
export const DIST_FAMILIES: readonly DistFamily[] = [
  'normal',
  'studentT',
  'beta',
  'gamma',
  'invGamma',
  'halfNormal',
  'uniform',
  'mixture',
];

/** Tolerance on Σ weights = 1 accepted from outside data (JSON, LLM answers). */
const WEIGHT_SUM_TOLERANCE = 1e-9;

/**
 * A normal distribution.
 * @param mean - the mean (finite)
 * @param sd - the standard deviation (> 0)
 * @throws ValidationError for a non-finite mean or a non-positive sd
 * @example
 * ```ts
 * cdf(normal(0, 1), 1.96); // returns ~0.975
 * ```
 */
export function normal(mean: number, sd: number): DistOf<'normal'> {
  return {
    family: 'normal',
    mean: finite('normal', 'mean', mean),
    sd: positive('normal', 'sd', sd),
  };
}

/**
 * A location–scale Student-t distribution.
 * @param df - degrees of freedom (> 0)
 * @param location - location (finite), default 0
 * @param scale - scale (> 0), default 1
 */
export function studentT(df: number, location = 0, scale = 1): DistOf<'studentT'> {
  return {
    family: 'studentT',
    df: positive('studentT', 'df', df),
    location: finite('studentT', 'location', location),
    scale: positive('studentT', 'scale', scale),
  };
}

/**
 * A beta distribution on (0, 1).
 * @example
 * ```ts
 * mean(beta(2, 3)); // returns 0.4
 * ```
 */
export function beta(alpha: number, betaParam: number): DistOf<'beta'> {
  return {
    family: 'beta',
    alpha: positive('beta', 'alpha', alpha),
    beta: positive('beta', 'beta', betaParam),
  };
}

/** A gamma distribution with `shape` and `rate` (mean shape / rate). */
export function gamma(shape: number, rate: number): DistOf<'gamma'> {
  return {
    family: 'gamma',
    shape: positive('gamma', 'shape', shape),
    rate: positive('gamma', 'rate', rate),
  };
}

/** An inverse-gamma distribution: X ~ InvGamma(shape, scale) ⇔ 1/X ~ Gamma(shape, rate = scale). */
export function invGamma(shape: number, scale: number): DistOf<'invGamma'> {
  return {
    family: 'invGamma',
    shape: positive('invGamma', 'shape', shape),
    scale: positive('invGamma', 'scale', scale),
  };
}

/** A half-normal distribution on [0, ∞): |Z|·scale with Z standard normal. */
export function halfNormal(scale: number): DistOf<'halfNormal'> {
  return { family: 'halfNormal', scale: positive('halfNormal', 'scale', scale) };
}

/** A continuous uniform distribution on [min, max]. */
export function uniform(min: number, max: number): DistOf<'uniform'> {
  finite('uniform', 'min', min);
  finite('uniform', 'max', max);
  if (!(max > min)) fail('uniform', 'max', `must be greater than min (${min})`, max);
  return { family: 'uniform', min, max };
}

/**
 * A finite mixture Σ wₖ pₖ. Weights must be positive and sum to 1 (within 1e-9; they are then
 * renormalised exactly). Components may be any {@link Dist}.
 *
 * @param components - `{ weight, dist }` objects or `[weight, dist]` pairs
 * @throws ValidationError when the weights are not a distribution or a component is invalid
 * @example
 * ```ts
 * const prior = mixture([[0.8, normal(-2, 1)], [0.2, normal(0, 10)]]);
 * mean(prior); // returns -1.6
 * ```
 */
export function mixture(
  components: readonly (MixtureComponent | readonly [number, Dist])[],
): DistOf<'mixture'> {
  if (!Array.isArray(components) || components.length === 0) {
    fail('mixture', 'components', 'must be a non-empty array', components);
  }
  const comps = components.map((c) =>
    Array.isArray(c) ? { weight: c[0] as number, dist: c[1] as Dist } : (c as MixtureComponent),
  );
  return validateDist({ family: 'mixture', components: comps }, 'mixture', '') as DistOf<'mixture'>;
}

/**
 * Checks a distribution that comes from outside (JSON, a provider, user input) and returns a
 * normalised copy (mixture weights rescaled to sum exactly to 1).
 *
 * @param d - the candidate distribution
 * @param fnName - the public function to name in errors
 * @param fieldName - the field path to name in errors (`''` for top-level fields)
 * @throws ValidationError naming the field at fault (unknown family, bad parameter, weights
 *   that are not a distribution)
 */
export function validateDist(d: unknown, fnName = 'validateDist', fieldName = 'dist'): Dist {
  // Names only ever go into messages: anything but a string falls back to the defaults.
  const fn = nameArg(fnName, 'validateDist');
  const field = nameArg(fieldName, 'dist', true);
  if (typeof d !== 'object' || d === null || Array.isArray(d)) fail(fn, field, 'must be a distribution object', d);
  const o = d as Record<string, unknown>;
  const f = field === '' ? '' : `${field}.`;
  switch (o.family) {
    case 'normal':
      return { family: 'normal', mean: finite(fn, `${f}mean`, o.mean), sd: positive(fn, `${f}sd`, o.sd) };
    case 'studentT':
      return {
        family: 'studentT',
        df: positive(fn, `${f}df`, o.df),
        location: finite(fn, `${f}location`, o.location),
        scale: positive(fn, `${f}scale`, o.scale),
      };
    case 'beta':
      return { family: 'beta', alpha: positive(fn, `${f}alpha`, o.alpha), beta: positive(fn, `${f}beta`, o.beta) };
    case 'gamma':
      return { family: 'gamma', shape: positive(fn, `${f}shape`, o.shape), rate: positive(fn, `${f}rate`, o.rate) };
    case 'invGamma':
      return {
        family: 'invGamma',
        shape: positive(fn, `${f}shape`, o.shape),
        scale: positive(fn, `${f}scale`, o.scale),
      };
    case 'halfNormal':
      return { family: 'halfNormal', scale: positive(fn, `${f}scale`, o.scale) };
    case 'uniform': {
      const min = finite(fn, `${f}min`, o.min);
      const max = finite(fn, `${f}max`, o.max);
      if (!(max > min)) fail(fn, `${f}max`, `must be greater than min (${min})`, max);
      return { family: 'uniform', min, max };
    }
    case 'mixture': {
      const comps = o.components;
      if (!Array.isArray(comps) || comps.length === 0) fail(fn, `${f}components`, 'must be a non-empty array', comps);
      let total = 0;
      const out = comps.map((c: unknown, i: number) => {
        const cf = `${f}components[${i}]`;
        if (typeof c !== 'object' || c === null) fail(fn, cf, 'must be { weight, dist }', c);
        const cc = c as Record<string, unknown>;
        const w = cc.weight;
        if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0 || w > 1 + WEIGHT_SUM_TOLERANCE) {
          fail(fn, `${cf}.weight`, 'must be a number in (0, 1]', w);
        }
        total += w;
        return { weight: w, dist: validateDist(cc.dist, fn, `${cf}.dist`) };
      });
      if (Math.abs(total - 1) > WEIGHT_SUM_TOLERANCE) {
        throw new ValidationError(
          `${fn}: \`${f}components\` weights must sum to 1; got ${formatValue(total)}`,
          { fn, field: `${f}components`, value: total },
        );
      }
      return { family: 'mixture', components: out.map((c) => ({ weight: c.weight / total, dist: c.dist })) };
    }
    default:
      return fail(fn, `${f}family`, `must be one of ${DIST_FAMILIES.map((x) => `'${x}'`).join(', ')}`, o.family);
  }
}
