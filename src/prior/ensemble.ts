import type { Dist, MixtureComponent } from '../distributions/dist.js';
import { validateDist } from '../distributions/dist.js';
import { ProviderError, isN1kitError } from '../errors.js';
import { boolean, fail, plainObject } from '../validate.js';
import { validatePopulationPrior, validatePriorRequest } from './request.js';
import type { ElicitOptions, PopulationPrior, PriorProvider, PriorRequest } from './types.js';

function isProvider(p: unknown): p is PriorProvider {
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof (p as PriorProvider).id === 'string' &&
    typeof (p as PriorProvider).elicit === 'function'
  );
}

function components(d: Dist, w: number): MixtureComponent[] {
  if (d.family !== 'mixture') return [{ weight: w, dist: d }];
  return d.components.flatMap((c) => components(c.dist, w * c.weight));
}

/** Options of {@link ensemblePriorProvider}. */
export interface EnsembleOptions {
  /**
   * When true, providers that fail are left out (the others' weights renormalised) and the
   * ensemble fails only when all fail; cancellation always fails. When false, any failure fails
   * the ensemble.
   * @defaultValue false
   */
  readonly tolerateFailures?: boolean;
}

/**
 * A {@link PriorProvider} that asks several providers (in parallel) and combines their priors
 * into one mixture per candidate: p(θ) = Σ wⱼ pⱼ(θ), nested mixtures flattened. Useful to pool
 * a curated table with one or more LLMs (linear opinion pool).
 *
 * Every provider must answer on the same scale and for every candidate; if one fails, the
 * ensemble fails with a `ProviderError` naming it (its `status`, when it had one, is kept),
 * unless `tolerateFailures` is set (then `source.provider` names only those that answered).
 *
 * @param providers - at least one provider, with distinct ids
 * @param weights - one positive weight per provider (normalised); default equal weights
 * @param options - see {@link EnsembleOptions}
 * @returns a provider with id `ensemble(<id1>,<id2>,...)`
 * @throws ValidationError for no providers, duplicate ids, or bad weights
 * @example
 * ```ts
 * const llm = openAICompatiblePriorProvider({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen2.5-7b' });
 * const both = ensemblePriorProvider([staticPriorProvider(), llm], [0.5, 0.5]);
 * const prior = await both.elicit(migrainePriorRequest());
 * ```
 * @see Stone 1961, "The opinion pool" (Ann. Math. Statist. 32:1339); Capstick et al. 2024, arXiv 2411.17284 (mixtures of elicited priors)
 */
export function ensemblePriorProvider(
  providers: readonly PriorProvider[],
  weights?: readonly number[],
  options: EnsembleOptions = {},
): PriorProvider {
  const fn = 'ensemblePriorProvider';
  const opts = plainObject(fn, 'options', options);
  const tolerate = opts.tolerateFailures === undefined ? false : boolean(fn, 'options.tolerateFailures', opts.tolerateFailures);
  if (!Array.isArray(providers) || providers.length === 0) fail(fn, 'providers', 'must be a non-empty array', providers);
  const ids = new Set<string>();
  providers.forEach((p, i) => {
    if (!isProvider(p)) fail(fn, `providers[${i}]`, 'must be a PriorProvider ({ id, elicit })', p);
    if (ids.has(p.id)) fail(fn, `providers[${i}].id`, 'must be unique', p.id);
    ids.add(p.id);
  });
  let w: number[];
  if (weights === undefined) {
    w = providers.map(() => 1 / providers.length);
  } else {
    if (!Array.isArray(weights) || weights.length !== providers.length) {
      fail(fn, 'weights', `must be an array of ${providers.length} positive numbers`, weights);
    }
    weights.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) fail(fn, `weights[${i}]`, 'must be a finite number > 0', x);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    w = weights.map((x) => x / total);
  }
  const list = [...providers];
  const id = `ensemble(${list.map((p) => p.id).join(',')})`;
  return {
    id,
    async elicit(req: PriorRequest, o: ElicitOptions = {}): Promise<PopulationPrior> {
      const efn = `${id}.elicit`;
      const r = validatePriorRequest(req, efn);
      const settled = await Promise.allSettled(
        list.map(async (p) => {
          try {
            return validatePopulationPrior(await p.elicit(r, o), `${efn} (${p.id})`);
          } catch (e) {
            if (isN1kitError(e) && e.code === 'E_PROVIDER') {
              const status = (e as ProviderError).status;
              throw new ProviderError(`${efn}: provider '${p.id}' failed: ${e.message}`, {
                fn: efn,
                cause: e,
                ...(status === undefined ? {} : { status }),
              });
            }
            throw new ProviderError(`${efn}: provider '${p.id}' failed: ${e instanceof Error ? e.message : String(e)}`, {
              fn: efn,
              cause: e,
            });
          }
        }),
      );
      if (o.signal?.aborted) throw new ProviderError(`${efn}: cancelled`, { fn: efn, cause: o.signal.reason });
      const ok = settled.flatMap((r, j) => (r.status === 'fulfilled' ? [j] : []));
      const firstFailure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (firstFailure !== undefined && (!tolerate || ok.length === 0)) throw firstFailure.reason;
      const priors = ok.map((j) => (settled[j] as PromiseFulfilledResult<PopulationPrior>).value);
      const used = ok.map((j) => list[j]!);
      const wTotal = ok.reduce((a, j) => a + w[j]!, 0);
      const wUsed = ok.map((j) => w[j]! / wTotal);
      const scale = priors[0]!.scale;
      priors.forEach((p, j) => {
        if (p.scale !== scale) {
          throw new ProviderError(`${efn}: provider '${used[j]!.id}' answered on '${p.scale}', not '${scale}'`, { fn: efn });
        }
      });
      const effects: Record<string, Dist> = {};
      for (const c of r.candidates) {
        const comps: MixtureComponent[] = [];
        priors.forEach((p, j) => {
          const d = Object.hasOwn(p.effects, c.id) ? p.effects[c.id] : undefined;
          if (d === undefined) {
            throw new ProviderError(`${efn}: provider '${used[j]!.id}' gave no prior for '${c.id}'`, { fn: efn });
          }
          comps.push(...components(d, wUsed[j]!));
        });
        effects[c.id] = comps.length === 1 ? comps[0]!.dist : validateDist({ family: 'mixture', components: comps }, efn, `effects.${c.id}`);
      }
      const models = priors.map((p) => p.source.model).filter((m): m is string => m !== undefined);
      const samples = priors.reduce((a, p) => a + (p.source.samples ?? 1), 0);
      return {
        effects,
        scale,
        source: {
          provider: used.length === list.length ? id : `ensemble(${used.map((p) => p.id).join(',')})`,
          ...(models.length > 0 ? { model: models.join(',') } : {}),
          samples,
        },
      };
    },
  };
}
