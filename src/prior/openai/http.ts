/**
 * The HTTP side of the OpenAI-compatible adapter: one POST with redirects refused, the answer
 * streamed under a byte cap counted after decompression, and redaction of every encoding of
 * the secrets (API key, URL query) in anything an error may quote.
 *
 * @packageDocumentation
 */

/** The `fetch` function the adapter calls (the global one by default). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Why reading an answer stopped short: it was larger than the cap. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than maxResponseBytes (${limit} bytes)`);
  }
}

/**
 * True when `res` is a redirect, or the body of one: a 3xx status, a browser's opaque
 * redirect (`redirect: 'manual'`), or a `fetch` that followed one anyway (`redirected`).
 */
export function isRedirect(res: Response): boolean {
  return (res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect' || res.redirected === true;
}

/**
 * Reads the body as UTF-8 text, at most `limit` bytes after decompression (fetch hands out the
 * decoded stream, so a gzip bomb is cut off as it inflates); a declared `content-length`
 * above the cap is refused before reading. Cancels the stream on overflow.
 */
export async function readCapped(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers?.get?.('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(limit);
  }
  const body = res.body;
  if (body === null || body === undefined || typeof body.getReader !== 'function') {
    // A custom fetch without a stream: the text is already in memory; still refuse it whole.
    const text = await res.text();
    if (text.length > limit) throw new BodyTooLarge(limit);
    return text;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(limit);
    }
    pieces.push(decoder.decode(value, { stream: true }));
  }
  pieces.push(decoder.decode());
  return pieces.join('');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = bytes.length - i;
    const v = ((bytes[i] as number) << 16) | ((n > 1 ? (bytes[i + 1] as number) : 0) << 8) | (n > 2 ? (bytes[i + 2] as number) : 0);
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + (n > 1 ? B64[(v >>> 6) & 63]! : '=') + (n > 2 ? B64[v & 63]! : '=');
  }
  return s;
}

const hex2 = (c: number, upper: boolean): string => {
  const h = c.toString(16).padStart(2, '0');
  return upper ? h.toUpperCase() : h;
};

/**
 * Every encoding of `secret` an echo is likely to use: as is; JSON-escaped (also with `\/` and
 * with every non-alphanumeric character as a `\u` escape with four hex digits); URL-encoded (upper- and lowercase hex,
 * every byte or only the reserved ones); HTML entities; hex; and base64 / base64url at each of
 * the three byte alignments (the part of the encoding that does not depend on its neighbours,
 * so the key is found inside a longer base64 string too, e.g. `Basic` credentials).
 */
export function secretVariants(secret: string): string[] {
  const out = new Set<string>([secret]);
  const bytes = new TextEncoder().encode(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  out.add(json);
  out.add(json.split('/').join('\\/'));
  for (const upper of [false, true]) {
    const u4 = (c: string): string => {
      const h = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? h.toUpperCase() : h}`;
    };
    out.add(secret.replace(/[^A-Za-z0-9]/g, u4));
    out.add(secret.replace(/[^A-Za-z0-9_.~-]/g, (c) => [...new TextEncoder().encode(c)].map((b) => `%${hex2(b, upper)}`).join('')));
    out.add([...bytes].map((b) => `%${hex2(b, upper)}`).join(''));
    out.add([...bytes].map((b) => hex2(b, upper)).join(''));
    out.add(secret.replace(/[^A-Za-z0-9]/g, (c) => `&#x${hex2(c.charCodeAt(0), upper)};`));
  }
  out.add(encodeURIComponent(secret));
  out.add(secret.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.charCodeAt(0)};`));
  for (let r = 0; r < 3; r++) {
    const padded = new Uint8Array(r + bytes.length);
    padded.set(bytes, r);
    let enc = base64(padded).replace(/=+$/, '');
    // Drop the characters that also encode neighbouring bytes: the first group when shifted,
    // and a trailing partial group.
    const head = r === 0 ? 0 : 4;
    const tailBytes = (r + bytes.length) % 3;
    const tail = tailBytes === 0 ? 0 : tailBytes + 1;
    enc = enc.slice(head, enc.length - tail);
    if (r === 0) out.add(base64(bytes)); // with its padding, as a whole value
    if (enc.length >= 8) {
      out.add(enc);
      out.add(enc.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  // Very short secrets make short variants; never redact the empty string.
  return [...out].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
}

/** Replaces every variant of every secret by `[redacted]` (longest first). Linear per variant. */
export function makeRedactor(secrets: readonly string[], replacements: readonly (readonly [string, string])[] = []): (s: string) => string {
  const variants = [...new Set(secrets.filter((x) => x.length > 0).flatMap(secretVariants))].sort((a, b) => b.length - a.length);
  return (s) => {
    let t = s;
    for (const [from, to] of replacements) if (from.length > 0) t = t.split(from).join(to);
    for (const v of variants) t = t.split(v).join('[redacted]');
    return t;
  };
}
