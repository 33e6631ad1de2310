// Designs per second. Run: npx vitest bench --run bench/design.bench.ts
// Options are built before timing; every result is checked so the work cannot be dropped.
import { bench, describe } from 'vitest';
import { designTrial, type DesignOptions } from '../src/index.js';

const LABELS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
let i = 0;
function run(o: Omit<DesignOptions, 'seed'>): void {
  // consume the result so the engine cannot drop the work
  if (designTrial({ ...o, seed: i++ }).periods.length === 0) throw new Error('empty design');
}
const opts = { time: 400, warmupTime: 100 };
const small = { treatments: LABELS.slice(0, 3), blocks: 4, periodDays: 14 };
const large = { treatments: LABELS, blocks: 10, periodDays: 7, maxConsecutive: 1 };

describe('designTrial, 3 treatments × 4 blocks', () => {
  bench('block', () => run(small), opts);
  bench('block, maxConsecutive 1', () => run({ ...small, maxConsecutive: 1 }), opts);
  bench('complete, maxConsecutive 1', () => run({ ...small, randomization: 'complete', maxConsecutive: 1 }), opts);
  bench('williams', () => run({ ...small, randomization: 'williams' }), opts);
});

describe('designTrial, 8 treatments × 10 blocks, maxConsecutive 1', () => {
  bench('block', () => run(large), opts);
  bench('complete', () => run({ ...large, randomization: 'complete' }), opts);
  bench('williams', () => run({ ...large, randomization: 'williams' }), opts);
});

describe('designTrial, exact sampler regime', () => {
  bench('complete, 3 treatments × 30 blocks, maxConsecutive 1', () =>
    run({ treatments: LABELS.slice(0, 3), blocks: 30, periodDays: 7, randomization: 'complete', maxConsecutive: 1 }), { time: 1000, iterations: 5 });
});
