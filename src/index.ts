/**
 * n1kit: personalised health interventions in TypeScript. Population priors from foundation
 * models, N-of-1 trial design and analysis, Bayesian updating, adaptive allocation and
 * on-device privacy.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './rng/index.js';
export * from './dist/index.js';
