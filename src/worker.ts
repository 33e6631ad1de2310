/**
 * `n1kit/worker` entry point: the Web Worker helper (see `src/worker/index.ts`).
 *
 * @packageDocumentation
 */
export * from './worker/index.js';
