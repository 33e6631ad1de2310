/**
 * Scenarios: realistic diaries for a trial design (Percha et al. 2019), as plain data.
 *
 * @packageDocumentation
 */
import type { TrialDesign } from '../design/types.js';
import { validateDesign } from '../design/index.js';
import type { TrialObservation } from '../models/types.js';
import type { Rng, Seed } from '../rng/rng.js';
import { toRng } from '../rng/rng.js';
import { fail, finite, inRange, integer, nameArg, oneOf, plainObject, probability } from '../validate.js';

/** Exponential carryover of one arm (Percha et al. 2019): time constants in days. */
export interface ScenarioCarryover {
  /** τ₁: time constant of the approach to the full effect once the arm is taken (0 = at once). @defaultValue 0 */
  readonly onset?: number;
  /** τ₀: time constant of the decay back to 0 once the arm is stopped (0 = at once). @defaultValue 0 */
  readonly offset?: number;
}

/**
 * The truth a simulated diary comes from: plain, JSON-serialisable data.
 *
 * The linear predictor of day d is η_d = link(baseline) + b_d + Σ_k X_k(d) + e_d, where b is
 * the baseline drift (a random walk), X_k the carryover-filtered effect of arm k and e the
 * AR(1) noise. Normal: y_d = η_d (e has innovation sd `sd`); binomial: y_d ~ Binomial(trials,
 * logit⁻¹ η_d); Poisson: y_d ~ Poisson(exp η_d).
 */
export interface Scenario {
  /** Outcome family, as `analyzeTrial` fits it. */
  readonly outcome: 'normal' | 'binomial' | 'poisson';
  /**
   * The reference arm's level on the natural scale: the mean (normal), the daily probability
   * (binomial, in (0, 1)) or the daily rate (Poisson, > 0).
   */
  readonly baseline: number;
  /**
   * True effect of each arm on the link scale, the scale `analyzeTrial` estimates: a difference
   * in means (normal), a log-odds ratio (binomial) or a log rate ratio (Poisson). Arms not listed
   * have 0. The contrast an analysis estimates is `effects[arm] − effects[reference]`.
   */
  readonly effects: Readonly<Record<string, number>>;
  /**
   * Normal: the residual sd (the innovation sd of the AR(1) errors, as in `analyzeTrial`'s
   * model). Binomial, Poisson: the sd of extra normal noise on the link scale (overdispersion).
   * At most 1e12, like the baseline and the effects.
   * @defaultValue 1 (normal), 0 (binomial, Poisson)
   */
  readonly sd?: number;
  /** AR(1) coefficient of the daily noise, in (−1, 1); stationary start. @defaultValue 0 */
  readonly rho?: number;
  /** Binomial: trials per day (integer, 1 to 10,000). @defaultValue 1 (a daily yes/no) */
  readonly trials?: number;
  /** Exponential onset and offset time constants per arm, in days. @defaultValue none (instant effects) */
  readonly carryover?: Readonly<Record<string, ScenarioCarryover>>;
  /** Sd per day of the baseline's random walk on the link scale (Percha's Brownian baseline), at most 1e12. @defaultValue 0 */
  readonly drift?: number;
  /** Probability that a day's diary entry is missing (independently across days). @defaultValue 0 */
  readonly missing?: number;
  /**
   * Probability that the scheduled arm is taken on a day; on the other days no arm is active
   * (every arm's effect decays toward 0, as on the reference arm). @defaultValue 1
   */
  readonly adherence?: number;
}

/** A scenario with every default filled in. @internal */
export interface ResolvedScenario {
  readonly outcome: 'normal' | 'binomial' | 'poisson';
  readonly baseline: number;
  /** link(baseline). */
  readonly eta0: number;
  readonly effects: Readonly<Record<string, number>>;
  readonly sd: number;
  readonly rho: number;
  readonly trials: number;
  readonly onset: Readonly<Record<string, number>>;
  readonly offset: Readonly<Record<string, number>>;
  readonly drift: number;
  readonly missing: number;
  readonly adherence: number;
}

const KEYS = ['outcome', 'baseline', 'effects', 'sd', 'rho', 'trials', 'carryover', 'drift', 'missing', 'adherence'];

/**
 * Checks a {@link Scenario} and fills its defaults.
 *
 * @param scenario - the scenario
 * @param fnName - the calling function, for error messages (anything but a name is ignored)
 * @param fieldName - the scenario's field name in the caller's input (likewise)
 * @returns the scenario with defaults
 * @throws ValidationError for an unknown key, a baseline outside the family's range, a
 *   non-finite effect, |rho| ≥ 1, negative sd, drift or time constants, or probabilities
 *   outside [0, 1] (adherence and missing)
 * @example
 * ```ts
 * resolveScenario({ outcome: 'normal', baseline: 12, effects: { magnesium: -2 } }).sd; // 1
 * ```
 * @see Percha et al. (2019), JMIR 21(4):e12641 (the simulation model)
 */
export function resolveScenario(scenario: Scenario, fnName = 'resolveScenario', fieldName = 'scenario'): ResolvedScenario {
  const fn = nameArg(fnName, 'resolveScenario');
  const field = nameArg(fieldName, 'scenario');
  const s = plainObject(fn, field, scenario);
  for (const k of Object.keys(s)) if (!KEYS.includes(k)) fail(fn, `${field}.${k}`, `is not a scenario option (${KEYS.join(', ')})`, k);
  const outcome = oneOf(fn, `${field}.outcome`, s.outcome, ['normal', 'binomial', 'poisson'] as const);
  let baseline: number;
  let eta0: number;
  if (outcome === 'normal') {
    baseline = inRange(fn, `${field}.baseline`, s.baseline, -1e12, 1e12);
    eta0 = baseline;
  } else if (outcome === 'binomial') {
    baseline = probability(fn, `${field}.baseline`, s.baseline, true);
    eta0 = Math.log(baseline / (1 - baseline));
  } else {
    baseline = inRange(fn, `${field}.baseline`, s.baseline, 1e-9, 1e6);
    if (baseline <= 0) fail(fn, `${field}.baseline`, 'must be a rate > 0', baseline);
    eta0 = Math.log(baseline);
  }
  const eff = plainObject(fn, `${field}.effects`, s.effects);
  const effects: Record<string, number> = {};
  for (const [k, v] of Object.entries(eff)) effects[k] = inRange(fn, `${field}.effects.${k}`, v, -1e12, 1e12);
  // Bounded like the baseline and the effects, so that no simulated value can overflow.
  const sd = s.sd === undefined ? (outcome === 'normal' ? 1 : 0) : inRange(fn, `${field}.sd`, s.sd, 0, 1e12);
  if (outcome === 'normal' && sd === 0) fail(fn, `${field}.sd`, 'must be > 0 for a normal outcome', sd);
  const rho = s.rho === undefined ? 0 : finite(fn, `${field}.rho`, s.rho);
  if (!(rho > -1 && rho < 1)) fail(fn, `${field}.rho`, 'must lie in (−1, 1)', rho);
  const trials = s.trials === undefined ? 1 : integer(fn, `${field}.trials`, s.trials, 1, 10_000);
  if (s.trials !== undefined && outcome !== 'binomial') fail(fn, `${field}.trials`, 'applies to a binomial outcome only', s.trials);
  const onset: Record<string, number> = {};
  const offset: Record<string, number> = {};
  if (s.carryover !== undefined) {
    const c = plainObject(fn, `${field}.carryover`, s.carryover);
    for (const [k, v] of Object.entries(c)) {
      const o = plainObject(fn, `${field}.carryover.${k}`, v);
      for (const kk of Object.keys(o)) if (kk !== 'onset' && kk !== 'offset') fail(fn, `${field}.carryover.${k}.${kk}`, 'is not a carryover option (onset, offset)', kk);
      onset[k] = o.onset === undefined ? 0 : inRange(fn, `${field}.carryover.${k}.onset`, o.onset, 0, 1e6);
      offset[k] = o.offset === undefined ? 0 : inRange(fn, `${field}.carryover.${k}.offset`, o.offset, 0, 1e6);
    }
  }
  const drift = s.drift === undefined ? 0 : inRange(fn, `${field}.drift`, s.drift, 0, 1e12);
  const missing = s.missing === undefined ? 0 : probability(fn, `${field}.missing`, s.missing);
  if (missing === 1) fail(fn, `${field}.missing`, 'must be below 1 (no diary at all)', missing);
  const adherence = s.adherence === undefined ? 1 : probability(fn, `${field}.adherence`, s.adherence);
  return { outcome, baseline, eta0, effects, sd, rho, trials, onset, offset, drift, missing, adherence };
}

/** A simulated diary with the truth behind it. */
export interface SimulatedDiary {
  /** The diary entries (missing days left out; binomial entries carry `trials`). */
  readonly observations: TrialObservation[];
  /** Per day: the arm actually taken (null in run-in or when the scheduled arm was skipped). */
  readonly taken: (string | null)[];
  /** Per day: the summed carryover-filtered effect Σ_k X_k(d) on the link scale. */
  readonly effect: number[];
}

/** Days of the design's arms: the scheduled arm per day (null in run-in). @internal */
export function scheduleOf(design: TrialDesign): (string | null)[] {
  const out: (string | null)[] = new Array(design.totalDays).fill(null);
  for (const p of design.periods) for (let d = p.startDay; d <= p.endDay; d++) out[d] = p.treatment;
  return out;
}

function binomialDraw(rng: Rng, n: number, p: number): number {
  if (n <= 64) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
    return k;
  }
  // Inversion from 0 (n·min(p,1−p) small) is exact; use the symmetric tail for p > 1/2.
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const u = rng.uniform();
  const r = q / (1 - q);
  let f = (1 - q) ** n;
  let cdf = f;
  let k = 0;
  while (u >= cdf && k < n) {
    f *= (r * (n - k)) / (k + 1);
    k++;
    cdf += f;
  }
  return flip ? n - k : k;
}

function poissonDraw(rng: Rng, lambda: number): number {
  if (lambda < 30) {
    // Knuth's multiplication method.
    const l = Math.exp(-lambda);
    let k = 0;
    let p = rng.uniform();
    while (p > l) {
      k++;
      p *= rng.uniform();
    }
    return k;
  }
  // Large rate: sum of Poisson(λ/m) pieces each below 30 (exact, since Poisson is additive).
  const m = Math.ceil(lambda / 25);
  let k = 0;
  for (let i = 0; i < m; i++) k += poissonDraw(rng, lambda / m);
  return k;
}

/** One simulated day: the observation (undefined when missing), the arm taken, the summed effect. @internal */
export interface DiaryDay {
  readonly observation: TrialObservation | undefined;
  readonly taken: string | null;
  readonly effect: number;
}

/**
 * The simulation kernel without validation (the caller validated the scenario): call it once
 * per day, in day order, with the scheduled arm (null in run-in). Adaptive designs choose the
 * next period's arm between calls.
 * @internal
 */
export function diaryStepper(sc: ResolvedScenario, rng: Rng): (day: number, scheduled: string | null) => DiaryDay {
  const arms = Object.keys(sc.effects);
  const x = new Float64Array(arms.length);
  const target = Float64Array.from(arms, (a) => sc.effects[a] as number);
  // Per-arm decay factors exp(−1/τ); τ = 0 gives 0 (instant).
  const decay = (t: number | undefined): number => (t !== undefined && t > 0 ? Math.exp(-1 / t) : 0);
  const aOn = Float64Array.from(arms, (a) => decay(sc.onset[a]));
  const aOff = Float64Array.from(arms, (a) => decay(sc.offset[a]));
  const innov = sc.sd;
  const rho = sc.rho;
  let e = 0;
  let b = 0;
  let first = true;
  return (day, scheduled) => {
    if (first) {
      if (innov > 0) e = rng.normal(0, innov / Math.sqrt(1 - rho * rho));
      first = false;
    } else {
      if (innov > 0) e = rho * e + rng.normal(0, innov);
      if (sc.drift > 0) b += rng.normal(0, sc.drift);
    }
    const on = scheduled !== null && (sc.adherence >= 1 || rng.uniform() < sc.adherence) ? scheduled : null;
    // Percha's exponential approach over one day: X(d) = target + (X(d−1) − target)·exp(−1/τ).
    let sum = 0;
    for (let k = 0; k < arms.length; k++) {
      const v =
        arms[k] === on
          ? (target[k] as number) + ((x[k] as number) - (target[k] as number)) * (aOn[k] as number)
          : (x[k] as number) * (aOff[k] as number);
      x[k] = v;
      sum += v;
    }
    const eta = sc.eta0 + b + sum + e;
    let value: number;
    if (sc.outcome === 'normal') value = eta;
    else if (sc.outcome === 'binomial') value = binomialDraw(rng, sc.trials, 1 / (1 + Math.exp(-eta)));
    else value = poissonDraw(rng, Math.exp(eta));
    const missing = sc.missing > 0 && rng.uniform() < sc.missing;
    const observation = missing ? undefined : sc.outcome === 'binomial' ? { day, value, trials: sc.trials } : { day, value };
    return { observation, taken: on, effect: sum };
  };
}

/** A whole diary for a fixed schedule, without validation. @internal */
export function generateDiary(schedule: readonly (string | null)[], sc: ResolvedScenario, rng: Rng): SimulatedDiary {
  const step = diaryStepper(sc, rng);
  const observations: TrialObservation[] = [];
  const taken: (string | null)[] = new Array(schedule.length);
  const effect: number[] = new Array(schedule.length);
  for (let d = 0; d < schedule.length; d++) {
    const r = step(d, schedule[d] ?? null);
    taken[d] = r.taken;
    effect[d] = r.effect;
    if (r.observation !== undefined) observations.push(r.observation);
  }
  return { observations, taken, effect };
}

/**
 * Simulates one diary for a design under a {@link Scenario}: one entry per day (run-in and
 * washout days included; `analyzeTrial` drops them), missing days left out.
 *
 * Each arm k's effect X_k follows Percha et al.'s exponential approach, integrated day by day:
 * on a day the arm is taken, X_k(d) = E_k + (X_k(d−1) − E_k)·exp(−1/τ₁,k); on a day it is not,
 * X_k(d) = X_k(d−1)·exp(−1/τ₀,k) (X_k(−1) = 0). So an arm started on day s from 0 has
 * X_k(s + j) = E_k·(1 − exp(−(j+1)/τ₁)) and, stopped after day u, X_k(u + j) = X_k(u)·exp(−j/τ₀).
 * Percha's separate outcome time constant is not modelled (the AR(1) noise plays the part of
 * their autocorrelated process noise).
 *
 * @param design - the trial design (from `designTrial`)
 * @param scenario - the truth
 * @param rng - random source (or a seed)
 * @returns observations, the arm taken per day and the summed effect per day
 * @throws ValidationError for an invalid design or scenario, or effects/carryover naming an arm not in the design
 * @example
 * ```ts
 * const design = designTrial({ treatments: ['magnesium', 'placebo'], blocks: 2, periodDays: 14, seed: 1 });
 * const { observations } = simulateScenario(design, { outcome: 'normal', baseline: 12, effects: { magnesium: -2 }, sd: 3 }, 'alice');
 * observations.length; // 56
 * ```
 * @see Percha, Baskerville, Johnson, Dudley & Zimmerman (2019), Designing robust N-of-1 studies
 *   for precision medicine, JMIR 21(4):e12641; simulator: github.com/HD2i/n1-simulator
 */
export function simulateScenario(design: TrialDesign, scenario: Scenario, rng: Rng | Seed): SimulatedDiary {
  const fn = 'simulateScenario';
  const d = validateDesign(design, fn);
  const sc = resolveScenario(scenario, fn);
  checkScenarioArms(fn, sc, d.treatments);
  return generateDiary(scheduleOf(d), sc, toRng(fn, 'rng', rng));
}

/** Effects and carryover must name arms of the design. @internal */
export function checkScenarioArms(fn: string, sc: ResolvedScenario, treatments: readonly string[], field = 'scenario'): void {
  for (const k of Object.keys(sc.effects)) if (!treatments.includes(k)) fail(fn, `${field}.effects.${k}`, `must name an arm of the design (${treatments.join(', ')})`, k);
  for (const k of Object.keys(sc.onset)) if (!treatments.includes(k)) fail(fn, `${field}.carryover.${k}`, `must name an arm of the design (${treatments.join(', ')})`, k);
}
