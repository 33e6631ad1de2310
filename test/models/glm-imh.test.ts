/**
 * The GLM independence sampler (binomial logit and Poisson log without AR(1): collapsed
 * likelihood, Laplace multivariate-t proposal, Pareto-k̂ gate, fallback to the exact samplers).
 * References: Pareto k̂ from the R package `loo` (test/fixtures/psis-loo.json, made by
 * scripts/fixtures/psis_loo.R) and the closed-form shape of exact Pareto ratios; posteriors
 * from JAGS (test/fixtures/models.json, tolerances of reference.test.ts); calibration by
 * simulation from the prior (coverage of 95% intervals in a two-sided binomial band).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixedDesign } from '../helpers.js';
import { createRng } from '../../src/rng/index.js';
import { paretoKHat } from '../../src/models/psis.js';
import { analyzeTrial } from '../../src/models/index.js';
import type { AnalyzeTrialInput, EffectSummary, TrialObservation } from '../../src/models/index.js';
import type { Rng } from '../../src/rng/index.js';
import { prepareTrial } from '../../src/models/data.js';
import { runBinomialChain, runPoissonChain } from '../../src/models/engine.js';
import type { ModelSpec } from '../../src/models/engine.js';
import { resolveCoefPriors, resolveTrialOptions } from '../../src/models/trial.js';
import { compareEffect, jagsEss, probBand } from './prob-band.js';
import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { ProposalSource, planGlmImh } from '../../src/models/kernels/glm-imh.js';

/** Knuth's product-of-uniforms Poisson draw (small means only). */
function poissonDraw(lambda: number, rng: Rng): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let prod = rng.uniform();
  while (prod > l) {
    k++;
    prod *= rng.uniform();
  }
  return k;
}
function binomialDraw(n: number, p: number, rng: Rng): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
  return k;
}

const loo = JSON.parse(readFileSync(new URL('../fixtures/psis-loo.json', import.meta.url), 'utf8')) as Record<
  string,
  { logRatios: number[]; k: number }
>;
const jags = JSON.parse(readFileSync(new URL('../fixtures/models.json', import.meta.url), 'utf8')) as Record<
  string,
  { input: AnalyzeTrialInput; expected: { effects: Record<string, EffectSummary>; probBest: Record<string, number> } }
>;

describe('paretoKHat', () => {
  it('matches loo::psis on six sets of log ratios (|Δ| < 1e-9)', () => {
    const names = Object.keys(loo).filter((k) => k !== '_meta');
    expect(names.length).toBe(6);
    for (const k of names) {
      const c = loo[k] as { logRatios: number[]; k: number };
      expect(Math.abs(paretoKHat(c.logRatios) - c.k)).toBeLessThan(1e-9);
    }
  });
  it('recovers the shape of exact Pareto ratios w = U^−k (closed form; 200,000 draws, ±0.12)', () => {
    const rng = createRng('psis-pareto');
    for (const k of [0.2, 0.5, 0.8]) {
      const lr = Array.from({ length: 200_000 }, () => -k * Math.log(rng.uniform()));
      // The tail has ~1,342 draws: sd of k̂ about (1 + k)/√1342 ≤ 0.05; the band is ≥ 2.4 sd.
      expect(Math.abs(paretoKHat(lr) - k)).toBeLessThan(0.12);
    }
  });
  it('is Infinity for non-finite ratios and too few draws', () => {
    expect(paretoKHat([0, 1, Number.NaN, 2, 3, 4, 5, 6])).toBe(Number.POSITIVE_INFINITY);
    expect(paretoKHat([0, 1, 2])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('independence MH agrees with JAGS', () => {
  for (const name of ['binomial', 'poisson', 'binomialMixture', 'poissonMixture'] as const) {
    it(`${name}: the collapsed IMH is chosen and matches JAGS (reference.test.ts tolerances)`, () => {
      const fx = jags[name]!;
      const r = analyzeTrial({ ...fx.input, mcmc: { chains: 4, draws: 3000, warmup: 200, seed: `imh-${name}` } });
      const s = r.diagnostics?.sampler;
      expect(s?.name).toBe('independence-mh');
      expect(s?.paretoK as number).toBeLessThan(0.7);
      // 3 arms, no trend: 84 observations collapse to 3 distinct rows of X.
      expect(s?.collapsedRows).toBe(3);
      expect(r.diagnostics?.converged).toBe(true);
      const ess = Math.min(...Object.values(r.diagnostics!.ess));
      const essRef = jagsEss((fx as { jags?: { ess?: Record<string, number> } }).jags?.ess);
      for (const [t, exp] of Object.entries(fx.expected.effects)) compareEffect(r.effects[t]!, exp, ess, essRef);
      for (const [t, p] of Object.entries(fx.expected.probBest)) expect(Math.abs(r.probBest[t]! - p)).toBeLessThan(probBand(p, ess, essRef));
    });
  }
});

describe('independence MH calibration (simulation from the prior)', () => {
  const D = fixedDesign(['A', 'B', 'C', 'C', 'A', 'B'], 7);
  for (const outcome of ['binomial', 'poisson'] as const) {
    it(`${outcome}: 95% intervals cover the true effects at the nominal rate (two-sided binomial band)`, () => {
      const rng = createRng(`imh-cal-${outcome}`);
      const reps = 120;
      let covered = 0;
      let total = 0;
      for (let rep = 0; rep < reps; rep++) {
        const b0 = outcome === 'binomial' ? rng.normal() : 0.5 + 0.5 * rng.normal();
        const eff: Record<string, number> = { A: 0, B: 0.5 * rng.normal(), C: 0.5 * rng.normal() };
        const obs: TrialObservation[] = [];
        for (const p of D.periods) {
          for (let d = p.startDay; d <= p.endDay; d++) {
            const eta = b0 + (eff[p.treatment] as number);
            if (outcome === 'binomial') obs.push({ day: d, value: binomialDraw(4, 1 / (1 + Math.exp(-eta)), rng), trials: 4 });
            else {
              const ex = d % 3 === 0 ? 0.5 : 1;
              obs.push({ day: d, value: poissonDraw(ex * Math.exp(eta), rng), exposure: ex });
            }
          }
        }
        const r = analyzeTrial({
          design: D,
          observations: obs,
          outcome,
          reference: 'A',
          betterIs: 'higher',
          priors: {
            intercept: outcome === 'binomial' ? { family: 'normal', mean: 0, sd: 1 } : { family: 'normal', mean: 0.5, sd: 0.5 },
            effects: { B: { family: 'normal', mean: 0, sd: 0.5 }, C: { family: 'normal', mean: 0, sd: 0.5 } },
          },
          mcmc: { chains: 2, draws: 500, warmup: 50, seed: rep },
        });
        expect(r.diagnostics?.sampler?.name).toBe('independence-mh');
        for (const t of ['B', 'C'] as const) {
          const iv = r.effects[t]!.interval;
          total++;
          if (iv[0] <= (eff[t] as number) && (eff[t] as number) <= iv[1]) covered++;
        }
      }
      // Coverage ~ Binomial(240, 0.95): mean 228, sd 3.38; band ± 3.5 sd, both sides.
      const sd = Math.sqrt(total * 0.95 * 0.05);
      expect(covered).toBeGreaterThan(0.95 * total - 3.5 * sd);
      expect(covered).toBeLessThan(0.95 * total + 3.5 * sd);
    });
  }
});

describe('fallback when the Laplace approximation is poor', () => {
  const D = fixedDesign(['A', 'B', 'B', 'A'], 7);
  const vague = { intercept: { family: 'normal', mean: 0, sd: 10 }, effects: { B: { family: 'normal', mean: 0, sd: 10 } } } as const;
  it('binomial with every observation a success (separation, vague prior): Pólya-Gamma Gibbs', () => {
    const obs = D.periods.flatMap((p) => Array.from({ length: 7 }, (_, d) => ({ day: p.startDay + d, value: 1, trials: 1 })));
    const r = analyzeTrial({ design: D, observations: obs, outcome: 'binomial', reference: 'A', betterIs: 'higher', priors: vague, mcmc: { seed: 1 } });
    const s = r.diagnostics?.sampler;
    expect(s?.name).toBe('polya-gamma-gibbs');
    expect((s?.paretoK as number) >= 0.7 || (s?.pilotRelativeEss as number) < 0.5).toBe(true);
    expect(Number.isFinite(r.effects.B!.mean)).toBe(true);
  });
  it('Poisson with every count zero (vague prior): the Metropolis sampler', () => {
    const obs = D.periods.flatMap((p) => Array.from({ length: 7 }, (_, d) => ({ day: p.startDay + d, value: 0 })));
    const r = analyzeTrial({ design: D, observations: obs, outcome: 'poisson', reference: 'A', betterIs: 'lower', priors: vague, mcmc: { seed: 1 } });
    const s = r.diagnostics?.sampler;
    expect(s?.name).toBe('metropolis');
    expect((s?.paretoK as number) >= 0.7 || (s?.pilotRelativeEss as number) < 0.5).toBe(true);
  });
  it('the fallback samplers themselves still agree with JAGS (means within 0.05 sd, sds within 5%)', () => {
    for (const [name, run] of [
      ['binomial', runBinomialChain],
      ['poisson', runPoissonChain],
    ] as const) {
      const inp = jags[name]!.input;
      const data = prepareTrial('test', inp.design, inp.observations, inp.outcome, inp.reference, { includeWashout: false, trend: false, uniqueDays: false });
      const spec: ModelSpec = { data, coef: resolveCoefPriors('test', data, inp.outcome, resolveTrialOptions('test', inp).coefPriors), autocorrelation: false };
      const rng = createRng(`fallback-${name}`);
      const xs: number[][] = data.effectNames.map(() => []);
      for (let c = 0; c < 4; c++) {
        const d = run(spec, rng.fork(`chain-${c}`), 500, 2500);
        for (let i = 0; i < 2500; i++) for (let j = 0; j < data.effectNames.length; j++) xs[j]!.push(d[i * data.p + 1 + j] as number);
      }
      data.effectNames.forEach((t, j) => {
        const v = xs[j]!;
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
        const exp = jags[name]!.expected.effects[t]!;
        expect(Math.abs(m - exp.mean)).toBeLessThan(0.05 * exp.sd);
        expect(Math.abs(sd / exp.sd - 1)).toBeLessThan(0.05);
      });
    }
  });
  it('the normal model reports its Gibbs sampler', () => {
    const fx = jags.normal!;
    const r = analyzeTrial({ ...fx.input, mcmc: { draws: 100, warmup: 50 } });
    expect(r.diagnostics?.sampler?.name).toBe('gibbs');
  });
});

/** Kolmogorov–Smirnov statistic √n·D of draws against a continuous CDF. */
function ksStat(xs: number[], cdf: (x: number) => number): number {
  const v = [...xs].sort((a, b) => a - b);
  const n = v.length;
  let d = 0;
  v.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  });
  return Math.sqrt(n) * d;
}

describe('proposal draws (inlined polar normal and Marsaglia–Tsang gamma)', () => {
  // √n·D above 1.63 has probability 1% under the null (Kolmogorov distribution).
  it('normals are N(0, 1) (KS against @stdlib normal CDF, 20,000 draws, √n·D < 1.63)', () => {
    const src = new ProposalSource(createRng('prop-normal'));
    const xs = Array.from({ length: 20_000 }, () => src.normal());
    expect(ksStat(xs, (x) => normalCdf(x, 0, 1))).toBeLessThan(1.63);
  });
  it('gammaNu draws are Gamma(3.5, rate 3.5) = χ²₇/7 (KS against @stdlib gammainc), interleaved with normals', () => {
    const src = new ProposalSource(createRng('prop-gamma'));
    const ws: number[] = [];
    const zs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Three normals then one gamma, as a p = 3 proposal draw uses them.
      for (let a = 0; a < 3; a++) zs.push(src.normal());
      ws.push(src.gammaNu());
    }
    expect(ksStat(ws, (w) => gammainc(3.5 * w, 3.5))).toBeLessThan(1.63);
    expect(ksStat(zs.filter((_, i) => i % 3 === 0), (x) => normalCdf(x, 0, 1))).toBeLessThan(1.63);
  });
});

describe('two-stage pilot (Vehtari et al. 2024, sample-size-specific k̂ threshold)', () => {
  // loo::ps_khat_threshold(400) = 1 - 1/log10(400) = 0.61568...
  const K400 = 0.61568;
  const specOf = (inp: AnalyzeTrialInput): ModelSpec => {
    const data = prepareTrial('test', inp.design, inp.observations, inp.outcome, inp.reference, { includeWashout: false, trend: false, uniqueDays: false });
    return { data, coef: resolveCoefPriors('test', data, inp.outcome, resolveTrialOptions('test', inp).coefPriors), autocorrelation: false };
  };
  it('a good Laplace proposal (JAGS binomial and Poisson fixtures) stops after 400 draws (k̂ < 1 − 1/log10(400), relative ESS ≥ 0.6)', () => {
    for (const name of ['binomial', 'poisson'] as const) {
      const inp = jags[name]!.input;
      const plan = planGlmImh(specOf(inp), inp.outcome as 'binomial' | 'poisson', createRng(`pilot-${name}`));
      expect(plan.usable).toBe(true);
      expect(plan.pilotDraws).toBe(400);
      expect(plan.paretoK).toBeLessThan(K400);
      expect(plan.relativeEss).toBeGreaterThanOrEqual(0.6);
    }
  });
  it('separation under a vague prior goes on to 1,000 draws and falls back', () => {
    const D = fixedDesign(['A', 'B', 'B', 'A'], 7);
    const obs = D.periods.flatMap((p) => Array.from({ length: 7 }, (_, d) => ({ day: p.startDay + d, value: 1, trials: 1 })));
    const inp: AnalyzeTrialInput = {
      design: D,
      observations: obs,
      outcome: 'binomial',
      reference: 'A',
      betterIs: 'higher',
      priors: { intercept: { family: 'normal', mean: 0, sd: 10 }, effects: { B: { family: 'normal', mean: 0, sd: 10 } } },
    };
    const plan = planGlmImh(specOf(inp), 'binomial', createRng('pilot-sep'));
    expect(plan.pilotDraws).toBe(1000);
    expect(plan.usable).toBe(false);
  });
  it('the decision follows the rule of the stage it stopped at (rare events, vague prior: both stages occur)', () => {
    const D = fixedDesign(['A', 'B', 'B', 'A'], 7);
    const rng = createRng('pilot-rule');
    const priors = { intercept: { family: 'normal', mean: 0, sd: 5 }, effects: { B: { family: 'normal', mean: 0, sd: 5 } } } as const;
    let stage1 = 0;
    let stage2 = 0;
    for (let rep = 0; rep < 40; rep++) {
      const obs = D.periods.flatMap((p) => Array.from({ length: 7 }, (_, d) => ({ day: p.startDay + d, value: rng.uniform() < 0.03 ? 1 : 0, trials: 1 })));
      const inp: AnalyzeTrialInput = { design: D, observations: obs, outcome: 'binomial', reference: 'A', betterIs: 'higher', priors };
      const plan = planGlmImh(specOf(inp), 'binomial', rng.fork(`p${rep}`));
      expect([400, 1000]).toContain(plan.pilotDraws);
      if (plan.pilotDraws === 400) {
        stage1++;
        expect(plan.usable).toBe(true);
        expect(plan.paretoK).toBeLessThan(K400);
        expect(plan.relativeEss).toBeGreaterThanOrEqual(0.6);
      } else {
        stage2++;
        expect(plan.usable).toBe(plan.paretoK < 0.7 && plan.relativeEss >= 0.5);
      }
    }
    // Both branches ran (a rule that never stops early, or never goes on, fails here).
    expect(stage1).toBeGreaterThan(0);
    expect(stage2).toBeGreaterThan(0);
  });
});
