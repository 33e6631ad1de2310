// `npm run bench:compare [-- current.json [baseline.json]]`: compares a bench:json result
// (default out/bench.json) with the committed baseline (default bench/baseline.json), prints
// one line per benchmark (throughput ratio current / baseline) and exits 1 when any benchmark
// regressed beyond the noise band.
//
// Noise band: a benchmark is flagged when its throughput fell by more than
// max(BENCH_NOISE (default 0.30, i.e. 30 %), 3 × the two runs' combined relative margin of
// error), capped at 90 %. 30 % because the CI machine is shared (2 cores, up to 8 jobs): runs of the same code
// on a quiet and a busy machine differ by up to ~25 %. Benchmarks present in only one file are
// listed, not flagged. Plain text, no ANSI codes.
import { readFileSync } from 'node:fs';

const [currentPath = 'out/bench.json', basePath = 'bench/baseline.json'] = process.argv.slice(2);
const noise = Number(process.env.BENCH_NOISE ?? 0.3);
if (!(noise > 0 && noise < 1)) throw new Error(`BENCH_NOISE must be in (0, 1); got ${process.env.BENCH_NOISE}`);

/** "file > group > name" → { hz, rme } */
function load(path) {
  const j = JSON.parse(readFileSync(path, 'utf8'));
  const m = new Map();
  for (const f of j.files ?? []) {
    const file = String(f.filepath).replace(/^.*?(bench\/)/, '$1');
    for (const g of f.groups ?? []) {
      for (const b of g.benchmarks ?? []) m.set(`${file} > ${g.fullName.replace(/^.*? > /, '')} > ${b.name}`, { hz: b.hz, rme: b.rme });
    }
  }
  return m;
}

const current = load(currentPath);
const base = load(basePath);
let regressions = 0;
const lines = [];
for (const [key, c] of current) {
  const b = base.get(key);
  if (b === undefined) {
    lines.push(`new       ${key}`);
    continue;
  }
  const ratio = c.hz / b.hz;
  const band = Math.min(0.9, Math.max(noise, (3 * Math.hypot(c.rme ?? 0, b.rme ?? 0)) / 100));
  const bad = ratio < 1 - band;
  if (bad) regressions++;
  lines.push(`${bad ? 'SLOWER' : 'ok    '}  ${ratio.toFixed(2).padStart(6)}x  (band -${(band * 100).toFixed(0)}%)  ${key}`);
}
for (const key of base.keys()) if (!current.has(key)) lines.push(`missing   ${key}`);
console.log(lines.join('\n'));
console.log(`bench:compare: ${current.size} benchmarks, ${regressions} slower than ${basePath} beyond the noise band`);
process.exit(regressions > 0 ? 1 : 0);
