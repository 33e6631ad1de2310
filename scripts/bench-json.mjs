// `npm run bench:json [-- files...]`: runs the vitest benchmarks once and writes their results
// as JSON (vitest's --outputJson) to out/bench.json (or $BENCH_JSON). Colours (ANSI codes) are
// off unless stdout is a terminal, so CI logs stay plain. Compare with `npm run bench:compare`.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const out = resolve(process.env.BENCH_JSON ?? 'out/bench.json');
mkdirSync(dirname(out), { recursive: true });
const env = { ...process.env };
if (!process.stdout.isTTY) {
  env.NO_COLOR = '1';
  env.FORCE_COLOR = '0';
  delete env.COLORTERM;
}
const started = Date.now();
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'bench', '--run', '--outputJson', out, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
console.log(`bench:json: ${out} written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(r.status ?? 1);
