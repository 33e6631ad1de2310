/**
 * A {@link StorageBackend} on the local file system, for Node (exported from `n1kit/node`
 * only; the browser-safe core never imports this file). One file per key; every write is
 * atomic: write a temporary file, fsync it, rename it over the old one, fsync the directory.
 *
 * @packageDocumentation
 */
import { Buffer } from 'node:buffer';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, nonEmptyString, plainObject } from '../validate.js';
import type { StorageBackend } from './backend.js';

/** Options of {@link createFileBackend}. */
export interface FileBackendOptions {
  /** The directory holding one file per key (created with mode 0700 when missing). */
  readonly directory: string;
}

const PREFIX = 'k-';
const SUFFIX = '.n1k';
const MAX_NAME = 240;
const SAFE = /^[a-z0-9_.-]$/;

/**
 * The file name of `key`: `k-` + the key with every byte outside [a-z0-9_.-] written as `~xx`
 * (lowercase hex of its UTF-8 bytes) + `.n1k`. Lowercase only, so distinct keys never collide
 * on case-insensitive file systems (macOS, Windows); the prefix avoids reserved names (`CON`).
 */
function fileName(fn: string, key: string): string {
  nonEmptyString(fn, 'key', key);
  let body = '';
  for (const ch of key) {
    if (SAFE.test(ch)) body += ch;
    else for (const b of new TextEncoder().encode(ch)) body += `~${b.toString(16).padStart(2, '0')}`;
  }
  const name = PREFIX + body + SUFFIX;
  if (name.length > MAX_NAME) fail(fn, 'key', `is too long for a file name (${name.length} > ${MAX_NAME} characters once escaped)`, key.length);
  return name;
}

/** The key of a file name made by {@link fileName}, or undefined for any other file. */
function keyOf(name: string): string | undefined {
  if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) return undefined;
  const body = name.slice(PREFIX.length, -SUFFIX.length);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '~') {
      const h = body.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(h)) return undefined;
      bytes.push(Number.parseInt(h, 16));
      i += 2;
    } else if (SAFE.test(c)) bytes.push(c.charCodeAt(0));
    else return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Not possible on every platform (e.g. Windows): best effort.
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // ignore: directory fsync is unsupported here
  } finally {
    await handle?.close();
  }
}

/** A temporary file of {@link createFileBackend}'s `set`: `.k-….n1k.<16 hex>.tmp`. */
const TEMPORARY = /^\.k-[a-z0-9_.~-]*\.n1k\.[0-9a-f]{16}\.tmp$/;

async function removeTemporaries(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  for (const name of names) {
    if (TEMPORARY.test(name)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * Creates a {@link StorageBackend} that keeps each key in its own file under `directory`
 * (file names are the key, with bytes outside [a-z0-9_.-] escaped as `~xx`). `set` is atomic and durable: it writes a
 * temporary file in the same directory (mode 0600), fsyncs it, renames it over the target and
 * fsyncs the directory, so a crash at any point leaves either the old or the new value,
 * never a torn file. Temporary files a crash left behind are ignored by `keys()` and removed on
 * the backend's first call (open one backend per directory at a time).
 *
 * Node only: import it from `'n1kit/node'`.
 *
 * @param options - the directory
 * @returns the backend
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) when `directory` is not a non-empty string
 * @example
 * ```ts
 * import { createEncryptedStore } from 'n1kit';
 * import { createFileBackend } from 'n1kit/node';
 * const passphrase = 'correct horse battery staple';
 * const store = await createEncryptedStore({ backend: createFileBackend({ directory: './out/diary-example' }), passphrase });
 * ```
 * @see POSIX rename(2) (atomic replacement) and fsync(2); SQLite, "Atomic Commit In SQLite".
 */
export function createFileBackend(options: FileBackendOptions): StorageBackend {
  const fn = 'createFileBackend';
  plainObject(fn, 'options', options);
  const dir = nonEmptyString(fn, 'directory', options.directory);
  let ready: Promise<void> | undefined;
  const ensureDir = (): Promise<void> => {
    ready ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return ready;
  };
  // On the first call, remove temporary files a crash left behind (their rename never happened,
  // so they hold no value of any key). One backend per directory at a time, as for the store.
  let swept: Promise<void> | undefined;
  const sweep = (): Promise<void> => {
    swept ??= removeTemporaries(dir);
    return swept;
  };
  return {
    async get(key) {
      await sweep();
      const path = join(dir, fileName('get', key));
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async set(key, value) {
      if (typeof value !== 'string') fail('set', 'value', 'must be a string', typeof value);
      const name = fileName('set', key);
      await ensureDir();
      await sweep();
      const suffix = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(8))).toString('hex');
      const tmp = join(dir, `.${name}.${suffix}.tmp`);
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(value, 'utf8');
        await handle.sync();
      } catch (e) {
        await handle.close();
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
      await handle.close();
      try {
        await rename(tmp, join(dir, name));
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
      await syncDirectory(dir);
    },
    async delete(key) {
      const path = join(dir, fileName('delete', key));
      await sweep();
      try {
        await unlink(path);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        return;
      }
      await syncDirectory(dir);
    },
    async keys() {
      await sweep();
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (e) {
        if (isNotFound(e)) return [];
        throw e;
      }
      return names.map(keyOf).filter((k): k is string => k !== undefined);
    },
  };
}
