/**
 * n1kit: personalised health interventions in TypeScript. Population priors from foundation
 * models, N-of-1 trial design and analysis, Bayesian updating, adaptive allocation and
 * on-device privacy.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './rng/index.js';
export * from './distributions/index.js';
export * from './design/index.js';
export * from './bayes/index.js';
export * from './models/index.js';
export * from './prior/index.js';
export * from './hybrid/index.js';
export * from './adaptive/index.js';
export * from './privacy/index.js';
export * from './plot/index.js';
export * from './simulate/index.js';
