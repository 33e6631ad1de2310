/**
 * Byte/string helpers that use only what browsers and Node both provide (`btoa`, `atob`,
 * `TextEncoder`, `TextDecoder`).
 *
 * @packageDocumentation
 */
import { fail, LIMITS } from '../validate.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → 6-bit value, or −1 for a character outside the alphabet. */
const DECODE = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // '='

/**
 * Standard base64 (RFC 4648 §4, with padding) of `bytes`, in linear time and constant stack
 * for any length (ASCII bytes decoded once: no spread into arguments, no recursion).
 */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = ENCODE[v >>> 18] as number;
    out[o++] = ENCODE[(v >>> 12) & 63] as number;
    out[o++] = ENCODE[(v >>> 6) & 63] as number;
    out[o++] = ENCODE[v & 63] as number;
  }
  if (n - i >= 1) {
    const v = ((bytes[i] as number) << 16) | (n - i === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out[o++] = ENCODE[v >>> 18] as number;
    out[o++] = ENCODE[(v >>> 12) & 63] as number;
    out[o++] = n - i === 2 ? (ENCODE[(v >>> 6) & 63] as number) : PAD;
    out[o++] = PAD;
  }
  return new TextDecoder().decode(out);
}

function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? (DECODE[c] as number) : -1;
}

/**
 * Decodes standard base64; returns undefined for anything that is not canonical base64
 * (length a multiple of 4, padding only at the end, zero bits after the last byte). Linear
 * time and constant stack for any length.
 */
export function fromBase64(s: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof s !== 'string' || s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  const full = pad === 0 ? s.length : s.length - 4;
  for (let i = 0; i < full; i += 4) {
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    const c = sextet(s, i + 2);
    const d = sextet(s, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad > 0) {
    const a = sextet(s, full);
    const b = sextet(s, full + 1);
    if ((a | b) < 0) return undefined;
    if (pad === 2) {
      if ((b & 15) !== 0) return undefined;
      out[o++] = (a << 2) | (b >>> 4);
    } else {
      const c = sextet(s, full + 2);
      if (c < 0 || (c & 3) !== 0) return undefined;
      const v = (a << 18) | (b << 12) | (c << 6);
      out[o++] = v >>> 16;
      out[o++] = (v >>> 8) & 255;
    }
  }
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
 * functions, class instances, getters, holes or cycles), nested at most
 * {@link LIMITS}.jsonDepth deep. Iterative: no input can overflow the stack.
 */
export function assertJsonValue(fn: string, field: string, value: unknown): void {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: field, depth: 0 }];
  const onPath = new Set<object>();
  // Post-order markers leave `onPath` (cycle detection along the current path, like the recursion did).
  const exits: { obj: object; at: number }[] = [];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    while (exits.length > 0 && exits[exits.length - 1]!.at > stack.length) onPath.delete(exits.pop()!.obj);
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(fn, path, 'must hold only finite numbers (JSON)', v);
      continue;
    }
    if (typeof v !== 'object') fail(fn, path, 'must be JSON data (object, array, string, number, boolean, null)', typeof v);
    if (depth >= LIMITS.jsonDepth) fail(fn, path, `must be nested at most ${LIMITS.jsonDepth} levels deep`, '[deep]');
    if (onPath.has(v)) fail(fn, path, 'must not contain cycles', '[cycle]');
    const children: { v: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) fail(fn, `${path}[${i}]`, 'must not be a hole (sparse arrays are refused)', undefined);
        children.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      }
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) fail(fn, path, 'must be a plain object', Object.prototype.toString.call(v));
      for (const k of Object.keys(v)) {
        const d = Object.getOwnPropertyDescriptor(v, k)!;
        if (d.get !== undefined || d.set !== undefined) fail(fn, `${path}.${k}`, 'must be a data property (no getters)', undefined);
        children.push({ v: d.value, path: `${path}.${k}`, depth: depth + 1 });
      }
    }
    onPath.add(v);
    exits.push({ obj: v, at: stack.length });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}
