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
    banner: { js: '#!/usr/bin/env node' },
  },
]);
