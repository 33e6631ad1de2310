import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: ESM + CJS with types for both; `n1kit/node` holds the Node-only adapters.
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    // Shared chunks, so `n1kit` and `n1kit/node` use ONE copy of the error classes
    // (instanceof works across the two entry points).
    splitting: true,
    treeshake: true,
    // Inline the @stdlib functions: loading them as ~450 separate CommonJS files took about
    // 0.3–1 s at import, the bulk of a fresh process's first analysis (docs/bench/models.md).
    noExternal: [/^@stdlib\//],
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
    banner: { js: '#!/usr/bin/env node' },
  },
]);
