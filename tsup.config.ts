import { defineConfig } from 'tsup';

// The documented entry points (package.json "exports"). Keep the two lists in step;
// `scripts/size.mjs` and `test/package/` check every one of them.
const entry = {
  index: 'src/index.ts',
  node: 'src/node.ts',
  demo: 'src/demo.ts',
  worker: 'src/worker.ts',
};

export default defineConfig([
  {
    // ESM, one output file per source module (no bundling). With `"sideEffects": false` a
    // bundler drops every module whose exports an app does not use, and with them their
    // CommonJS `@stdlib` imports, which it could not drop from inside one big file.
    // One copy of each module also means `n1kit` and `n1kit/node` share the error classes.
    entry: ['src/**/*.ts', '!src/cli/**', '!src/**/*.d.ts'],
    format: ['esm'],
    bundle: false,
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
  },
  {
    // CommonJS (`require('n1kit')`): bundled per entry, shared chunks so that the entries
    // share ONE copy of the error classes (instanceof works across them). Types for both
    // formats come from here (.d.ts and .d.cts).
    entry,
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    // Inline the @stdlib functions: loading them as ~450 separate CommonJS files took about
    // 0.3–1 s at import, the bulk of a fresh process's first analysis (docs/bench/models.md).
    // d3-dsv ships ES modules only: bundled into the CommonJS build so that require('n1kit')
    // works on every Node 20 (the ESM build imports it as a dependency).
    noExternal: [/^@stdlib\//, 'd3-dsv'],
  },
  {
    entry,
    format: ['esm'],
    dts: { only: true },
    clean: false,
  },
  {
    // The simulation thread pool's worker (Node only, ESM; `n1kit/node` loads it beside itself).
    entry: { 'simulate-worker': 'src/simulate/worker.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    // One file with @stdlib inlined: each pool thread loads it at start, and resolving ~450
    // separate CommonJS files took most of a thread's start-up. Inlined @stdlib calls
    // require('tty') (its `debug` helper), so the bundle gets a real require, as the command does.
    noExternal: [/^@stdlib\//],
    banner: { js: "import { createRequire as __n1kitCreateRequire } from 'node:module';\nconst require = __n1kitCreateRequire(import.meta.url);" },
  },
  {
    // `n1kit/queue`: the BullMQ runner (Node only; bullmq is an optional peer dependency).
    entry: { queue: 'src/simulate/queue.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    external: ['bullmq'],
  },
  {
    // The `n1kit` command (Node only, ESM).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    noExternal: [/^@stdlib\//],
    // Inlined @stdlib code (its `debug` helper) calls require('tty'): give the ESM bundle a real
    // require, or the command dies at start-up with "Dynamic require of tty is not supported".
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __n1kitCreateRequire } from 'node:module';\nconst require = __n1kitCreateRequire(import.meta.url);" },
  },
]);
