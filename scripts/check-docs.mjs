#!/usr/bin/env node
// Fails when the published API reference (docs/api, built by `npm run docs`) speaks in the
// project's internal terms ("the issue", "the contract", DESIGN.md, ../shared) that a user
// of the library does not have. Run after `npm run docs`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(process.cwd(), 'docs', 'api');
const INTERNAL = /\bthe (issue|contract)\b(?! tracker)|DESIGN\.md|\.\.\/shared\b|\bshared\/(DESIGN|METHODS|STYLE)/i;
const files = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.html') ? [p] : [];
  });
const hits = [];
for (const f of files(root)) {
  const text = readFileSync(f, 'utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const m = INTERNAL.exec(text);
  if (m) hits.push(`${relative(process.cwd(), f)}: …${text.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
}
if (hits.length > 0) {
  console.error(`internal wording in the published docs (${hits.length} pages):\n${hits.join('\n')}`);
  process.exit(1);
}
console.log(`docs: ${files(root).length} pages, no internal wording`);
