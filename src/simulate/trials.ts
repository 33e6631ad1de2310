/**
 * `simulateTrials`: operating characteristics of an N-of-1 design and its Bayesian decision
 * rule, by simulation, in deterministic shards.
 *
 * @packageDocumentation
 */
import { adaptiveNof1 } from '../adaptive/index.js';
import type { DesignOptions } from '../design/index.js';
import { designWithSeed } from '../design/design.js';
import type { ResolvedDesignOptions } from '../design/options.js';
import { resolveDesignOptions } from '../design/options.js';
import type { TrialDesign, TrialPeriod } from '../design/types.js';
import type { ResolvedTrialOptions } from '../models/trial.js';
import { analyzeResolvedTrial, resolveTrialOptions } from '../models/trial.js';
import type { McmcOptions, TrialAnalysis, TrialModelOptions, TrialObservation, TrialPriors } from '../models/types.js';
import { createRng } from '../rng/index.js';
import type { Rng, Seed } from '../rng/rng.js';
import { abortSignal, denseArray, fail, finite, func, inRange, integer, knownOptions, nameArg, nonEmptyString, nonNegative, oneOf, plainObject, probability, seed as seedGuard } from '../validate.js';
import { exactAdd, exactMerge, exactValue } from './exact-sum.js';
import type { ResolvedScenario, Scenario } from './scenario.js';
import { checkScenarioArms, diaryStepper, resolveScenario } from './scenario.js';

/** The analysis each simulated trial gets: the options of `analyzeTrial` besides the data. */
export interface SimulationAnalysis {
  /** The control arm. */
  readonly reference: string;
  /** Whether a higher or a lower outcome is better. */
  readonly betterIs: 'higher' | 'lower';
  /** Priors (e.g. the LFM's population prior on the effects). @defaultValue `analyzeTrial`'s */
  readonly priors?: TrialPriors;
  /** Model options; `sigma` makes a normal analysis exact (closed form). @defaultValue `{}` */
  readonly model?: TrialModelOptions;
  /** MCID per arm on the natural scale (see `analyzeTrial`). @defaultValue none */
  readonly thresholds?: Readonly<Record<string, number>>;
  /**
   * MCMC sizes per replicate (short chains; convergence is counted, not enforced). The seed is
   * derived from the spec's seed and the replicate index.
   * @defaultValue `{ chains: 2, draws: 400, warmup: 200 }`
   */
  readonly mcmc?: Pick<McmcOptions, 'chains' | 'draws' | 'warmup' | 'maxRhat' | 'minEss'>;
}

/** The decision rule whose operating characteristics are simulated. */
export interface SimulationDecision {
  /** Success for an arm when P(effect better than `threshold`) ≥ `probability`. @defaultValue 0.95 */
  readonly probability?: number;
  /**
   * Margin on the outcome's natural scale (only its magnitude counts; the direction comes from
   * `betterIs`): 0 uses P(better), a positive value P(clinically better) from `analyzeTrial`.
   * @defaultValue 0
   */
  readonly threshold?: number;
}

/** Adaptive designs: early stopping and response-adaptive allocation. */
export interface SimulationAdaptive {
  /**
   * Stop at the end of a period, once every arm has been observed, when one arm's P(best)
   * reaches this value (the rule of `updatePersonalization` with `confident`).
   * @defaultValue no early stopping
   */
  readonly stopWhenConfident?: number;
  /**
   * `'adaptiveNof1'`: after the first block, each period's arm is drawn by `adaptiveNof1` from
   * the posterior so far; `'fixed'`: the randomised schedule of `designTrial`.
   * @defaultValue 'fixed'
   */
  readonly allocation?: 'fixed' | 'adaptiveNof1';
  /** `adaptiveNof1`'s allocation floor. @defaultValue 0.1 */
  readonly minProbability?: number;
  /** `adaptiveNof1`'s crossover rule (no arm more periods in a row). @defaultValue 2 */
  readonly maxConsecutive?: number;
}

/** What {@link simulateTrials} simulates: plain, JSON-serialisable data. */
export interface SimulationSpec {
  /** `designTrial` options without the seed: every replicate is randomised afresh. */
  readonly design: Omit<DesignOptions, 'seed'>;
  /** The truth the diaries are drawn from. */
  readonly scenario: Scenario;
  /** The analysis of each simulated trial. */
  readonly analysis: SimulationAnalysis;
  /** The decision rule. @defaultValue `{ probability: 0.95, threshold: 0 }` */
  readonly decision?: SimulationDecision;
  /** Early stopping and adaptive allocation. @defaultValue none */
  readonly adaptive?: SimulationAdaptive;
  /** Number of simulated trials (1 to 10,000,000). */
  readonly replicates: number;
  /** Seed: replicate i uses the streams forked from it with label `replicate-<i>`. */
  readonly seed: Seed;
}

/** Operating characteristics of one non-reference arm. */
export interface ArmCharacteristics {
  /** P(success): power when the arm helps, type I error when it does not. */
  readonly probSuccess: number;
  /** Its Monte Carlo standard error √(p(1 − p)/R). */
  readonly mcse: number;
  /** Mean posterior mean of the effect (link scale), over analysed replicates. */
  readonly meanEstimate: number;
  /** meanEstimate − true effect (scenario effect of the arm minus the reference's). */
  readonly bias: number;
  /** Root mean squared error of the posterior mean. */
  readonly rmse: number;
  /** Share of analysed replicates whose 95% credible interval holds the true effect. */
  readonly coverage: number;
  /** The true effect (link scale). */
  readonly truth: number;
  /** Mean number of periods given to the arm (differs from the design under adaptive allocation). */
  readonly meanPeriods: number;
}

/** The result of {@link simulateTrials}: plain data. */
export interface OperatingCharacteristics {
  readonly kind: 'n1kit.operatingCharacteristics';
  readonly replicates: number;
  /** Per non-reference arm. */
  readonly arms: Readonly<Record<string, ArmCharacteristics>>;
  /** P(the arm with the highest P(best) is truly best; tied true effects all count as best). */
  readonly probCorrectBest: number;
  /** Mean trial length in days (shorter than the design under early stopping). */
  readonly meanDays: number;
  /** The design's planned length in days. */
  readonly plannedDays: number;
  /** plannedDays − meanDays: the expected days saved by stopping early. */
  readonly expectedDaysSaved: number;
  /** Share of replicates stopped early. */
  readonly stoppedEarly: number;
  /** Share of replicates whose analysis converged (1 for exact analyses). */
  readonly converged: number;
  /** Replicates whose analysis failed (e.g. an arm left without any observation); counted as no success. */
  readonly failed: number;
  /** The analysis method of the replicates ('exact', 'mcmc' or 'mixed'). */
  readonly method: 'exact' | 'mcmc' | 'mixed' | 'none';
  /** The spec simulated. */
  readonly spec: SimulationSpec;
}

/** A shard: the spec and a range of replicate indices [start, end). Plain data. */
export interface SimulationShard {
  readonly kind: 'n1kit.simulationShard';
  readonly spec: SimulationSpec;
  readonly start: number;
  readonly end: number;
}

const PARTIAL_COUNTS = ['count', 'correctBest', 'days', 'stoppedEarly', 'converged', 'failed', 'exact', 'mcmc'] as const;
const ARM_COUNTS = ['successes', 'analysed', 'covered', 'periods'] as const;

/** Checks that a value has the shape of a {@link SimulationPartial} (counts, ranges, exact sums). */
function checkPartial(fn: string, field: string, value: unknown): void {
  const p = plainObject(fn, field, value);
  if (p.kind !== 'n1kit.simulationPartial') fail(fn, field, 'must be a simulation partial', p.kind);
  for (const k of PARTIAL_COUNTS) nonNegative(fn, `${field}.${k}`, p[k]);
  denseArray(fn, `${field}.ranges`, p.ranges).forEach((r, i) => {
    const rg = denseArray(fn, `${field}.ranges[${i}]`, r, 2, 2);
    const lo = integer(fn, `${field}.ranges[${i}][0]`, rg[0], 0);
    integer(fn, `${field}.ranges[${i}][1]`, rg[1], lo);
  });
  const arms = plainObject(fn, `${field}.arms`, p.arms);
  for (const [t, a0] of Object.entries(arms)) {
    const a = plainObject(fn, `${field}.arms.${t}`, a0);
    for (const k of ARM_COUNTS) nonNegative(fn, `${field}.arms.${t}.${k}`, a[k]);
    for (const k of ['estimate', 'squaredError'] as const) {
      denseArray(fn, `${field}.arms.${t}.${k}`, a[k]).forEach((x, i) => {
        finite(fn, `${field}.arms.${t}.${k}[${i}]`, x);
      });
    }
  }
}

/** Sums over a range of replicates; partials of disjoint ranges merge exactly. Plain data. */
export interface SimulationPartial {
  readonly kind: 'n1kit.simulationPartial';
  /** The replicate ranges covered, sorted. */
  readonly ranges: readonly (readonly [number, number])[];
  readonly count: number;
  readonly arms: Readonly<
    Record<
      string,
      {
        readonly successes: number;
        readonly analysed: number;
        readonly covered: number;
        readonly periods: number;
        /** Shewchuk partials of Σ estimate and Σ (estimate − truth)². */
        readonly estimate: readonly number[];
        readonly squaredError: readonly number[];
      }
    >
  >;
  readonly correctBest: number;
  readonly days: number;
  readonly stoppedEarly: number;
  readonly converged: number;
  readonly failed: number;
  readonly exact: number;
  readonly mcmc: number;
}

/** Runs a list of shards somewhere (threads, a queue) and returns their partials. */
export type ShardExecutor = (
  shards: readonly SimulationShard[],
  o: { onShardDone?: (partial: SimulationPartial) => void; signal?: AbortSignal },
) => Promise<SimulationPartial[]>;

/** Options of {@link simulateTrials}. */
export interface SimulateTrialsOptions {
  /**
   * Worker threads. The core runs in one thread (browsers; the same result): pass an
   * `executor` (e.g. `threadExecutor` from `n1kit/node`) or call `simulateTrials` from
   * `n1kit/node` to run on threads.
   * @defaultValue 1
   */
  readonly workers?: number;
  /** Called with (replicates done, total) as replicates or shards finish. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborts the run; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Replicates per shard. @defaultValue ⌈replicates / (8 · workers)⌉, at most 2000 */
  readonly shardSize?: number;
  /** Runs the shards elsewhere (threads, a queue); partials are merged in replicate order. */
  readonly executor?: ShardExecutor;
}

/** A spec with defaults, checked. @internal */
export interface ResolvedSpec {
  readonly spec: SimulationSpec;
  readonly design: Omit<DesignOptions, 'seed'>;
  /** The design options, resolved once (each replicate only re-randomises). */
  readonly designOptions: ResolvedDesignOptions;
  /** The analysis options, resolved once (each analysis only sets its seed). */
  readonly analysisOptions: ResolvedTrialOptions;
  readonly treatments: readonly string[];
  readonly reference: string;
  readonly others: readonly string[];
  readonly sign: 1 | -1;
  readonly scenario: ResolvedScenario;
  readonly truth: Readonly<Record<string, number>>;
  readonly probability: number;
  readonly threshold: number;
  readonly stopWhenConfident: number | undefined;
  readonly allocation: 'fixed' | 'adaptiveNof1';
  readonly minProbability: number;
  readonly maxConsecutive: number;
  readonly plannedDays: number;
  readonly seed: string;
  /** createRng(seed): never drawn from, only forked (forks depend on the seed path alone). */
  readonly root: Rng;
}

const SPEC_KEYS = ['design', 'scenario', 'analysis', 'decision', 'adaptive', 'replicates', 'seed'];
const ANALYSIS_KEYS = ['reference', 'betterIs', 'priors', 'model', 'thresholds', 'mcmc'];

/**
 * Checks a {@link SimulationSpec} once (the replicates then skip re-checking what the engine
 * built itself) and fills the defaults.
 *
 * @param spec - the spec
 * @param fnName - the calling function, for error messages (anything but a name is ignored)
 * @returns the resolved spec
 * @throws ValidationError for an unknown key, an invalid design or scenario, a reference not in
 *   the design, scenario arms not in the design, replicates outside 1..1e7, or bad options
 * @example
 * ```ts
 * resolveSimulationSpec(spec).plannedDays; // e.g. 84
 * ```
 * @see Percha et al. (2019), JMIR 21(4):e12641
 */
export function resolveSimulationSpec(spec: SimulationSpec, fnName = 'simulateTrials'): ResolvedSpec {
  const fn = nameArg(fnName, 'simulateTrials');
  const s = plainObject(fn, 'spec', spec);
  for (const k of Object.keys(s)) if (!SPEC_KEYS.includes(k)) fail(fn, `spec.${k}`, `is not a spec field (${SPEC_KEYS.join(', ')})`, k);
  const seed = String(seedGuard(fn, 'spec.seed', s.seed));
  const replicates = integer(fn, 'spec.replicates', s.replicates, 1, 10_000_000);
  const d = plainObject(fn, 'spec.design', s.design);
  if (Object.hasOwn(d, 'seed')) fail(fn, 'spec.design.seed', 'must be absent: every replicate is randomised from spec.seed', d.seed);
  // designTrial checks the design options (with a placeholder seed).
  const designOptions = resolveDesignOptions({ ...(d as unknown as Omit<DesignOptions, 'seed'>), seed: `${seed}/check` }, fn);
  const probe = designWithSeed(designOptions, `${seed}/check`);
  const scenario = resolveScenario(s.scenario as Scenario, fn, 'spec.scenario');
  checkScenarioArms(fn, scenario, probe.treatments, 'spec.scenario');
  const a = plainObject(fn, 'spec.analysis', s.analysis);
  for (const k of Object.keys(a)) if (!ANALYSIS_KEYS.includes(k)) fail(fn, `spec.analysis.${k}`, `is not an analysis option (${ANALYSIS_KEYS.join(', ')})`, k);
  const reference = nonEmptyString(fn, 'spec.analysis.reference', a.reference);
  if (!probe.treatments.includes(reference)) fail(fn, 'spec.analysis.reference', `must be an arm of the design (${probe.treatments.join(', ')})`, reference);
  const betterIs = oneOf(fn, 'spec.analysis.betterIs', a.betterIs, ['higher', 'lower'] as const);
  const others = probe.treatments.filter((t) => t !== reference);
  const truth: Record<string, number> = {};
  const refEffect = scenario.effects[reference] ?? 0;
  for (const t of probe.treatments) truth[t] = (scenario.effects[t] ?? 0) - (t === reference ? 0 : refEffect);
  truth[reference] = 0;
  const dec = s.decision === undefined ? {} : plainObject(fn, 'spec.decision', s.decision);
  for (const k of Object.keys(dec)) if (k !== 'probability' && k !== 'threshold') fail(fn, `spec.decision.${k}`, 'is not a decision option (probability, threshold)', k);
  const prob = dec.probability === undefined ? 0.95 : probability(fn, 'spec.decision.probability', dec.probability, true);
  const threshold = dec.threshold === undefined ? 0 : nonNegative(fn, 'spec.decision.threshold', dec.threshold);
  let thresholds = a.thresholds === undefined ? undefined : { ...(plainObject(fn, 'spec.analysis.thresholds', a.thresholds) as Record<string, number>) };
  if (threshold > 0) {
    thresholds ??= {};
    for (const t of others) thresholds[t] = threshold;
  }
  const mcmcIn = a.mcmc === undefined ? {} : plainObject(fn, 'spec.analysis.mcmc', a.mcmc);
  for (const k of Object.keys(mcmcIn)) {
    if (!['chains', 'draws', 'warmup', 'maxRhat', 'minEss'].includes(k)) fail(fn, `spec.analysis.mcmc.${k}`, 'is not a simulation MCMC option (chains, draws, warmup, maxRhat, minEss)', k);
  }
  const mcmc: McmcOptions = { chains: 2, draws: 400, warmup: 200, ...(mcmcIn as McmcOptions) };
  const analysisOptions = resolveTrialOptions('analyzeTrial', {
    outcome: scenario.outcome,
    reference,
    betterIs,
    ...(a.priors === undefined ? {} : { priors: a.priors as TrialPriors }),
    ...(a.model === undefined ? {} : { model: a.model as TrialModelOptions }),
    ...(thresholds === undefined ? {} : { thresholds }),
    mcmc: { ...mcmc, seed: seed },
  });
  const ad = s.adaptive === undefined ? {} : plainObject(fn, 'spec.adaptive', s.adaptive);
  for (const k of Object.keys(ad)) {
    if (!['stopWhenConfident', 'allocation', 'minProbability', 'maxConsecutive'].includes(k)) fail(fn, `spec.adaptive.${k}`, 'is not an adaptive option (stopWhenConfident, allocation, minProbability, maxConsecutive)', k);
  }
  const stopWhenConfident = ad.stopWhenConfident === undefined ? undefined : probability(fn, 'spec.adaptive.stopWhenConfident', ad.stopWhenConfident, true);
  const allocation = ad.allocation === undefined ? 'fixed' : oneOf(fn, 'spec.adaptive.allocation', ad.allocation, ['fixed', 'adaptiveNof1'] as const);
  const minProbability = ad.minProbability === undefined ? 0.1 : probability(fn, 'spec.adaptive.minProbability', ad.minProbability);
  const maxConsecutive = ad.maxConsecutive === undefined ? 2 : integer(fn, 'spec.adaptive.maxConsecutive', ad.maxConsecutive, 1);
  if (scenario.outcome !== 'normal' && (a.model as TrialModelOptions | undefined)?.sigma !== undefined) {
    fail(fn, 'spec.analysis.model.sigma', 'applies to a normal outcome only', (a.model as TrialModelOptions).sigma);
  }
  return {
    spec: { ...(spec as SimulationSpec), replicates },
    design: d as unknown as Omit<DesignOptions, 'seed'>,
    designOptions,
    analysisOptions,
    treatments: probe.treatments,
    reference,
    others,
    sign: betterIs === 'higher' ? 1 : -1,
    scenario,
    truth,
    probability: prob,
    threshold,
    stopWhenConfident,
    allocation,
    minProbability,
    maxConsecutive,
    plannedDays: probe.totalDays,
    seed,
    root: createRng(seed),
  };
}

/** One replicate's outcome. @internal */
export interface ReplicateOutcome {
  readonly ok: boolean;
  readonly success: Readonly<Record<string, boolean>>;
  readonly estimate: Readonly<Record<string, number>>;
  readonly covered: Readonly<Record<string, boolean>>;
  readonly periods: Readonly<Record<string, number>>;
  readonly correctBest: boolean;
  readonly days: number;
  readonly stoppedEarly: boolean;
  readonly converged: boolean;
  readonly method: 'exact' | 'mcmc' | undefined;
}

function analyse(r: ResolvedSpec, design: TrialDesign, observations: TrialObservation[], i: number, look: number): TrialAnalysis {
  // Options resolved once per spec; the design and the diary were built here: not re-validated.
  const o = r.analysisOptions;
  return analyzeResolvedTrial({ ...o, mc: { ...o.mc, seed: `${r.seed}/replicate-${i}/mcmc-${look}` } }, design, observations, true);
}

function bestOf(probBest: Readonly<Record<string, number>>, arms: readonly string[]): string {
  let best = arms[0] as string;
  for (const t of arms) if ((probBest[t] ?? 0) > (probBest[best] ?? 0)) best = t;
  return best;
}

/**
 * Runs replicate `i` of a resolved spec: its design is randomised with the seed
 * `<seed>/replicate-<i>/design`, its diary drawn from `createRng(seed).fork('replicate-<i>')`
 * (allocation draws from that stream's forks `allocation-<p>`),
 * so the outcome depends only on (spec, i).
 * @internal
 */
export function runReplicate(r: ResolvedSpec, i: number): ReplicateOutcome {
  const base = designWithSeed(r.designOptions, `${r.seed}/replicate-${i}/design`);
  const rng = r.root.fork(`replicate-${i}`);
  const step = diaryStepper(r.scenario, rng);
  const k = base.treatments.length;
  const periods: TrialPeriod[] = base.periods.map((p) => ({ ...p }));
  const adaptive = r.allocation === 'adaptiveNof1';
  let design: TrialDesign = adaptive ? asFixed(base, periods) : base;
  const observations: TrialObservation[] = [];
  for (let d = 0; d < base.runInDays; d++) {
    const o = step(d, null).observation;
    if (o !== undefined) observations.push(o);
  }
  let analysis: TrialAnalysis | undefined;
  let analysedThrough = -1;
  let stoppedEarly = false;
  let lastDay = base.totalDays - 1;
  let looks = 0;
  try {
    for (let p = 0; p < periods.length; p++) {
      const period = periods[p] as TrialPeriod;
      if (adaptive && p >= k) {
        const sofar = analysedThrough === p - 1 && analysis !== undefined ? analysis : analyse(r, design, observations, i, looks++);
        const next = adaptiveNof1({
          analysis: sofar,
          reference: r.reference,
          treatments: base.treatments,
          history: periods.slice(0, p).map((q) => q.treatment),
          betterIs: r.spec.analysis.betterIs,
          minProbability: r.minProbability,
          maxConsecutive: r.maxConsecutive,
          rng: rng.fork(`allocation-${p}`),
        });
        if (next.treatment !== period.treatment) {
          periods[p] = { ...period, treatment: next.treatment };
          design = asFixed(base, periods);
        }
      }
      const arm = (periods[p] as TrialPeriod).treatment;
      for (let d = period.startDay; d <= period.endDay; d++) {
        const o = step(d, arm).observation;
        if (o !== undefined) observations.push(o);
      }
      if (r.stopWhenConfident !== undefined && p >= k - 1 && p < periods.length - 1) {
        analysis = analyse(r, design, observations, i, looks++);
        analysedThrough = p;
        const best = bestOf(analysis.probBest, base.treatments);
        if ((analysis.probBest[best] ?? 0) >= r.stopWhenConfident) {
          stoppedEarly = true;
          lastDay = period.endDay;
          periods.length = p + 1;
          break;
        }
      }
    }
    if (!stoppedEarly) analysis = analyse(r, design, observations, i, looks++);
  } catch (e) {
    // Only data-dependent failures (e.g. missing days left an arm without observations) count
    // as a failed replicate; anything else (bad priors, ...) is the spec's fault and propagates.
    const err = e as { code?: string; field?: string };
    if (err.code !== 'E_INVALID_ARGUMENT' || err.field !== 'observations') throw e;
    return failedOutcome(base.totalDays);
  }
  const a = analysis as TrialAnalysis;
  const success: Record<string, boolean> = {};
  const estimate: Record<string, number> = {};
  const covered: Record<string, boolean> = {};
  const perArm: Record<string, number> = {};
  for (const t of base.treatments) perArm[t] = 0;
  for (const p of periods) perArm[p.treatment] = (perArm[p.treatment] as number) + 1;
  for (const t of r.others) {
    const e = a.effects[t];
    if (e === undefined) return failedOutcome(base.totalDays);
    const pr = r.threshold > 0 ? (e.probClinicallyBetter as number) : e.probBetter;
    success[t] = pr >= r.probability;
    estimate[t] = e.mean;
    const truth = r.truth[t] as number;
    covered[t] = e.interval[0] <= truth && truth <= e.interval[1];
  }
  const chosen = bestOf(a.probBest, base.treatments);
  let top = Number.NEGATIVE_INFINITY;
  for (const t of base.treatments) top = Math.max(top, r.sign * (r.truth[t] as number));
  const correctBest = r.sign * (r.truth[chosen] as number) >= top - 1e-12 * Math.max(1, Math.abs(top));
  return {
    ok: true,
    success,
    estimate,
    covered,
    periods: perArm,
    correctBest,
    days: lastDay + 1,
    stoppedEarly,
    converged: a.method === 'exact' || a.diagnostics?.converged === true,
    method: a.method,
  };
}

function failedOutcome(days: number): ReplicateOutcome {
  return { ok: false, success: {}, estimate: {}, covered: {}, periods: {}, correctBest: false, days, stoppedEarly: false, converged: false, method: undefined };
}

/** The design with these periods, tagged 'fixed' (any order) for adaptive allocation. */
function asFixed(base: TrialDesign, periods: readonly TrialPeriod[]): TrialDesign {
  const { blocks: _b, maxConsecutive: _m, ...rest } = base;
  return { ...rest, randomization: 'fixed', periods: periods.map((p) => ({ ...p })) };
}

/** An empty partial for the arms of a spec. @internal */
export function emptyPartial(others: readonly string[]): SimulationPartial {
  const arms: Record<string, SimulationPartial['arms'][string]> = {};
  for (const t of others) arms[t] = { successes: 0, analysed: 0, covered: 0, periods: 0, estimate: [], squaredError: [] };
  return { kind: 'n1kit.simulationPartial', ranges: [], count: 0, arms, correctBest: 0, days: 0, stoppedEarly: 0, converged: 0, failed: 0, exact: 0, mcmc: 0 };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Runs one shard (a replicate range of a spec) in this thread. Yields to the event loop every
 * ~20 ms when `o.yield` is set (so timers, abort signals and queue lock renewals keep running).
 *
 * @param shard - spec and replicate range
 * @param o - progress callback per replicate, abort signal
 * @returns the shard's partial sums
 * @throws ValidationError for an invalid spec or range
 * @example
 * ```ts
 * const partial = await runSimulationShard({ kind: 'n1kit.simulationShard', spec, start: 0, end: 100 });
 * ```
 * @see Neuenschwander et al., RBesT `oc1S` (operating characteristics of a Bayesian decision rule)
 */
export async function runSimulationShard(
  shard: SimulationShard,
  o: { onReplicate?: () => void; signal?: AbortSignal; yieldEveryMs?: number } = {},
): Promise<SimulationPartial> {
  const fn = 'runSimulationShard';
  const opts = knownOptions(fn, 'options', o, ['onReplicate', 'signal', 'yieldEveryMs']);
  if (opts.onReplicate !== undefined) func(fn, 'options.onReplicate', opts.onReplicate);
  abortSignal(fn, 'options.signal', opts.signal);
  if (opts.yieldEveryMs !== undefined) inRange(fn, 'options.yieldEveryMs', opts.yieldEveryMs, -1, 2 ** 31 - 1);
  const sh = plainObject(fn, 'shard', shard);
  const r = resolveSimulationSpec(sh.spec as SimulationSpec, fn);
  const start = integer(fn, 'shard.start', sh.start, 0, r.spec.replicates);
  const end = integer(fn, 'shard.end', sh.end, start, r.spec.replicates);
  const acc = emptyPartial(r.others) as Mutable<SimulationPartial>;
  const yieldMs = o.yieldEveryMs ?? 20;
  let last = Date.now();
  for (let i = start; i < end; i++) {
    if (o.signal?.aborted) throw abortReason(o.signal);
    addOutcome(acc, r, runReplicate(r, i));
    o.onReplicate?.();
    if (yieldMs >= 0 && Date.now() - last >= yieldMs) {
      await new Promise((res) => setTimeout(res, 0));
      last = Date.now();
    }
  }
  if (o.signal?.aborted) throw abortReason(o.signal);
  return { ...acc, ranges: end > start ? [[start, end]] : [] };
}

/** The error an aborted run rejects with. @internal */
export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const e = new Error('The simulation was aborted');
  e.name = 'AbortError';
  return e;
}

function addOutcome(acc: Mutable<SimulationPartial>, r: ResolvedSpec, o: ReplicateOutcome): void {
  acc.count++;
  acc.days += o.days;
  if (!o.ok) {
    acc.failed++;
    return;
  }
  if (o.correctBest) acc.correctBest++;
  if (o.stoppedEarly) acc.stoppedEarly++;
  if (o.converged) acc.converged++;
  if (o.method === 'exact') acc.exact++;
  else acc.mcmc++;
  for (const t of r.others) {
    const a = acc.arms[t] as Mutable<SimulationPartial['arms'][string]>;
    a.analysed++;
    if (o.success[t]) a.successes++;
    if (o.covered[t]) a.covered++;
    a.periods += o.periods[t] ?? 0;
    const e = o.estimate[t] as number;
    exactAdd(a.estimate as number[], e);
    exactAdd(a.squaredError as number[], (e - (r.truth[t] as number)) ** 2);
  }
}

/**
 * Merges partial results of disjoint replicate ranges. Counts add; float sums are exact
 * (Shewchuk partials), so the merged result is the same, bit for bit, in any order and for any
 * split into shards.
 *
 * @param partials - partials of one spec
 * @returns the merged partial
 * @throws ValidationError for partials of different arms or overlapping ranges
 * @example
 * ```ts
 * const all = mergeSimulationPartials([await runSimulationShard(a), await runSimulationShard(b)]);
 * ```
 * @see Shewchuk (1997), Discrete Comput Geom 18:305 (exact floating-point sums)
 */
export function mergeSimulationPartials(partials: readonly SimulationPartial[]): SimulationPartial {
  const fn = 'mergeSimulationPartials';
  denseArray(fn, 'partials', partials, 1);
  // Partials may come back from other machines (a queue): check their shape before summing.
  partials.forEach((p, j) => {
    checkPartial(fn, `partials[${j}]`, p);
  });
  const first = partials[0] as SimulationPartial;
  const names = Object.keys(first.arms);
  const out = emptyPartial(names) as Mutable<SimulationPartial>;
  const ranges: [number, number][] = [];
  partials.forEach((p, j) => {
    if (p?.kind !== 'n1kit.simulationPartial') fail(fn, `partials[${j}]`, 'must be a simulation partial', p);
    const pn = Object.keys(p.arms);
    if (pn.length !== names.length || pn.some((t) => !names.includes(t))) fail(fn, `partials[${j}].arms`, `must hold the arms ${names.join(', ')}`, pn);
    for (const rg of p.ranges) ranges.push([rg[0], rg[1]]);
    out.count += p.count;
    out.correctBest += p.correctBest;
    out.days += p.days;
    out.stoppedEarly += p.stoppedEarly;
    out.converged += p.converged;
    out.failed += p.failed;
    out.exact += p.exact;
    out.mcmc += p.mcmc;
    for (const t of names) {
      const a = out.arms[t] as Mutable<SimulationPartial['arms'][string]>;
      const b = p.arms[t] as SimulationPartial['arms'][string];
      a.successes += b.successes;
      a.analysed += b.analysed;
      a.covered += b.covered;
      a.periods += b.periods;
      exactMerge(a.estimate as number[], b.estimate);
      exactMerge(a.squaredError as number[], b.squaredError);
    }
  });
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const rg of ranges) {
    const lastR = merged[merged.length - 1];
    if (lastR !== undefined && rg[0] < lastR[1]) fail(fn, 'partials', 'must cover disjoint replicate ranges', rg);
    if (lastR !== undefined && rg[0] === lastR[1]) lastR[1] = rg[1];
    else merged.push([rg[0], rg[1]]);
  }
  // Canonical partials: re-add the exact sums so that equal sums have equal representations.
  for (const t of names) {
    const a = out.arms[t] as Mutable<SimulationPartial['arms'][string]>;
    a.estimate = canonical(a.estimate);
    a.squaredError = canonical(a.squaredError);
  }
  return { ...out, ranges: merged };
}

function canonical(p: readonly number[]): number[] {
  const v = exactValue(p);
  return v === 0 ? [] : [v];
}

/**
 * Turns the merged partial of all replicates into {@link OperatingCharacteristics}.
 *
 * @param spec - the spec simulated
 * @param partial - the merged partial of replicates 0..R−1
 * @returns the operating characteristics
 * @throws ValidationError when the partial does not cover every replicate exactly once
 * @example
 * ```ts
 * const oc = summarizeSimulation(spec, mergeSimulationPartials(partials));
 * ```
 * @see Neuenschwander et al., RBesT `oc1S`; MCSE √(p(1 − p)/R)
 */
export function summarizeSimulation(spec: SimulationSpec, partial: SimulationPartial): OperatingCharacteristics {
  const fn = 'summarizeSimulation';
  const r = resolveSimulationSpec(spec, fn);
  const R = r.spec.replicates;
  const p = mergeSimulationPartials([partial]);
  if (p.count !== R || p.ranges.length !== 1 || p.ranges[0]?.[0] !== 0 || p.ranges[0]?.[1] !== R) {
    fail(fn, 'partial.ranges', `must cover replicates 0..${R - 1} exactly once`, p.ranges);
  }
  const arms: Record<string, ArmCharacteristics> = {};
  for (const t of r.others) {
    const a = p.arms[t] as SimulationPartial['arms'][string];
    const ps = a.successes / R;
    const n = a.analysed;
    const mean = n > 0 ? exactValue(a.estimate) / n : Number.NaN;
    const truth = r.truth[t] as number;
    arms[t] = {
      probSuccess: ps,
      mcse: Math.sqrt((ps * (1 - ps)) / R),
      meanEstimate: n > 0 ? mean : 0,
      bias: n > 0 ? mean - truth : 0,
      rmse: n > 0 ? Math.sqrt(exactValue(a.squaredError) / n) : 0,
      coverage: n > 0 ? a.covered / n : 0,
      truth,
      meanPeriods: n > 0 ? a.periods / n : 0,
    };
  }
  const meanDays = p.days / R;
  return {
    kind: 'n1kit.operatingCharacteristics',
    replicates: R,
    arms,
    probCorrectBest: p.correctBest / R,
    meanDays,
    plannedDays: r.plannedDays,
    expectedDaysSaved: r.plannedDays - meanDays,
    stoppedEarly: p.stoppedEarly / R,
    converged: p.converged / R,
    failed: p.failed,
    method: p.exact > 0 && p.mcmc > 0 ? 'mixed' : p.exact > 0 ? 'exact' : p.mcmc > 0 ? 'mcmc' : 'none',
    spec: r.spec,
  };
}

/**
 * Splits a spec's replicates into shards of `size` (plain data, for threads or a queue).
 *
 * @param spec - the spec
 * @param size - replicates per shard
 * @returns the shards, in replicate order
 * @throws ValidationError for a bad size or spec
 * @example
 * ```ts
 * simulationShards(spec, 250).length; // 4 when spec.replicates is 1000
 * ```
 * @see Deterministic sharding: replicate i always uses the same streams
 */
export function simulationShards(spec: SimulationSpec, size: number): SimulationShard[] {
  const fn = 'simulationShards';
  const r = resolveSimulationSpec(spec, fn);
  const n = integer(fn, 'size', size, 1, 10_000_000);
  const out: SimulationShard[] = [];
  for (let s = 0; s < r.spec.replicates; s += n) {
    out.push({ kind: 'n1kit.simulationShard', spec: r.spec, start: s, end: Math.min(r.spec.replicates, s + n) });
  }
  return out;
}

/**
 * Checks {@link SimulateTrialsOptions} at the entry of `simulateTrials` and `planTrial`: undefined
 * or a plain object of known keys, each of its type. @internal
 */
export function checkSimulateOptions(fn: string, value: unknown): SimulateTrialsOptions {
  const o = knownOptions(fn, 'options', value, ['workers', 'onProgress', 'signal', 'shardSize', 'executor']);
  if (o.workers !== undefined) integer(fn, 'options.workers', o.workers, 1, 1024);
  if (o.shardSize !== undefined) integer(fn, 'options.shardSize', o.shardSize, 1, 10_000_000);
  if (o.onProgress !== undefined) func(fn, 'options.onProgress', o.onProgress);
  if (o.executor !== undefined) func(fn, 'options.executor', o.executor);
  abortSignal(fn, 'options.signal', o.signal);
  return o as SimulateTrialsOptions;
}

/**
 * Operating characteristics of an N-of-1 design and its Bayesian decision rule, by simulation:
 * each replicate randomises a design (`designTrial`), draws a diary from the scenario
 * ({@link simulateScenario}), analyses it with `analyzeTrial` and applies the decision "success
 * for an arm when P(effect better than threshold) ≥ probability". Power is P(success) under a
 * helpful truth; the type I error is the same call with null effects.
 *
 * Replicate i uses only streams forked from the seed with its index, and partial results hold
 * counts and exact sums, so the result is the same, bit for bit, for any number of workers and
 * any split into shards. In this (browser-safe) entry the shards run in one thread unless an
 * `executor` is given; `simulateTrials` from `n1kit/node` runs them on worker threads, and
 * `n1kit/queue` on a BullMQ cluster.
 *
 * @param spec - design, scenario, analysis, decision, adaptive rules, replicates, seed
 * @param options - workers/executor, progress callback, abort signal
 * @returns the operating characteristics
 * @throws ValidationError for an invalid spec or options; rejects with the signal's reason on abort
 * @example
 * ```ts
 * const oc = await simulateTrials({
 *   design: { treatments: ['magnesium', 'placebo'], blocks: 3, periodDays: 14 },
 *   scenario: { outcome: 'normal', baseline: 12, effects: { magnesium: -2 }, sd: 4 },
 *   analysis: { reference: 'placebo', betterIs: 'lower', model: { sigma: 4 } },
 *   replicates: 1000, seed: 'alice',
 * });
 * oc.arms.magnesium.probSuccess; // the power, ± oc.arms.magnesium.mcse
 * ```
 * @see Percha et al. (2019), JMIR 21(4):e12641 (simulating N-of-1 designs)
 * @see Neuenschwander, Weber, Schmidli & O'Hagan, RBesT `oc1S`/`decision1S` (operating characteristics)
 */
export async function simulateTrials(spec: SimulationSpec, options: SimulateTrialsOptions = {}): Promise<OperatingCharacteristics> {
  const fn = 'simulateTrials';
  const o = checkSimulateOptions(fn, options);
  const r = resolveSimulationSpec(spec, fn);
  const workers = o.workers ?? 1;
  const R = r.spec.replicates;
  const size = o.shardSize ?? Math.max(1, Math.min(2000, Math.ceil(R / (8 * workers))));
  const shards = simulationShards(r.spec, size);
  let done = 0;
  let partials: SimulationPartial[];
  if (o.signal?.aborted) throw abortReason(o.signal);
  if (o.executor !== undefined) {
    partials = await o.executor(shards, {
      onShardDone: (p) => {
        done += p.count;
        o.onProgress?.(done, R);
      },
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
  } else {
    partials = [];
    for (const sh of shards) {
      partials.push(
        await runSimulationShard(sh, {
          onReplicate: () => {
            done++;
            o.onProgress?.(done, R);
          },
          ...(o.signal === undefined ? {} : { signal: o.signal }),
        }),
      );
    }
  }
  return summarizeSimulation(r.spec, mergeSimulationPartials(partials));
}
