// Regression tests of issue 15, items 1, 2, 7 and 14: large records, a '__proto__' id,
// bounded KDF parameters read from storage, NUL passphrases, temporary files after a crash.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFileBackend } from '../../src/node.js';
import { createEncryptedStore, createMemoryBackend, type StorageBackend } from '../../src/privacy/index.js';
import { fromBase64, toBase64 } from '../../src/privacy/encoding.js';

const KDF = { iterations: 1000 };
const PASS = 'correct horse battery staple';
const KEYRING = 'n1kit.keyring';

async function rejectsWith(p: Promise<unknown>, code: string, reason?: string): Promise<Error & { code: string; reason?: string }> {
  const e = (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (x: unknown) => x,
  )) as Error & { code: string; reason?: string };
  expect(e.code, String(e)).toBe(code);
  if (reason !== undefined) expect(e.reason).toBe(reason);
  return e;
}

describe('base64 (item 1)', () => {
  it('round-trips any bytes and agrees with Node Buffer (an independent encoder)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const s = toBase64(bytes);
        expect(s).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(s)).toEqual(new Uint8Array(bytes));
      }),
      { seed: 15001, numRuns: 300 },
    );
  });

  it('refuses non-canonical base64', () => {
    for (const bad of ['A', 'AB', 'ABC', 'A===', '====', 'AB=C', 'AB==AAAA', 'AR==', 'ABD=', 'ab!d', 'é===']) {
      expect(fromBase64(bad), bad).toBeUndefined();
    }
    expect(fromBase64('')).toEqual(new Uint8Array(0));
  });

  it('encodes and decodes 8 MB in linear time and constant stack', () => {
    const b = new Uint8Array(8_000_000);
    for (let i = 0; i < b.length; i++) b[i] = (i * 131) & 255;
    const s = toBase64(b);
    expect(s.length).toBe(Math.ceil(b.length / 3) * 4);
    const back = fromBase64(s)!;
    expect(back.length).toBe(b.length);
    expect(back[7_654_321]).toBe(b[7_654_321]);
  });
});

describe('large records (item 1)', () => {
  it('a 5 MB record round-trips through get, rotateKey, exportBackup and importBackup', async () => {
    const backend = createMemoryBackend();
    const store = await createEncryptedStore({ backend, passphrase: PASS, kdf: KDF });
    const big = { notes: 'x'.repeat(5 * 1024 * 1024), series: Array.from({ length: 1000 }, (_, i) => i / 7) };
    await store.put('big', big);
    await store.put('small', { a: 1 });
    expect(await store.get('big')).toEqual(big);
    expect(await store.rotateKey()).toEqual({ keyVersion: 2, resealed: 2 });
    expect(await store.get('big')).toEqual(big);
    const backup = await store.exportBackup();
    const other = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'another passphrase', kdf: KDF });
    expect(await other.importBackup(backup, { passphrase: PASS })).toEqual({ imported: 2 });
    expect(await other.get('big')).toEqual(big);
  });

  it('a record above the limit (64 MiB of JSON) is refused at put, and nothing is written', async () => {
    const backend = createMemoryBackend();
    const store = await createEncryptedStore({ backend, passphrase: PASS, kdf: KDF });
    const before = (await backend.keys()).length;
    const e = await rejectsWith(store.put('huge', 'y'.repeat(64 * 1024 * 1024)), 'E_INVALID_ARGUMENT');
    expect(e.message).toMatch(/at most 67108864 bytes/);
    expect((await backend.keys()).length).toBe(before);
  });

  it('deep nesting is refused at put with a coded error, not a stack overflow', async () => {
    const store = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: PASS, kdf: KDF });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await rejectsWith(store.put('deep', deep), 'E_INVALID_ARGUMENT');
    let ok: unknown = 1;
    for (let i = 0; i < 200; i++) ok = { a: ok };
    await store.put('ok', ok);
    expect(await store.get('ok')).toEqual(ok);
    const holes = [1, 2, 3];
    delete holes[1];
    await rejectsWith(store.put('holes', holes), 'E_INVALID_ARGUMENT');
    const getter = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    await rejectsWith(store.put('getter', getter), 'E_INVALID_ARGUMENT');
  });
});

describe("a '__proto__' record id (item 2)", () => {
  it('is listed, exported and imported like any other id', async () => {
    const store = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: PASS, kdf: KDF });
    await store.put('__proto__', { polluted: false });
    await store.put('constructor', { c: 1 });
    expect(await store.list()).toEqual(['__proto__', 'constructor']);
    const backup = await store.exportBackup();
    expect(Object.keys(JSON.parse(backup).records).sort()).toEqual(['__proto__', 'constructor']);
    const other = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'another passphrase', kdf: KDF });
    expect(await other.importBackup(backup, { passphrase: PASS })).toEqual({ imported: 2 });
    expect(await other.get('__proto__')).toEqual({ polluted: false });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

type Header = Record<string, unknown> & { kdf: Record<string, unknown>; wrap: Record<string, unknown> };

describe('KDF parameters read from storage are bounded (item 7)', () => {
  async function seeded(): Promise<{ backend: StorageBackend; header: Header }> {
    const backend = createMemoryBackend();
    const store = await createEncryptedStore({ backend, passphrase: PASS, kdf: KDF });
    await store.put('day-1', { pain: 3 });
    return { backend, header: JSON.parse((await backend.get(KEYRING))!) };
  }

  it('a tampered header with a huge, fractional, negative or non-numeric iteration count is malformed at once', async () => {
    const { backend, header } = await seeded();
    for (const iterations of [2 ** 40, 1e9, 10_000_001, 2 ** 32, 0, -5, 1.5, '1000', null, 1e308]) {
      await backend.set(KEYRING, JSON.stringify({ ...header, kdf: { ...header.kdf, iterations } }));
      const t0 = Date.now();
      await rejectsWith(createEncryptedStore({ backend, passphrase: PASS }), 'E_DECRYPT', 'malformed');
      expect(Date.now() - t0).toBeLessThan(2000);
    }
    for (const salt of ['', 'AAAA', 'A'.repeat(8000), 5]) {
      await backend.set(KEYRING, JSON.stringify({ ...header, kdf: { ...header.kdf, salt } }));
      await rejectsWith(createEncryptedStore({ backend, passphrase: PASS }), 'E_DECRYPT', 'malformed');
    }
    await backend.set(KEYRING, JSON.stringify({ ...header, wrap: { ...header.wrap, key: 'AAAA' } }));
    await rejectsWith(createEncryptedStore({ backend, passphrase: PASS }), 'E_DECRYPT', 'malformed');
    await backend.set(KEYRING, JSON.stringify(header));
    expect(await (await createEncryptedStore({ backend, passphrase: PASS })).get('day-1')).toEqual({ pain: 3 });
  });

  it('a tampered backup with a huge iteration count is malformed at once', async () => {
    const { backend } = await seeded();
    const store = await createEncryptedStore({ backend, passphrase: PASS });
    const backup = JSON.parse(await store.exportBackup());
    const keyring = JSON.parse(backup.keyring);
    keyring.kdf.iterations = 2 ** 31;
    const bad = JSON.stringify({ ...backup, keyring: JSON.stringify(keyring) });
    const target = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: PASS, kdf: KDF });
    const t0 = Date.now();
    await rejectsWith(target.importBackup(bad, { passphrase: PASS }), 'E_DECRYPT', 'malformed');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await target.list()).toEqual([]);
  });

  it('a new store refuses more than 10,000,000 iterations', async () => {
    await rejectsWith(createEncryptedStore({ backend: createMemoryBackend(), passphrase: PASS, kdf: { iterations: 10_000_001 } }), 'E_INVALID_ARGUMENT');
  });
});

describe('store hygiene (item 14)', () => {
  it('passphrases differing only by trailing NULs do not open the same store: NUL is refused', async () => {
    const backend = createMemoryBackend();
    await createEncryptedStore({ backend, passphrase: PASS, kdf: KDF });
    const e = await rejectsWith(createEncryptedStore({ backend, passphrase: `${PASS}\u0000` }), 'E_INVALID_ARGUMENT');
    expect(e.message).not.toContain(PASS);
    await rejectsWith(createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'a\u0000b', kdf: KDF }), 'E_INVALID_ARGUMENT');
    const store = await createEncryptedStore({ backend, passphrase: PASS });
    await rejectsWith(store.changePassphrase(PASS, 'new\u0000'), 'E_INVALID_ARGUMENT');
  });

  it('the file backend removes temporary files left by a crash on its first call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'n1kit-h15-'));
    try {
      const b = createFileBackend({ directory: dir });
      await b.set('a', 'one');
      // what a crash between fsync and rename leaves behind, and an unrelated dotfile
      await writeFile(join(dir, '.k-a.n1k.0123456789abcdef.tmp'), 'half');
      await writeFile(join(dir, '.k-n1kit.keyring.n1k.fedcba9876543210.tmp'), 'half');
      await writeFile(join(dir, '.keep.tmp'), 'mine');
      const again = createFileBackend({ directory: dir });
      expect(await again.keys()).toEqual(['a']);
      expect((await readdir(dir)).sort()).toEqual(['.keep.tmp', 'k-a.n1k']);
      expect(await again.get('a')).toBe('one');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
