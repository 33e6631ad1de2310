/**
 * Internal helpers: reading a prior as a flat list of conjugate components, and turning log
 * weights into normalised weights without NaN.
 *
 * @packageDocumentation
 */
import type { Dist, DistOf } from '../distributions/index.js';
import { validateDist } from '../distributions/index.js';
import { fail } from '../validate.js';

/** The families n1kit updates conjugately. */
export type ConjugateFamily = 'normal' | 'beta' | 'gamma';

/** The likelihood each conjugate family belongs to (for error messages). */
export const LIKELIHOOD_OF: Readonly<Record<ConjugateFamily, string>> = {
  normal: 'a normal likelihood',
  beta: 'a binomial likelihood',
  gamma: 'a Poisson likelihood',
};

/** A prior read as a flat list of components of one family. */
export interface FlatPrior<F extends ConjugateFamily> {
  /** log of each component's weight (weights normalised to sum to 1). */
  readonly logWeights: number[];
  /** The components. */
  readonly dists: DistOf<F>[];
  /** True when the prior was given as a mixture (the result then stays a mixture). */
  readonly isMixture: boolean;
}

function ok(v: unknown, pos: boolean): boolean {
  return typeof v === 'number' && Number.isFinite(v) && (!pos || v > 0);
}

/** Validates a single (non-mixture) component quickly, without allocating. */
export function quickLeaf(d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  switch (o.family) {
    case 'normal':
      return ok(o.mean, false) && ok(o.sd, true);
    case 'beta':
      return ok(o.alpha, true) && ok(o.beta, true);
    case 'gamma':
      return ok(o.shape, true) && ok(o.rate, true);
    default:
      return false;
  }
}

/**
 * Reads `prior` as components of `family`, flattening nested mixtures (their weights
 * multiply). Throws a ValidationError naming the offending component when a component has
 * another family or bad parameters.
 */
export function flatPrior<F extends ConjugateFamily>(
  fn: string,
  prior: unknown,
  family: F,
  field = 'prior',
): FlatPrior<F> {
  // Fast path: one valid component of the right family.
  if (quickLeaf(prior) && (prior as Dist).family === family) {
    return { logWeights: [0], dists: [prior as DistOf<F>], isMixture: false };
  }
  // Fast path: a flat mixture of valid components of the right family with valid weights.
  const flat = quickFlatMixture(prior, family);
  if (flat !== undefined) return flat as unknown as FlatPrior<F>;
  const d = validateDist(prior, fn, field);
  const logWeights: number[] = [];
  const dists: DistOf<F>[] = [];
  const walk = (x: Dist, logW: number, path: string): void => {
    if (x.family === 'mixture') {
      x.components.forEach((c, i) => {
        walk(c.dist, logW + Math.log(c.weight), `${path}.components[${i}].dist`);
      });
      return;
    }
    if (x.family !== family) {
      fail(
        fn,
        `${path}.family`,
        `must be '${family}' (or a mixture of '${family}' components) for ${LIKELIHOOD_OF[family]}`,
        x.family,
      );
    }
    logWeights.push(logW);
    dists.push(x as DistOf<F>);
  };
  walk(d, 0, field);
  return { logWeights, dists, isMixture: d.family === 'mixture' };
}

/** A flat mixture checked without copying, or undefined when the full validation is needed. */
function quickFlatMixture(prior: unknown, family: ConjugateFamily): FlatPrior<ConjugateFamily> | undefined {
  if (typeof prior !== 'object' || prior === null) return undefined;
  const o = prior as { family?: unknown; components?: unknown };
  if (o.family !== 'mixture' || !Array.isArray(o.components) || o.components.length === 0) return undefined;
  const cs = o.components as { weight?: unknown; dist?: unknown }[];
  const logWeights = new Array<number>(cs.length);
  const dists = new Array<Dist>(cs.length);
  let total = 0;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (typeof c !== 'object' || c === null) return undefined;
    const w = c.weight;
    if (typeof w !== 'number' || !(w > 0 && w <= 1)) return undefined;
    if (!quickLeaf(c.dist) || (c.dist as Dist).family !== family) return undefined;
    total += w;
    logWeights[i] = Math.log(w);
    dists[i] = c.dist as Dist;
  }
  if (!(Math.abs(total - 1) <= 1e-9)) return undefined;
  if (total !== 1) {
    const lt = Math.log(total);
    for (let i = 0; i < logWeights.length; i++) logWeights[i] = (logWeights[i] as number) - lt;
  }
  return { logWeights, dists: dists as DistOf<ConjugateFamily>[], isMixture: true };
}

/**
 * The family of a prior's components (all must share one conjugate family).
 * @throws ValidationError when the prior mixes families or uses a non-conjugate family
 */
export function conjugateFamilyOf(fn: string, prior: unknown, field = 'prior'): ConjugateFamily {
  const d = validateDist(prior, fn, field);
  let first: Dist = d;
  while (first.family === 'mixture') first = (first.components[0] as { dist: Dist }).dist;
  const fam = first.family;
  if (fam !== 'normal' && fam !== 'beta' && fam !== 'gamma') {
    fail(fn, `${field}.family`, "must be 'normal', 'beta' or 'gamma' (or a mixture of one of them)", fam);
  }
  flatPrior(fn, d, fam, field); // checks that every component has this family
  return fam;
}

/**
 * Normalises log weights into weights summing to 1 (log-sum-exp). A weight that underflows is
 * floored at the smallest positive double so that every component stays present and the
 * mixture stays valid. When every log weight is −∞ (the data are astronomically far from
 * every component), `fallback` (larger is better) decides: the best components share the
 * weight equally.
 */
export function normaliseLogWeights(logW: readonly number[], fallback?: readonly number[]): number[] {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of logW) if (x > m) m = x;
  if (m === Number.NEGATIVE_INFINITY || Number.isNaN(m)) {
    const score = fallback ?? logW.map(() => 0);
    let best = Number.NEGATIVE_INFINITY;
    for (const s of score) if (s > best) best = s;
    const mask = score.map((s) => s === best);
    const count = mask.filter(Boolean).length;
    return mask.map((b) => (b ? 1 / count : Number.MIN_VALUE));
  }
  let s = 0;
  for (const x of logW) s += Math.exp(x - m);
  // exp(x − m)/s rather than exp(x − lse): no rounding of a large lse, so Σ w = 1 to ~k ulps.
  return logW.map((x) => Math.max(Math.exp(x - m) / s, Number.MIN_VALUE));
}

/** Builds a mixture (without re-validation) from weights and components. */
export function buildMixture(weights: readonly number[], dists: readonly Dist[]): DistOf<'mixture'> {
  return {
    family: 'mixture',
    components: dists.map((dist, i) => ({ weight: weights[i] as number, dist })),
  };
}

/** √(a² + b²): plain sqrt when the squares neither overflow nor underflow (Math.hypot is slow). */
export function hypot2(a: number, b: number): number {
  const s = a * a + b * b;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(a, b);
}
