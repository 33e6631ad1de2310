/**
 * A population prior that learns: the LFM's prior for each candidate, mixed with the
 * predictive of the pooled private releases of earlier patients, weighted by how well each
 * explains those releases.
 *
 * @packageDocumentation
 */
import type { Dist, MixtureComponent } from '../distributions/dist.js';
import { halfNormal, validateDist } from '../distributions/dist.js';
import { mean as distMean, variance as distVariance } from '../distributions/functions.js';
import { ProviderError } from '../errors.js';
import { type PooledPrior, poolPrivateReleases, poolReleaseGroups } from '../population/pool.js';
import { type PoolInput, type ReleaseGroup, groupReleases, readGroups, readRelease } from '../population/releases.js';
import { fail, integer, nonEmptyString, plainObject, probability } from '../validate.js';
import { validatePopulationPrior, validatePriorRequest } from './request.js';
import type { ElicitOptions, PopulationPrior, PriorProvider, PriorRequest } from './types.js';

/** The releases of one candidate: individual releases or their additive groups. */
export type LearnedPriorData = { readonly releases: readonly PoolInput[] } | { readonly groups: readonly ReleaseGroup[] };

/** Options of {@link learnedEffectPrior}. */
export interface LearnedEffectPriorOptions {
  /**
   * Prior of the population mean μ in the pooling model (normal or normal mixture).
   * @defaultValue the LFM's prior itself (its best guess of the population's effect)
   */
  readonly meanPrior?: Dist;
  /**
   * Prior of the between-patient sd τ.
   * @defaultValue halfNormal(sd of the LFM's prior)
   */
  readonly heterogeneity?: Dist;
  /** Prior probability that the LFM's prior, unchanged, is the population's distribution. @defaultValue 0.5 */
  readonly baseWeight?: number;
  /** Most components of the pooled predictive (per μ-prior component). @defaultValue 32 */
  readonly components?: number;
}

/** Result of {@link learnedEffectPrior}. */
export interface LearnedEffectPrior {
  /** The prior for the next patient: w·LFM + (1 − w)·pooled predictive (a normal mixture). */
  readonly prior: Dist;
  /** Posterior weights of the two population models given the releases. */
  readonly weights: { readonly base: number; readonly pooled: number };
  /** log p(releases | pooled random-effects model) − log p(releases | LFM prior as population). */
  readonly logBayesFactor: number;
  /** The pooling result (μ, τ, predictive). */
  readonly pooled: PooledPrior;
}

const LOG_2PI = Math.log(2 * Math.PI);

function normalComponents(fn: string, field: string, d: Dist, w: number, out: { w: number; m: number; v: number }[]): void {
  if (d.family === 'normal') out.push({ w, m: d.mean, v: d.sd * d.sd });
  else if (d.family === 'mixture') for (const c of d.components) normalComponents(fn, field, c.dist, w * c.weight, out);
  else fail(fn, field, 'must be a normal or a mixture of normals', d.family);
}

function flatten(d: Dist, w: number, out: MixtureComponent[]): void {
  if (d.family === 'mixture') for (const c of d.components) flatten(c.dist, w * c.weight, out);
  else out.push({ weight: w, dist: d });
}

/** log p(y | θ_i ~ base independently), from releases (exact) or groups (exact for a normal base). */
function baseLogEvidence(fn: string, base: Dist, data: LearnedPriorData): number {
  const comps: { w: number; m: number; v: number }[] = [];
  normalComponents(fn, 'base', base, 1, comps);
  const g = 'groups' in data ? readGroups(fn, data.groups) : groupReleases(fn, data.releases);
  if (comps.length > 1 && 'releases' in data) {
    // Exact: one log-sum-exp per release.
    let total = 0;
    const terms = new Float64Array(comps.length);
    for (const r of data.releases) {
      const { value: y, sd: sdTot } = readRelease(fn, 'releases[]', r);
      for (let k = 0; k < comps.length; k++) {
        const c = comps[k] as { w: number; m: number; v: number };
        const v = c.v + sdTot * sdTot;
        terms[k] = Math.log(c.w) - 0.5 * (LOG_2PI + Math.log(v) + ((y - c.m) * (y - c.m)) / v);
      }
      let mx = Number.NEGATIVE_INFINITY;
      for (const t of terms) mx = Math.max(mx, t);
      let s = 0;
      for (const t of terms) s += Math.exp(t - mx);
      total += mx + Math.log(s);
    }
    return total;
  }
  // A normal base (or the moment-matched normal of a mixture, when only groups are known).
  const m = distMean(base);
  const vb = distVariance(base);
  let total = 0;
  for (let i = 0; i < g.size; i++) {
    const v = vb + (g.s2[i] as number);
    const n = g.count[i] as number;
    const d = (g.mean[i] as number) - m;
    total += -0.5 * (n * (LOG_2PI + Math.log(v)) + ((g.m2[i] as number) + n * d * d) / v);
  }
  return total;
}

/**
 * The next patient's prior for one candidate: the LFM's prior and the pooled predictive of the
 * earlier patients' releases, mixed by Bayesian model averaging. Two models of the population
 * compete for the releases: (1) the LFM's prior is the distribution of patients' effects
 * (θ_i ~ base, so y_i ~ base ⊗ N(0, s_i²)); (2) the random-effects model of
 * {@link poolPrivateReleases} with μ ~ `meanPrior`, τ ~ `heterogeneity`. With prior weight
 * `baseWeight` on (1), the posterior weights are proportional to prior weight × evidence, the
 * same rule by which `priorDataConflict` and `robustify`'s mixtures move weight to the
 * component the data favour (Schmidli et al. 2014). Under (1) a new patient's prior is the LFM's
 * prior; under (2) it is the pooled predictive; the mixture is the model-averaged predictive.
 * Few or LFM-consistent releases keep the LFM's prior (the simpler model wins on evidence); a
 * population that contradicts the LFM moves the weight to the pooled predictive.
 *
 * The evidence of (1) is exact from individual releases; from groups it is exact for a normal
 * LFM prior and uses the prior's moment-matched normal for a mixture.
 *
 * @param base - the LFM's prior of the candidate's effect (normal or normal mixture)
 * @param data - `{ releases }` or `{ groups }` on the same scale as `base`
 * @param options - see {@link LearnedEffectPriorOptions}
 * @returns the mixed prior, the model weights, the log Bayes factor and the pooling result
 * @throws ValidationError for a non-normal base, bad releases or bad options
 * @example
 * ```ts
 * const lfm = normal(-1.7, 1.3);
 * const learned = learnedEffectPrior(lfm, { releases });
 * learned.weights; // e.g. { base: 0.02, pooled: 0.98 } when the releases say otherwise
 * ```
 * @see Hoeting, Madigan, Raftery & Volinsky (1999), Bayesian model averaging: a tutorial, Stat. Sci. 14(4).
 * @see Schmidli et al. (2014), Robust meta-analytic-predictive priors, Biometrics 70(4): 1023–1032.
 * @see Röver (2020), bayesmeta, JSS 93(6).
 */
export function learnedEffectPrior(base: Dist, data: LearnedPriorData, options: LearnedEffectPriorOptions = {}): LearnedEffectPrior {
  const fn = 'learnedEffectPrior';
  const b = validateDist(base, fn, 'base');
  normalComponents(fn, 'base', b, 1, []);
  const d = plainObject(fn, 'data', data);
  const o = plainObject(fn, 'options', options);
  const known = new Set(['meanPrior', 'heterogeneity', 'baseWeight', 'components']);
  for (const k of Object.keys(o)) if (!known.has(k)) fail(fn, `options.${k}`, 'is not an option', o[k]);
  const meanPrior = o.meanPrior === undefined ? b : validateDist(o.meanPrior, fn, 'options.meanPrior');
  const heterogeneity = o.heterogeneity === undefined ? halfNormal(Math.sqrt(distVariance(b))) : validateDist(o.heterogeneity, fn, 'options.heterogeneity');
  const pi = o.baseWeight === undefined ? 0.5 : probability(fn, 'options.baseWeight', o.baseWeight);
  const components = o.components === undefined ? 32 : integer(fn, 'options.components', o.components, 1, 1000);
  const priors = { mean: meanPrior, heterogeneity };
  let pooled: PooledPrior;
  let source: LearnedPriorData;
  if (d.groups !== undefined) {
    if (d.releases !== undefined) fail(fn, 'data', 'must give releases or groups, not both', Object.keys(d));
    source = { groups: d.groups as readonly ReleaseGroup[] };
    pooled = poolReleaseGroups({ groups: source.groups, priors, components });
  } else {
    source = { releases: d.releases as readonly PoolInput[] };
    pooled = poolPrivateReleases({ releases: source.releases, priors, components });
  }
  const l1 = baseLogEvidence(fn, b, source);
  const logBayesFactor = pooled.logEvidence - l1;
  let wBase: number;
  if (pi === 0) wBase = 0;
  else if (pi === 1) wBase = 1;
  else {
    const logOdds = Math.log(pi) - Math.log1p(-pi) - logBayesFactor;
    wBase = logOdds > 0 ? 1 / (1 + Math.exp(-logOdds)) : Math.exp(logOdds) / (1 + Math.exp(logOdds));
  }
  const raw: MixtureComponent[] = [];
  if (wBase > 1e-12) flatten(b, wBase, raw);
  if (1 - wBase > 1e-12) flatten(pooled.predictive, 1 - wBase, raw);
  const total = raw.reduce((s, c) => s + c.weight, 0);
  const comps = raw.map((c) => ({ weight: c.weight / total, dist: c.dist }));
  const prior: Dist = comps.length === 1 ? (comps[0] as MixtureComponent).dist : { family: 'mixture', components: comps };
  return { prior, weights: { base: wBase, pooled: 1 - wBase }, logBayesFactor, pooled };
}

/** Options of {@link learnedPriorProvider}. */
export interface LearnedPriorProviderOptions extends LearnedEffectPriorOptions {
  /** The LFM (or any provider) whose priors the releases refine. */
  readonly base: PriorProvider;
  /**
   * The releases pooled so far for a candidate (e.g. fetched from a population server); return
   * `undefined` (or no releases) to keep the base prior for it.
   */
  readonly releases: (
    candidate: string,
    request: PriorRequest,
  ) => LearnedPriorData | undefined | Promise<LearnedPriorData | undefined>;
  /** The provider's id. @defaultValue `learned(<base id>)` */
  readonly id?: string;
}

/**
 * A {@link PriorProvider} that starts every patient from the best available population
 * knowledge: it asks `base` (the LFM) and, for each candidate with releases, replaces the
 * base prior with {@link learnedEffectPrior}: the LFM's prior and the pooled predictive of the
 * private releases, mixed by their evidence. Plug it in wherever a provider is expected
 * (`startPersonalizationFrom`, `ensemblePriorProvider`, `cachedPriorProvider`).
 *
 * @param options - the base provider, the source of releases and the pooling options
 * @returns a provider with id `learned(<base id>)`
 * @throws ValidationError when `base` or `releases` is not usable; its `elicit` rejects with a
 *   `ProviderError` when the base fails or the releases cannot be pooled
 * @example
 * ```ts
 * const provider = learnedPriorProvider({
 *   base: staticPriorProvider(),
 *   releases: async (candidate) => ({ groups: await fetchGroups(candidate) }),
 * });
 * const plan = await startPersonalizationFrom({ provider, request: migrainePriorRequest(), betterIs: 'lower', seed: 'bob' });
 * ```
 * @see Hoeting et al. (1999), Bayesian model averaging: a tutorial, Stat. Sci. 14(4).
 * @see https://arxiv.org/abs/2601.03482 (population prior contribution under DP)
 */
export function learnedPriorProvider(options: LearnedPriorProviderOptions): PriorProvider {
  const fn = 'learnedPriorProvider';
  const o = plainObject(fn, 'options', options);
  const base = o.base as PriorProvider;
  if (typeof base !== 'object' || base === null || typeof base.elicit !== 'function' || typeof base.id !== 'string') {
    fail(fn, 'base', 'must be a PriorProvider ({ id, elicit })', base);
  }
  if (typeof o.releases !== 'function') fail(fn, 'releases', 'must be a function (candidate, request) => { releases } | { groups } | undefined', o.releases);
  const source = o.releases as LearnedPriorProviderOptions['releases'];
  const id = o.id === undefined ? `learned(${base.id})` : nonEmptyString(fn, 'id', o.id);
  const pass: LearnedEffectPriorOptions = {
    ...(o.meanPrior === undefined ? {} : { meanPrior: o.meanPrior as Dist }),
    ...(o.heterogeneity === undefined ? {} : { heterogeneity: o.heterogeneity as Dist }),
    ...(o.baseWeight === undefined ? {} : { baseWeight: o.baseWeight as number }),
    ...(o.components === undefined ? {} : { components: o.components as number }),
  };
  // Fail early on bad pooling options.
  learnedOptionsCheck(fn, pass);
  return {
    id,
    async elicit(req: PriorRequest, eo: ElicitOptions = {}): Promise<PopulationPrior> {
      const efn = `${id}.elicit`;
      const r = validatePriorRequest(req, efn);
      const basePrior = validatePopulationPrior(await base.elicit(r, eo), `${efn} (${base.id})`);
      const effects: Record<string, Dist> = {};
      for (const c of r.candidates) {
        if (eo.signal?.aborted) throw new ProviderError(`${efn}: cancelled`, { fn: efn, cause: eo.signal.reason });
        const prior = Object.hasOwn(basePrior.effects, c.id) ? basePrior.effects[c.id] : undefined;
        if (prior === undefined) throw new ProviderError(`${efn}: the base provider gave no prior for '${c.id}'`, { fn: efn });
        let data: LearnedPriorData | undefined;
        try {
          data = await source(c.id, r);
        } catch (e) {
          throw new ProviderError(`${efn}: fetching the releases of '${c.id}' failed: ${e instanceof Error ? e.message : String(e)}`, { fn: efn, cause: e });
        }
        const list = data === undefined ? [] : 'groups' in data ? data.groups : data.releases;
        if (data === undefined || !Array.isArray(list) || list.length === 0) {
          effects[c.id] = prior;
          continue;
        }
        try {
          effects[c.id] = learnedEffectPrior(prior, data, pass).prior;
        } catch (e) {
          throw new ProviderError(`${efn}: pooling the releases of '${c.id}' failed: ${e instanceof Error ? e.message : String(e)}`, { fn: efn, cause: e });
        }
      }
      return { effects, scale: basePrior.scale, source: { ...basePrior.source, provider: id } };
    },
  };
}

function learnedOptionsCheck(fn: string, o: LearnedEffectPriorOptions): void {
  if (o.meanPrior !== undefined) normalComponents(fn, 'meanPrior', validateDist(o.meanPrior, fn, 'meanPrior'), 1, []);
  if (o.heterogeneity !== undefined) validateDist(o.heterogeneity, fn, 'heterogeneity');
  if (o.baseWeight !== undefined) probability(fn, 'baseWeight', o.baseWeight);
  if (o.components !== undefined) integer(fn, 'components', o.components, 1, 1000);
}
