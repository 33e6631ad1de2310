/**
 * Scenarios of the privacy core that must behave the same in Node and in a browser-like
 * runtime. This file imports only the browser-safe core (no vitest, no `node:` module), so
 * `browser-runtime.test.ts` can bundle it and run it in a bare `node:vm` context; the same
 * test also runs it directly in Node. Each scenario returns checks instead of using `expect`,
 * so the results cross the realm boundary as plain JSON.
 */
import {
  analyticGaussianSigma,
  createEncryptedStore,
  createMemoryBackend,
  createPrivacyAccountant,
  minimizeFeatures,
  privateMean,
  projectFeatures,
  restorePrivacyAccountant,
} from '../../src/privacy/index.js';

export interface ScenarioCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

async function failure(p: Promise<unknown>): Promise<{ code?: string; reason?: string; message?: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e as { code?: string; reason?: string; message?: string };
  }
}

/** Runs every scenario; never throws (an exception becomes a failed check). */
export async function runPrivacyScenarios(): Promise<ScenarioCheck[]> {
  const checks: ScenarioCheck[] = [];
  const check = (name: string, ok: boolean, detail?: unknown) =>
    checks.push(detail === undefined ? { name, ok } : { name, ok, detail: JSON.stringify(detail) });
  const kdf = { iterations: 1000 }; // low on purpose: tests only
  const pass = 'browser-Secret-pass';
  try {
    const backend = createMemoryBackend();
    const store = await createEncryptedStore({ backend, passphrase: pass, kdf });
    await store.put('day-1', { pain: 7, note: 'migraine' });
    await store.put('day-2', { pain: 1 });
    const got = await store.get<{ pain: number }>('day-1');
    check('round trip', got?.pain === 7, got);
    check('list', JSON.stringify(await store.list()) === '["day-1","day-2"]');
    const raw = (await backend.get('n1kit.record:day-1'))!;
    check('no plaintext in backend', !raw.includes('migraine'));

    const env = JSON.parse(raw);
    env.data = `${env.data[0] === 'A' ? 'B' : 'A'}${env.data.slice(1)}`;
    await backend.set('n1kit.record:day-1', JSON.stringify(env));
    const tampered = await failure(store.get('day-1'));
    check('tampered ciphertext rejected', tampered?.code === 'E_DECRYPT' && tampered.reason === 'tampered', tampered);
    await backend.set('n1kit.record:day-1', raw);

    await backend.set('n1kit.record:day-2', raw);
    const moved = await failure(store.get('day-2'));
    check('moved record rejected', moved?.code === 'E_DECRYPT' && moved.reason === 'wrong-id', moved);
    await store.put('day-2', { pain: 1 });

    const wrong = await failure(createEncryptedStore({ backend, passphrase: 'nope', kdf }));
    check('wrong passphrase rejected', wrong?.code === 'E_DECRYPT' && wrong.reason === 'wrong-passphrase', wrong);
    check('no secret in error', wrong?.message?.includes('nope') === false);

    await store.changePassphrase(pass, 'new-pass');
    const reopened = await createEncryptedStore({ backend, passphrase: 'new-pass', kdf });
    check('passphrase change keeps records', (await reopened.get<{ pain: number }>('day-1'))?.pain === 7);
    check('JSON.stringify(store) has no secret', !JSON.stringify(store).includes('new-pass') && !JSON.stringify(store).includes(pass));

    const rotated = await reopened.rotateKey();
    check('key rotation', rotated.keyVersion === 2 && rotated.resealed === 2 && (await reopened.get<{ pain: number }>('day-2'))?.pain === 1, rotated);

    const backup = await reopened.exportBackup();
    const other = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'device-2', kdf });
    const imported = await other.importBackup(backup, { passphrase: 'new-pass' });
    check('backup restores', imported.imported === 2 && (await other.get<{ pain: number }>('day-2'))?.pain === 1, imported);

    const r = privateMean({ values: [1, 2, 3, 4], bounds: [0, 10], epsilon: 1, mechanism: 'laplace' });
    check('laplace scale', r.scale >= 2.5 && r.scale < 2.5 * (1 + 2 ** -19) && Number.isFinite(r.value), r);
    const g = privateMean({ values: [1, 2, 3, 4], bounds: [0, 10], epsilon: 1, delta: 1e-5, mechanism: 'gaussian' });
    const sigma = analyticGaussianSigma({ epsilon: 1, delta: 1e-5, sensitivity: 2.5 });
    check('gaussian scale', g.scale >= sigma && g.scale < sigma * 1.003 && Number.isFinite(g.value), { g, sigma });
    // spread: 1000 Laplace releases, sample variance within 6 standard errors of 2b²
    const n = 1000;
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += (privateMean({ values: [0.5], bounds: [0, 1], epsilon: 1, mechanism: 'laplace' }).value - 0.5) ** 2;
    const b = 1 + 2 ** -20;
    check('laplace spread', Math.abs(s2 / n - 2 * b * b) < 6 * Math.sqrt((20 * b ** 4) / n), s2 / n);

    const acc = createPrivacyAccountant({ epsilon: 1 });
    privateMean({ values: [1], bounds: [0, 2], epsilon: 0.6, mechanism: 'laplace', accountant: acc });
    let refused: { code?: string } | undefined;
    try {
      privateMean({ values: [1], bounds: [0, 2], epsilon: 0.6, mechanism: 'laplace', accountant: acc });
    } catch (e) {
      refused = e as { code?: string };
    }
    check('accountant refuses past budget', refused?.code === 'E_PRIVACY_BUDGET' && acc.releases === 1, refused);
    check('accountant serialises', restorePrivacyAccountant(JSON.parse(JSON.stringify(acc))).spent().epsilon === 0.6);

    const f = { age: 60, bmi: 30, name: 'Ada' };
    check('minimize', JSON.stringify(minimizeFeatures(f, ['age'])) === '{"age":60}');
    const p1 = projectFeatures(f, { dimension: 3, seed: 'x', standardize: { age: { mean: 50, sd: 10 }, bmi: { mean: 25, sd: 5 } } });
    check('projection deterministic', p1.length === 3 && p1.every(Number.isFinite), p1);
    checks.push({ name: 'projection value', ok: true, detail: JSON.stringify(p1) });
  } catch (e) {
    check('no exception', false, String(e instanceof Error ? e.stack : e));
  }
  return checks;
}
