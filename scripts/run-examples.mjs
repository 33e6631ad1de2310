// Runs every examples/*.ts against the BUILT package (examples import from 'n1kit', which
// resolves to dist/ through package.json "exports"). Each example asserts what it prints with
// node:assert; this runner fails when any example exits non-zero or prints nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
let failed = 0;
for (const f of files) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [tsx, '--tsconfig', join(dir, 'tsconfig.json'), join(dir, f)], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Date.now() - t0;
  if (r.status !== 0 || r.stdout.trim().length === 0) {
    failed++;
    console.error(`FAIL examples/${f} (exit ${r.status}, ${ms} ms)\n${r.stdout}\n${r.stderr}`);
  } else {
    console.log(`ok   examples/${f} (${ms} ms, ${r.stdout.trim().split('\n').length} lines printed)`);
  }
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
