// Packed-package install test (run after `npm run build`): `npm pack`, install the tarball
// into a fresh temporary project (offline, from the npm cache that `npm ci` filled), import
// every documented entry point under ESM and CommonJS, and check that the installed tree has
// no chart engine (vega, vega-lite: optional peers). Prints the install size and package count.
// Usage: node scripts/check-install.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? 'n1kit' : `n1kit/${k.slice(2)}`));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args, cwd) => execFileSync(npm, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const started = Date.now();

const dir = mkdtempSync(join(tmpdir(), 'n1kit-install-'));
try {
  const [packed] = JSON.parse(run(['pack', '--json', '--pack-destination', dir], root));
  const tarball = join(dir, packed.filename);
  const app = join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }));
  try {
    run(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], app);
  } catch (e) {
    // A package missing from the cache: fall back to the registry for it only.
    console.error(`offline install failed (${String(e.stderr ?? e).split('\n')[0]}); retrying --prefer-offline`);
    run(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], app);
  }

  // Every entry point, both module systems.
  const esm = entries.map((e, i) => `import * as m${i} from '${e}'; if (Object.keys(m${i}).length === 0) throw new Error('${e}: no exports');`).join('\n');
  execFileSync(process.execPath, ['--input-type=module', '-e', `${esm}\nconsole.log('esm ok');`], { cwd: app, stdio: 'pipe' });
  const cjs = entries.map((e) => `if (Object.keys(require('${e}')).length === 0) throw new Error('${e}: no exports');`).join('\n');
  execFileSync(process.execPath, ['-e', `${cjs}\nconsole.log('cjs ok');`], { cwd: app, stdio: 'pipe' });
  // The root works end to end, and the demo data are behind n1kit/demo only.
  const check = `
    const n = await import('n1kit'); const demo = await import('n1kit/demo');
    const d = n.designTrial({ treatments: ['a', 'b'], blocks: 2, periodDays: 7, seed: 's' });
    if (d.periods.length !== 4) throw new Error('designTrial');
    if ('MIGRAINE_PRIOR_TABLE' in n || !('MIGRAINE_PRIOR_TABLE' in demo)) throw new Error('demo data must be in n1kit/demo only');
    if ('cdfRaw' in n || 'solveMonotone' in n || 'formatValue' in n) throw new Error('internals on the root');`;
  execFileSync(process.execPath, ['--input-type=module', '-e', check], { cwd: app, stdio: 'pipe' });

  // No chart engine in the installed tree.
  const tree = JSON.parse(run(['ls', '--all', '--json'], app));
  const names = new Set();
  const walk = (deps) => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      if (d.missing || d.extraneous || d.version === undefined) continue; // an optional peer not installed
      names.add(name);
      walk(d.dependencies);
    }
  };
  walk(tree.dependencies);
  const engine = ['vega', 'vega-lite'].filter((n) => names.has(n) || existsSync(join(app, 'node_modules', n)));
  assert.deepEqual(engine, [], 'vega / vega-lite must not be installed by `npm install n1kit`');

  const modules = join(app, 'node_modules');
  const du = (p) => {
    const s = statSync(p);
    if (!s.isDirectory()) return s.size;
    return readdirSync(p).reduce((sum, f) => sum + du(join(p, f)), 0);
  };
  console.log(
    JSON.stringify({
      entries,
      esm: 'ok',
      cjs: 'ok',
      packages: names.size,
      installBytes: du(modules),
      tarballBytes: statSync(tarball).size,
      seconds: (Date.now() - started) / 1000,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
