/**
 * The encrypted on-device store: JSON records sealed with AES-256-GCM under a random data key,
 * which is itself wrapped by a key derived from the patient's passphrase (PBKDF2-SHA-256).
 * Uses the platform's WebCrypto (`globalThis.crypto.subtle`) only: no hand-written
 * cryptography, no `node:` modules, so it runs in browsers and in Node ≥ 20 alike.
 *
 * Layout in the backend:
 * - `n1kit.keyring`: the key header `{ format, version, keyVersion, kdf, wrap: { iv, key } }`
 *   (KDF parameters and salt in the clear, the data key wrapped with AES-GCM, the header's
 *   own fields bound as additional authenticated data; during `rotateKey` also `previous`,
 *   the old data key, wrapped the same way);
 * - `n1kit.record:<id>`: one sealed record `{ format, version, id, keyVersion, iv, data }`,
 *   the ciphertext authenticated together with `[format, version, id, keyVersion]`.
 *
 * @packageDocumentation
 */
import { N1kitError } from '../errors.js';
import { fail, integer, nonEmptyString, plainObject, setOwn } from '../validate.js';
import type { StorageBackend } from './backend.js';
import { assertJsonValue, fromBase64, fromUtf8, toBase64, utf8 } from './encoding.js';
import { DecryptionError } from './errors.js';

/**
 * Default PBKDF2-HMAC-SHA-256 iteration count of {@link createEncryptedStore}: 600,000.
 *
 * @example
 * ```ts
 * DEFAULT_KDF_ITERATIONS; // returns 600000
 * ```
 * @see OWASP Password Storage Cheat Sheet (PBKDF2-HMAC-SHA-256: 600,000 iterations).
 */
export const DEFAULT_KDF_ITERATIONS = 600_000;

const KEYRING_KEY = 'n1kit.keyring';
const RECORD_PREFIX = 'n1kit.record:';
/** The sealed name secret of backends that hide record ids ({@link StorageBackend.bindNameKey}). */
const NAMES_KEY = 'n1kit.names';
const KEYRING_FORMAT = 'n1kit.keyring';
const RECORD_FORMAT = 'n1kit.record';
const BACKUP_FORMAT = 'n1kit.backup';
/** Version of the sealed-record and key-header formats (bound into every record's AAD). */
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const SALT_BYTES = 16;
const MAX_ID_LENGTH = 1024;
const REDACTED = '[redacted]';
/** Largest PBKDF2 iteration count accepted, when writing a header and when reading one (a tampered header cannot hang the open). */
const MAX_KDF_ITERATIONS = 10_000_000;
/** Salt lengths accepted in a stored header, in bytes. */
const MIN_SALT_BYTES = 16;
const MAX_SALT_BYTES = 1024;
/** A wrapped AES-256 key: 32 bytes of key and a 16-byte tag. */
const WRAPPED_KEY_BYTES = 48;
/**
 * Largest record, as UTF-8 bytes of its JSON (64 MiB): refused at `put`, so whatever was
 * stored can always be read back, re-sealed by `rotateKey` and carried by a backup.
 */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Key-derivation settings for a passphrase store.
 * @see OWASP Password Storage Cheat Sheet (PBKDF2-HMAC-SHA-256, ≥ 600,000 iterations).
 */
export interface EncryptedStoreKdf {
  /** @defaultValue `'PBKDF2'` (the only KDF WebCrypto offers everywhere) */
  readonly name?: 'PBKDF2';
  /** @defaultValue `'SHA-256'` */
  readonly hash?: 'SHA-256';
  /**
   * PBKDF2 iterations used when a key header is written (new store, passphrase change).
   * Opening an existing store always uses the iterations stored in its header. Lower it only
   * in tests.
   * @defaultValue {@link DEFAULT_KDF_ITERATIONS} (600,000)
   */
  readonly iterations?: number;
}

/** Options of {@link createEncryptedStore}: a backend and exactly one of `passphrase` or `key`. */
export interface EncryptedStoreOptions {
  /** Where sealed records live. */
  readonly backend: StorageBackend;
  /** The patient's passphrase; the data key is wrapped by a key derived from it. */
  readonly passphrase?: string;
  /**
   * Instead of a passphrase: a 256-bit key-encryption key, as 32 raw bytes or an AES-GCM
   * `CryptoKey` with usages `wrapKey` and `unwrapKey` (e.g. from a platform keystore).
   */
  readonly key?: Uint8Array | CryptoKey;
  /** Key derivation for passphrases. */
  readonly kdf?: EncryptedStoreKdf;
}

/** Options of {@link EncryptedStore.importBackup}. */
export interface ImportBackupOptions {
  /**
   * The passphrase the backup was made under, when it differs from this store's (or its key
   * header has another salt, e.g. a backup from another device).
   * @defaultValue this store's own passphrase or key
   */
  readonly passphrase?: string;
  /** The key the backup was made under, for key-based stores. */
  readonly key?: Uint8Array | CryptoKey;
  /**
   * Replace records that exist in both the store and the backup. When false, such a conflict
   * throws before anything is written.
   * @defaultValue false
   */
  readonly overwrite?: boolean;
}

/** An encrypted store of JSON records. Every method is async; calls run one at a time. */
export interface EncryptedStore {
  /** Seals `value` (JSON data) under `id`, replacing any previous record with that id. Bad input rejects (never throws synchronously). */
  put(id: string, value: unknown): Promise<void>;
  /** Opens the record `id`; undefined when there is none. Throws {@link DecryptionError} when it does not verify. */
  get<T = unknown>(id: string): Promise<T | undefined>;
  /** The ids of every record, sorted. */
  list(): Promise<string[]>;
  /** Removes the record `id` (no error when absent). */
  delete(id: string): Promise<void>;
  /** Re-wraps the data key under a new passphrase; no record is re-encrypted. */
  changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void>;
  /**
   * Replaces the data key by a new random one (key version + 1) and re-seals every record
   * under it. Crash-safe: until it finishes, the header holds both keys, so every record stays
   * readable; calling it again completes an interrupted rotation. Afterwards, records sealed
   * under the old key are rejected (`'unsupported-version'`), so they cannot be rolled back in.
   */
  rotateKey(): Promise<{ readonly keyVersion: number; readonly resealed: number }>;
  /** The whole store in its encrypted form (key header and sealed records), as a JSON string. */
  exportBackup(): Promise<string>;
  /** Verifies every record of a backup, then re-seals them into this store. */
  importBackup(backup: string, options?: ImportBackupOptions): Promise<{ readonly imported: number }>;
  /** What `JSON.stringify(store)` shows: no secret, only public parameters. */
  toJSON(): { readonly kind: 'n1kit.encryptedStore'; readonly keyVersion: number; readonly kdf: string; readonly iterations?: number };
}

type KdfHeader =
  | { readonly name: 'PBKDF2'; readonly hash: 'SHA-256'; readonly iterations: number; readonly salt: string }
  | { readonly name: 'raw-key' };

interface KeyringHeader {
  readonly format: typeof KEYRING_FORMAT;
  readonly version: number;
  readonly keyVersion: number;
  readonly kdf: KdfHeader;
  readonly wrap: WrappedKey;
  /** During a key rotation only: the previous data key, still needed by records not yet re-sealed. */
  readonly previous?: WrappedKey & { readonly keyVersion: number };
}

interface WrappedKey {
  readonly iv: string;
  readonly key: string;
}

interface Secret {
  readonly passphrase?: string;
  readonly key?: Uint8Array | CryptoKey;
}

function subtle(fn: string): SubtleCrypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c === undefined || c.subtle === undefined || typeof c.getRandomValues !== 'function') {
    throw new N1kitError('E_INTERNAL', `${fn}: WebCrypto (globalThis.crypto.subtle) is not available in this runtime`, { fn });
  }
  return c.subtle;
}

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

function checkPassphrase(fn: string, field: string, value: unknown): string {
  // Never echo a passphrase, not even a malformed one.
  if (typeof value !== 'string' || value.length === 0) fail(fn, field, 'must be a non-empty string', REDACTED);
  // PBKDF2's HMAC pads short keys with zero bytes: 'pw' and 'pw\u0000' would derive the same key.
  if (value.includes('\u0000')) fail(fn, field, 'must not contain NUL characters (U+0000)', REDACTED);
  return value.normalize('NFC');
}

function checkId(fn: string, id: unknown): string {
  nonEmptyString(fn, 'id', id);
  if ((id as string).length > MAX_ID_LENGTH) fail(fn, 'id', `must be at most ${MAX_ID_LENGTH} characters`, (id as string).length);
  return id as string;
}

function resolveKdf(fn: string, kdf: EncryptedStoreKdf | undefined): { iterations: number } {
  if (kdf === undefined) return { iterations: DEFAULT_KDF_ITERATIONS };
  plainObject(fn, 'kdf', kdf);
  if (kdf.name !== undefined && kdf.name !== 'PBKDF2') fail(fn, 'kdf.name', "must be 'PBKDF2'", kdf.name);
  if (kdf.hash !== undefined && kdf.hash !== 'SHA-256') fail(fn, 'kdf.hash', "must be 'SHA-256'", kdf.hash);
  const iterations = kdf.iterations === undefined ? DEFAULT_KDF_ITERATIONS : integer(fn, 'kdf.iterations', kdf.iterations, 1, MAX_KDF_ITERATIONS);
  return { iterations };
}

/** A Uint8Array from any realm (an iframe's or a vm context's too). */
function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || (ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]');
}

function checkSecret(fn: string, o: Secret, required: boolean): Secret {
  const hasP = o.passphrase !== undefined;
  const hasK = o.key !== undefined;
  if (hasP && hasK) fail(fn, 'passphrase', 'must not be given together with `key`', REDACTED);
  if (!hasP && !hasK) {
    if (required) fail(fn, 'passphrase', 'or `key` is required', undefined);
    return {};
  }
  if (hasP) return { passphrase: checkPassphrase(fn, 'passphrase', o.passphrase) };
  const k = o.key;
  if (isBytes(k)) {
    if (k.byteLength !== 32) fail(fn, 'key', 'must be 32 bytes (256 bits)', `${k.byteLength} bytes`);
    return { key: k };
  }
  if (typeof k === 'object' && k !== null && (k as CryptoKey).type === 'secret') {
    const ck = k as CryptoKey;
    const alg = ck.algorithm as AesKeyAlgorithm;
    if (alg.name !== 'AES-GCM' || alg.length !== 256 || !ck.usages.includes('wrapKey') || !ck.usages.includes('unwrapKey')) {
      fail(fn, 'key', "must be an AES-GCM 256-bit CryptoKey with usages 'wrapKey' and 'unwrapKey'", `${alg.name}/${alg.length}`);
    }
    return { key: ck };
  }
  return fail(fn, 'key', 'must be 32 raw bytes or a CryptoKey', REDACTED);
}

async function keyEncryptionKey(fn: string, secret: Secret, kdf: KdfHeader): Promise<CryptoKey> {
  const s = subtle(fn);
  if (kdf.name === 'raw-key') {
    if (secret.key === undefined) fail(fn, 'key', 'is required: this store was created with a key, not a passphrase', undefined);
    if (isBytes(secret.key)) {
      return s.importKey('raw', new Uint8Array(secret.key), { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
    }
    return secret.key;
  }
  if (secret.passphrase === undefined) fail(fn, 'passphrase', 'is required: this store was created with a passphrase, not a key', undefined);
  const salt = fromBase64(kdf.salt);
  if (salt === undefined) throw new DecryptionError(`${fn}: the key header's salt is malformed`, 'malformed', { fn, field: 'keyring' });
  const base = await s.importKey('raw', utf8(secret.passphrase), { name: 'PBKDF2' }, false, ['deriveKey']);
  return s.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: kdf.iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

function keyringAad(keyVersion: number, kdf: KdfHeader): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify([KEYRING_FORMAT, FORMAT_VERSION, keyVersion, kdf]));
}

function recordAad(id: string, keyVersion: number): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify([RECORD_FORMAT, FORMAT_VERSION, id, keyVersion]));
}

function newKdfHeader(secret: Secret, iterations: number): KdfHeader {
  return secret.passphrase !== undefined
    ? { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(randomBytes(SALT_BYTES)) }
    : { name: 'raw-key' };
}

function parseKeyring(fn: string, text: string): KeyringHeader {
  const bad = (what: string): never => {
    throw new DecryptionError(`${fn}: the key header is malformed (${what}); nothing was changed`, 'malformed', { fn, field: 'keyring' });
  };
  let h: unknown;
  try {
    h = JSON.parse(text);
  } catch {
    return bad('not JSON: truncated or corrupted');
  }
  if (typeof h !== 'object' || h === null) return bad('not an object');
  const k = h as Record<string, unknown>;
  if (k.format !== KEYRING_FORMAT) return bad('unknown format');
  if (k.version !== FORMAT_VERSION) {
    throw new DecryptionError(`${fn}: key header version ${String(k.version)} is not supported`, 'unsupported-version', { fn, field: 'keyring' });
  }
  if (!Number.isSafeInteger(k.keyVersion) || (k.keyVersion as number) < 1) return bad('keyVersion');
  const kdf = k.kdf as Record<string, unknown> | null;
  if (typeof kdf !== 'object' || kdf === null) return bad('kdf');
  if (kdf.name === 'PBKDF2') {
    // Every parameter read from storage is bounded before any key is derived from it.
    if (kdf.hash !== 'SHA-256') return bad('kdf hash');
    const it = kdf.iterations;
    if (typeof it !== 'number' || !Number.isSafeInteger(it) || it < 1 || it > MAX_KDF_ITERATIONS) return bad(`kdf iterations outside [1, ${MAX_KDF_ITERATIONS}]`);
    if (typeof kdf.salt !== 'string' || kdf.salt.length > 4 * MAX_SALT_BYTES) return bad('salt');
    const salt = fromBase64(kdf.salt);
    if (salt === undefined || salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) return bad('salt');
  } else if (kdf.name !== 'raw-key') return bad('kdf name');
  const wrap = k.wrap as Record<string, unknown> | null;
  if (typeof wrap !== 'object' || wrap === null) return bad('wrap');
  if (fromBase64(wrap.iv)?.length !== IV_BYTES || fromBase64(wrap.key)?.length !== WRAPPED_KEY_BYTES) return bad('wrapped key');
  let previous: (WrappedKey & { keyVersion: number }) | undefined;
  if (k.previous !== undefined) {
    const p = k.previous as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null) return bad('previous');
    if (!Number.isSafeInteger(p.keyVersion) || (p.keyVersion as number) < 1 || (p.keyVersion as number) >= (k.keyVersion as number)) return bad('previous keyVersion');
    if (fromBase64(p.iv)?.length !== IV_BYTES || fromBase64(p.key)?.length !== WRAPPED_KEY_BYTES) return bad('previous wrapped key');
    previous = { keyVersion: p.keyVersion as number, iv: p.iv as string, key: p.key as string };
  }
  const canonicalKdf: KdfHeader =
    kdf.name === 'PBKDF2'
      ? { name: 'PBKDF2', hash: 'SHA-256', iterations: kdf.iterations as number, salt: kdf.salt as string }
      : { name: 'raw-key' };
  return {
    format: KEYRING_FORMAT,
    version: FORMAT_VERSION,
    keyVersion: k.keyVersion as number,
    kdf: canonicalKdf,
    wrap: { iv: wrap.iv as string, key: wrap.key as string },
    ...(previous === undefined ? {} : { previous }),
  };
}

async function wrapKey(fn: string, dataKey: CryptoKey, kek: CryptoKey, keyVersion: number, kdf: KdfHeader): Promise<WrappedKey> {
  const iv = randomBytes(IV_BYTES);
  const wrapped = await subtle(fn).wrapKey('raw', dataKey, kek, { name: 'AES-GCM', iv, additionalData: keyringAad(keyVersion, kdf), tagLength: 128 });
  return { iv: toBase64(iv), key: toBase64(new Uint8Array(wrapped)) };
}

async function wrapDataKey(fn: string, dataKey: CryptoKey, kek: CryptoKey, keyVersion: number, kdf: KdfHeader): Promise<KeyringHeader> {
  return { format: KEYRING_FORMAT, version: FORMAT_VERSION, keyVersion, kdf, wrap: await wrapKey(fn, dataKey, kek, keyVersion, kdf) };
}

/** Every data key of a header (current and, mid-rotation, previous), by key version. */
async function unwrapAll(fn: string, header: KeyringHeader, kek: CryptoKey, extractable: boolean): Promise<Map<number, CryptoKey>> {
  const keys = new Map<number, CryptoKey>([[header.keyVersion, await unwrapDataKey(fn, header, kek, extractable)]]);
  const p = header.previous;
  if (p !== undefined) keys.set(p.keyVersion, await unwrapWrapped(fn, p, p.keyVersion, header.kdf, kek, extractable));
  return keys;
}

function unwrapDataKey(fn: string, header: KeyringHeader, kek: CryptoKey, extractable: boolean): Promise<CryptoKey> {
  return unwrapWrapped(fn, header.wrap, header.keyVersion, header.kdf, kek, extractable);
}

async function unwrapWrapped(fn: string, wrap: WrappedKey, keyVersion: number, kdf: KdfHeader, kek: CryptoKey, extractable: boolean): Promise<CryptoKey> {
  try {
    return await subtle(fn).unwrapKey(
      'raw',
      fromBase64(wrap.key)!,
      kek,
      { name: 'AES-GCM', iv: fromBase64(wrap.iv)!, additionalData: keyringAad(keyVersion, kdf), tagLength: 128 },
      { name: 'AES-GCM', length: 256 },
      extractable,
      ['encrypt', 'decrypt'],
    );
  } catch (cause) {
    throw new DecryptionError(`${fn}: wrong passphrase or key (or a tampered key header); nothing was changed`, 'wrong-passphrase', {
      fn,
      field: 'passphrase',
      cause,
    });
  }
}

function sealRecord(fn: string, dataKey: CryptoKey, keyVersion: number, id: string, value: unknown): Promise<string> {
  return sealBytes(fn, dataKey, keyVersion, id, utf8(JSON.stringify(value)));
}

async function sealBytes(fn: string, dataKey: CryptoKey, keyVersion: number, id: string, plain: Uint8Array<ArrayBuffer>): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const ct = await subtle(fn).encrypt({ name: 'AES-GCM', iv, additionalData: recordAad(id, keyVersion), tagLength: 128 }, dataKey, plain);
  return JSON.stringify({ format: RECORD_FORMAT, version: FORMAT_VERSION, id, keyVersion, iv: toBase64(iv), data: toBase64(new Uint8Array(ct)) });
}

async function openRecord(fn: string, keys: ReadonlyMap<number, CryptoKey>, id: string, sealed: string): Promise<{ value: unknown; keyVersion: number }> {
  const where = { fn, field: 'id', value: id };
  let env: unknown;
  try {
    env = JSON.parse(sealed);
  } catch {
    throw new DecryptionError(`${fn}: record ${JSON.stringify(id)} is malformed (truncated or corrupted)`, 'malformed', where);
  }
  if (typeof env !== 'object' || env === null) throw new DecryptionError(`${fn}: record ${JSON.stringify(id)} is malformed`, 'malformed', where);
  const e = env as Record<string, unknown>;
  if (e.format !== RECORD_FORMAT) throw new DecryptionError(`${fn}: record ${JSON.stringify(id)} is not a sealed n1kit record`, 'malformed', where);
  if (e.version !== FORMAT_VERSION) {
    throw new DecryptionError(`${fn}: record ${JSON.stringify(id)} has unsupported format version ${String(e.version)}`, 'unsupported-version', where);
  }
  if (e.id !== id) {
    throw new DecryptionError(`${fn}: record stored under ${JSON.stringify(id)} belongs to another id (moved or swapped)`, 'wrong-id', where);
  }
  const keyVersion = e.keyVersion as number;
  const dataKey = typeof e.keyVersion === 'number' ? keys.get(keyVersion) : undefined;
  if (dataKey === undefined) {
    throw new DecryptionError(
      `${fn}: record ${JSON.stringify(id)} was sealed under key version ${String(e.keyVersion)}, which this store no longer holds (rolled back?)`,
      'unsupported-version',
      where,
    );
  }
  const iv = fromBase64(e.iv);
  const data = fromBase64(e.data);
  if (iv === undefined || iv.length !== IV_BYTES || data === undefined || data.length < 16) {
    throw new DecryptionError(`${fn}: record ${JSON.stringify(id)} is malformed (IV or ciphertext)`, 'malformed', where);
  }
  let plain: ArrayBuffer;
  try {
    plain = await subtle(fn).decrypt({ name: 'AES-GCM', iv, additionalData: recordAad(id, keyVersion), tagLength: 128 }, dataKey, data);
  } catch (cause) {
    throw new DecryptionError(`${fn}: record ${JSON.stringify(id)} failed authentication (tampered ciphertext, IV or bound data)`, 'tampered', {
      ...where,
      cause,
    });
  }
  try {
    return { value: JSON.parse(fromUtf8(plain)), keyVersion };
  } catch {
    throw new DecryptionError(`${fn}: record ${JSON.stringify(id)} decrypted to invalid JSON`, 'malformed', where);
  }
}

function parseBackup(fn: string, backup: unknown): { keyring: string; records: [string, string][] } {
  if (typeof backup !== 'string') fail(fn, 'backup', 'must be the string from exportBackup()', typeof backup);
  const bad = (what: string): never => {
    throw new DecryptionError(`${fn}: the backup is malformed (${what}); nothing was imported`, 'malformed', { fn, field: 'backup' });
  };
  let b: unknown;
  try {
    b = JSON.parse(backup);
  } catch {
    return bad('not JSON: truncated or corrupted');
  }
  if (typeof b !== 'object' || b === null) return bad('not an object');
  const o = b as Record<string, unknown>;
  if (o.format !== BACKUP_FORMAT) return bad('unknown format');
  if (o.version !== FORMAT_VERSION) {
    throw new DecryptionError(`${fn}: backup version ${String(o.version)} is not supported`, 'unsupported-version', { fn, field: 'backup' });
  }
  if (typeof o.keyring !== 'string') return bad('keyring');
  const recs = o.records;
  if (typeof recs !== 'object' || recs === null || Array.isArray(recs)) return bad('records');
  const records: [string, string][] = [];
  // Object.keys includes an own '__proto__' (JSON.parse makes it one).
  for (const id of Object.keys(recs)) {
    const v = Object.getOwnPropertyDescriptor(recs, id)?.value;
    if (typeof v !== 'string') return bad(`record ${JSON.stringify(id)}`);
    records.push([id, v]);
  }
  return { keyring: o.keyring, records };
}

/**
 * Opens (or, on an empty backend, creates) an encrypted store of JSON records.
 *
 * Each record is sealed with AES-256-GCM under a random 256-bit data key with a fresh random
 * 96-bit IV per write and a 128-bit tag; the record id, format (schema) version and key
 * version are bound as additional authenticated data, so a record moved to another id, edited,
 * or replayed from another key version is detected. The data key is wrapped (AES-GCM) by a key
 * derived from the passphrase with PBKDF2-HMAC-SHA-256 (600,000 iterations and a random 128-bit
 * salt by default; the parameters are stored in the key header), so `changePassphrase`
 * re-wraps one key and re-encrypts nothing. Neither the passphrase nor any key is kept in a
 * readable property, an error message or `JSON.stringify(store)`.
 *
 * With at most 2³² writes per data key the chance of an IV collision stays below NIST's 2⁻³²
 * bound (SP 800-38D §8.3).
 *
 * Sizes: a record of up to 64 MiB (its JSON as UTF-8) nested up to 256 levels is accepted and
 * always reads back (larger ones are refused by `put`, never by `get`). A key header or backup
 * read from storage is bounded before use: PBKDF2 iterations in [1, 10,000,000], salts of 16 to
 * 1024 bytes; anything else is a `DecryptionError` (`'malformed'`), never a hang. A passphrase
 * must not contain NUL characters (HMAC's zero padding would make `'pw'` and `'pw\0'` the
 * same key).
 *
 * Limits: the binding detects records moved between ids, edited, or sealed under a key version
 * the store no longer holds (after `rotateKey`); it cannot detect an older ciphertext of the same id, under the same key, being put
 * back (a replay), nor a rollback of the whole backend to an earlier snapshot: that needs
 * trusted monotonic state outside the backend. All calls on one store run one at a time; two
 * store objects on one backend (e.g. two tabs) are not coordinated.
 *
 * @param options - `backend` and exactly one of `passphrase` or `key`; `kdf` for tests
 * @returns the store
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) on bad options
 * @throws DecryptionError (`'E_DECRYPT'`) when the passphrase or key is wrong, or the key header
 *   is malformed, or records exist without a key header; nothing stored is changed
 * @example
 * ```ts
 * const store = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'correct horse battery staple' });
 * await store.put('day-1', { day: 1, pain: 3 });
 * await store.get('day-1'); // returns { day: 1, pain: 3 }
 * ```
 * @see NIST SP 800-38D (2007), GCM: 96-bit IVs, §8.2.2 random IV construction, §8.3 invocation limit.
 * @see OWASP Password Storage Cheat Sheet (PBKDF2-HMAC-SHA-256, 600,000 iterations).
 * @see W3C Web Cryptography API (SubtleCrypto wrapKey/unwrapKey, AES-GCM, PBKDF2).
 */
export async function createEncryptedStore(options: EncryptedStoreOptions): Promise<EncryptedStore> {
  const fn = 'createEncryptedStore';
  plainObject(fn, 'options', options);
  const backend = options.backend;
  if (
    typeof backend !== 'object' ||
    backend === null ||
    typeof backend.get !== 'function' ||
    typeof backend.set !== 'function' ||
    typeof backend.delete !== 'function' ||
    typeof backend.keys !== 'function'
  ) {
    fail(fn, 'backend', 'must implement get, set, delete and keys', typeof backend);
  }
  const { iterations } = resolveKdf(fn, options.kdf);
  const secret = checkSecret(fn, options, true);
  subtle(fn);

  let header: KeyringHeader;
  let kek: CryptoKey;
  /** Data keys by key version: the current one and, mid-rotation, the previous one. */
  let keys: Map<number, CryptoKey>;
  const existing = await backend.get(KEYRING_KEY);
  if (existing === undefined) {
    const stored = await backend.keys();
    if (stored.some((k) => k.startsWith(RECORD_PREFIX))) {
      throw new DecryptionError(`${fn}: the backend holds records but no key header; refusing to create a new key over them`, 'malformed', {
        fn,
        field: 'keyring',
      });
    }
    const kdf = newKdfHeader(secret, iterations);
    kek = await keyEncryptionKey(fn, secret, kdf);
    const extractable = await subtle(fn).generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
    header = await wrapDataKey(fn, extractable, kek, 1, kdf);
    // Re-import non-extractable for everyday use.
    keys = await unwrapAll(fn, header, kek, false);
    await backend.set(KEYRING_KEY, JSON.stringify(header));
  } else {
    header = parseKeyring(fn, existing);
    kek = await keyEncryptionKey(fn, secret, header.kdf);
    keys = await unwrapAll(fn, header, kek, false);
  }
  const currentKey = (): CryptoKey => keys.get(header.keyVersion)!;
  if (typeof backend.bindNameKey === 'function') {
    // A backend that hides record ids gets a secret of its own, sealed like a record.
    const sealed = await backend.get(NAMES_KEY);
    let secret = sealed === undefined ? undefined : fromBase64((await openRecord(fn, keys, NAMES_KEY, sealed)).value);
    if (sealed !== undefined && secret?.length !== 32) throw new DecryptionError(`${fn}: the name secret is malformed`, 'malformed', { fn, field: 'keyring' });
    if (secret === undefined) {
      secret = randomBytes(32);
      await backend.set(NAMES_KEY, await sealRecord(fn, currentKey(), header.keyVersion, NAMES_KEY, toBase64(secret)));
    }
    await backend.bindNameKey(secret);
  }

  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const recordIds = async (): Promise<string[]> =>
    (await backend.keys())
      .filter((k) => k.startsWith(RECORD_PREFIX))
      .map((k) => k.slice(RECORD_PREFIX.length))
      .sort();
  const readHeader = async (f: string): Promise<KeyringHeader> => {
    const current = await backend.get(KEYRING_KEY);
    if (current === undefined) throw new DecryptionError(`${f}: the key header is missing`, 'malformed', { fn: f, field: 'keyring' });
    return parseKeyring(f, current);
  };

  const store: EncryptedStore = {
    async put(id, value) {
      checkId('put', id);
      assertJsonValue('put', 'value', value);
      const plain = utf8(JSON.stringify(value));
      if (plain.length > MAX_RECORD_BYTES) fail('put', 'value', `must be at most ${MAX_RECORD_BYTES} bytes as JSON`, `${plain.length} bytes`);
      return exclusive(async () => {
        await backend.set(RECORD_PREFIX + id, await sealBytes('put', currentKey(), header.keyVersion, id, plain));
      });
    },
    async get<T>(id: string) {
      checkId('get', id);
      return exclusive(async () => {
        const sealed = await backend.get(RECORD_PREFIX + id);
        if (sealed === undefined) return undefined;
        return (await openRecord('get', keys, id, sealed)).value as T;
      });
    },
    async list() {
      return exclusive(recordIds);
    },
    async delete(id) {
      checkId('delete', id);
      return exclusive(() => backend.delete(RECORD_PREFIX + id));
    },
    async changePassphrase(oldPassphrase, newPassphrase) {
      const f = 'changePassphrase';
      const oldP = checkPassphrase(f, 'oldPassphrase', oldPassphrase);
      const newP = checkPassphrase(f, 'newPassphrase', newPassphrase);
      if (header.kdf.name !== 'PBKDF2') fail(f, 'store', 'was created with a key, not a passphrase', undefined);
      return exclusive(async () => {
        // Re-read the header so a concurrent writer's header is not silently replaced.
        const h = await readHeader(f);
        const oldKek = await keyEncryptionKey(f, { passphrase: oldP }, h.kdf);
        const raw = await unwrapAll(f, h, oldKek, true);
        const kdf = newKdfHeader({ passphrase: newP }, iterations);
        const newKek = await keyEncryptionKey(f, { passphrase: newP }, kdf);
        const next: KeyringHeader = await wrapDataKey(f, raw.get(h.keyVersion)!, newKek, h.keyVersion, kdf);
        const p = h.previous;
        const full: KeyringHeader =
          p === undefined ? next : { ...next, previous: { keyVersion: p.keyVersion, ...(await wrapKey(f, raw.get(p.keyVersion)!, newKek, p.keyVersion, kdf)) } };
        await backend.set(KEYRING_KEY, JSON.stringify(full));
        header = full;
        kek = newKek;
      });
    },
    async rotateKey() {
      const f = 'rotateKey';
      return exclusive(async () => {
        let h = await readHeader(f);
        if (h.wrap.key !== header.wrap.key) {
          throw new DecryptionError(`${f}: the key header changed under this store; reopen it first`, 'unsupported-version', { fn: f, field: 'keyring' });
        }
        if (h.previous === undefined) {
          // Step 1: a header holding both the new key and the old one.
          const fresh = await subtle(f).generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
          const v = h.keyVersion + 1;
          h = { ...h, keyVersion: v, wrap: await wrapKey(f, fresh, kek, v, h.kdf), previous: { keyVersion: h.keyVersion, ...h.wrap } };
          const both = await unwrapAll(f, h, kek, false);
          await backend.set(KEYRING_KEY, JSON.stringify(h));
          header = h;
          keys = both;
        }
        // Step 2: re-seal every record still under the previous key (an interrupted rotation resumes here).
        let resealed = 0;
        for (const id of await recordIds()) {
          const sealed = await backend.get(RECORD_PREFIX + id);
          if (sealed === undefined) continue;
          const opened = await openRecord(f, keys, id, sealed);
          if (opened.keyVersion === h.keyVersion) continue;
          await backend.set(RECORD_PREFIX + id, await sealRecord(f, currentKey(), h.keyVersion, id, opened.value));
          resealed++;
        }
        const names = await backend.get(NAMES_KEY);
        const namesOpened = names === undefined ? undefined : await openRecord(f, keys, NAMES_KEY, names);
        if (namesOpened !== undefined && namesOpened.keyVersion !== h.keyVersion) {
          await backend.set(NAMES_KEY, await sealRecord(f, currentKey(), h.keyVersion, NAMES_KEY, namesOpened.value));
        }
        // Step 3: drop the previous key; records sealed under it are now refused.
        const { previous: _dropped, ...done } = h;
        await backend.set(KEYRING_KEY, JSON.stringify(done));
        header = done;
        keys = new Map([[done.keyVersion, currentKey()]]);
        return { keyVersion: done.keyVersion, resealed };
      });
    },
    async exportBackup() {
      return exclusive(async () => {
        const keyring = await backend.get(KEYRING_KEY);
        if (keyring === undefined) throw new DecryptionError('exportBackup: the key header is missing', 'malformed', { fn: 'exportBackup', field: 'keyring' });
        const records: Record<string, string> = {};
        for (const id of await recordIds()) {
          const v = await backend.get(RECORD_PREFIX + id);
          if (v !== undefined) setOwn(records, id, v); // an id '__proto__' stays a record
        }
        return JSON.stringify({ format: BACKUP_FORMAT, version: FORMAT_VERSION, keyring, records });
      });
    },
    async importBackup(backup, opts = {}) {
      const f = 'importBackup';
      plainObject(f, 'options', opts);
      const parsed = parseBackup(f, backup);
      const given = checkSecret(f, opts, false);
      const overwrite = opts.overwrite === undefined ? false : opts.overwrite;
      if (typeof overwrite !== 'boolean') fail(f, 'overwrite', 'must be a boolean', overwrite);
      return exclusive(async () => {
        const h = parseKeyring(f, parsed.keyring);
        let backupKeys: ReadonlyMap<number, CryptoKey>;
        if (given.passphrase !== undefined || given.key !== undefined) {
          backupKeys = await unwrapAll(f, h, await keyEncryptionKey(f, given, h.kdf), false);
        } else if (h.kdf.name === header.kdf.name && JSON.stringify(h.kdf) === JSON.stringify(header.kdf)) {
          backupKeys = await unwrapAll(f, h, kek, false); // same passphrase and salt (or same raw key)
        } else {
          return fail(f, 'passphrase', 'is required: the backup was made under another passphrase or salt', undefined);
        }
        const values: [string, unknown][] = [];
        for (const [id, sealed] of parsed.records) {
          checkId(f, id);
          values.push([id, (await openRecord(f, backupKeys, id, sealed)).value]);
        }
        if (!overwrite) {
          const have = new Set(await backend.keys());
          const clash = values.filter(([id]) => have.has(RECORD_PREFIX + id)).map(([id]) => id);
          if (clash.length > 0) fail(f, 'overwrite', `must be true to replace existing records (${clash.length} conflict)`, clash.slice(0, 5));
        }
        for (const [id, value] of values) {
          await backend.set(RECORD_PREFIX + id, await sealRecord(f, currentKey(), header.keyVersion, id, value));
        }
        return { imported: values.length };
      });
    },
    toJSON() {
      return header.kdf.name === 'PBKDF2'
        ? { kind: 'n1kit.encryptedStore', keyVersion: header.keyVersion, kdf: 'PBKDF2-SHA-256', iterations: header.kdf.iterations }
        : { kind: 'n1kit.encryptedStore', keyVersion: header.keyVersion, kdf: 'raw-key' };
    },
  };
  return store;
}
