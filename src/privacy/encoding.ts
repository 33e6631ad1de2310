/**
 * Byte/string helpers that use only what browsers and Node both provide (`btoa`, `atob`,
 * `TextEncoder`, `TextDecoder`).
 *
 * @packageDocumentation
 */
import { fail } from '../validate.js';

const CHUNK = 0x8000;

/** Standard base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(s);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard base64; returns undefined for anything that is not canonical base64. */
export function fromBase64(s: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof s !== 'string' || !BASE64.test(s)) return undefined;
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(s);
}

/** Decodes UTF-8, throwing on invalid sequences. */
export function fromUtf8(b: Uint8Array | ArrayBuffer): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(b);
}

/**
 * Checks that `value` survives `JSON.stringify` / `JSON.parse` unchanged: plain objects,
 * arrays, strings, booleans, null and finite numbers only (no undefined, NaN, Infinity,
 * functions, class instances or cycles).
 */
export function assertJsonValue(fn: string, field: string, value: unknown, seen: Set<object> = new Set()): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(fn, field, 'must hold only finite numbers (JSON)', value);
    return;
  }
  if (typeof value !== 'object') fail(fn, field, 'must be JSON data (object, array, string, number, boolean, null)', typeof value);
  if (seen.has(value)) fail(fn, field, 'must not contain cycles', '[cycle]');
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertJsonValue(fn, `${field}[${i}]`, value[i], seen);
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) fail(fn, field, 'must be a plain object', Object.prototype.toString.call(value));
    for (const [k, v] of Object.entries(value)) assertJsonValue(fn, `${field}.${k}`, v, seen);
  }
  seen.delete(value);
}
