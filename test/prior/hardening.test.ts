// Regression tests of issue 15, items 3–6, against real HTTP servers on 127.0.0.1: redirects
// refused, every encoding of the API key redacted, bodies capped after decompression (a 200 MB
// answer and a gzip bomb), linear-time answer parsing inside the deadline.
import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrainePriorRequest, openAICompatiblePriorProvider, parseElicitedEffects } from '../../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface Local {
  server: Server;
  url: string;
  hits: number;
  handler: Handler;
}

async function listen(): Promise<Local> {
  const local = { hits: 0, url: '', handler: (_req: IncomingMessage, res: ServerResponse) => void res.end() } as unknown as Local;
  local.server = createServer((req, res) => {
    local.hits++;
    req.resume();
    req.on('end', () => local.handler(req, res));
  });
  await new Promise<void>((resolve) => local.server.listen(0, '127.0.0.1', resolve));
  local.url = `http://127.0.0.1:${(local.server.address() as AddressInfo).port}`;
  return local;
}

let a: Local;
let b: Local;
beforeAll(async () => {
  a = await listen();
  b = await listen();
});
afterAll(async () => {
  for (const s of [a, b]) {
    s.server.closeAllConnections();
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
  }
});

const request = migrainePriorRequest({ ageBand: '30-39' }, ['magnesium']);
const good = JSON.stringify({
  choices: [{ message: { content: JSON.stringify({ effects: { magnesium: { mean: -1, sd: 1 } } }) }, finish_reason: 'stop' }],
});
const fast = { retryDelayMs: 1, maxRetryDelayMs: 5, timeoutMs: 5000, robustWeight: 0, samples: 1, features: ['ageBand'] } as const;

async function failure(p: Promise<unknown>): Promise<Error & { code: string; status?: number; value?: unknown }> {
  const e = (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (x: unknown) => x,
  )) as Error & { code: string; status?: number; value?: unknown };
  expect(e.code, String(e)).toBe('E_PROVIDER');
  return e;
}

describe('redirects are refused (item 3)', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`HTTP ${status} to another host: refused, the other host never asked, not retried`, async () => {
      a.hits = 0;
      b.hits = 0;
      a.handler = (_req, res) => {
        res.writeHead(status, { location: `${b.url}/v1/chat/completions`, connection: 'close' });
        res.end();
      };
      b.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
        res.end(good);
      };
      const llm = openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm', maxRetries: 2 });
      const e = await failure(llm.elicit(request));
      expect(e.status).toBe(status);
      expect(e.message).toMatch(/redirect/);
      expect(b.hits).toBe(0);
      expect(a.hits).toBe(1);
    });
  }

  it('a same-origin redirect is refused too (documented: set baseUrl to the final address)', async () => {
    a.handler = (req, res) => {
      if (req.url === '/v2/chat/completions') {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
        res.end(good);
        return;
      }
      res.writeHead(308, { location: '/v2/chat/completions', connection: 'close' });
      res.end();
    };
    await failure(openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm' }).elicit(request));
    // and the final address works
    const prior = await openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v2`, model: 'm' }).elicit(request);
    expect(prior.effects.magnesium).toEqual({ family: 'normal', mean: -1, sd: 1.5 });
  });
});

describe('the API key is redacted in every encoding (item 4)', () => {
  const KEY = 'sk-Ab/Cd+Ef=Gh/0123456789+xyz/QRSTUV==';
  // Encodings made independently of the library (Node's Buffer, the URL and JSON built-ins).
  const encodings = [
    KEY,
    JSON.stringify(KEY).slice(1, -1),
    KEY.replaceAll('/', '\\/'),
    encodeURIComponent(KEY),
    encodeURIComponent(KEY).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    new URLSearchParams({ k: KEY }).toString().slice(2),
    Buffer.from(KEY).toString('base64'),
    Buffer.from(KEY).toString('base64url'),
    Buffer.from(`Bearer ${KEY}`).toString('base64'),
    Buffer.from(`user:${KEY}`).toString('base64'),
    Buffer.from(KEY).toString('hex'),
    KEY.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    KEY.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.charCodeAt(0)};`),
  ];
  /**
   * True when 12 consecutive characters of the encoding `enc` survive in `text`. For base64 of a
   * prefixed key ('Bearer …', 'user:…') only the part after the prefix's own characters counts
   * (the first 12 characters encode 'Bearer ' or 'user:' and at most 2 bytes of the key).
   */
  const leaks = (text: string, enc: string): boolean => {
    const e = enc === encodings[8] || enc === encodings[9] ? enc.slice(12) : enc;
    for (let i = 0; i + 12 <= e.length; i++) if (text.includes(e.slice(i, i + 12))) return true;
    return false;
  };

  for (const [i, enc] of encodings.entries()) {
    it(`an echo as encoding #${i} (${enc.slice(0, 24)}…) leaves no trace in the error`, async () => {
      a.handler = (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
        res.end(`{"error":{"message":"invalid key ${enc}","echo":"${enc}"}}`);
      };
      const llm = openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm', apiKey: KEY, responseFormat: 'json_object' });
      const e = await failure(llm.elicit(request));
      const shown = [e.message, String(e.value), JSON.stringify(e), e.stack ?? ''].join('\n');
      for (const other of encodings) expect(leaks(shown, other), `${other} in ${shown}`).toBe(false);
      expect(e.message).toContain('[redacted]');
      expect(String(e.value).length).toBeLessThanOrEqual(200);
    });
  }

  it('a long answer is quoted only as a short excerpt', async () => {
    a.handler = (_req, res) => {
      res.writeHead(403, { connection: 'close' });
      res.end(`denied ${'z'.repeat(100_000)}`);
    };
    const e = await failure(openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm', apiKey: KEY }).elicit(request));
    expect(String(e.value).length).toBeLessThanOrEqual(200);
    expect(e.message.length).toBeLessThan(600);
  });
});

describe('answers are streamed under a byte cap, after decompression (item 5)', () => {
  /** Serves `total` bytes in 64 KB chunks, stopping when the client goes away; counts what was sent. */
  function flood(total: number, gzip: boolean): { sent: () => number } {
    let sent = 0;
    a.handler = (_req, res) => {
      const chunk = Buffer.alloc(65_536, gzip ? 0 : 0x61);
      const source = new Readable({
        read() {
          if (sent >= total) this.push(null);
          else {
            sent += chunk.length;
            this.push(chunk);
          }
        },
      });
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      res.on('close', () => source.destroy());
      (gzip ? source.pipe(createGzip({ level: 1 })) : source).pipe(res);
    };
    return { sent: () => sent };
  }

  it('a 200 MB answer is cut off at maxResponseBytes with bounded memory', async () => {
    const f = flood(200 * 1024 * 1024, false);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const llm = openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm', maxResponseBytes: 1024 * 1024 });
    const e = await failure(llm.elicit(request));
    expect(e.message).toMatch(/larger than maxResponseBytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    // the client hung up: the server got nowhere near 200 MB out
    await new Promise((r) => setTimeout(r, 50));
    expect(f.sent()).toBeLessThan(64 * 1024 * 1024);
  });

  it('a gzip bomb (1 GB of zeros) is cut off as it inflates', async () => {
    const f = flood(1024 * 1024 * 1024, true);
    const before = process.memoryUsage().rss;
    const llm = openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm' });
    const e = await failure(llm.elicit(request));
    expect(e.message).toMatch(/larger than maxResponseBytes \(4194304 bytes\)/);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.sent()).toBeLessThan(256 * 1024 * 1024);
  });

  it('a declared content-length above the cap is refused before reading', async () => {
    a.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024), connection: 'close' });
      res.write('{');
      setTimeout(() => res.destroy(), 200);
    };
    const e = await failure(openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm' }).elicit(request));
    expect(e.message).toMatch(/larger than maxResponseBytes/);
  });
});

describe('answer parsing is linear and inside the deadline (item 6)', () => {
  const answer = '{"effects":{"m":{"mean":1,"sd":2}}}';
  const hostile = [
    `${'<think>'.repeat(150_000)}${answer}`,
    `${'```'.repeat(350_000)}${answer}`,
    `${'<think>x</think>'.repeat(60_000)}${answer}`,
    `${'{'.repeat(1_000_000)}`,
    `${'```json\n'.repeat(120_000)}${answer}`,
  ];
  for (const [i, text] of hostile.entries()) {
    it(`hostile answer #${i} (about 1 MB) is parsed or refused within 1 s`, () => {
      const t0 = performance.now();
      try {
        expect(parseElicitedEffects(text, ['m'])).toEqual({ m: { mean: 1, sd: 2 } });
      } catch (e) {
        expect(i).toBe(3); // only the one without an answer fails, with a plain message
        expect((e as Error).message).toMatch(/no parsable JSON/);
      }
      expect(performance.now() - t0).toBeLessThan(1000);
    });
  }

  it('a 1 MB <think> answer with timeoutMs 1500 settles within the deadline', async () => {
    const content = `${'<think>'.repeat(140_000)}{"effects":{"magnesium":{"mean":-1,"sd":1}}}`;
    a.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ choices: [{ message: { content }, finish_reason: 'stop' }] }));
    };
    const t0 = performance.now();
    const llm = openAICompatiblePriorProvider({ ...fast, baseUrl: `${a.url}/v1`, model: 'm', timeoutMs: 1500 });
    const prior = await llm.elicit(request);
    expect(performance.now() - t0).toBeLessThan(1500 + 500);
    expect(prior.effects.magnesium).toEqual({ family: 'normal', mean: -1, sd: 1.5 });
  });
});
