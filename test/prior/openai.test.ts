import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type PriorRequest,
  elicitationMessages,
  migrainePriorRequest,
  openAICompatiblePriorProvider,
  parseElicitedEffects,
} from '../../src/index.js';

// A real OpenAI-compatible HTTP server on 127.0.0.1 (random port); each test sets `handler`.
interface Seen {
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  url: string | undefined;
}
type Handler = (seen: Seen, n: number, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let seen: Seen[] = [];

const API_KEY = 'sk-test-SECRET-0123456789abcdef';

function completion(content: string, finish = 'stop'): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  // No keep-alive: every attempt gets a fresh connection, so no test inherits a stale socket.
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
  res.end(body);
}

const answer = (mg: [number, number], sl: [number, number]): string =>
  JSON.stringify({ effects: { magnesium: { mean: mg[0], sd: mg[1] }, sleepRegularity: { mean: sl[0], sd: sl[1] } } });

const request: PriorRequest = migrainePriorRequest({ ageBand: '30-39', name: 'Alice Example', poorSleep: false }, [
  'magnesium',
  'sleepRegularity',
]);

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const s: Seen = { body: JSON.parse(raw) as Record<string, unknown>, headers: req.headers, url: req.url };
      seen.push(s);
      if (req.url?.split('?')[0] !== '/v1/chat/completions') {
        send(res, 404, '{"error":"not found"}');
        return;
      }
      handler(s, seen.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

const fast = { retryDelayMs: 1, maxRetryDelayMs: 20, timeoutMs: 2000, robustWeight: 0 } as const;

async function providerError(p: Promise<unknown>): Promise<Error & { code: string; status?: number; value?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code: string; status?: number; value?: unknown };
  }
  throw new Error('expected a rejection');
}

describe('openAICompatiblePriorProvider against a local OpenAI-compatible server', () => {
  it('asks under a strict json_schema, sends only allowed features, and mixes the answers with inflated sds', async () => {
    const answers = [answer([-1.5, 1], [-2, 2]), answer([-2.5, 0.5], [-1, 1])];
    handler = (_s, n, res) => send(res, 200, completion(answers[n - 1] ?? 'x'));
    const p = openAICompatiblePriorProvider({
      ...fast,
      baseUrl,
      model: 'test-model',
      apiKey: API_KEY,
      samples: 2,
      sdInflation: 2,
      features: ['ageBand'],
      temperature: 0.3,
    });
    const prior = await p.elicit(request);
    expect(seen).toHaveLength(2);
    const body = seen[0]!.body;
    expect(body.model).toBe('test-model');
    expect(body.temperature).toBe(0.3);
    const rf = body.response_format as { type: string; json_schema: { strict: boolean; schema: unknown } };
    expect(rf.type).toBe('json_schema');
    expect(rf.json_schema.strict).toBe(true);
    const schema = rf.json_schema.schema as { properties: { effects: { required: string[] } } };
    expect(schema.properties.effects.required).toEqual(['magnesium', 'sleepRegularity']);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const sent = JSON.stringify(seen.map((s) => s.body));
    expect(sent).toContain('ageBand: 30-39');
    expect(sent).not.toContain('Alice Example'); // not on the allow-list
    expect(sent).not.toContain('poorSleep');
    expect(sent).toContain('migraine days per 30 days');
    expect(sent).toContain('NEGATIVE'); // lower is better, spelled out
    // Two phrasings: the user prompts differ.
    const user = (s: Seen): string => ((s.body.messages as { content: string }[])[1] as { content: string }).content;
    expect(user(seen[0]!)).not.toBe(user(seen[1]!));
    // Equal-weight mixture of N(mean, 2·sd): closed form of the combination rule.
    expect(prior.scale).toBe('difference');
    expect(prior.source).toEqual({ provider: 'openai:test-model', model: 'test-model', samples: 2 });
    expect(prior.effects.magnesium).toEqual({
      family: 'mixture',
      components: [
        { weight: 0.5, dist: { family: 'normal', mean: -1.5, sd: 2 } },
        { weight: 0.5, dist: { family: 'normal', mean: -2.5, sd: 1 } },
      ],
    });
    expect(prior.effects.sleepRegularity).toEqual({
      family: 'mixture',
      components: [
        { weight: 0.5, dist: { family: 'normal', mean: -2, sd: 4 } },
        { weight: 0.5, dist: { family: 'normal', mean: -1, sd: 2 } },
      ],
    });
    expect(JSON.stringify(p)).not.toContain(API_KEY);
  });

  it('adds a robust component centred on no effect (robustify), default sd twice the mixture sd', async () => {
    const answers = [answer([-1.5, 1], [-2, 2]), answer([-2.5, 0.5], [-1, 1])];
    handler = (_s, n, res) => send(res, 200, completion(answers[(n - 1) % 2]!));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 2, sdInflation: 2, robustWeight: 0.2, robustSd: 3 });
    const prior = await p.elicit(request);
    expect(prior.effects.magnesium).toEqual({
      family: 'mixture',
      components: [
        { weight: 0.4, dist: { family: 'normal', mean: -1.5, sd: 2 } },
        { weight: 0.4, dist: { family: 'normal', mean: -2.5, sd: 1 } },
        { weight: 0.2, dist: { family: 'normal', mean: 0, sd: 3 } },
      ],
    });
    seen = [];
    const q = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 2, sdInflation: 2, robustWeight: 0.2 });
    const mg = (await q.elicit(request)).effects.magnesium!;
    // Mixture ½N(−1.5, 2) + ½N(−2.5, 1): variance ½(4 + 2.25) + ½(1 + 6.25) − 2² = 2.75.
    const robust = mg.family === 'mixture' ? mg.components[2]!.dist : mg;
    expect(robust.family === 'normal' && robust.mean).toBe(0);
    expect(robust.family === 'normal' && robust.sd).toBeCloseTo(2 * Math.sqrt(2.75), 12);
  });

  it('extracts JSON from a code fence with prose around it', async () => {
    handler = (_s, _n, res) =>
      send(res, 200, completion(`Here you go:\n\`\`\`json\n${answer([-1.2, 0.8], [-0.4, 1.1])}\n\`\`\`\nHope it helps.`));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, sdInflation: 1 });
    const prior = await p.elicit(request);
    expect(prior.effects.magnesium).toEqual({ family: 'normal', mean: -1.2, sd: 0.8 });
    expect(prior.effects.sleepRegularity).toEqual({ family: 'normal', mean: -0.4, sd: 1.1 });
    const thought = `<think>Maybe {"effects": {"magnesium": {"mean": -9, "sd": 9}}}? No.</think>\n${answer([-1, 0.5], [-2, 0.7])}`;
    expect(parseElicitedEffects(thought, ['magnesium', 'sleepRegularity'])).toEqual({
      magnesium: { mean: -1, sd: 0.5 },
      sleepRegularity: { mean: -2, sd: 0.7 },
    });
  });

  it('never sends an embedding or features outside the allow-list', async () => {
    handler = (_s, _n, res) => send(res, 200, completion(answer([-1, 1], [-1, 1])));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, features: ['ageBand'] });
    await p.elicit({ ...request, patient: { features: { ageBand: '30-39', diary: 'day 1: migraine' }, embedding: [0.123456789, 0.987654321] } });
    const sent = JSON.stringify(seen[0]!.body);
    expect(sent).toContain('ageBand: 30-39');
    expect(sent).not.toContain('0.123456789');
    expect(sent).not.toContain('day 1: migraine');
  });

  it("sends the patient's own baseline only when the allow-list names 'baseline'", () => {
    const req = { ...request, outcome: { ...request.outcome, baseline: 12.375 } };
    expect(elicitationMessages(req, ['ageBand'], 0)[1]!.content).not.toContain('12.375');
    expect(elicitationMessages(req, ['ageBand', 'baseline'], 0)[1]!.content).toContain("The patient's current level: 12.375");
    // a string is not an allow-list ('ageBand'.includes('age') would be true)
    expect(() => elicitationMessages(req, 'ageBand' as never, 0)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT', field: 'allowed' }));
    expect(() => parseElicitedEffects(42 as never, ['magnesium'])).toThrow('the answer is not text');
  });

  it('retries malformed JSON, then fails with a ProviderError holding status 200 and an excerpt', async () => {
    handler = (_s, _n, res) => send(res, 200, completion('{"effects": {"magnesium": {"mean": -1.5, "sd": '));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetries: 1 });
    const e = await providerError(p.elicit(request));
    expect(e.code).toBe('E_PROVIDER');
    expect(e.status).toBe(200);
    expect(e.message).toContain('no parsable JSON');
    expect(e.message).toContain('{\\"effects\\": {\\"magnesium\\"');
    expect(seen).toHaveLength(2);
  });

  it('rejects an answer of the wrong schema (missing candidate, string mean)', async () => {
    handler = (_s, n, res) =>
      send(
        res,
        200,
        completion(
          n === 1
            ? JSON.stringify({ effects: { magnesium: { mean: -1, sd: 1 } } })
            : JSON.stringify({ effects: { magnesium: { mean: 'minus two', sd: 1 }, sleepRegularity: { mean: -1, sd: 1 } } }),
        ),
      );
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetries: 1 });
    const e = await providerError(p.elicit(request));
    expect(e.code).toBe('E_PROVIDER');
    expect(e.message).toContain('"magnesium".mean must be a finite number');
    expect(seen).toHaveLength(2);
    expect(() => parseElicitedEffects(JSON.stringify({ effects: { magnesium: { mean: -1, sd: 1 } } }), ['magnesium', 'x'])).toThrow(
      'no effect for "x"',
    );
  });

  it('rejects a negative sd', async () => {
    handler = (_s, _n, res) => send(res, 200, completion(answer([-1, -0.5], [-1, 1])));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetries: 0 });
    const e = await providerError(p.elicit(request));
    expect(e.code).toBe('E_PROVIDER');
    expect(e.message).toContain('"magnesium".sd must be a finite number > 0');
    expect(seen).toHaveLength(1);
  });

  it('falls back to json_object when the server answers 400 to json_schema, and remembers it', async () => {
    handler = (s, _n, res) => {
      const rf = s.body.response_format as { type: string };
      if (rf.type === 'json_schema') send(res, 400, '{"error":{"message":"response_format json_schema is not supported"}}');
      else send(res, 200, completion(answer([-1, 1], [-2, 1])));
    };
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 2, maxRetries: 0 });
    const prior = await p.elicit(request);
    expect(seen.map((s) => (s.body.response_format as { type: string }).type)).toEqual(['json_schema', 'json_object', 'json_object']);
    // json_object mode: the prompt itself asks for JSON.
    expect(JSON.stringify(seen[1]!.body.messages)).toContain('JSON object');
    expect(prior.source.samples).toBe(2);
  });

  it('waits after a 429 and succeeds on the retry', async () => {
    handler = (_s, n, res) =>
      n === 1
        ? send(res, 429, '{"error":"rate limited"}', { 'retry-after': '0' })
        : send(res, 200, completion(answer([-1, 1], [-2, 1])));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetries: 2, sdInflation: 1 });
    const prior = await p.elicit(request);
    expect(seen).toHaveLength(2);
    expect(prior.effects.magnesium).toEqual({ family: 'normal', mean: -1, sd: 1 });
  });

  it('honours Retry-After, capped by maxRetryDelayMs', async () => {
    handler = (_s, n, res) =>
      n === 1
        ? send(res, 503, '{"error":"loading model"}', { 'retry-after': '1' })
        : send(res, 200, completion(answer([-1, 1], [-2, 1])));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetryDelayMs: 150 });
    const t0 = Date.now();
    await p.elicit(request);
    const ms = Date.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(140); // waited the capped 150 ms, not the 1 ms backoff
    expect(ms).toBeLessThan(900); // and not the full second
    expect(seen).toHaveLength(2);
  });

  it('gives up after repeated 500s with the status and an excerpt of the body', async () => {
    handler = (_s, _n, res) => send(res, 500, '{"error":"model crashed: CUDA out of memory"}');
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetries: 2 });
    const e = await providerError(p.elicit(request));
    expect(e.code).toBe('E_PROVIDER');
    expect(e.status).toBe(500);
    expect(e.message).toContain('after 3 attempt(s)');
    expect(e.message).toContain('CUDA out of memory');
    expect(seen).toHaveLength(3);
  });

  it('does not retry a 404 and fails at once', async () => {
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl: baseUrl.replace('/v1', '/v2'), model: 'm', samples: 1 });
    const e = await providerError(p.elicit(request));
    expect(e.status).toBe(404);
    expect(seen).toHaveLength(1);
  });

  it('treats an answer cut off by max_tokens as unusable', async () => {
    handler = (_s, _n, res) => send(res, 200, completion('{"effects": {"magn', 'length'));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetries: 0 });
    const e = await providerError(p.elicit(request));
    expect(e.message).toContain('cut off');
  });

  it('times out a server that hangs, retries, then fails', async () => {
    handler = () => {
      /* never answers */
    };
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, timeoutMs: 150, maxRetries: 1 });
    const t0 = Date.now();
    const e = await providerError(p.elicit(request));
    const ms = Date.now() - t0;
    expect(e.code).toBe('E_PROVIDER');
    expect(e.message).toContain('no complete answer within 150 ms');
    expect(seen).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(2 * 150 - 10);
    expect(ms).toBeLessThan(3000);
  });

  it('stops at once when the caller aborts the signal', async () => {
    handler = () => {
      /* never answers */
    };
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 3, timeoutMs: 10_000, maxRetries: 5 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 80);
    const t0 = Date.now();
    const e = await providerError(p.elicit(request, { signal: ac.signal }));
    expect(e.code).toBe('E_PROVIDER');
    expect(e.message).toContain('cancelled');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(seen).toHaveLength(1); // no retry after a cancellation
    // An already aborted signal never reaches the server.
    seen = [];
    const e2 = await providerError(p.elicit(request, { signal: AbortSignal.abort() }));
    expect(e2.message).toContain('cancelled');
    expect(seen).toHaveLength(0);
  });

  it('never shows the API key, even when the server echoes it back', async () => {
    handler = (s, n, res) =>
      n === 1
        ? send(res, 500, JSON.stringify({ error: `bad key ${String(s.headers.authorization)}` }))
        : send(res, 401, JSON.stringify({ error: `invalid api key: ${String(s.headers.authorization)}` }));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', apiKey: API_KEY, samples: 1, maxRetries: 3 });
    const e = await providerError(p.elicit(request));
    expect(e.status).toBe(401); // 401 is not retried
    expect(seen).toHaveLength(2);
    expect(e.message).toContain('[redacted]');
    for (const text of [e.message, String(e.stack), JSON.stringify(e), JSON.stringify(e.value), String(e)]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain('SECRET');
    }
    // A malformed key is refused without echoing it; a key fetch could not put in a header
    // (fetch's own error would quote the whole Authorization header) is refused the same way.
    for (const bad of ['', `${API_KEY}\r\nX-Injected: 1`, `${API_KEY} x`]) {
      let err: unknown;
      try {
        openAICompatiblePriorProvider({ baseUrl, model: 'm', apiKey: bad, robustWeight: 0 });
      } catch (x) {
        err = x;
      }
      expect((err as { code: string }).code).toBe('E_INVALID_ARGUMENT');
      expect((err as { field: string }).field).toBe('apiKey');
      expect(String((err as Error).message)).not.toContain('SECRET');
      expect(JSON.stringify(err)).not.toContain('SECRET');
    }
  });

  it('refuses credentials in baseUrl without quoting them, and keeps a query (e.g. api-version) out of messages', async () => {
    let err: unknown;
    try {
      openAICompatiblePriorProvider({ baseUrl: 'http://user:hunter2@127.0.0.1:1/v1', model: 'm', robustWeight: 0 });
    } catch (x) {
      err = x;
    }
    expect((err as { code: string }).code).toBe('E_INVALID_ARGUMENT');
    expect((err as { field: string }).field).toBe('baseUrl');
    expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain('hunter2');

    handler = (_s, n, res) => (n === 1 ? send(res, 404, '{"error":"nope"}') : send(res, 200, completion(answer([-1, 1], [0, 1]))));
    const p = openAICompatiblePriorProvider({ ...fast, baseUrl: `${baseUrl}/?api-version=2024&token=hunter2`, model: 'm', samples: 1 });
    const e = await providerError(p.elicit(request));
    expect(seen[0]!.url).toBe('/v1/chat/completions?api-version=2024&token=hunter2'); // path extended, query kept
    expect(e.status).toBe(404);
    expect(`${e.message} ${JSON.stringify(e)}`).not.toContain('hunter2');
    expect(e.message).toContain(`${baseUrl}/chat/completions`);
  });

  it('treats numbers no evidence could give (|mean| or sd beyond 1e100, sd below 1e-100) as unusable answers', async () => {
    for (const [mg, field] of [
      [[-1e300, 1], 'mean'],
      [[-1, 1e308], 'sd'],
      [[-1, 1e-320], 'sd'],
    ] as const) {
      handler = (_s, _n, res) => send(res, 200, completion(answer([mg[0], mg[1]], [0, 1])));
      const p = openAICompatiblePriorProvider({ ...fast, baseUrl, model: 'm', samples: 1, maxRetries: 1, robustWeight: 0.2 });
      const e = await providerError(p.elicit(request));
      expect(e.code).toBe('E_PROVIDER');
      expect(e.status).toBe(200);
      expect(e.message).toContain(`"magnesium".${field}`);
      expect(seen).toHaveLength(2); // retried once
      seen = [];
    }
  });

  it('validates its options', () => {
    const bad: [string, Record<string, unknown>][] = [
      ['baseUrl', { baseUrl: 'not a url', model: 'm' }],
      ['baseUrl', { baseUrl: 'ftp://x/v1', model: 'm' }],
      ['model', { baseUrl: 'http://x/v1', model: '' }],
      ['samples', { baseUrl: 'http://x/v1', model: 'm', samples: 0 }],
      ['timeoutMs', { baseUrl: 'http://x/v1', model: 'm', timeoutMs: -1 }],
      ['sdInflation', { baseUrl: 'http://x/v1', model: 'm', sdInflation: Number.NaN }],
      ['robustWeight', { baseUrl: 'http://x/v1', model: 'm', robustWeight: 1.5 }],
      ['features[0]', { baseUrl: 'http://x/v1', model: 'm', features: [''] }],
      // beyond setTimeout's 2^31 - 1 ms the timer would fire at once
      ['timeoutMs', { baseUrl: 'http://x/v1', model: 'm', timeoutMs: 2 ** 31 }],
      ['maxRetryDelayMs', { baseUrl: 'http://x/v1', model: 'm', maxRetryDelayMs: 2 ** 31 }],
    ];
    for (const [field, o] of bad) {
      try {
        openAICompatiblePriorProvider({ robustWeight: 0, ...o } as never);
        throw new Error(`no error for ${field}`);
      } catch (e) {
        expect((e as { code: string }).code).toBe('E_INVALID_ARGUMENT');
        expect((e as { field: string }).field).toBe(field);
      }
    }
  });

  it('builds prompts that name the scale for other outcome families', () => {
    const req: PriorRequest = {
      patient: {},
      candidates: [{ id: 'a', label: 'A' }],
      outcome: { name: 'headache episodes', family: 'poisson', betterIs: 'lower' },
    };
    const m = elicitationMessages(req, [], 1);
    expect(m[1]!.content).toContain('natural logarithm of the rate ratio');
    expect(m[1]!.content).toContain('No patient features are shared.');
    expect(m[1]!.content).toContain('NEGATIVE effect');
    const up = elicitationMessages({ ...req, outcome: { name: 'pain-free days', family: 'binomial', betterIs: 'higher' } }, [], 2);
    expect(up[1]!.content).toContain('natural logarithm of the odds ratio');
    expect(up[1]!.content).toContain('POSITIVE effect');
  });
});
