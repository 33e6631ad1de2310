#!/usr/bin/env node
// Runs every TSDoc `@example` of src/ against the built package (dist/), each in its own async
// function with every root export (and `n1kit/node`'s) in scope; fails on the first example
// that throws, naming its file and line. OpenAI-compatible calls in examples are answered by a
// local stand-in for `fetch`, so no example needs a network. Run after `npm run build`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

const root = process.cwd();
const only = process.argv[2];
const lib = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
const node = await import(pathToFileURL(join(root, 'dist', 'node.js')).href).catch(() => ({}));
const scope = { ...node, ...lib };
const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));

// A stand-in for an OpenAI-compatible server: every candidate gets a modest normal prior.
globalThis.fetch = async (url, init) => {
  const body = JSON.parse(String(init?.body ?? '{}'));
  const text = JSON.stringify(body.messages ?? '');
  const ids = [...new Set([...text.matchAll(/\\"id\\":\\"([^\\"]+)\\"|- ([A-Za-z0-9_]+):/g)].map((m) => m[1] ?? m[2]))];
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
    for (const ex of body.matchAll(/@example\s*\n```(?:ts|typescript|js)?\n([\s\S]*?)```/g)) {
      const line = text.slice(0, m.index).split('\n').length + comment.slice(0, comment.indexOf(ex[1].split('\n')[0])).split('\n').length - 1;
      examples.push({ file: relative(root, file), line, code: ex[1] });
    }
  }
}

let failed = 0;
let ran = 0;
for (const ex of examples) {
  if (only && !ex.file.includes(only)) continue;
  const code = ex.code
    .split('\n')
    .filter((l) => !/^\s*import\s.*from\s+['"]n1kit(\/node)?['"];?\s*$/.test(l))
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
console.log(`${ran} of ${ran + failed} TSDoc examples ran${failed ? `; ${failed} threw` : ''}`);
process.exit(failed ? 1 : 0);
