/**
 * A {@link StorageBackend} over the browser's IndexedDB, for the encrypted diary on the
 * patient's device (browsers, React Native / Capacitor webviews).
 *
 * Built on the raw IndexedDB API rather than a wrapper such as `idb`: the backend needs four
 * operations (get, put, delete, list), each one request in one transaction, so a wrapper would
 * add a dependency and no safety. Every `set` and `delete` is one `readwrite` transaction with
 * `durability: 'strict'`, and the promise resolves on the transaction's `complete` event: a
 * record is written entirely or not at all (IndexedDB transactions are atomic).
 *
 * Record ids are not stored in clear. Only the two fixed entries the store needs before it is
 * unlocked (`n1kit.keyring`, the key header, and `n1kit.names`, the sealed name secret) are
 * kept under their names. Every other entry is kept under HMAC-SHA-256(name key, id) and holds
 * its name and its value encrypted with AES-256-GCM (bound to that HMAC), both keys derived by
 * HKDF-SHA-256 from the secret the encrypted store hands over once unlocked
 * ({@link StorageBackend.bindNameKey}). So the database reveals how many records there are and
 * their sizes, not their ids (dates, kinds) nor the record envelopes.
 *
 * @packageDocumentation
 */
import { N1kitError } from '../errors.js';
import { fail, nonEmptyString, plainObject } from '../validate.js';
import type { StorageBackend } from './backend.js';

/** Options of {@link createIndexedDbBackend}. */
export interface IndexedDbBackendOptions {
  /** The IndexedDB database name (one per store: one patient, one app). */
  readonly database: string;
  /** The object store inside it; default `'n1kit'`. */
  readonly objectStore?: string;
}

/** The IndexedDB backend: a {@link StorageBackend} that can also close its connection. */
export interface IndexedDbBackend extends StorageBackend {
  /** Closes the database connection (the next call reopens it). */
  close(): void;
}

/** Entries the store reads before it can hand over the name secret: kept under their names. */
const CLEAR_NAMES: ReadonlySet<string> = new Set(['n1kit.keyring', 'n1kit.names']);
const CLEAR = 'c:';
const HIDDEN = 'h:';
const IV_BYTES = 12;

interface HiddenRow {
  readonly nameIv: Uint8Array;
  readonly name: ArrayBuffer;
  readonly valueIv: Uint8Array;
  readonly value: ArrayBuffer;
}

interface NameKeys {
  readonly hmac: CryptoKey;
  readonly aes: CryptoKey;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

const toHex = (b: ArrayBuffer): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/**
 * Creates a {@link StorageBackend} over IndexedDB for {@link createEncryptedStore}: atomic per
 * record, durable across browser restarts, with record ids kept as HMACs (see the module notes).
 * The database opens on first use.
 *
 * @param options - `{ database, objectStore? }`
 * @returns the backend (also `close()`)
 * @throws ValidationError (`E_INVALID_ARGUMENT`) when `database` or `objectStore` is not a
 *   non-empty string; N1kitError (`E_INTERNAL`) on first use when the runtime has no
 *   IndexedDB, or a hidden entry is used before the store handed over its name secret
 * @example
 * ```ts
 * import { createEncryptedStore, createIndexedDbBackend } from 'n1kit';
 * const store = await createEncryptedStore({
 *   backend: createIndexedDbBackend({ database: 'diary-alice' }),
 *   passphrase: 'correct horse battery staple',
 * });
 * await store.put('2026-12-01', { pain: 3 }); // the database holds an HMAC, not "2026-12-01"
 * ```
 * @see W3C, Indexed Database API 3.0 (transactions are atomic; `durability: 'strict'`).
 * @see RFC 2104 (HMAC), RFC 5869 (HKDF), NIST SP 800-38D (AES-GCM).
 */
export function createIndexedDbBackend(options: IndexedDbBackendOptions): IndexedDbBackend {
  const fn = 'createIndexedDbBackend';
  plainObject(fn, 'options', options);
  const database = nonEmptyString(fn, 'database', options.database);
  const objectStore = options.objectStore === undefined ? 'n1kit' : nonEmptyString(fn, 'objectStore', options.objectStore);
  let db: Promise<IDBDatabase> | undefined;
  let names: NameKeys | undefined;

  const open = (): Promise<IDBDatabase> => {
    if (db !== undefined) return db;
    const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (idb === undefined) {
      return Promise.reject(new N1kitError('E_INTERNAL', `${fn}: IndexedDB is not available in this runtime`, { fn }));
    }
    const r = idb.open(database, 1);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(objectStore)) r.result.createObjectStore(objectStore);
    };
    db = request(r).then((d) => {
      d.onversionchange = () => {
        d.close();
        db = undefined;
      };
      return d;
    });
    db.catch(() => {
      db = undefined;
    });
    return db;
  };
  const tx = async (mode: IDBTransactionMode): Promise<{ t: IDBTransaction; s: IDBObjectStore }> => {
    const d = await open();
    const t = d.transaction(objectStore, mode, { durability: 'strict' });
    return { t, s: t.objectStore(objectStore) };
  };
  const keysFor = (f: string): NameKeys => {
    if (names === undefined) {
      throw new N1kitError('E_INTERNAL', `${f}: this IndexedDB backend hides record ids; use it through createEncryptedStore`, { fn: f });
    }
    return names;
  };
  const rowKey = async (key: string): Promise<string> => {
    if (CLEAR_NAMES.has(key)) return CLEAR + key;
    const k = keysFor('IndexedDbBackend');
    return HIDDEN + toHex(await crypto.subtle.sign('HMAC', k.hmac, new TextEncoder().encode(key)));
  };
  const seal = async (k: NameKeys, row: string, text: string): Promise<{ iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer }> => {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(row) }, k.aes, new TextEncoder().encode(text));
    return { iv, data };
  };
  const unseal = async (k: NameKeys, row: string, iv: Uint8Array, data: ArrayBuffer): Promise<string> => {
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(iv), additionalData: new TextEncoder().encode(row) }, k.aes, data);
      return new TextDecoder('utf-8', { fatal: true }).decode(plain);
    } catch (cause) {
      throw new N1kitError('E_DECRYPT', `IndexedDbBackend: entry ${row} failed authentication (tampered or moved)`, { fn: 'IndexedDbBackend', cause });
    }
  };

  return {
    async bindNameKey(secret) {
      if (!(secret instanceof Uint8Array) || secret.length < 32) fail('bindNameKey', 'secret', 'must be at least 32 bytes', secret?.length);
      const base = await crypto.subtle.importKey('raw', new Uint8Array(secret), 'HKDF', false, ['deriveKey']);
      const info = (s: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(s) });
      names = {
        hmac: await crypto.subtle.deriveKey(info('n1kit.indexeddb.names.v1'), base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']),
        aes: await crypto.subtle.deriveKey(info('n1kit.indexeddb.entries.v1'), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
      };
    },
    async get(key) {
      const row = await rowKey(key);
      const { s } = await tx('readonly');
      const v = (await request(s.get(row))) as string | HiddenRow | undefined;
      if (v === undefined) return undefined;
      if (typeof v === 'string') return v;
      return unseal(keysFor('get'), row, v.valueIv, v.value);
    },
    async set(key, value) {
      const row = await rowKey(key);
      let entry: string | HiddenRow = value;
      if (row.startsWith(HIDDEN)) {
        const k = keysFor('set');
        const n = await seal(k, row, key);
        const v = await seal(k, row, value);
        entry = { nameIv: n.iv, name: n.data, valueIv: v.iv, value: v.data };
      }
      const { t, s } = await tx('readwrite');
      s.put(entry, row);
      await done(t);
    },
    async delete(key) {
      const row = await rowKey(key);
      const { t, s } = await tx('readwrite');
      s.delete(row);
      await done(t);
    },
    async keys() {
      const { s } = await tx('readonly');
      const [rows, values] = await Promise.all([request(s.getAllKeys()), request(s.getAll())]);
      const out: string[] = [];
      for (const [i, r] of rows.entries()) {
        const row = String(r);
        const v = values[i] as string | HiddenRow;
        if (row.startsWith(CLEAR)) out.push(row.slice(CLEAR.length));
        // Before the store hands over its secret, hidden entries show only that they exist.
        else if (names === undefined) out.push(`n1kit.record:?${row.slice(HIDDEN.length)}`);
        else if (typeof v !== 'string') out.push(await unseal(names, row, v.nameIv, v.name));
      }
      return out;
    },
    close() {
      const d = db;
      db = undefined;
      void d?.then((x) => x.close()).catch(() => undefined);
    },
  };
}
