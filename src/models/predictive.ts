/**
 * `posteriorPredictive`: simulates future days of a trial from an `analyzeTrial` posterior.
 *
 * @packageDocumentation
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import { createRng } from '../rng/index.js';
import type { Seed } from '../rng/index.js';
import { boolean, fail, integer, nonEmptyString, oneOf, plainObject, positive, seed as checkSeed } from '../validate.js';
import { ownValue } from './data.js';
import { sortedQuantile } from './diagnostics.js';
import type { TrialAnalysis } from './types.js';

/** Options of {@link posteriorPredictive}. */
export interface PosteriorPredictiveOptions {
  /** The treatment given on the simulated days (the reference arm included). */
  treatment: string;
  /** Number of consecutive future days to simulate, starting the day after the last observation. */
  days: number;
  /** Days to skip before the first simulated day (e.g. a washout). @defaultValue 0 */
  skipDays?: number;
  /** Binomial: trials per simulated day. @defaultValue 1 */
  trials?: number;
  /** Poisson: exposure per simulated day. @defaultValue 1 */
  exposure?: number;
  /** Seed of the simulation. @defaultValue 1 */
  seed?: Seed;
  /** Return every simulated path (draws × days). @defaultValue false */
  includeSamples?: boolean;
}

/** A predictive summary: mean, sd, median and central 95% interval. */
export interface PredictiveSummary {
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  readonly interval: readonly [number, number];
}

/** Result of {@link posteriorPredictive}. */
export interface PosteriorPredictive {
  readonly treatment: string;
  /** The simulated days (trial days). */
  readonly days: readonly number[];
  /** Number of simulated paths (one per posterior draw). */
  readonly paths: number;
  /** Per simulated day. */
  readonly perDay: readonly PredictiveSummary[];
  /** The average of the simulated days (e.g. the next period's mean outcome). */
  readonly average: PredictiveSummary;
  readonly samples?: readonly (readonly number[])[];
}

function summarize(x: Float64Array): PredictiveSummary {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i] as number;
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += ((x[i] as number) - m) ** 2;
  const s = x.slice().sort();
  return {
    mean: m,
    sd: Math.sqrt(v / Math.max(1, x.length - 1)),
    median: sortedQuantile(s, 0.5),
    interval: [sortedQuantile(s, 0.025), sortedQuantile(s, 0.975)],
  };
}

/**
 * Simulates future observations under one treatment from the posterior of
 * {@link analyzeTrial} (run it with `mcmc.keepDraws: true`). Each posterior draw gives one
 * simulated path: the outcome model's mean on each day (with the trend continued), plus noise:
 * normal errors (AR(1) continued from the last observed day's residual when the model has
 * autocorrelation), binomial or Poisson sampling otherwise.
 *
 * @param analysis - an analyzeTrial result holding `draws`
 * @param options - treatment, number of days, and the simulation settings
 * @returns per-day and period-average predictive summaries
 * @throws ValidationError when the analysis has no draws, the treatment is unknown, or an option is bad
 * @example
 * ```ts
 * // magnesium days average 3, placebo days 4, σ = 1
 * const design = designTrial({ treatments: ['magnesium', 'placebo'], blocks: 2, periodDays: 7, seed: 1 });
 * const observations = design.periods.flatMap((p) =>
 *   [0, 1, 2, 3, 4, 5, 6].map((i) => ({ day: p.startDay + i, value: (p.treatment === 'magnesium' ? 3 : 4) + (i % 2 ? 0.5 : -0.5) })));
 * const fit = analyzeTrial({ design, observations, outcome: 'normal', reference: 'placebo',
 *   betterIs: 'lower', model: { sigma: 1 }, mcmc: { keepDraws: true } });
 * const next = posteriorPredictive(fit, { treatment: 'magnesium', days: 14 });
 * next.average.mean; // returns ~2.96 (mean outcome over the next two weeks on magnesium)
 * next.average.sd; // returns ~0.38 (posterior sd of α + β, and σ/√14 of day-to-day noise)
 * ```
 * @see Gelman, Carlin, Stern, Dunson, Vehtari & Rubin (2013), Bayesian Data Analysis, 3rd ed., ch. 6.
 */
export function posteriorPredictive(analysis: TrialAnalysis, options: PosteriorPredictiveOptions): PosteriorPredictive {
  const fn = 'posteriorPredictive';
  plainObject(fn, 'analysis', analysis);
  const o = plainObject(fn, 'options', options) as unknown as PosteriorPredictiveOptions;
  oneOf(fn, 'analysis.outcome', analysis.outcome, ['normal', 'binomial', 'poisson'] as const);
  plainObject(fn, 'analysis.data', analysis.data);
  const draws = analysis.draws;
  if (draws === undefined) fail(fn, 'analysis.draws', 'must be present: run analyzeTrial with mcmc.keepDraws: true', undefined);
  plainObject(fn, 'analysis.draws', draws);
  if (!Array.isArray(draws.intercept) || draws.intercept.length === 0) {
    fail(fn, 'analysis.draws.intercept', 'must be a non-empty array of draws', draws.intercept);
  }
  const treatment = nonEmptyString(fn, 'options.treatment', o.treatment);
  const arms = [analysis.reference, ...Object.keys(draws.effects)];
  if (!arms.includes(treatment)) fail(fn, 'options.treatment', `must be one of ${arms.join(', ')}`, treatment);
  const nDays = integer(fn, 'options.days', o.days, 1, 100_000);
  const skip = o.skipDays === undefined ? 0 : integer(fn, 'options.skipDays', o.skipDays, 0);
  const trials = o.trials === undefined ? 1 : integer(fn, 'options.trials', o.trials, 1);
  const exposure = o.exposure === undefined ? 1 : positive(fn, 'options.exposure', o.exposure);
  const includeSamples = o.includeSamples === undefined ? false : boolean(fn, 'options.includeSamples', o.includeSamples);
  const rng = createRng(o.seed === undefined ? 1 : checkSeed(fn, 'options.seed', o.seed));
  const a = draws.intercept;
  const eff = treatment === analysis.reference ? undefined : ownValue(draws.effects, treatment);
  const n = a.length;
  const startDay = analysis.data.lastDay + 1 + skip;
  const days = Array.from({ length: nDays }, (_, i) => startDay + i);
  const sim = new Float64Array(n * nDays);
  const last = analysis.data.last;
  for (let s = 0; s < n; s++) {
    const alpha = a[s] as number;
    const beta = eff === undefined ? 0 : (eff[s] as number);
    const gamma = draws.trend === undefined ? 0 : (draws.trend[s] as number);
    const sigma = draws.sigma === undefined ? analysis.data.sigma ?? 0 : (draws.sigma[s] as number);
    const rho = draws.rho === undefined ? 0 : (draws.rho[s] as number);
    let e = 0;
    if (analysis.outcome === 'normal' && draws.rho !== undefined && last !== undefined) {
      const lastEff = last.treatment === analysis.reference ? 0 : ((draws.effects[last.treatment] as readonly number[])[s] as number);
      e = last.value - (alpha + lastEff + gamma * (analysis.data.lastDay - analysis.data.dayCenter));
    }
    let prevDay = analysis.data.lastDay;
    for (let i = 0; i < nDays; i++) {
      const day = days[i] as number;
      const eta = alpha + beta + gamma * (day - analysis.data.dayCenter);
      let v: number;
      if (analysis.outcome === 'normal') {
        if (draws.rho !== undefined) {
          const g = day - prevDay;
          const phi = rho ** g;
          e = phi * e + rng.normal() * sigma * Math.sqrt((1 - phi * phi) / (1 - rho * rho));
        } else e = sigma * rng.normal();
        v = eta + e;
      } else if (analysis.outcome === 'binomial') {
        v = sampleBinomialRaw(trials, 1 / (1 + Math.exp(-eta)), rng);
      } else {
        v = samplePoissonRaw(exposure * Math.exp(eta), rng);
      }
      sim[s * nDays + i] = v;
      prevDay = day;
    }
  }
  const perDay: PredictiveSummary[] = [];
  const col = new Float64Array(n);
  for (let i = 0; i < nDays; i++) {
    for (let s = 0; s < n; s++) col[s] = sim[s * nDays + i] as number;
    perDay.push(summarize(col));
  }
  const avg = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let t = 0;
    for (let i = 0; i < nDays; i++) t += sim[s * nDays + i] as number;
    avg[s] = t / nDays;
  }
  const out: PosteriorPredictive = {
    treatment,
    days,
    paths: n,
    perDay,
    average: summarize(avg),
    ...(includeSamples
      ? { samples: Array.from({ length: n }, (_, s) => Array.from(sim.subarray(s * nDays, (s + 1) * nDays))) }
      : {}),
  };
  return out;
}

/**
 * A Binomial(n, p) draw, exact, in O(log n) beta draws plus at most 64 Bernoulli draws: the
 * a-th smallest of n uniforms is Beta(a, n − a + 1); the uniforms below it (if it is ≥ p) or
 * above it (if it is < p) are again uniform, which halves n each step. Counting n Bernoulli
 * draws took time linear in the trials. @internal
 * @see Knuth, The Art of Computer Programming, vol. 2, 3rd ed., section 3.4.1 F; Devroye (1986),
 * Non-Uniform Random Variate Generation, section X.4.
 */
export function sampleBinomialRaw(trials: number, prob: number, rng: { uniform(): number; beta(a: number, b: number): number }): number {
  let n = trials;
  let p = prob;
  let k = 0;
  while (n > 64) {
    const a = 1 + Math.floor(n / 2);
    const b = n + 1 - a;
    const x = rng.beta(a, b);
    if (x >= p) {
      n = a - 1;
      p /= x;
    } else {
      k += a;
      n = b - 1;
      p = (p - x) / (1 - x);
    }
  }
  for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
  return k;
}

/**
 * A Poisson(λ) draw: inversion for λ < 10; above, Hörmann's transformed rejection with squeeze
 * (PTRS), whose cost does not grow with λ (inversion in chunks took seconds per thousand draws
 * at λ = 1e6). The constants are Hörmann's, as in NumPy's `random_poisson_ptrs`. @internal
 * @see Hörmann (1993), The transformed rejection method for generating Poisson random
 * variables, Insurance: Mathematics and Economics 12(1).
 */
export function samplePoissonRaw(lambda: number, rng: { uniform(): number }): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 10) {
    let k = 0;
    let p = Math.exp(-lambda);
    let c = p;
    const u = rng.uniform();
    while (u > c && k < 1000) {
      k++;
      p *= lambda / k;
      c += p;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - gammaln(k + 1)) return k;
  }
}
