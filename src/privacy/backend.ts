/**
 * Where sealed records live: the {@link StorageBackend} interface and an in-memory backend.
 *
 * @packageDocumentation
 */

/**
 * A key–value store of strings. The encrypted store keeps only sealed (encrypted,
 * authenticated) strings in it, so a backend never sees plaintext or keys. Implement it over
 * IndexedDB, `localStorage`, a file system or a server.
 *
 * `set` must replace the previous value atomically: after a crash the key holds either the old
 * or the new value, never a mixture (the Node file backend in `n1kit/node` does this with a
 * temporary file, fsync and rename).
 *
 * @example
 * ```ts
 * const local: StorageBackend = {
 *   async get(key) { return localStorage.getItem(key) ?? undefined; },
 *   async set(key, value) { localStorage.setItem(key, value); },
 *   async delete(key) { localStorage.removeItem(key); },
 *   async keys() { return Object.keys(localStorage); },
 * };
 * ```
 * @see OWASP Cryptographic Storage Cheat Sheet.
 */
export interface StorageBackend {
  /** The value stored under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key`, replacing any previous value atomically. */
  set(key: string, value: string): Promise<void>;
  /** Removes `key` (no error when absent). */
  delete(key: string): Promise<void>;
  /** Every key currently stored. */
  keys(): Promise<string[]>;
  /**
   * Optional, for backends that hide record ids (the IndexedDB backend): the store calls it
   * once, right after it unlocks, with a 32-byte secret of its own (random, kept sealed in
   * the backend under `n1kit.names`, so it survives passphrase changes and key rotation).
   * The backend derives its name keys from it; before the call it must not reveal ids.
   */
  bindNameKey?(secret: Uint8Array): Promise<void>;
}

/**
 * An in-memory {@link StorageBackend} (a `Map`): for tests, short-lived sessions, or as a
 * cache in front of another backend. Its contents vanish with the process.
 *
 * @returns a new, empty backend
 * @example
 * ```ts
 * const backend = createMemoryBackend();
 * const store = await createEncryptedStore({ backend, passphrase: 'correct horse battery staple' });
 * await store.put('day-1', { pain: 3 });
 * ```
 * @see {@link StorageBackend}
 */
export function createMemoryBackend(): StorageBackend {
  const map = new Map<string, string>();
  return {
    async get(key) {
      return map.get(key);
    },
    async set(key, value) {
      map.set(key, value);
    },
    async delete(key) {
      map.delete(key);
    },
    async keys() {
      return [...map.keys()];
    },
  };
}
