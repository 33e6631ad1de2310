import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEncryptedStore } from '../../src/privacy/index.js';
import { createFileBackend } from '../../src/node.js';

// A simulated crash: `crash.at` makes the next fs call of that name throw, as if the process
// died right there (the temporary file has been written and fsynced, the rename never happens).
const crash = vi.hoisted(() => ({ at: undefined as string | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (crash.at === 'rename') throw new Error('simulated crash before rename');
      return real.rename(from, to);
    },
    unlink: async (path: string) => {
      // a crashed process does not clean up its temporary file either
      if (crash.at === 'rename' && path.endsWith('.tmp')) throw new Error('simulated crash');
      return real.unlink(path);
    },
  };
});

const KDF = { iterations: 1000 };
let dir: string;

beforeEach(async () => {
  crash.at = undefined;
  dir = await mkdtemp(join(tmpdir(), 'n1kit-privacy-'));
});
afterEach(async () => {
  crash.at = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('createFileBackend', () => {
  it('keys differing only in case or in escapes map to distinct lowercase file names', async () => {
    const b = createFileBackend({ directory: dir });
    const keys = ['Ab', 'ab', 'aB', 'a~41b', 'con', 'CON', '.hidden', 'x/y\\z', '🙂', 'é', 'e\u0301'];
    for (const k of keys) await b.set(k, `v:${k}`);
    const files = await readdir(dir);
    expect(files.every((f) => f === f.toLowerCase())).toBe(true);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(keys.length);
    expect((await b.keys()).sort()).toEqual([...keys].sort());
    for (const k of keys) expect(await b.get(k)).toBe(`v:${k}`);
    await writeFile(join(dir, 'unrelated.txt'), 'x');
    await writeFile(join(dir, 'k-bad~zz.n1k'), 'x');
    expect(await b.keys()).toHaveLength(keys.length);
  });

  it('stores, lists and deletes keys (any UTF-8 key) as files with mode 0600', async () => {
    const b = createFileBackend({ directory: join(dir, 'nested', 'diary') });
    expect(await b.keys()).toEqual([]);
    expect(await b.get('a')).toBeUndefined();
    await b.set('a', 'one');
    await b.set('día/../ü 2', 'two');
    await b.set('a', 'uno');
    expect((await b.keys()).sort()).toEqual(['a', 'día/../ü 2']);
    expect(await b.get('a')).toBe('uno');
    expect(await b.get('día/../ü 2')).toBe('two');
    const files = await readdir(join(dir, 'nested', 'diary'));
    expect(files).toHaveLength(2);
    if (process.platform !== 'win32') {
      for (const f of files) expect((await stat(join(dir, 'nested', 'diary', f))).mode & 0o777).toBe(0o600);
    }
    await b.delete('a');
    await b.delete('a');
    expect(await b.keys()).toEqual(['día/../ü 2']);
  });

  it('a crash between write and rename leaves the old record intact', async () => {
    const backend = createFileBackend({ directory: dir });
    const store = await createEncryptedStore({ backend, passphrase: 'pw', kdf: KDF });
    await store.put('day-1', { pain: 3 });
    crash.at = 'rename';
    await expect(store.put('day-1', { pain: 9 })).rejects.toThrow('simulated crash');
    crash.at = undefined;
    // the crashed write left its temporary file behind; it is ignored
    expect((await readdir(dir)).some((f) => f.endsWith('.tmp'))).toBe(true);
    expect(await backend.keys()).toHaveLength(2); // key header + day-1
    const reopened = await createEncryptedStore({ backend: createFileBackend({ directory: dir }), passphrase: 'pw' });
    expect(await reopened.get('day-1')).toEqual({ pain: 3 });
    expect(await reopened.list()).toEqual(['day-1']);
    // and the next write goes through
    await reopened.put('day-1', { pain: 9 });
    expect(await reopened.get('day-1')).toEqual({ pain: 9 });
  });

  it('a truncated file is detected as malformed and nothing else is lost', async () => {
    const backend = createFileBackend({ directory: dir });
    const store = await createEncryptedStore({ backend, passphrase: 'pw', kdf: KDF });
    await store.put('day-1', { pain: 3 });
    await store.put('day-2', { pain: 4 });
    const files = (await readdir(dir)).filter((f) => f.endsWith('.n1k'));
    expect(files.sort()).toEqual(['k-n1kit.keyring.n1k', 'k-n1kit.record~3aday-1.n1k', 'k-n1kit.record~3aday-2.n1k']);
    const day1 = 'k-n1kit.record~3aday-1.n1k';
    const size = (await stat(join(dir, day1))).size;
    await truncate(join(dir, day1), Math.floor(size / 2));
    const err = await store.get('day-1').catch((e: unknown) => e as { code: string; reason: string });
    expect(err).toMatchObject({ code: 'E_DECRYPT', reason: 'malformed' });
    expect(await store.get('day-2')).toEqual({ pain: 4 });
  });

  it('a truncated key header refuses to open and is left as it was', async () => {
    const backend = createFileBackend({ directory: dir });
    await createEncryptedStore({ backend, passphrase: 'pw', kdf: KDF });
    const header = 'k-n1kit.keyring.n1k';
    const text = await readFile(join(dir, header), 'utf8');
    await writeFile(join(dir, header), text.slice(0, 40));
    await expect(createEncryptedStore({ backend, passphrase: 'pw', kdf: KDF })).rejects.toMatchObject({ code: 'E_DECRYPT', reason: 'malformed' });
    expect(await readFile(join(dir, header), 'utf8')).toBe(text.slice(0, 40));
  });

  it('bad input throws ValidationError', async () => {
    expect(() => createFileBackend({ directory: '' })).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    const b = createFileBackend({ directory: dir });
    await expect(b.set('', 'x')).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    await expect(b.set('k'.repeat(1000), 'x')).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' });
  });
});
