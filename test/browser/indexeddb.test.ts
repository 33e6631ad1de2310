// The IndexedDB backend in real headless Chromium: an encrypted diary of 50 records and one
// 1 MB record survives a browser restart (same profile), ids are not stored in clear, a
// wrong passphrase is refused, and a rotated key still finds every record.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as N1kit from '../../src/index.js';
import { bundle, CHROMIUM, launch, profile, serve } from './harness.js';

type Page = { n1kit: typeof N1kit; bigText: () => string };

// Runs in the page: the deterministic 1 MB text (seeded), so the page can check it byte for byte.
const BIG = `() => { const r = n1kit.createRng('big'); const a = 'abcdefghijklmnopqrstuvwxyz0123456789 ,.;é€'; const c = [];
  for (let i = 0; i < 1_000_000; i++) c.push(a[r.integer(a.length)]); return c.join(''); }`;

let site: { origin: string; close: () => Promise<void> };

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
  const lib = await bundle("export * from './src/index.ts';", 'n1kit');
  site = await serve({ '/': `<!doctype html><meta charset="utf-8"><script src="/n1kit.js"></script><script>window.bigText = ${BIG};</script>`, '/n1kit.js': lib });
});
afterAll(async () => site?.close());

describe('createIndexedDbBackend in headless Chromium', () => {
  it('50 records and a 1 MB record survive a restart; ids stay hidden; a wrong passphrase is refused', async () => {
    const p = profile();
    try {
      let ctx = await launch(p.dir);
      let page = await ctx.newPage();
      await page.goto(site.origin);
      const written = await page.evaluate(async () => {
        const g = globalThis as unknown as Page;
        const n = g.n1kit;
        const store = await n.createEncryptedStore({ backend: n.createIndexedDbBackend({ database: 'diary-alice' }), passphrase: 'correct horse battery staple', kdf: { iterations: 10_000 } });
        for (let d = 1; d <= 50; d++) await store.put(`2026-12-${String(d).padStart(2, '0')}-pain`, { day: d, pain: d % 7, note: `day ${d}` });
        const text = g.bigText();
        await store.put('photo-2026-12-01', { text });
        return { ids: (await store.list()).length, length: text.length };
      });
      expect(written).toEqual({ ids: 51, length: 1_000_000 });
      await ctx.close(); // the browser process ends

      ctx = await launch(p.dir); // restart on the same profile
      page = await ctx.newPage();
      await page.goto(site.origin);
      const read = await page.evaluate(async () => {
        const g = globalThis as unknown as Page;
        const n = g.n1kit;
        // The raw database first: no id, nor the record envelope, anywhere in clear.
        const db: IDBDatabase = await new Promise((res, rej) => {
          const r = indexedDB.open('diary-alice');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const tx = db.transaction('n1kit');
        const rows: [IDBValidKey[], unknown[]] = await Promise.all([
          new Promise<IDBValidKey[]>((res) => { const q = tx.objectStore('n1kit').getAllKeys(); q.onsuccess = () => res(q.result); }),
          new Promise<unknown[]>((res) => { const q = tx.objectStore('n1kit').getAll(); q.onsuccess = () => res(q.result); }),
        ]);
        db.close();
        const clearText = rows[0].map(String).join('\n') + rows[1].filter((v) => typeof v === 'string').join('\n');
        const hiddenRows = rows[1].filter((v) => typeof v === 'object').length;

        const wrong = await n
          .createEncryptedStore({ backend: n.createIndexedDbBackend({ database: 'diary-alice' }), passphrase: 'wrong horse' })
          .then(() => 'opened', (e: { name: string; code: string }) => `${e.name}:${e.code}`);
        const store = await n.createEncryptedStore({ backend: n.createIndexedDbBackend({ database: 'diary-alice' }), passphrase: 'correct horse battery staple' });
        const ids: string[] = await store.list();
        let same = 0;
        for (let d = 1; d <= 50; d++) {
          const v = await store.get<{ day: number; pain: number; note: string }>(`2026-12-${String(d).padStart(2, '0')}-pain`);
          if (v && v.day === d && v.pain === d % 7 && v.note === `day ${d}`) same++;
        }
        const photo = await store.get<{ text: string }>('photo-2026-12-01');
        const rotated = await store.rotateKey();
        const afterRotation = (await store.get<{ pain: number }>('2026-12-17-pain'))?.pain;
        return {
          keys: rows[0].length,
          hiddenRows,
          leaks: ['2026-12', 'pain', 'photo', 'n1kit.record:'] /* the key prefix; the format tag of the sealed name secret is no id */.filter((s) => clearText.includes(s)),
          wrong,
          ids: ids.length,
          first: ids[0],
          same,
          photoIntact: photo?.text === g.bigText(),
          rotated,
          afterRotation,
        };
      });
      expect(read.keys).toBe(53); // keyring + name secret + 51 records
      expect(read.hiddenRows).toBe(51);
      expect(read.leaks).toEqual([]);
      expect(read.wrong).toBe('DecryptionError:E_DECRYPT');
      expect(read.ids).toBe(51);
      expect(read.first).toBe('2026-12-01-pain');
      expect(read.same).toBe(50);
      expect(read.photoIntact).toBe(true);
      expect(read.rotated).toEqual({ keyVersion: 2, resealed: 51 });
      expect(read.afterRotation).toBe(17 % 7);
      await ctx.close();
    } finally {
      p.remove();
    }
  }, 60_000);
});
