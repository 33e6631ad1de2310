// n1kit's own Alea (src/rng/alea.ts) must give seedrandom 3's `alea` stream number for number:
// every seed ever used keeps its results. seedrandom is a dev dependency for this check only.
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { aleaFromState, aleaSeedState } from '../../src/rng/alea.js';
import { createRng, restoreRng } from '../../src/rng/index.js';

describe('Alea', () => {
  it('matches seedrandom.alea for fixed and arbitrary seeds (first 200 draws and the state)', () => {
    const fixed = ['', ' ', 'alice', '["bench","replicate-12345"]', 'ünïcødé ✓ 𝔸', 'x'.repeat(5000), '0', '-1.5e-7'];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...fixed), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 })), (seed) => {
        const ref = seedrandom.alea(seed, { state: true });
        const ours = aleaFromState(aleaSeedState(seed));
        for (let i = 0; i < 200; i++) expect(ours()).toBe(ref());
        expect(ours.state()).toEqual(ref.state());
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it('restores from a state mid-stream exactly', () => {
    const g = aleaFromState(aleaSeedState('restore'));
    for (let i = 0; i < 37; i++) g();
    const h = aleaFromState(g.state());
    for (let i = 0; i < 100; i++) expect(h()).toBe(g());
  });

  it('createRng, fork and restoreRng keep their streams (uniforms from seedrandom for the same seed path)', () => {
    const r = createRng('alice').fork('chain-2');
    const ref = seedrandom.alea(JSON.stringify(['alice', 'chain-2']), { state: true });
    for (let i = 0; i < 50; i++) expect(r.uniform()).toBe(ref());
    const back = restoreRng(r.state());
    expect(back.uniform()).toBe(ref());
  });
});
