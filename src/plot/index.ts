export * from './plots.js';
export * from './power.js';
