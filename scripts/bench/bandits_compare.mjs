// Side-by-side select + update per second: n1kit (bandits_bench.ts) against mabwiser
// (mabwiser_bench.py), interleaved in one run, medians over rounds. Usage:
//   MABWISER=/tmp/mabwiser [BEFORE=/tmp/old] [ROUNDS=5] [SECONDS=1] node scripts/bench/bandits_compare.mjs
// MABWISER: a source checkout of fidelity/mabwiser (the directory holding `mabwiser/`), run
// with /usr/bin/python3 (Debian's numpy, pandas, scikit-learn, joblib, scipy). BEFORE
// (optional): a directory holding an older n1kit `src/`, measured as a third column.
// Prints a Markdown table: n1kit/s, mabwiser/s and their ratio (and the older n1kit).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const mabwiser = process.env.MABWISER ?? '/tmp/mabwiser';
const before = process.env.BEFORE;
const rounds = Number(process.env.ROUNDS ?? 5);
const seconds = String(process.env.SECONDS ?? 1);

/** [n1kit case, mabwiser case, label] */
const ROWS = [
  ['thompson', 'thompson', 'Beta–Bernoulli Thompson, defaults'],
  ['thompson-read', 'thompson', 'Beta–Bernoulli Thompson, defaults, propensity read every decision'],
  ['thompson-floor', 'thompson', 'Beta–Bernoulli Thompson, minProbability 0.01 (propensity read)'],
  ['thompson-draws1', 'thompson', 'Beta–Bernoulli Thompson, draws: 1'],
  ['lints', 'lints', 'linear Thompson (d = 20), defaults'],
  ['lints-read', 'lints', 'linear Thompson (d = 20), defaults, propensity read every decision'],
  ['lints-floor', 'lints', 'linear Thompson (d = 20), minProbability 0.01 (propensity read)'],
  ['lints-draws1', 'lints', 'linear Thompson (d = 20), draws: 1'],
  ['linucb', 'linucb', 'LinUCB (d = 20), defaults'],
];

const run = (cmd, args, env) => JSON.parse(execFileSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' }).trim().split('\n').pop()).perSecond;
const n1kit = (c, src) => run('npx', ['tsx', join(here, 'bandits_bench.ts'), c, seconds, src ?? root]);
const peer = (c) => run('/usr/bin/python3', [join(here, 'mabwiser_bench.py'), c, seconds], { PYTHONPATH: mabwiser });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};

const results = new Map(ROWS.map(([c]) => [c, { now: [], old: [], peer: [] }]));
for (let r = 0; r < rounds; r++) {
  for (const [c, p] of ROWS) {
    const slot = results.get(c);
    // the peer figure is measured next to every n1kit figure (same moment's load)
    slot.peer.push(peer(p));
    slot.now.push(n1kit(c));
    if (before) slot.old.push(n1kit(c, before));
    process.stderr.write(`round ${r + 1}/${rounds} ${c}: n1kit ${slot.now.at(-1).toFixed(0)}/s, mabwiser ${slot.peer.at(-1).toFixed(0)}/s\n`);
  }
}
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const head = before ? '| case | n1kit/s | n1kit before/s | mabwiser/s | ratio | ratio before |' : '| case | n1kit/s | mabwiser/s | ratio |';
console.log(head);
console.log(before ? '|---|---:|---:|---:|---:|---:|' : '|---|---:|---:|---:|');
for (const [c, , label] of ROWS) {
  const { now, old, peer: pw } = results.get(c);
  const m = median(now);
  const pm = median(pw);
  const ratio = (x) => `${(x / pm).toFixed(x / pm < 10 ? 2 : 0)}×`;
  if (before) console.log(`| ${label} | ${fmt(m)} | ${fmt(median(old))} | ${fmt(pm)} | ${ratio(m)} | ${ratio(median(old))} |`);
  else console.log(`| ${label} | ${fmt(m)} | ${fmt(pm)} | ${ratio(m)} |`);
}
