export { createRng, restoreRng, toRng } from './rng.js';
export type { Rng, RngState, Seed } from './rng.js';
