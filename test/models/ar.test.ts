/**
 * Kernels checked against independent closed forms: the AR(1) kernel against the dense
 * multivariate normal it stands for; the AR(1) continuation of posteriorPredictive; the
 * diagnostics' handling of non-finite draws; Pólya-Gamma moments and the binomial model with
 * many trials (grid-integrated posterior); the Poisson and binomial draws of
 * posteriorPredictive (exact pmfs, chi-square).
 *
 * Independent source: with observed days d_1 < ... < d_n, stationary AR(1) errors have
 * Cov(e_i, e_j) = σ² ρ^|d_i − d_j| / (1 − ρ²) (METHODS.md; Box & Jenkins), so the Gaussian
 * log-likelihood can be computed with a dense n×n inverse and determinant (plain Gauss–Jordan
 * here, not the library's kernels). The kernel drops the constant −n/2·log(2πσ²).
 */
import { describe, expect, it } from 'vitest';
import type { TrialDesign } from '../../src/design/types.js';
import { analyzeTrial, posteriorPredictive } from '../../src/models/index.js';
import type { TrialAnalysis, TrialObservation } from '../../src/models/index.js';
import { polyaGammaMoments } from '../../src/models/samplers.js';
import { sampleBinomialRaw, samplePoissonRaw } from '../../src/models/predictive.js';
import { gammaQ } from '../../src/distributions/index.js';
import { createRng } from '../../src/rng/index.js';
import { prepareTrial } from '../../src/models/data.js';
import { arKernel } from '../../src/models/kernels/ar1.js';
import { buildDiagnostics } from '../../src/models/summarize.js';

const D: TrialDesign = {
  treatments: ['A', 'B'],
  randomization: 'fixed',
  seed: 0,
  periodDays: 5,
  washoutDays: 2,
  runInDays: 0,
  totalDays: 20,
  periods: ['A', 'B', 'A', 'B'].map((treatment, index) => ({
    index,
    block: index >> 1,
    treatment,
    startDay: 5 * index,
    endDay: 5 * index + 4,
    washoutEndDay: 5 * index + 1,
  })),
};
// Daily diary with days 9 and 17 missing; washout drops days 0-1, 5-6, 10-11, 15-16 (10, 15
// and 16 were recorded): the kept days 2 3 4 7 8 12 13 14 18 19 have gaps of 1, 3 and 4 days.
const OBS = [2, 3, 4, 7, 8, 10, 12, 13, 14, 15, 16, 18, 19].map((day, i) => ({ day, value: Math.sin(1.3 * i) + 0.1 * day }));

/** Inverse and log-determinant of a dense SPD matrix by Gauss–Jordan with partial pivoting. */
function invLogDet(a: number[][]): { inv: number[][]; logDet: number } {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    const d = m[c]![c]!;
    logDet += Math.log(Math.abs(d));
    for (let k = 0; k < 2 * n; k++) m[c]![k]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let k = 0; k < 2 * n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return { inv: m.map((r) => r.slice(n)), logDet };
}

describe('AR(1) kernel = dense stationary covariance with ρ^gap', () => {
  const data = prepareTrial('test', D, OBS, 'normal', 'A', { includeWashout: false, trend: true, uniqueDays: true });
  const ker = arKernel(data);
  const beta = [0.4, -0.7, 0.05];
  const days = Array.from(data.day);
  const resid = days.map((_, i) => {
    let m = 0;
    for (let a = 0; a < data.p; a++) m += data.X[i * data.p + a]! * beta[a]!;
    return data.y[i]! - m;
  });

  it('has the gaps the test means to exercise', () => {
    const gaps = new Set(days.slice(1).map((d, i) => d - days[i]!));
    expect(data.droppedWashout).toBe(3);
    expect([...gaps].sort()).toEqual([1, 3, 4]);
  });

  for (const rho of [-0.6, 0, 0.3, 0.9]) {
    it(`log-likelihood and whitened cross-products at ρ = ${rho}`, () => {
      const s2 = 1.7;
      const R = days.map((di) => days.map((dj) => rho ** Math.abs(di - dj) / (1 - rho * rho)));
      const { inv, logDet } = invLogDet(R);
      let q = 0;
      for (let i = 0; i < days.length; i++) for (let j = 0; j < days.length; j++) q += resid[i]! * inv[i]![j]! * resid[j]!;
      const dense = -0.5 * logDet - q / (2 * s2);
      ker.setCoefficients(beta);
      expect(ker.logLik(rho, s2)).toBeCloseTo(dense, 9);
      // cross(ρ) = Zᵀ R⁻¹ Z with Z = [X, y].
      const m = ker.m;
      const mm = new Float64Array(m * m);
      ker.cross(rho, mm);
      const z = (i: number, k: number): number => (k < data.p ? data.X[i * data.p + k]! : data.y[i]!);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          let s = 0;
          for (let i = 0; i < days.length; i++) for (let j = 0; j < days.length; j++) s += z(i, a) * inv[i]![j]! * z(j, b);
          expect(mm[a * m + b]!).toBeCloseTo(s, 8);
        }
      }
    });
  }
});

describe('posteriorPredictive continues AR(1) errors from the last residual', () => {
  it('with one posterior point: E[y_{T+g}] = α + β + ρ^g·e_T, Var = σ²(1 − ρ^{2g})/(1 − ρ²)', () => {
    // A posterior concentrated at one point (every draw equal) isolates the error process.
    const n = 40000;
    const rep = (v: number): number[] => Array.from({ length: n }, () => v);
    const [alpha, beta, rho, sigma] = [2, -0.5, 0.7, 0.8];
    const last = { day: 27, value: 3.1, treatment: 'A' };
    const eT = last.value - alpha;
    const analysis: TrialAnalysis = {
      method: 'mcmc',
      outcome: 'normal',
      reference: 'A',
      betterIs: 'lower',
      effects: {},
      probBest: {},
      data: { used: 20, droppedWashout: 0, droppedRunIn: 0, perArm: {}, lastDay: 27, dayCenter: 13, last },
      draws: { intercept: rep(alpha), effects: { B: rep(beta) }, sigma: rep(sigma), rho: rep(rho) },
    };
    const pp = posteriorPredictive(analysis, { treatment: 'B', days: 3, skipDays: 2, seed: 4 });
    expect(pp.days).toEqual([30, 31, 32]);
    pp.perDay.forEach((s, i) => {
      const g = 3 + i;
      const mean = alpha + beta + rho ** g * eT;
      const sd = sigma * Math.sqrt((1 - rho ** (2 * g)) / (1 - rho * rho));
      expect(Math.abs(s.mean - mean)).toBeLessThan(4 * (sd / Math.sqrt(n)));
      expect(Math.abs(s.sd / sd - 1)).toBeLessThan(0.03);
    });
  });
});

describe('diagnostics with non-finite draws', () => {
  it('a NaN or Infinity in the draws is a convergence failure, not finite-looking diagnostics', () => {
    const good = [0, 1, 2, 3].map((j) => Float64Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7 + j)));
    const bad = good.map((c) => c.slice());
    bad[2]![50] = Number.NaN;
    const o = { chains: 4, draws: 200, warmup: 0, maxRhat: 1.01, minEss: 10, strict: false };
    const d = buildDiagnostics('test', { x: bad, y: good }, { x: 'x' }, o);
    expect(d.converged).toBe(false);
    expect(d.reasons).toEqual(['x: non-finite draws']);
    bad[2]![50] = Number.POSITIVE_INFINITY;
    expect(() => buildDiagnostics('test', { x: bad }, { x: 'x' }, { ...o, strict: true })).toThrowError(
      expect.objectContaining({ code: 'E_CONVERGENCE' }),
    );
  });
});

const D2: TrialDesign = { ...D, washoutDays: 0, periods: D.periods.map((p) => ({ ...p, washoutEndDay: p.startDay - 1 })) };
const armOf = (day: number): string => D2.periods.find((p) => day >= p.startDay && day <= p.endDay)!.treatment;

describe('Pólya-Gamma with many trials per observation (normal approximation above b = 170)', () => {
  it('polyaGammaMoments equals the closed form of Polson, Scott & Windle (2013)', () => {
    for (const z of [0, 1e-4, 0.5, 2, 6, -3]) {
      const m = polyaGammaMoments(7, z);
      const a = Math.abs(z);
      const em = a === 0 ? 7 / 4 : (7 * Math.tanh(a / 2)) / (2 * a);
      const ev = a < 1e-3 ? 7 / 24 : (7 * (Math.sinh(a) - a)) / (4 * a ** 3 * Math.cosh(a / 2) ** 2);
      expect(m.mean).toBeCloseTo(em, 10);
      expect(m.variance / ev).toBeCloseTo(1, 6);
    }
    const big = polyaGammaMoments(1, 800);
    expect(big.mean).toBeCloseTo(1 / 1600, 12);
    expect(big.variance).toBeCloseTo(1 / (2 * 800 ** 3), 15);
  });

  it('a binomial trial with 400 trials a day matches the posterior integrated on a grid, in milliseconds', () => {
    // Exact posterior of (α, β) under N(0, 2.5²) priors by brute-force quadrature on a grid.
    const obs: TrialObservation[] = [];
    const k = [118, 131, 97, 104, 125, 92, 101, 88, 122, 127, 96, 99, 110, 134, 105, 91, 121, 117, 93, 108];
    D2.periods.forEach((p) => {
      for (let d = p.startDay; d <= p.endDay; d++) obs.push({ day: d, value: k[d]!, trials: 400 });
    });
    const ya = obs.filter((o) => armOf(o.day) === 'A');
    const yb = obs.filter((o) => armOf(o.day) === 'B');
    const sum = (xs: TrialObservation[]): number => xs.reduce((s, o) => s + o.value, 0);
    const [sa, na, sb, nb] = [sum(ya), 400 * ya.length, sum(yb), 400 * yb.length];
    const logit = (p: number): number => Math.log(p / (1 - p));
    const a0 = logit(sa / na);
    const b0 = logit(sb / nb) - a0;
    const G = 301;
    let [w, m1, m2] = [0, 0, 0];
    const lps: number[] = [];
    const pts: number[] = [];
    for (let i = 0; i < G; i++) {
      for (let j = 0; j < G; j++) {
        const al = a0 + 0.4 * (i / (G - 1) - 0.5);
        const be = b0 + 0.6 * (j / (G - 1) - 0.5);
        const ll = (s: number, n: number, eta: number): number => s * eta - n * Math.log1p(Math.exp(eta));
        lps.push(ll(sa, na, al) + ll(sb, nb, al + be) - (al * al + be * be) / (2 * 2.5 ** 2));
        pts.push(be);
      }
    }
    const mx = Math.max(...lps);
    lps.forEach((lp, i) => {
      const e = Math.exp(lp - mx);
      w += e;
      m1 += e * pts[i]!;
      m2 += e * pts[i]! ** 2;
    });
    const mean = m1 / w;
    const sd = Math.sqrt(m2 / w - mean * mean);
    const t0 = performance.now();
    const r = analyzeTrial({ design: D2, observations: obs, outcome: 'binomial', reference: 'A', betterIs: 'higher', mcmc: { seed: 'pg-big' } });
    const ms = performance.now() - t0;
    const e = r.effects.B!;
    expect(Math.abs(e.mean - mean)).toBeLessThan(0.05 * sd);
    expect(Math.abs(e.sd / sd - 1)).toBeLessThan(0.05);
    expect(r.diagnostics!.converged).toBe(true);
    // 8,000 PG(1, z) draws per sweep with exact Devroye draws took seconds; now one per observation.
    expect(ms).toBeLessThan(5000);
  });
});

describe('Poisson draws of posteriorPredictive (inversion below λ = 10, PTRS above)', () => {
  for (const lambda of [3, 15, 200]) {
    it(`λ = ${lambda}: frequencies match the Poisson pmf (chi-square, p > 0.001)`, () => {
      const rng = createRng(`pois-${lambda}`);
      const n = 40000;
      const counts = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const k = samplePoissonRaw(lambda, rng);
        expect(Number.isInteger(k) && k >= 0).toBe(true);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      // pmf by the recursion p(k) = p(k−1)·λ/k in log space; cells pooled left to right until
      // the expected count is ≥ 20, the rest (and the upper tail) in the last cell.
      const kMax = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20);
      const cellsObs: number[] = [];
      const cellsExp: number[] = [];
      let [obs, exp, logp, seen, seenExp] = [0, 0, -lambda, 0, 0];
      for (let k = 0; k <= kMax; k++) {
        if (k > 0) logp += Math.log(lambda / k);
        obs += counts.get(k) ?? 0;
        exp += n * Math.exp(logp);
        if (exp >= 20) {
          cellsObs.push(obs);
          cellsExp.push(exp);
          seen += obs;
          seenExp += exp;
          [obs, exp] = [0, 0];
        }
      }
      // Last cell: whatever is left (its expected count n − Σ expected is tiny but positive).
      const lastObs = n - seen;
      const lastExp = n - seenExp;
      cellsObs[cellsObs.length - 1]! += lastObs;
      cellsExp[cellsExp.length - 1]! += lastExp;
      let chi = 0;
      cellsObs.forEach((o, i) => {
        chi += (o - cellsExp[i]!) ** 2 / cellsExp[i]!;
      });
      const df = cellsObs.length - 1;
      expect(gammaQ(df / 2, chi / 2)).toBeGreaterThan(0.001);
    });
  }
  it('λ = 1e6: mean and variance λ, in milliseconds', () => {
    const rng = createRng('pois-big');
    const n = 20000;
    let [s, s2] = [0, 0];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const k = samplePoissonRaw(1e6, rng);
      s += k;
      s2 += k * k;
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    const m = s / n;
    expect(Math.abs(m - 1e6)).toBeLessThan(4 * Math.sqrt(1e6 / n));
    expect(Math.abs((s2 / n - m * m) / 1e6 - 1)).toBeLessThan(0.05);
  });
});

describe('Binomial draws of posteriorPredictive (beta order-statistic recursion above 64 trials)', () => {
  for (const [n, p] of [[20, 0.3], [1000, 0.3], [5000, 0.97]] as const) {
    it(`Binomial(${n}, ${p}): frequencies match the pmf (chi-square, p > 0.001)`, () => {
      const rng = createRng(`binom-${n}-${p}`);
      const draws = 30000;
      const counts = new Map<number, number>();
      for (let i = 0; i < draws; i++) {
        const k = sampleBinomialRaw(n, p, rng);
        expect(Number.isInteger(k) && k >= 0 && k <= n).toBe(true);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      // pmf by the recursion p(k) = p(k−1)·(n−k+1)/k·p/(1−p) in log space; cells pooled until
      // the expected count is ≥ 20, the remainder added to the last cell.
      const cellsObs: number[] = [];
      const cellsExp: number[] = [];
      let [obs, exp, seen, seenExp] = [0, 0, 0, 0];
      let logp = n * Math.log1p(-p);
      for (let k = 0; k <= n; k++) {
        if (k > 0) logp += Math.log((n - k + 1) / k) + Math.log(p / (1 - p));
        obs += counts.get(k) ?? 0;
        exp += draws * Math.exp(logp);
        if (exp >= 20) {
          cellsObs.push(obs);
          cellsExp.push(exp);
          seen += obs;
          seenExp += exp;
          [obs, exp] = [0, 0];
        }
      }
      cellsObs[cellsObs.length - 1]! += draws - seen;
      cellsExp[cellsExp.length - 1]! += Math.max(0, draws - seenExp);
      let chi = 0;
      cellsObs.forEach((o, i) => {
        chi += (o - cellsExp[i]!) ** 2 / cellsExp[i]!;
      });
      expect(gammaQ((cellsObs.length - 1) / 2, chi / 2)).toBeGreaterThan(0.001);
    });
  }
  it('Binomial(1e8, 0.4): mean np and variance np(1 − p), in milliseconds', () => {
    const rng = createRng('binom-big');
    const [n, p, m] = [1e8, 0.4, 5000];
    let [s, s2] = [0, 0];
    const t0 = performance.now();
    for (let i = 0; i < m; i++) {
      const k = sampleBinomialRaw(n, p, rng);
      s += k;
      s2 += k * k;
    }
    expect(performance.now() - t0).toBeLessThan(3000);
    const mean = s / m;
    const v = n * p * (1 - p);
    expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt(v / m));
    expect(Math.abs((s2 / m - mean * mean) / v - 1)).toBeLessThan(0.08);
  });
});
