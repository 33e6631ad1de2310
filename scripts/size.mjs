// Size budgets of the BUILT package (run `npm run build` first): bundles each documented
// import pattern with esbuild (minified, ESM, browser platform, as an app would) against dist/
// through package.json "exports", gzips it, and fails when a bundle is over its budget or
// holds a package it must not (the chart engine anywhere; @stdlib where nothing needs it).
// Usage: node scripts/size.mjs [--json]
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/** Budgets in gzipped bytes (KB = 1000 bytes). `forbid`: packages that must not be bundled. */
const cases = [
  { name: "{ designTrial } from 'n1kit'", code: "export { designTrial } from 'n1kit';", budget: 15_000, forbid: ['@stdlib/', 'vega'] },
  { name: "{ createRng } from 'n1kit'", code: "export { createRng } from 'n1kit';", budget: 4_000, forbid: ['@stdlib/', 'vega'] },
  { name: "{ normal, updateNormal } from 'n1kit'", code: "export { normal, updateNormal } from 'n1kit';", budget: 45_000, forbid: ['vega'] },
  { name: "{ analyzeTrial } from 'n1kit'", code: "export { analyzeTrial } from 'n1kit';", budget: 90_000, forbid: ['vega'] },
  {
    name: "{ createEncryptedStore, createIndexedDbBackend } from 'n1kit'",
    code: "export { createEncryptedStore, createIndexedDbBackend } from 'n1kit';",
    budget: 12_000,
    forbid: ['@stdlib/', 'seedrandom', 'vega'],
  },
  { name: "{ plotPosterior } from 'n1kit'", code: "export { plotPosterior } from 'n1kit';", budget: 45_000, forbid: ['vega'] },
  // Everything: the core plus tables in (d3-dsv), simulation, population pooling, report charts.
  { name: "* as n1kit from 'n1kit' (everything)", code: "export * from 'n1kit';", budget: 185_000, forbid: ['vega'] },
  { name: "* from 'n1kit/demo'", code: "export * from 'n1kit/demo';", budget: 12_000, forbid: ['@stdlib/', 'vega'] },
  { name: "{ wrapWorker } from 'n1kit/worker' (main thread)", code: "export { wrapWorker } from 'n1kit/worker';", budget: 4_000, forbid: ['@stdlib/', 'seedrandom', 'vega'] },
  {
    name: "{ exposeWorkerFunctions, workerFunctions } from 'n1kit/worker' (worker)",
    code: "export { exposeWorkerFunctions, workerFunctions } from 'n1kit/worker';",
    budget: 105_000,
    forbid: ['vega'],
  },
  // n1kit/node: the file backend plus the worker-thread simulateTrials/planTrial (the simulation
  // core, the models it runs and tinypool).
  { name: "* from 'n1kit/node' (Node)", code: "export * from 'n1kit/node';", budget: 110_000, forbid: ['vega'], platform: 'node' },
];

/** Resolves `n1kit` and `n1kit/<sub>` to the built files named by package.json "exports". */
const self = {
  name: 'n1kit-self',
  setup(b) {
    b.onResolve({ filter: /^n1kit(\/.*)?$/ }, (a) => {
      const sub = a.path === 'n1kit' ? '.' : `.${a.path.slice('n1kit'.length)}`;
      const target = pkg.exports[sub]?.import?.default;
      if (target === undefined) return { errors: [{ text: `package.json has no "exports" entry ${sub}` }] };
      return { path: resolve(root, target) };
    });
  },
};

const rows = [];
let failed = 0;
for (const c of cases) {
  const out = await build({
    stdin: { contents: c.code, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: c.platform ?? 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [self],
  });
  const bytes = out.outputFiles[0].contents;
  const gzip = gzipSync(bytes, { level: 9 }).length;
  // Inputs that contribute bytes (the metafile also lists modules visited and then dropped).
  const used = Object.values(out.metafile.outputs)[0].inputs;
  const inputs = Object.keys(used).filter((i) => used[i].bytesInOutput > 0);
  const bad = c.forbid.filter((f) => inputs.some((i) => i.includes(`node_modules/${f}`)));
  const ok = gzip <= c.budget && bad.length === 0;
  if (!ok) failed++;
  rows.push({ entry: c.name, minified: bytes.length, gzip, budget: c.budget, forbidden: bad, ok });
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  for (const r of rows) {
    const extra = r.forbidden.length > 0 ? `  bundles ${r.forbidden.join(', ')}` : '';
    console.log(`${r.ok ? 'ok  ' : 'OVER'}  ${kb(r.gzip).padStart(9)} gz / ${kb(r.budget).padStart(9)}  (${kb(r.minified)} min)  ${r.entry}${extra}`);
  }
}
if (failed > 0) {
  console.error(`size: ${failed} of ${rows.length} bundles over budget or holding a forbidden package`);
  process.exit(1);
}
