// Smoke test of the BUILT package under CommonJS: require('n1kit') resolves to dist/index.cjs.
// The first uniforms of createRng('alice') must equal those of the ESM build.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const n1kit = require('n1kit');

const rng = n1kit.createRng('alice');
const first = Array.from({ length: 5 }, () => rng.uniform());
assert.ok(Math.abs(n1kit.cdf(n1kit.normal(0, 1), 1.959963984540054) - 0.975) < 1e-12);
const esm = JSON.parse(execFileSync(process.execPath, [require.resolve('./smoke.mjs')], { encoding: 'utf8' }));
assert.deepEqual(first, esm.first, 'ESM and CJS builds must give the same stream');
assert.equal(Object.keys(n1kit).length, esm.exports, 'ESM and CJS builds must export the same names');
console.log(JSON.stringify({ format: 'cjs', exports: Object.keys(n1kit).length, sameStreamAsEsm: true }));
