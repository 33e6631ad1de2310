// Privacy benchmarks: records sealed/opened per second, key derivation at the default
// PBKDF2 parameters (600,000 iterations), and DP releases per second.
// Run: npx vitest bench --run bench/privacy.bench.ts   (figures in docs/bench/privacy.md)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { createFileBackend } from '../src/node.js';
import {
  createEncryptedStore,
  createMemoryBackend,
  DEFAULT_KDF_ITERATIONS,
  privateMean,
} from '../src/privacy/index.js';

// A diary entry of realistic size (~200 bytes of JSON).
const entry = { day: 17, period: 3, treatment: 'B', pain: 4, migraine: true, sleepHours: 6.5, note: 'woke with aura, took rescue dose at 07:40' };

// Set up before timing: a store with a low KDF cost (the KDF is benchmarked separately).
const backend = createMemoryBackend();
const store = await createEncryptedStore({ backend, passphrase: 'bench-passphrase', kdf: { iterations: 1000 } });
for (let i = 0; i < 100; i++) await store.put(`day-${i}`, { ...entry, day: i });
let counter = 0;
let sink = 0;

describe('encrypted store (AES-256-GCM, memory backend)', () => {
  bench('seal: put one diary entry', async () => {
    await store.put(`w-${counter++ % 100}`, entry);
  });
  bench('open: get one diary entry', async () => {
    const v = await store.get<{ pain: number }>(`day-${counter++ % 100}`);
    sink += v!.pain;
  });
});

const fileStore = await createEncryptedStore({
  backend: createFileBackend({ directory: mkdtempSync(join(tmpdir(), 'n1kit-bench-')) }),
  passphrase: 'bench-passphrase',
  kdf: { iterations: 1000 },
});
for (let i = 0; i < 100; i++) await fileStore.put(`day-${i}`, { ...entry, day: i });
describe('encrypted store, file backend (temp file + fsync + rename + dir fsync)', () => {
  bench('seal: put one diary entry to disk', async () => {
    await fileStore.put(`w-${counter++ % 100}`, entry);
  }, { time: 1000 });
  bench('open: get one diary entry from disk', async () => {
    const v = await fileStore.get<{ pain: number }>(`day-${counter++ % 100}`);
    sink += v!.pain;
  }, { time: 1000 });
});

describe(`key derivation (PBKDF2-SHA-256, ${DEFAULT_KDF_ITERATIONS} iterations)`, () => {
  const existing = createMemoryBackend();
  let ready: Promise<unknown> | undefined;
  bench(
    'open an existing store at the default KDF cost (derive + unwrap)',
    async () => {
      ready ??= createEncryptedStore({ backend: existing, passphrase: 'bench-passphrase' });
      await ready;
      await createEncryptedStore({ backend: existing, passphrase: 'bench-passphrase' });
    },
    { iterations: 5, time: 0, warmupIterations: 1, warmupTime: 0 },
  );
});

const values = Array.from({ length: 200 }, (_, i) => (i % 11) - 5);
describe('differentially private releases (exact discrete noise from crypto.getRandomValues)', () => {
  bench('privateMean laplace, n = 200', () => {
    sink += privateMean({ values, bounds: [-5, 5], epsilon: 1, mechanism: 'laplace' }).value;
  });
  bench('privateMean gaussian, n = 200, δ = 1e-6', () => {
    sink += privateMean({ values, bounds: [-5, 5], epsilon: 1, delta: 1e-6, mechanism: 'gaussian' }).value;
  });
  bench('privateMean gaussian, ε = 0.05', () => {
    sink += privateMean({ values, bounds: [-5, 5], epsilon: 0.05, delta: 1e-6, mechanism: 'gaussian' }).value;
  });
});

// `sink` is module state written by every bench, so the engine cannot drop the work.
globalThis.queueMicrotask(() => void sink);
