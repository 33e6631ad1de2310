import { fail } from '../validate.js';
import { validatePopulationPrior, validatePriorRequest } from './request.js';
import type { ElicitOptions, PopulationPrior, PriorProvider, PriorRequest } from './types.js';

/**
 * Storage for {@link cachedPriorProvider}. A `Map<string, PopulationPrior>` fits; so does an
 * async store (IndexedDB, a file, a key-value server) whose methods return promises.
 */
export interface PriorCache {
  get(key: string): PopulationPrior | undefined | Promise<PopulationPrior | undefined>;
  set(key: string, value: PopulationPrior): unknown;
}

/** JSON with object keys sorted, so equal requests give equal strings. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The cache key of a request for a provider: the provider id and the request as canonical JSON
 * (object keys sorted; candidate order kept, since it is part of the question).
 *
 * @param providerId - the provider's id
 * @param req - the request (validated)
 * @returns the key string
 * @throws ValidationError for a malformed request
 * @example
 * ```ts
 * priorCacheKey('static', migrainePriorRequest()); // '{"provider":"static","request":{...}}'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8785 (JSON canonicalisation, in spirit)
 */
export function priorCacheKey(providerId: string, req: PriorRequest): string {
  return canonicalJson({ provider: providerId, request: validatePriorRequest(req, 'priorCacheKey') });
}

function copyPrior(p: PopulationPrior): PopulationPrior {
  return JSON.parse(JSON.stringify(p)) as PopulationPrior;
}

/**
 * A {@link PriorProvider} that remembers answers: the same request (same provider, same
 * canonical JSON) is not paid for twice, and concurrent identical requests share one call.
 * Failures are not cached. Values are stored and returned as copies, so callers cannot corrupt
 * the cache by mutating a prior. Concurrent identical calls share the first caller's request, so
 * if that caller cancels its `signal`, the others see the cancellation too (and may retry).
 *
 * @param provider - the provider to wrap
 * @param cache - where to keep answers; default a new `Map` owned by this provider
 * @returns a provider with the wrapped provider's id
 * @throws ValidationError when `provider` or `cache` is not usable
 * @example
 * ```ts
 * const req = migrainePriorRequest();
 * const llm = cachedPriorProvider(openAICompatiblePriorProvider({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen2.5-7b' }));
 * await llm.elicit(req); // asks the server
 * await llm.elicit(req); // from the cache
 * ```
 * @see https://arxiv.org/abs/2411.17284 (AutoElicit: elicitation is the costly step)
 */
export function cachedPriorProvider(provider: PriorProvider, cache: PriorCache = new Map<string, PopulationPrior>()): PriorProvider {
  const fn = 'cachedPriorProvider';
  if (typeof provider !== 'object' || provider === null || typeof provider.elicit !== 'function' || typeof provider.id !== 'string') {
    fail(fn, 'provider', 'must be a PriorProvider ({ id, elicit })', provider);
  }
  if (typeof cache !== 'object' || cache === null || typeof cache.get !== 'function' || typeof cache.set !== 'function') {
    fail(fn, 'cache', 'must have get(key) and set(key, value)', cache);
  }
  const pending = new Map<string, Promise<PopulationPrior>>();
  return {
    id: provider.id,
    async elicit(req: PriorRequest, o: ElicitOptions = {}): Promise<PopulationPrior> {
      const key = priorCacheKey(provider.id, req);
      const hit = await cache.get(key);
      if (hit !== undefined) return copyPrior(validatePopulationPrior(hit, `${provider.id}.elicit (cache)`));
      let p = pending.get(key);
      if (p === undefined) {
        p = (async () => {
          const prior = validatePopulationPrior(await provider.elicit(req, o), `${provider.id}.elicit`);
          await cache.set(key, copyPrior(prior));
          return prior;
        })();
        pending.set(key, p);
        p.then(
          () => pending.delete(key),
          () => pending.delete(key),
        );
      }
      return copyPrior(await p);
    },
  };
}
