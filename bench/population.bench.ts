// Pooling private releases: poolPrivateReleases at 10³–10⁵ releases, distinct sds (worst
// case: one term per release) and grouped sds (a common design and mechanism), and beside it
// at 10³ releases a 2-D grid baseline that does not integrate μ out (200 τ × 200 μ
// Gauss–Legendre nodes, every release at every node): what marginalising μ saves.
// Run: npx vitest bench --run bench/population.bench.ts
import { bench, describe } from 'vitest';
import { halfNormal, normal } from '../src/distributions/index.js';
import { poolPrivateReleases, poolReleaseGroups, releaseGroups } from '../src/population/index.js';
import { createRng } from '../src/rng/index.js';

function releases(n: number, grouped: boolean): { value: number; sd: number }[] {
  const rng = createRng(`bench-pool-${n}`);
  return Array.from({ length: n }, () => {
    const s = grouped ? 1 + rng.integer(10) / 4 : 1 + 2 * rng.uniform();
    return { value: rng.normal(rng.normal(-2, 1), s), sd: s };
  });
}
const priors = { mean: normal(0, 5), heterogeneity: halfNormal(2) };
const opts = { time: 2000, warmupTime: 300 };
const r3 = releases(1000, false);
const r4 = releases(10_000, false);
const r5 = releases(100_000, false);
const g5 = releaseGroups(releases(100_000, true));
let sink = 0;

/** Baseline: the joint posterior on a 200 × 200 grid of (τ, μ); mean of μ only. */
function grid2d(rs: readonly { value: number; sd: number }[]): number {
  const n = 200;
  let num = 0;
  let den = 0;
  const lps: number[] = [];
  for (let a = 0; a < n; a++) {
    const tau = (6 * (a + 0.5)) / n;
    for (let b = 0; b < n; b++) {
      const mu = -6 + (8 * (b + 0.5)) / n;
      let l = -0.5 * (mu / 5) ** 2 - 0.5 * (tau / 2) ** 2;
      for (const r of rs) {
        const v = r.sd * r.sd + tau * tau;
        l -= 0.5 * (Math.log(v) + ((r.value - mu) * (r.value - mu)) / v);
      }
      lps.push(l);
    }
  }
  const mx = Math.max(...lps);
  for (let i = 0; i < lps.length; i++) {
    const w = Math.exp((lps[i] as number) - mx);
    den += w;
    num += w * (-6 + (8 * ((i % n) + 0.5)) / n);
  }
  return num / den;
}

describe('poolPrivateReleases, 10³ releases (distinct sds) vs a 2-D grid', () => {
  bench('poolPrivateReleases', () => {
    sink += poolPrivateReleases({ releases: r3, priors }).mean.mean;
  }, opts);
  bench('2-D grid 200 × 200 (baseline)', () => {
    sink += grid2d(r3);
  }, { time: 3000, warmupTime: 0, iterations: 3 });
});

describe('poolPrivateReleases at scale', () => {
  bench('10⁴ releases, distinct sds', () => {
    sink += poolPrivateReleases({ releases: r4, priors }).mean.mean;
  }, opts);
  bench('10⁵ releases, distinct sds', () => {
    sink += poolPrivateReleases({ releases: r5, priors }).mean.mean;
  }, { time: 4000, warmupTime: 500 });
  bench('10⁵ releases in 10 sd groups (poolReleaseGroups)', () => {
    sink += poolReleaseGroups({ groups: g5, priors }).mean.mean;
  }, opts);
});

if (Number.isNaN(sink)) throw new Error('unreachable');
