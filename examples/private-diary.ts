// A private N-of-1 diary: entries encrypted on the device, an effect estimated locally, and
// only a differentially private effect shared with the population, under a privacy budget.
// Run after `npx tsup`:  node node_modules/tsx/dist/cli.mjs examples/private-diary.ts
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEncryptedStore,
  createMemoryBackend,
  createPrivacyAccountant,
  DEFAULT_KDF_ITERATIONS,
  isN1kitError,
  minimizeFeatures,
  privateEffectEstimate,
  projectFeatures,
} from 'n1kit';
import { createFileBackend } from 'n1kit/node';

const dir = mkdtempSync(join(tmpdir(), 'n1kit-diary-'));
try {
  // 20,000 PBKDF2 iterations only so that this example runs in a second or two on a CI
  // machine; a real app omits `kdf` and gets the default 600,000 (OWASP).
  const kdf = { iterations: 20_000 };
  assert.ok(DEFAULT_KDF_ITERATIONS >= 600_000);
  const backend = createFileBackend({ directory: dir });
  const diary = await createEncryptedStore({ backend, passphrase: 'blue fox jumps 42', kdf });

  // Four weeks, alternating treatments A and B (pain score 0-10 each day).
  const pain = { A: [6, 7, 6, 5, 7, 6, 6], B: [4, 5, 3, 4, 5, 4, 4] };
  for (let week = 0; week < 4; week++) {
    const treatment = week % 2 === 0 ? 'A' : 'B';
    for (let d = 0; d < 7; d++) {
      await diary.put(`day-${String(week * 7 + d).padStart(2, '0')}`, { treatment, pain: pain[treatment][d]! + (week >= 2 ? 0.5 : 0) });
    }
  }
  const ids = await diary.list();
  console.log(`diary: ${ids.length} encrypted entries in ${readdirSync(dir).filter((f) => f.endsWith('.n1k')).length - 1} files`);
  assert.equal(ids.length, 28);

  // Reopen (as after an app restart) and estimate the effect B − A on the device.
  const reopened = await createEncryptedStore({ backend: createFileBackend({ directory: dir }), passphrase: 'blue fox jumps 42' });
  const byArm: Record<string, number[]> = { A: [], B: [] };
  for (const id of ids) {
    const e = (await reopened.get<{ treatment: 'A' | 'B'; pain: number }>(id))!;
    byArm[e.treatment]!.push(e.pain);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const effect = mean(byArm.B!) - mean(byArm.A!);
  console.log(`local effect estimate (B - A): ${effect.toFixed(3)} pain points`);
  assert.ok(Math.abs(effect - (mean(pain.B) - mean(pain.A))) < 1e-12);

  // A wrong passphrase is refused and nothing is lost; changing it re-wraps one key.
  const wrong = await createEncryptedStore({ backend, passphrase: 'blue fox jumps 43' }).catch((e: unknown) => e);
  assert.ok(isN1kitError(wrong) && wrong.code === 'E_DECRYPT');
  console.log(`wrong passphrase: ${wrong.code} (${(wrong as { reason?: string }).reason})`);
  await reopened.changePassphrase('blue fox jumps 42', 'purple otter sleeps 7');
  const afterChange = await createEncryptedStore({ backend, passphrase: 'purple otter sleeps 7' });
  assert.deepEqual(await afterChange.get('day-00'), await reopened.get('day-00'));
  console.log('passphrase changed: every entry still readable');
  const rotation = await afterChange.rotateKey();
  console.log(`data key rotated: key version ${rotation.keyVersion}, ${rotation.resealed} entries re-sealed`);
  assert.deepEqual(rotation, { keyVersion: 2, resealed: 28 });

  // Share the effect with the population only under differential privacy. Bounds are fixed in
  // advance ([-5, 5] pain points); one patient's estimate has sensitivity 10.
  const budget = createPrivacyAccountant({ epsilon: 1 });
  const shared = privateEffectEstimate({ effects: effect, bounds: [-5, 5], epsilon: 0.5, mechanism: 'laplace', accountant: budget });
  console.log(`shared (eps = 0.5, Laplace b = ${shared.scale.toFixed(4)}): ${shared.value.toFixed(3)}; budget left eps = ${budget.remaining().epsilon}`);
  assert.ok(Math.abs(shared.scale - 10 / 0.5) / 20 < 2 ** -19);
  assert.equal(budget.remaining().epsilon, 0.5);
  let refused = '';
  try {
    privateEffectEstimate({ effects: effect, bounds: [-5, 5], epsilon: 0.6, mechanism: 'laplace', accountant: budget });
  } catch (e) {
    refused = isN1kitError(e) ? e.code : String(e);
  }
  console.log(`second release (eps = 0.6): refused with ${refused}`);
  assert.equal(refused, 'E_PRIVACY_BUDGET');

  // What the foundation model sees: allow-listed features, or a projection of them.
  const patient = { age: 47, sex: 'f', bmi: 24.3, name: 'R. Example', migraineDaysPerMonth: 9 };
  const minimal = minimizeFeatures(patient, ['age', 'sex', 'migraineDaysPerMonth']);
  console.log(`prior request features: ${JSON.stringify(minimal)}`);
  assert.deepEqual(Object.keys(minimal).sort(), ['age', 'migraineDaysPerMonth', 'sex']);
  const embedding = projectFeatures(patient, {
    dimension: 2,
    seed: 'kept-on-device',
    standardize: { age: { mean: 45, sd: 12 }, bmi: { mean: 26, sd: 5 }, migraineDaysPerMonth: { mean: 6, sd: 4 } },
  });
  console.log(`or a 2-d embedding: [${embedding.map((v) => v.toFixed(3)).join(', ')}]`);
  assert.equal(embedding.length, 2);

  // Encrypted backup, restored on a second device.
  const backup = await afterChange.exportBackup();
  assert.ok(!backup.includes('"pain"'));
  const phone = await createEncryptedStore({ backend: createMemoryBackend(), passphrase: 'new phone pass', kdf });
  const { imported } = await phone.importBackup(backup, { passphrase: 'purple otter sleeps 7' });
  console.log(`backup restored on a second device: ${imported} entries`);
  assert.equal(imported, 28);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
