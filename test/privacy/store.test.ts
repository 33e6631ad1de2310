import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createEncryptedStore,
  createMemoryBackend,
  DEFAULT_KDF_ITERATIONS,
  type EncryptedStore,
  type StorageBackend,
} from '../../src/privacy/index.js';

// Tests use 1,000 PBKDF2 iterations (the `kdf` option) to stay fast; one test checks the default.
const KDF = { iterations: 1000 };
const PASS = 'hunter2-Secret-Passphrase-éß';
const KEYRING = 'n1kit.keyring';
const rec = (id: string) => `n1kit.record:${id}`;

async function open(backend: StorageBackend, passphrase = PASS): Promise<EncryptedStore> {
  return createEncryptedStore({ backend, passphrase, kdf: KDF });
}

async function snapshot(b: StorageBackend): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of (await b.keys()).sort()) out[k] = (await b.get(k))!;
  return out;
}

/** Flips one bit of a base64 field of the JSON stored under `key`. */
async function flipBit(b: StorageBackend, key: string, field: string, byteIndex: number): Promise<string> {
  const original = (await b.get(key))!;
  const env = JSON.parse(original);
  const bytes = Uint8Array.from(atob(env[field]), (c) => c.charCodeAt(0));
  const i = byteIndex < 0 ? bytes.length + byteIndex : byteIndex;
  bytes[i]! ^= 0x01;
  env[field] = btoa(String.fromCharCode(...bytes));
  await b.set(key, JSON.stringify(env));
  return original;
}

async function rejectsWith(p: Promise<unknown>, code: string, reason?: string): Promise<Error> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a rejection').toBeInstanceOf(Error);
  const e = err as Error & { code?: string; reason?: string };
  expect(e.code).toBe(code);
  if (reason !== undefined) expect(e.reason).toBe(reason);
  expect(e.message).not.toContain(PASS);
  return e;
}

async function seeded(): Promise<{ backend: StorageBackend; store: EncryptedStore }> {
  const backend = createMemoryBackend();
  const store = await open(backend);
  await store.put('day-1', { day: 1, migraine: true, pain: 7 });
  await store.put('day-2', { day: 2, migraine: false, pain: 0 });
  await store.put('design', { treatments: ['A', 'B'], blocks: 3 });
  return { backend, store };
}

describe('createEncryptedStore: round trips', () => {
  it('puts, gets, lists and deletes JSON records; backend holds no plaintext', async () => {
    const { backend, store } = await seeded();
    expect(await store.get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
    expect(await store.list()).toEqual(['day-1', 'day-2', 'design']);
    expect(await store.get('missing')).toBeUndefined();
    await store.delete('day-2');
    expect(await store.list()).toEqual(['day-1', 'design']);
    await store.delete('never-there');
    const raw = JSON.stringify(await snapshot(backend));
    expect(raw).not.toContain('migraine');
    expect(raw).not.toContain('treatments');
    // a reopened store reads the same records
    const again = await open(backend);
    expect(await again.get('design')).toEqual({ treatments: ['A', 'B'], blocks: 3 });
  });

  it('round-trips arbitrary JSON values (property, seed 8001)', async () => {
    const backend = createMemoryBackend();
    const store = await open(backend);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0), fc.jsonValue(), async (id, value) => {
        await store.put(id, value);
        expect(await store.get(id)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { seed: 8001, numRuns: 60 },
    );
  });

  it('uses a fresh 96-bit IV for every write', async () => {
    const backend = createMemoryBackend();
    const store = await open(backend);
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      await store.put('same', { v: 1 });
      const env = JSON.parse((await backend.get(rec('same')))!);
      expect(atob(env.iv).length).toBe(12);
      ivs.add(env.iv);
    }
    expect(ivs.size).toBe(200);
  });

  it('writes PBKDF2 with at least 600,000 iterations by default', async () => {
    expect(DEFAULT_KDF_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const backend = createMemoryBackend();
    const store = await createEncryptedStore({ backend, passphrase: PASS });
    const header = JSON.parse((await backend.get(KEYRING))!);
    expect(header.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
    expect(atob(header.kdf.salt).length).toBe(16);
    expect(store.toJSON().iterations).toBe(600_000);
  });

  it('works with a raw 256-bit key instead of a passphrase', async () => {
    const backend = createMemoryBackend();
    const key = crypto.getRandomValues(new Uint8Array(32));
    const store = await createEncryptedStore({ backend, key });
    await store.put('x', [1, 2, 3]);
    expect(await (await createEncryptedStore({ backend, key })).get('x')).toEqual([1, 2, 3]);
    const other = crypto.getRandomValues(new Uint8Array(32));
    await rejectsWith(createEncryptedStore({ backend, key: other }), 'E_DECRYPT', 'wrong-passphrase');
    await rejectsWith(createEncryptedStore({ backend, passphrase: PASS }), 'E_INVALID_ARGUMENT');
  });

  it('works with a non-extractable AES-GCM CryptoKey (e.g. from a platform keystore)', async () => {
    const backend = createMemoryBackend();
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
    const store = await createEncryptedStore({ backend, key });
    await store.put('x', { ok: true });
    expect(await (await createEncryptedStore({ backend, key })).get('x')).toEqual({ ok: true });
    expect(store.toJSON()).toEqual({ kind: 'n1kit.encryptedStore', keyVersion: 1, kdf: 'raw-key' });
    const encryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    await rejectsWith(createEncryptedStore({ backend, key: encryptOnly }), 'E_INVALID_ARGUMENT');
    await rejectsWith(store.changePassphrase('a', 'b'), 'E_INVALID_ARGUMENT');
  });
});

describe('createEncryptedStore: attacks and corruption lose nothing', () => {
  it('wrong passphrase: specific error, store untouched, right passphrase still works', async () => {
    const { backend } = await seeded();
    const before = await snapshot(backend);
    await rejectsWith(open(backend, 'not the passphrase'), 'E_DECRYPT', 'wrong-passphrase');
    expect(await snapshot(backend)).toEqual(before);
    expect(await (await open(backend)).get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
  });

  for (const [what, field, index] of [
    ['ciphertext', 'data', 0],
    ['authentication tag', 'data', -1],
    ['IV', 'iv', 5],
  ] as const) {
    it(`tampered ${what}: rejected as 'tampered', other records and the original intact`, async () => {
      const { backend, store } = await seeded();
      const original = await flipBit(backend, rec('day-1'), field, index);
      await rejectsWith(store.get('day-1'), 'E_DECRYPT', 'tampered');
      expect(await store.get('day-2')).toEqual({ day: 2, migraine: false, pain: 0 });
      await backend.set(rec('day-1'), original);
      expect(await store.get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
    });
  }

  it('a record moved to another id is rejected (as wrong-id, or tampered when its id field is rewritten)', async () => {
    const { backend, store } = await seeded();
    const sealed1 = (await backend.get(rec('day-1')))!;
    const sealed2 = (await backend.get(rec('day-2')))!;
    await backend.set(rec('day-2'), sealed1);
    await rejectsWith(store.get('day-2'), 'E_DECRYPT', 'wrong-id');
    // rewriting the visible id does not help: the id is bound as AAD
    const env = JSON.parse(sealed1);
    env.id = 'day-2';
    await backend.set(rec('day-2'), JSON.stringify(env));
    await rejectsWith(store.get('day-2'), 'E_DECRYPT', 'tampered');
    await backend.set(rec('day-2'), sealed2);
    expect(await store.get('day-2')).toEqual({ day: 2, migraine: false, pain: 0 });
  });

  it('changed key version or format version (bound data) is rejected', async () => {
    const { backend, store } = await seeded();
    const original = (await backend.get(rec('day-1')))!;
    for (const patch of [{ keyVersion: 2 }, { version: 2 }]) {
      await backend.set(rec('day-1'), JSON.stringify({ ...JSON.parse(original), ...patch }));
      await rejectsWith(store.get('day-1'), 'E_DECRYPT', 'unsupported-version');
    }
    await backend.set(rec('day-1'), original);
    expect(await store.get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
  });

  it("a truncated record is 'malformed'", async () => {
    const { backend, store } = await seeded();
    const original = (await backend.get(rec('design')))!;
    for (const cut of [0, 10, original.length - 30, original.length - 1]) {
      await backend.set(rec('design'), original.slice(0, cut));
      await rejectsWith(store.get('design'), 'E_DECRYPT', 'malformed');
    }
  });

  it('a truncated or tampered key header is refused and never overwritten', async () => {
    const { backend } = await seeded();
    const header = (await backend.get(KEYRING))!;
    await backend.set(KEYRING, header.slice(0, header.length - 20));
    const before = await snapshot(backend);
    await rejectsWith(open(backend), 'E_DECRYPT', 'malformed');
    expect(await snapshot(backend)).toEqual(before);
    // lowering the stored iteration count (a downgrade) does not open the store
    const h = JSON.parse(header);
    h.kdf.iterations = 1;
    await backend.set(KEYRING, JSON.stringify(h));
    await rejectsWith(open(backend), 'E_DECRYPT', 'wrong-passphrase');
    // flipping a bit of the wrapped key
    await backend.set(KEYRING, header);
    const h2 = JSON.parse(header);
    const wk = Uint8Array.from(atob(h2.wrap.key), (c) => c.charCodeAt(0));
    wk[3]! ^= 0x80;
    h2.wrap.key = btoa(String.fromCharCode(...wk));
    await backend.set(KEYRING, JSON.stringify(h2));
    await rejectsWith(open(backend), 'E_DECRYPT', 'wrong-passphrase');
    await backend.set(KEYRING, header);
    expect(await (await open(backend)).get('day-2')).toEqual({ day: 2, migraine: false, pain: 0 });
  });

  it('records without a key header: refuses to create a new key over them', async () => {
    const { backend } = await seeded();
    await backend.delete(KEYRING);
    const before = await snapshot(backend);
    await rejectsWith(open(backend), 'E_DECRYPT', 'malformed');
    expect(await snapshot(backend)).toEqual(before);
  });
});

describe('changePassphrase', () => {
  it('re-wraps the key only: every record stays byte-identical and readable', async () => {
    const { backend, store } = await seeded();
    const records = Object.fromEntries(Object.entries(await snapshot(backend)).filter(([k]) => k !== KEYRING));
    const oldHeader = JSON.parse((await backend.get(KEYRING))!);
    await store.changePassphrase(PASS, 'a whole new passphrase');
    const after = await snapshot(backend);
    for (const [k, v] of Object.entries(records)) expect(after[k]).toBe(v);
    const newHeader = JSON.parse(after[KEYRING]!);
    expect(newHeader.kdf.salt).not.toBe(oldHeader.kdf.salt);
    expect(await store.get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
    const reopened = await open(backend, 'a whole new passphrase');
    for (const id of await reopened.list()) expect(await reopened.get(id)).toEqual(await store.get(id));
    await rejectsWith(open(backend, PASS), 'E_DECRYPT', 'wrong-passphrase');
  });

  it('a wrong old passphrase changes nothing', async () => {
    const { backend, store } = await seeded();
    const before = await snapshot(backend);
    await rejectsWith(store.changePassphrase('wrong', 'new one'), 'E_DECRYPT', 'wrong-passphrase');
    expect(await snapshot(backend)).toEqual(before);
  });
});

describe('rotateKey', () => {
  it('re-seals every record under a new key version; old ciphertexts can no longer be rolled back in', async () => {
    const { backend, store } = await seeded();
    const old1 = (await backend.get(rec('day-1')))!;
    expect(await store.rotateKey()).toEqual({ keyVersion: 2, resealed: 3 });
    expect(store.toJSON().keyVersion).toBe(2);
    for (const id of ['day-1', 'day-2', 'design']) expect(JSON.parse((await backend.get(rec(id)))!).keyVersion).toBe(2);
    expect(JSON.parse((await backend.get(KEYRING))!).previous).toBeUndefined();
    expect(await store.get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
    const reopened = await open(backend);
    expect(await reopened.get('design')).toEqual({ treatments: ['A', 'B'], blocks: 3 });
    // replaying the record sealed under key version 1
    await backend.set(rec('day-1'), old1);
    await rejectsWith(reopened.get('day-1'), 'E_DECRYPT', 'unsupported-version');
    // relabelling it as version 2 breaks the authentication instead
    await backend.set(rec('day-1'), JSON.stringify({ ...JSON.parse(old1), keyVersion: 2 }));
    await rejectsWith(reopened.get('day-1'), 'E_DECRYPT', 'tampered');
  });

  it('an interrupted rotation loses nothing and completes when called again', async () => {
    const { backend } = await seeded();
    let writes = 0;
    const flaky: StorageBackend = {
      ...backend,
      async set(key, value) {
        // crash after the two-key header and one re-sealed record have been written
        if (++writes === 3) throw new Error('simulated crash');
        return backend.set(key, value);
      },
    };
    const store = await open(flaky);
    await expect(store.rotateKey()).rejects.toThrow('simulated crash');
    const header = JSON.parse((await backend.get(KEYRING))!);
    expect(header.keyVersion).toBe(2);
    expect(header.previous.keyVersion).toBe(1);
    const versions = await Promise.all(['day-1', 'day-2', 'design'].map(async (id) => JSON.parse((await backend.get(rec(id)))!).keyVersion));
    expect(versions.sort()).toEqual([1, 1, 2]);
    // mixed versions all read, after a restart too; a passphrase change mid-rotation keeps both keys
    const reopened = await open(backend);
    expect(await reopened.get('day-2')).toEqual({ day: 2, migraine: false, pain: 0 });
    await reopened.changePassphrase(PASS, 'mid-rotation');
    const again = await open(backend, 'mid-rotation');
    for (const id of await again.list()) expect(await again.get(id)).toBeDefined();
    expect(await again.rotateKey()).toEqual({ keyVersion: 2, resealed: 2 });
    expect(await again.get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
    expect(JSON.parse((await backend.get(KEYRING))!).previous).toBeUndefined();
  });
});

describe('exportBackup / importBackup', () => {
  it('restores every record into a new device with its own passphrase', async () => {
    const { store } = await seeded();
    const backup = await store.exportBackup();
    expect(backup).not.toContain('migraine');
    const fresh = await open(createMemoryBackend(), 'device two');
    await rejectsWith(fresh.importBackup(backup), 'E_INVALID_ARGUMENT');
    await rejectsWith(fresh.importBackup(backup, { passphrase: 'wrong' }), 'E_DECRYPT', 'wrong-passphrase');
    expect(await fresh.importBackup(backup, { passphrase: PASS })).toEqual({ imported: 3 });
    for (const id of await store.list()) expect(await fresh.get(id)).toEqual(await store.get(id));
  });

  it('a tampered backup or a conflict writes nothing', async () => {
    const { store } = await seeded();
    const backup = JSON.parse(await store.exportBackup());
    const env = JSON.parse(backup.records['day-2']);
    env.data = `${env.data.slice(0, -4)}AAA=`;
    backup.records['day-2'] = JSON.stringify(env);
    const target = createMemoryBackend();
    const fresh = await open(target);
    await fresh.put('mine', { keep: true });
    const before = await snapshot(target);
    await rejectsWith(fresh.importBackup(JSON.stringify(backup), { passphrase: PASS }), 'E_DECRYPT', 'tampered');
    await rejectsWith(fresh.importBackup('{"format":"n1kit.backup","vers'), 'E_DECRYPT', 'malformed');
    expect(await snapshot(target)).toEqual(before);
    // same store: no passphrase needed; existing ids conflict unless overwrite
    const own = await store.exportBackup();
    await rejectsWith(store.importBackup(own), 'E_INVALID_ARGUMENT');
    expect(await store.importBackup(own, { overwrite: true })).toEqual({ imported: 3 });
    expect(await store.get('day-1')).toEqual({ day: 1, migraine: true, pain: 7 });
  });
});

describe('secrets never leak', () => {
  it('JSON.stringify(store) and error messages hold no passphrase or key', async () => {
    const { backend, store } = await seeded();
    const shown = JSON.stringify(store);
    expect(shown).not.toContain(PASS);
    expect(inspect(store, { depth: 10, showHidden: true })).not.toContain(PASS);
    expect(JSON.parse(shown)).toEqual({ kind: 'n1kit.encryptedStore', keyVersion: 1, kdf: 'PBKDF2-SHA-256', iterations: 1000 });
    const e = await rejectsWith(store.changePassphrase(PASS, 42 as unknown as string), 'E_INVALID_ARGUMENT');
    expect(e.message).not.toContain('42');
    const e2 = await rejectsWith(createEncryptedStore({ backend, passphrase: PASS, key: new Uint8Array(32) }), 'E_INVALID_ARGUMENT');
    expect(JSON.stringify(e2)).not.toContain(PASS);
    const e3 = await rejectsWith(open(backend, 'Other-Secret'), 'E_DECRYPT');
    expect(e3.message).not.toContain('Other-Secret');
    expect(JSON.stringify({ ...e3 })).not.toContain('Other-Secret');
  });
});

describe('bad input', () => {
  it('throws ValidationError with code E_INVALID_ARGUMENT', async () => {
    const backend = createMemoryBackend();
    const store = await open(backend);
    await rejectsWith(store.put('', 1), 'E_INVALID_ARGUMENT');
    await rejectsWith(store.put('x', { a: Number.NaN }), 'E_INVALID_ARGUMENT');
    await rejectsWith(store.put('x', { a: undefined }), 'E_INVALID_ARGUMENT');
    await rejectsWith(store.put('x', new Date()), 'E_INVALID_ARGUMENT');
    await rejectsWith(createEncryptedStore({ backend, passphrase: PASS, kdf: { iterations: 0 } }), 'E_INVALID_ARGUMENT');
    await rejectsWith(createEncryptedStore({ backend, passphrase: '' }), 'E_INVALID_ARGUMENT');
    await rejectsWith(createEncryptedStore({ backend } as never), 'E_INVALID_ARGUMENT');
    await rejectsWith(createEncryptedStore({ backend: {} as StorageBackend, passphrase: PASS }), 'E_INVALID_ARGUMENT');
    await rejectsWith(createEncryptedStore({ backend, key: new Uint8Array(16) }), 'E_INVALID_ARGUMENT');
    await rejectsWith(createEncryptedStore({ backend, key: new DataView(new ArrayBuffer(32)) as never }), 'E_INVALID_ARGUMENT');
    expect(await store.list()).toEqual([]);
  });
});
