#!/usr/bin/env node
/**
 * Side-by-side peer benchmark of the N-of-1 models: n1kit against JAGS (rjags) and Stan
 * (rstan), same data and priors, effective samples per second of the treatment effects at
 * ESS ≥ 1000. CI never runs it. Needs Debian's r-base-core, jags, r-cran-rjags, r-cran-rstan
 * and r-cran-posterior.
 *
 *   node scripts/bench/peers.mjs [--rounds 5] [--dir /tmp/n1kit-peers] [--cases normal,ar1,...]
 *
 * 1. exports the six cases' data (scripts/bench/peers-n1kit.ts export);
 * 2. calibrates, per tool and case, the draws per chain (4 chains, fixed warm-up) until the
 *    smallest bulk ESS of the treatment effects is ≥ 1000 (a calibration round, not counted);
 * 3. runs n1kit, JAGS and Stan interleaved (the order rotates each round) for `rounds` rounds,
 *    each with its own seed, and prints markdown: the median over rounds of ESS/s per tool,
 *    the median over rounds of the per-round ratios n1kit/JAGS and n1kit/Stan, and the
 *    posterior means and sds of the three tools (they must agree).
 * Results also go to <dir>/results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const rounds = Number(opt('rounds', '5'));
const dir = opt('dir', '/tmp/n1kit-peers');
const cases = opt('cases', 'normal,ar1,washout,binomial,poisson,series').split(',');
const tools = opt('tools', 'n1kit,jags,stan').split(',');
mkdirSync(dir, { recursive: true });

const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

execFileSync('npx', ['tsx', join(here, 'peers-n1kit.ts'), 'export', dir], { cwd: root, stdio: 'inherit' });

// Warm-up per chain, fixed per tool (n1kit: the settings of docs/bench/models.md; JAGS: half
// adaptation, half burn-in; Stan: 500 iterations of NUTS adaptation).
const warmup = {
  n1kit: { normal: 100, ar1: 150, washout: 100, binomial: 100, poisson: 150, series: 100 },
  jags: Object.fromEntries(cases.map((c) => [c, 500])),
  stan: Object.fromEntries(cases.map((c) => [c, 500])),
};
const startDraws = { n1kit: 400, jags: 1000, stan: 1000 };

function run(tool, settings, seed) {
  const s = JSON.stringify(settings);
  const out =
    tool === 'n1kit'
      ? execFileSync('npx', ['tsx', join(here, 'peers-n1kit.ts'), 'run', s, String(seed)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 })
      : execFileSync('Rscript', [join(here, 'peers.R'), tool, dir, String(seed), s], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

// Calibration.
const settings = {};
for (const tool of tools) {
  settings[tool] = Object.fromEntries(cases.map((c) => [c, { warmup: warmup[tool][c], draws: startDraws[tool] }]));
  for (let pass = 0; pass < 5; pass++) {
    const res = run(tool, settings[tool], 999 + pass);
    let ok = true;
    for (const r of res) {
      if (r.essMin < 1000) {
        ok = false;
        const s = settings[tool][r.case];
        s.draws = Math.ceil((s.draws * 1150) / Math.max(r.essMin, 50) / 50) * 50;
      }
    }
    log(`calibrate ${tool} pass ${pass}:`, res.map((r) => `${r.case} ess ${Math.round(r.essMin)}`).join(', '));
    if (ok) break;
  }
}

const results = [];
for (let round = 1; round <= rounds; round++) {
  const order = tools.map((_, i) => tools[(i + round - 1) % tools.length]);
  for (const tool of order) {
    const res = run(tool, settings[tool], round);
    for (const r of res) results.push({ round, ...r });
    log(`round ${round} ${tool}:`, res.map((r) => `${r.case} ${Math.round(r.essPerSec)}/s (ess ${Math.round(r.essMin)})`).join(', '));
  }
}
writeFileSync(join(dir, 'results.json'), JSON.stringify({ settings, results }, null, 1));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const get = (tool, c, round) => results.find((r) => r.tool === tool && r.case === c && r.round === round);
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
const lines = [];
lines.push(`Medians of ${rounds} interleaved rounds; ESS = smallest bulk ESS of the treatment effects; 4 chains each.`);
lines.push('');
lines.push('| case | n1kit ESS/s | JAGS ESS/s | Stan ESS/s | n1kit / JAGS | n1kit / Stan | n1kit sampler |');
lines.push('|---|---:|---:|---:|---:|---:|---|');
for (const c of cases) {
  const rs = Array.from({ length: rounds }, (_, i) => i + 1);
  const med = (tool) => median(rs.map((r) => get(tool, c, r)?.essPerSec ?? Number.NaN));
  const ratio = (peer) => median(rs.map((r) => (get('n1kit', c, r)?.essPerSec ?? Number.NaN) / (get(peer, c, r)?.essPerSec ?? Number.NaN)));
  const sampler = get('n1kit', c, 1)?.sampler ?? 'hierarchical Gibbs';
  lines.push(`| ${c} | ${fmt(med('n1kit'))} | ${fmt(med('jags'))} | ${fmt(med('stan'))} | ${fmt(ratio('jags'))}× | ${fmt(ratio('stan'))}× | ${sampler} |`);
}
lines.push('');
lines.push('Settings per chain (warm-up + draws) and median seconds per fit:');
lines.push('');
lines.push('| case | n1kit | JAGS | Stan |');
lines.push('|---|---|---|---|');
for (const c of cases) {
  const cell = (tool) => {
    const s = settings[tool]?.[c];
    if (!s) return '—';
    const secs = median(results.filter((r) => r.tool === tool && r.case === c).map((r) => r.seconds));
    return `${s.warmup} + ${s.draws}, ${secs < 0.1 ? `${(secs * 1000).toFixed(1)} ms` : `${secs.toFixed(2)} s`}`;
  };
  lines.push(`| ${c} | ${cell('n1kit')} | ${cell('jags')} | ${cell('stan')} |`);
}
lines.push('');
lines.push('Posterior mean (sd) of each treatment effect, round 1:');
lines.push('');
lines.push('| case | effect | n1kit | JAGS | Stan |');
lines.push('|---|---|---|---|---|');
for (const c of cases) {
  const n = get('n1kit', c, 1);
  if (!n) continue;
  for (const e of Object.keys(n.mean)) {
    const cell = (tool) => {
      const r = get(tool, c, 1);
      return r ? `${r.mean[e].toFixed(3)} (${r.sd[e].toFixed(3)})` : '—';
    };
    lines.push(`| ${c} | ${e} | ${cell('n1kit')} | ${cell('jags')} | ${cell('stan')} |`);
  }
}
console.log(lines.join('\n'));
