/**
 * The OpenAI-compatible prior provider: options and the elicitation loop. The prompt, the
 * parsing of answers and the HTTP details live beside it in `openai/prompt.ts`,
 * `openai/parse.ts` and `openai/http.ts`.
 *
 * @packageDocumentation
 */
import { robustify } from '../bayes/index.js';
import type { Dist } from '../distributions/dist.js';
import { validateDist } from '../distributions/dist.js';
import { sd as distSd } from '../distributions/functions.js';
import { ProviderError } from '../errors.js';
import { denseArray, fail, integer, knownKeys, nonEmptyString, oneOf, ownValue, plainObject, positive, probability, setOwn } from '../validate.js';
import { BodyTooLarge, type FetchLike, isRedirect, makeRedactor, readCapped } from './openai/http.js';
import { type ElicitedEffect, parseCompletion, parseElicitedEffects } from './openai/parse.js';
import { answerSchema, elicitationMessages } from './openai/prompt.js';
import { scaleForFamily, validatePriorRequest } from './request.js';
import type { ElicitOptions, PopulationPrior, PriorProvider, PriorRequest } from './types.js';

export type { FetchLike } from './openai/http.js';
export type { ElicitedEffect } from './openai/parse.js';
export { parseElicitedEffects } from './openai/parse.js';
export { elicitationMessages } from './openai/prompt.js';

/** Options of {@link openAICompatiblePriorProvider}. */
export interface OpenAICompatibleOptions {
  /** Base URL of the server, up to and including `/v1` (e.g. `'http://127.0.0.1:8080/v1'`). */
  readonly baseUrl: string;
  /** Model name sent in every request. */
  readonly model: string;
  /** Bearer token; sent only in the `Authorization` header, never logged or echoed. @defaultValue none */
  readonly apiKey?: string;
  /** Answers to draw, each with a different phrasing of the question (AutoElicit). @defaultValue 3 */
  readonly samples?: number;
  /** Sampling temperature. @defaultValue 0.7 */
  readonly temperature?: number;
  /** Time limit for one HTTP request, body included, in ms. @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** Retries per answer after a 429, 408, 5xx, network error, timeout or unusable answer. @defaultValue 2 */
  readonly maxRetries?: number;
  /** First backoff delay (doubled at each retry; `Retry-After` wins when larger). @defaultValue 500 */
  readonly retryDelayMs?: number;
  /** Upper bound on any single backoff delay. @defaultValue 10000 */
  readonly maxRetryDelayMs?: number;
  /** The fetch implementation. @defaultValue `globalThis.fetch` */
  readonly fetch?: FetchLike;
  /**
   * Allow-list of patient feature names that may be sent; others (and embeddings) never leave.
   * The patient's own `outcome.baseline` (a number from their diary) is patient data too: it is
   * sent only when the list names `'baseline'`.
   * @defaultValue []
   */
  readonly features?: readonly string[];
  /** Factor on every elicited sd (LLM priors are over-confident); 1 leaves them. @defaultValue 1.5 */
  readonly sdInflation?: number;
  /** Weight of the robust (vague) component added per candidate; 0 adds none. @defaultValue 0.2 */
  readonly robustWeight?: number;
  /**
   * Sd of the robust component N(0, robustSd) added by `robustify` (centred on "no effect").
   * @defaultValue twice the sd of the candidate's inflated mixture, so it is wider than the prior
   */
  readonly robustSd?: number;
  /** `'auto'` asks under a strict JSON schema and falls back to `json_object` when the server rejects it. @defaultValue 'auto' */
  readonly responseFormat?: 'auto' | 'json_schema' | 'json_object';
  /** `max_tokens` sent with each request. @defaultValue 1024 */
  readonly maxTokens?: number;
  /** Base seed sent to servers that support it (answer i gets seed + i). @defaultValue not sent */
  readonly seed?: number;
  /**
   * Largest answer body read, in bytes after decompression (at most 64 MiB); a larger answer
   * is cut off and refused with a `ProviderError`, so a hostile server cannot exhaust memory.
   * @defaultValue 4194304 (4 MiB)
   */
  readonly maxResponseBytes?: number;
  /** Provider id. @defaultValue `'openai:<model>'` */
  readonly id?: string;
}

interface Resolved {
  url: string;
  safeUrl: string;
  model: string;
  apiKey: string | undefined;
  samples: number;
  temperature: number;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  fetch: FetchLike;
  features: readonly string[];
  sdInflation: number;
  robustWeight: number;
  robustSd: number | undefined;
  responseFormat: 'auto' | 'json_schema' | 'json_object';
  maxTokens: number;
  seed: number | undefined;
  maxResponseBytes: number;
  id: string;
}

const OPTION_KEYS = [
  'baseUrl',
  'model',
  'apiKey',
  'samples',
  'temperature',
  'timeoutMs',
  'maxRetries',
  'retryDelayMs',
  'maxRetryDelayMs',
  'fetch',
  'features',
  'sdInflation',
  'robustWeight',
  'robustSd',
  'responseFormat',
  'maxTokens',
  'seed',
  'maxResponseBytes',
  'id',
] as const;

/** Hard upper bound of `maxResponseBytes` (64 MiB). */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const FN = 'openAICompatiblePriorProvider';

/** setTimeout's largest delay (2³¹ − 1 ms, about 24.8 days); a larger one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

function timerMs(field: string, ms: number): number {
  if (ms > MAX_TIMER_MS) fail(FN, field, `must be at most ${MAX_TIMER_MS} ms (setTimeout's limit)`, ms);
  return ms;
}

function resolveOptions(o: OpenAICompatibleOptions): Resolved {
  plainObject(FN, 'options', o);
  knownKeys(FN, 'options', o, OPTION_KEYS);
  const base = nonEmptyString(FN, 'baseUrl', o.baseUrl);
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    return fail(FN, 'baseUrl', 'must be an absolute http(s) URL', base);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail(FN, 'baseUrl', 'must be an absolute http(s) URL', base);
  if (parsed.username !== '' || parsed.password !== '') {
    // fetch refuses such URLs and its error would quote the password: refuse them here, unquoted.
    fail(FN, 'baseUrl', 'must not hold credentials (user:password@); pass a token as apiKey', `${parsed.protocol}//[redacted]@${parsed.host}`);
  }
  // The path gets /chat/completions; a query (e.g. Azure's ?api-version=) is kept after it.
  const target = new URL(parsed.href);
  target.pathname = `${target.pathname.replace(/\/+$/, '')}/chat/completions`;
  target.hash = '';
  const url = target.href;
  const model = nonEmptyString(FN, 'model', o.model);
  // Never echo the key, not even a bad one. Header-unsafe characters would make fetch throw an
  // error quoting the whole Authorization header, so they are refused here.
  if (o.apiKey !== undefined && (typeof o.apiKey !== 'string' || !/^[\x21-\x7e]+$/.test(o.apiKey))) {
    fail(FN, 'apiKey', 'must be a non-empty string of visible ASCII characters (no spaces or line breaks) when given', '[redacted]');
  }
  const f = o.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof f !== 'function') fail(FN, 'fetch', 'must be a function (no global fetch here)', f);
  const features = o.features ?? [];
  if (!Array.isArray(features)) fail(FN, 'features', 'must be an array of feature names', features);
  denseArray(FN, 'features', features, 0, 10_000);
  features.forEach((x: unknown, i: number) => {
    nonEmptyString(FN, `features[${i}]`, x);
  });
  const robustWeight = o.robustWeight === undefined ? 0.2 : probability(FN, 'robustWeight', o.robustWeight);
  if (robustWeight >= 1) fail(FN, 'robustWeight', 'must be in [0, 1)', robustWeight);
  const temperature = o.temperature === undefined ? 0.7 : Number(o.temperature);
  if (o.temperature !== undefined && (typeof o.temperature !== 'number' || !(o.temperature >= 0) || o.temperature > 2)) {
    fail(FN, 'temperature', 'must be a number in [0, 2]', o.temperature);
  }
  let seed: number | undefined;
  if (o.seed !== undefined) seed = integer(FN, 'seed', o.seed, 0);
  return {
    url,
    safeUrl: `${target.origin}${target.pathname}`,
    model,
    apiKey: o.apiKey,
    samples: o.samples === undefined ? 3 : integer(FN, 'samples', o.samples, 1, 100),
    temperature,
    timeoutMs: o.timeoutMs === undefined ? 30_000 : timerMs('timeoutMs', positive(FN, 'timeoutMs', o.timeoutMs)),
    maxRetries: o.maxRetries === undefined ? 2 : integer(FN, 'maxRetries', o.maxRetries, 0, 20),
    retryDelayMs: o.retryDelayMs === undefined ? 500 : integer(FN, 'retryDelayMs', o.retryDelayMs, 0, MAX_TIMER_MS),
    maxRetryDelayMs: o.maxRetryDelayMs === undefined ? 10_000 : integer(FN, 'maxRetryDelayMs', o.maxRetryDelayMs, 0, MAX_TIMER_MS),
    fetch: f,
    features: [...features],
    sdInflation: o.sdInflation === undefined ? 1.5 : positive(FN, 'sdInflation', o.sdInflation),
    robustWeight,
    robustSd: o.robustSd === undefined ? undefined : positive(FN, 'robustSd', o.robustSd),
    responseFormat: o.responseFormat === undefined ? 'auto' : oneOf(FN, 'responseFormat', o.responseFormat, ['auto', 'json_schema', 'json_object'] as const),
    maxTokens: o.maxTokens === undefined ? 1024 : integer(FN, 'maxTokens', o.maxTokens, 16, 10_000_000),
    seed,
    maxResponseBytes: o.maxResponseBytes === undefined ? 4 * 1024 * 1024 : integer(FN, 'maxResponseBytes', o.maxResponseBytes, 1024, MAX_RESPONSE_BYTES),
    id: o.id === undefined ? `openai:${model}` : nonEmptyString(FN, 'id', o.id),
  };
}

/** An attempt failed in a way worth retrying (429, 5xx, timeout, network, unusable answer). */
class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly excerpt: string | undefined,
    readonly retryAfterMs: number | undefined,
    readonly underlying?: unknown,
  ) {
    super(message);
  }
}

function parseRetryAfter(h: string | null): number | undefined {
  if (h === null) return undefined;
  const s = Number(h);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(h);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}

/**
 * A {@link PriorProvider} that elicits a population prior from any server speaking the OpenAI
 * chat-completions protocol (llama.cpp server, Ollama `/v1`, vLLM, hosted APIs), the way
 * AutoElicit does:
 *
 * 1. asks, under a strict JSON schema (`response_format: json_schema`), for each candidate's
 *    effect as `{ mean, sd }` on the scale of the outcome family (difference, log rate ratio,
 *    log odds ratio), with the outcome, unit and direction spelled out; when the server rejects
 *    the schema (HTTP 400/422) it switches to `json_object` for good; JSON is also found inside
 *    code fences; every number is checked (finite, sd > 0);
 * 2. draws `samples` answers with different phrasings and combines them into an equal-weight
 *    normal mixture per candidate, each sd multiplied by `sdInflation` (LLM priors are
 *    over-confident), then adds a robust component N(0, robustSd) of weight `robustWeight`
 *    centred on "no effect" with `robustify` (RBesT-style robust mixture);
 * 3. sends only the patient features on the `features` allow-list (never embeddings, never a
 *    diary);
 * 4. each request has a `timeoutMs` limit; 429, 408, 5xx, network errors, timeouts and unusable
 *    answers are retried up to `maxRetries` times with exponential backoff (honouring
 *    `Retry-After`); other HTTP errors fail at once. When it gives up it throws a
 *    `ProviderError` with the HTTP `status` and a short (≤ 200 characters), redacted excerpt of
 *    the answer. Cancelling the `signal` rejects with a `ProviderError` saying so. The API key
 *    appears in no message, field or JSON of the provider or its errors, in any encoding n1kit
 *    can produce (as is, JSON-escaped, URL-encoded, HTML entities, hex, base64/base64url);
 * 5. refuses redirects (any 3xx, not retried): the request is never re-sent elsewhere and no
 *    other host's answer becomes the prior; set `baseUrl` to the final address;
 * 6. streams the answer under `maxResponseBytes` (4 MiB by default), counted after
 *    decompression, and parses it in linear time inside the same `timeoutMs` deadline.
 *
 * @param options - see {@link OpenAICompatibleOptions}
 * @returns the provider (its id is `'openai:<model>'` unless set)
 * @throws ValidationError for bad options (checked at once)
 * @example
 * ```ts
 * const llm = openAICompatiblePriorProvider({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen2.5-7b',
 *   features: ['ageBand'] });
 * const prior = await llm.elicit(migrainePriorRequest({ ageBand: '30-39', name: 'Alice' })); // name is not sent
 * ```
 * @see Capstick et al. 2024, "AutoElicit: Using Large Language Models for Expert Prior Elicitation", arXiv 2411.17284
 * @see Riegler et al. 2025, arXiv 2506.21964 (LLM priors are over-confident)
 * @see Schmidli et al. 2014, Biometrics 70:1023 (robust mixture priors)
 * @see https://platform.openai.com/docs/api-reference/chat/create (the protocol)
 */
export function openAICompatiblePriorProvider(options: OpenAICompatibleOptions): PriorProvider {
  const o = resolveOptions(options);
  const apiKey = o.apiKey;
  // Remembered per provider (not per module): once the server rejected json_schema, stop asking.
  let schemaRejected = o.responseFormat === 'json_object';

  // The key, and the full URL (its query may carry a token), never appear in a message: not
  // as is, nor JSON-escaped, URL-encoded, base64 … (see secretVariants in openai/http.ts).
  const queryValues = [...new URL(o.url).searchParams.values()].filter((v) => v.length >= 8);
  const redact = makeRedactor(apiKey === undefined ? queryValues : [apiKey, ...queryValues], o.url === o.safeUrl ? [] : [[o.url, o.safeUrl]]);
  /** A short, redacted excerpt (at most 200 characters) of what the server sent. */
  const excerptOf = (s: string): string => {
    // Redact the whole text before cutting, so no secret is split at the cut.
    const flat = redact(s.length > 65_536 ? s.slice(0, 65_536) : s).replace(/\s+/g, ' ').trim();
    return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
  };

  async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new ProviderError(`${FN}: cancelled`, { fn: FN, cause: signal?.reason }));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One HTTP attempt; returns the answer text or throws RetryableFailure / ProviderError. */
  async function attempt(req: PriorRequest, index: number, signal: AbortSignal | undefined): Promise<Record<string, ElicitedEffect>> {
    const ids = req.candidates.map((c) => c.id);
    const useSchema = !schemaRejected && o.responseFormat !== 'json_object';
    const body: Record<string, unknown> = {
      model: o.model,
      messages: elicitationMessages(req, o.features, index),
      temperature: o.temperature,
      max_tokens: o.maxTokens,
      response_format: useSchema
        ? { type: 'json_schema', json_schema: { name: 'population_prior', schema: answerSchema(ids), strict: true } }
        : { type: 'json_object' },
    };
    if (o.seed !== undefined) body.seed = o.seed + index;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;

    const controller = new AbortController();
    let timedOut = false;
    // One deadline for the request, the body and the parsing of the answer.
    const deadline = Date.now() + o.timeoutMs;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, o.timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let status: number | undefined;
    let text: string;
    let retryAfter: string | null = null;
    const late = (): RetryableFailure => new RetryableFailure(`no complete answer within ${o.timeoutMs} ms`, status, undefined, undefined);
    try {
      try {
        // Redirects are refused: following one would re-send the patient features (307/308) or
        // take another host's answer as the prior (302).
        const res = await o.fetch(o.url, { method: 'POST', headers, body: JSON.stringify(body), signal: controller.signal, redirect: 'manual' });
        status = res.status;
        if (isRedirect(res)) {
          await res.body?.cancel().catch(() => undefined);
          throw new ProviderError(
            `${FN}: ${o.safeUrl} answered with a redirect (HTTP ${res.status}); redirects are refused: set baseUrl to the server's final address`,
            { fn: FN, status: res.status },
          );
        }
        retryAfter = res.headers.get('retry-after');
        text = await readCapped(res, o.maxResponseBytes);
      } catch (e) {
        if (e instanceof ProviderError) throw e;
        if (e instanceof BodyTooLarge) {
          controller.abort();
          throw new ProviderError(`${FN}: the answer of ${o.safeUrl} is larger than maxResponseBytes (${e.limit} bytes); refused`, {
            fn: FN,
            ...(status === undefined ? {} : { status }),
          });
        }
        if (signal?.aborted) throw new ProviderError(`${FN}: cancelled`, { fn: FN, cause: signal.reason });
        if (timedOut) throw late();
        const msg = e instanceof Error ? e.message : String(e);
        throw new RetryableFailure(`network error: ${excerptOf(msg)}`, status, undefined, undefined, e);
      }
      if (status >= 200 && status < 300) {
        const effects = parseAnswer(text, status, ids);
        if (timedOut || Date.now() > deadline) throw late();
        return effects;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    const s = status as number;
    if (useSchema && o.responseFormat === 'auto' && (s === 400 || s === 422)) {
      schemaRejected = true;
      return attempt(req, index, signal);
    }
    if (s === 429 || s === 408 || s >= 500) {
      throw new RetryableFailure(`HTTP ${s}`, s, excerptOf(text), parseRetryAfter(retryAfter));
    }
    throw new ProviderError(`${FN}: HTTP ${s} from ${o.safeUrl}: ${JSON.stringify(excerptOf(text))}`, {
      fn: FN,
      status: s,
      value: excerptOf(text),
    });
  }

  /** The effects of a 2xx answer, or a RetryableFailure saying why it is unusable. Linear in the body's length. */
  function parseAnswer(text: string, status: number, ids: readonly string[]): Record<string, ElicitedEffect> {
    let content: unknown;
    let finish: unknown;
    try {
      ({ content, finish } = parseCompletion(text));
    } catch {
      throw new RetryableFailure('the response body is not JSON', status, excerptOf(text), undefined);
    }
    if (typeof content !== 'string') {
      throw new RetryableFailure('the response has no choices[0].message.content', status, excerptOf(text), undefined);
    }
    if (finish === 'length') {
      throw new RetryableFailure('the answer was cut off (finish_reason "length"; raise maxTokens)', status, excerptOf(content), undefined);
    }
    try {
      return parseElicitedEffects(content, ids);
    } catch (e) {
      throw new RetryableFailure(`unusable answer: ${(e as Error).message}`, status, excerptOf(content), undefined);
    }
  }

  async function answer(req: PriorRequest, index: number, signal: AbortSignal | undefined): Promise<Record<string, ElicitedEffect>> {
    for (let k = 0; ; k++) {
      if (signal?.aborted) throw new ProviderError(`${FN}: cancelled`, { fn: FN, cause: signal.reason });
      try {
        return await attempt(req, index, signal);
      } catch (e) {
        if (!(e instanceof RetryableFailure)) throw e;
        if (k >= o.maxRetries) {
          const tail = e.excerpt === undefined ? '' : `: ${JSON.stringify(e.excerpt)}`;
          throw new ProviderError(
            `${FN}: gave up on answer ${index + 1} of ${o.samples} after ${k + 1} attempt(s) to ${o.safeUrl}: ${e.message}${tail}`,
            {
              fn: FN,
              ...(e.status === undefined ? {} : { status: e.status }),
              value: e.excerpt,
              ...(e.underlying === undefined ? {} : { cause: e.underlying }),
            },
          );
        }
        const backoff = Math.min(o.maxRetryDelayMs, o.retryDelayMs * 2 ** k);
        const wait = Math.min(o.maxRetryDelayMs, Math.max(backoff, e.retryAfterMs ?? 0));
        await sleep(wait, signal);
      }
    }
  }

  return {
    id: o.id,
    async elicit(req: PriorRequest, eo: ElicitOptions = {}): Promise<PopulationPrior> {
      const r = validatePriorRequest(req, `${o.id}.elicit`);
      const signal = eo.signal;
      const answers: Record<string, ElicitedEffect>[] = [];
      for (let i = 0; i < o.samples; i++) answers.push(await answer(r, i, signal));
      const effects: Record<string, Dist> = {};
      for (const c of r.candidates) {
        const comps = answers.map((a) => {
          const e = ownValue(a, c.id)!;
          return { weight: 1 / answers.length, dist: { family: 'normal' as const, mean: e.mean, sd: e.sd * o.sdInflation } };
        });
        let d: Dist = comps.length === 1 ? comps[0]!.dist : validateDist({ family: 'mixture', components: comps }, FN, `effects.${c.id}`);
        if (o.robustWeight > 0) {
          const sigma = o.robustSd ?? 2 * distSd(d);
          if (!(Number.isFinite(sigma) && sigma > 0)) {
            // e.g. answers of very different magnitudes whose mixture sd overflows or cancels to 0
            throw new ProviderError(`${FN}: the answers for "${c.id}" give a mixture with no usable sd (${sigma}); set robustSd`, {
              fn: FN,
              value: answers.map((a) => ownValue(a, c.id)),
            });
          }
          d = robustify(d, { weight: o.robustWeight, mean: 0, sigma });
        }
        setOwn(effects, c.id, validateDist(d, FN, `effects.${c.id}`));
      }
      return {
        effects,
        scale: scaleForFamily(r.outcome.family),
        source: { provider: o.id, model: o.model, samples: answers.length },
      };
    },
  };
}
