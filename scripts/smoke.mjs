// Smoke test of the BUILT package under ESM: `import 'n1kit'` resolves through package.json
// "exports" to dist/index.js. Prints what it checked; exits non-zero on any mismatch.
import assert from 'node:assert/strict';
import * as n1kit from 'n1kit';

const rng = n1kit.createRng('alice');
const first = Array.from({ length: 5 }, () => rng.uniform());
assert.equal(typeof n1kit.normal, 'function');
assert.ok(Math.abs(n1kit.cdf(n1kit.normal(0, 1), 1.959963984540054) - 0.975) < 1e-12);
let code;
try {
  n1kit.normal(0, -1);
} catch (e) {
  code = e.code;
}
assert.equal(code, 'E_INVALID_ARGUMENT');
console.log(JSON.stringify({ format: 'esm', exports: Object.keys(n1kit).length, first }));

// `n1kit/node` shares the error classes with `n1kit` (one chunk): instanceof works across them.
const node = await import('n1kit/node');
let err;
try {
  node.createFileBackend({});
} catch (e) {
  err = e;
}
assert.ok(err instanceof n1kit.ValidationError, 'n1kit/node must throw the same ValidationError class as n1kit');
