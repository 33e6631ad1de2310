#!/usr/bin/env node
// Runs every TSDoc `@example` of src/ against the built package (dist/), each in its own async
// function with every export of every entry point in scope, plus a few documented fixtures that
// examples may name without building them (`spec`, `plan`, `prior`, `releases`, ... below, as
// doctest's globals). A line marked `// throws` must throw an N1kitError. Fails when any
// example throws, naming its file and line. OpenAI-compatible calls are answered by a local
// stand-in for `fetch`, so no example needs a network; examples that need a browser or a Redis
// server are covered by their tests (test/browser, test/simulate) and skipped here.
// Run after `npm run build`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

const root = process.cwd();
const only = process.argv[2];
// Every entry point of the package (n1kit, n1kit/node, n1kit/demo, ...), from its exports map.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = Object.entries(pkg.exports)
  .map(([, v]) => (typeof v === 'object' && v.import ? (typeof v.import === 'string' ? v.import : v.import.default) : null))
  .filter((f) => typeof f === 'string' && f.endsWith('.js'));
const scope = {};
for (const f of entries.reverse()) Object.assign(scope, await import(pathToFileURL(join(root, f)).href));

// Fixtures that examples may use by name (each example may also define its own).
const fixtures = {};
fixtures.prior = await scope.staticPriorProvider().elicit(scope.migrainePriorRequest());
fixtures.plan = scope.startPersonalization({ prior: fixtures.prior, betterIs: 'lower', seed: 'alice', mcid: 2 });
fixtures.spec = {
  design: { treatments: ['magnesium', 'placebo'], blocks: 2, periodDays: 7 },
  scenario: { outcome: 'normal', baseline: 10, effects: { magnesium: -2 }, sd: 2 },
  analysis: { reference: 'placebo', betterIs: 'lower', model: { sigma: 2 } },
  replicates: 100,
  seed: 'doc',
};
{
  const design = scope.designTrial({ treatments: ['magnesium', 'placebo'], blocks: 2, periodDays: 7, seed: 'doc' });
  const observations = design.periods.flatMap((p) =>
    Array.from({ length: 7 }, (_, i) => ({ day: p.startDay + i, value: (p.treatment === 'magnesium' ? 8 : 10) + ((i % 3) - 1) })),
  );
  fixtures.trial = { design, observations, outcome: 'normal', reference: 'placebo', betterIs: 'lower' };
}
fixtures.input = { ...fixtures.spec, search: { blocks: [2, 4] }, target: { power: 0.8 } };
fixtures.releases = Array.from({ length: 30 }, (_, i) => ({ value: -2 + Math.sin(i), sd: 1 + (i % 3) / 2 }));
fixtures.fromServer = async () => ({ releases: fixtures.releases });
fixtures.fetchGroups = async () => scope.releaseGroups(fixtures.releases);
fixtures.a = { kind: 'n1kit.simulationShard', spec: fixtures.spec, start: 0, end: 50 };
fixtures.b = { kind: 'n1kit.simulationShard', spec: fixtures.spec, start: 50, end: 100 };
fixtures.partials = [await scope.runSimulationShard(fixtures.a), await scope.runSimulationShard(fixtures.b)];
fixtures.__expectThrow = (f) => {
  try {
    f();
  } catch (e) {
    if (e && typeof e.code === 'string') return;
    throw e;
  }
  throw new Error('a line marked `// throws` did not throw');
};
for (const [k, v] of Object.entries(fixtures)) if (!(k in scope)) scope[k] = v;

// A stand-in for an OpenAI-compatible server: every candidate gets a modest normal prior.
globalThis.fetch = async (url, init) => {
  const body = JSON.parse(String(init?.body ?? '{}'));
  // The structured-output schema names every candidate id; fall back to the prompt's example.
  const schema = body.response_format?.json_schema?.schema?.properties?.effects?.properties;
  const prompt = (body.messages ?? []).map((m) => m.content).join('\n');
  const ids = schema ? Object.keys(schema) : [...prompt.matchAll(/"([A-Za-z0-9_]+)": \{"mean"/g)].map((m) => m[1]);
  const effects = Object.fromEntries((ids.length ? ids : ['magnesium']).map((id) => [id, { mean: -1, sd: 1 }]));
  const content = JSON.stringify({ effects });
  return new Response(JSON.stringify({ choices: [{ message: { content }, finish_reason: 'stop' }] }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
};

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'cli' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const examples = [];
for (const file of files(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const comment = m[0];
    if (/@internal/.test(comment)) continue;
    const lines = comment.split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ''));
    const body = lines.join('\n');
    // The declaration the comment documents: a function or constant that no entry point
    // exports is internal, and its example is not published.
    const decl = /^\s*export\s+(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/.exec(text.slice(m.index + comment.length));
    const kind = decl ? /^\s*export\s+(?:async\s+)?(\w+)/.exec(text.slice(m.index + comment.length))?.[1] : undefined;
    if (decl && (kind === 'function' || kind === 'const' || kind === 'class') && !(decl[1] in scope)) continue;
    for (const ex of body.matchAll(/@example\s*\n```(?:ts|typescript|js)?\n([\s\S]*?)```/g)) {
      const line = text.slice(0, m.index).split('\n').length + comment.slice(0, comment.indexOf(ex[1].split('\n')[0])).split('\n').length - 1;
      examples.push({ file: relative(root, file), line, code: ex[1] });
    }
  }
}

// Examples that need a browser (Web Workers, IndexedDB) run in Chromium in test/browser/; those
// that need a Redis server run in test/simulate/ against a real one.
const BROWSER_ONLY = /new Worker\(|\bindexedDB\b|createIndexedDbBackend|\bnavigator\.|\bself\b|wrapWorker|\bn1\.|redis:\/\/|n1kit\/queue/;
const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
let failed = 0;
let ran = 0;
let browser = 0;
for (const ex of examples) {
  if (only && !ex.file.includes(only)) continue;
  if (BROWSER_ONLY.test(ex.code)) {
    browser++;
    continue;
  }
  const code = ex.code
    .split('\n')
    .filter((l) => !/^\s*import\s.*from\s+['"]n1kit(\/[\w-]+)?['"];?\s*$/.test(l))
    .map((l) => {
      const t = /^(\s*)(.*?);?\s*\/\/\s*throws\b.*$/.exec(l);
      return t ? `${t[1]}__expectThrow(() => { ${t[2]}; });` : l;
    })
    .join('\n');
  try {
    // TypeScript in the example (annotations, `as`, `declare`) is stripped by esbuild.
    const js = (await transform(`return (async () => {\n${code}\n})();`, { loader: 'ts', format: 'cjs', target: 'es2022' })).code;
    const fn = new Function(...names, js);
    await fn(...names.map((n) => scope[n]));
    ran++;
  } catch (e) {
    failed++;
    console.error(`✗ ${ex.file}:${ex.line}: ${e instanceof Error ? `${e.name}: ${e.message}` : e}`);
  }
}
console.log(`${ran} of ${ran + failed} TSDoc examples ran${failed ? `; ${failed} threw` : ''} (${browser} browser-only examples are covered by test/browser/)`);
process.exit(failed ? 1 : 0);
