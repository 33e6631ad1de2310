/**
 * `planTrial`: the shortest N-of-1 design that reaches a target power, by simulation.
 *
 * @packageDocumentation
 */
import { fail, integer, nonEmptyString, plainObject, probability } from '../validate.js';
import type { ResolvedScenario } from './scenario.js';
import type { OperatingCharacteristics, SimulateTrialsOptions, SimulationSpec } from './trials.js';
import { checkSimulateOptions, resolveSimulationSpec, simulateTrials } from './trials.js';

/** The design grid {@link planTrial} searches; each list defaults to the spec's own value. */
export interface PlanSearch {
  /** Numbers of blocks to try. */
  readonly blocks?: readonly number[];
  /** Period lengths (days) to try. */
  readonly periodDays?: readonly number[];
  /** Washout lengths (days) to try. */
  readonly washoutDays?: readonly number[];
}

/** Input of {@link planTrial}: a simulation spec, the grid, the target. */
export interface PlanTrialInput extends SimulationSpec {
  readonly search: PlanSearch;
  /**
   * The power to reach, for `arm`.
   * @defaultValue arm: the non-reference arm with the best true effect in the scenario
   */
  readonly target: { readonly power: number; readonly arm?: string };
}

/** One design of the grid with its operating characteristics. */
export interface PlanRow {
  readonly blocks: number;
  readonly periodDays: number;
  readonly washoutDays: number;
  /** Planned trial length in days. */
  readonly totalDays: number;
  /** P(success) of the target arm, and its Monte Carlo standard error. */
  readonly power: number;
  readonly mcse: number;
  readonly oc: OperatingCharacteristics;
}

/** The result of {@link planTrial}: plain data. */
export interface TrialPlan {
  readonly kind: 'n1kit.trialPlan';
  readonly arm: string;
  readonly targetPower: number;
  /** Every design of the grid, shortest first. */
  readonly grid: readonly PlanRow[];
  /** True when some design reaches the target. */
  readonly reached: boolean;
  /** The shortest design reaching the target (ties: fewer blocks), or the most powerful one. */
  readonly chosen: PlanRow;
  /** The chosen design's options, to pass as `startPersonalization({ ..., trial: plan.trial })`. */
  readonly trial: { readonly blocks: number; readonly periodDays: number; readonly washoutDays: number };
  /** The plan in plain words. */
  readonly summary: string;
}

const pct = (p: number, d = 0): string => `${(100 * p).toFixed(d)}%`;

/** The true effect in words: on the link scale, with the natural scale for GLM outcomes. */
function trueEffectWords(sc: ResolvedScenario, reference: string, effect: number): string {
  const ref = sc.eta0 + (sc.effects[reference] ?? 0);
  const num = (x: number) => String(Number(x.toPrecision(3)));
  if (sc.outcome === 'binomial') {
    const inv = (e: number) => 1 / (1 + Math.exp(-e));
    return `log odds ratio ${num(effect)}: ${pct(inv(ref), 1)} → ${pct(inv(ref + effect), 1)} of days`;
  }
  if (sc.outcome === 'poisson') return `log rate ratio ${num(effect)}: ${num(Math.exp(ref))} → ${num(Math.exp(ref + effect))} a day`;
  return num(effect);
}

function list(fn: string, field: string, v: unknown, fallback: number, min: number): number[] {
  if (v === undefined) return [fallback];
  if (!Array.isArray(v) || v.length === 0 || v.length > 200) fail(fn, field, 'must be a non-empty array of at most 200 integers', v);
  return [...new Set(v.map((x, i) => integer(fn, `${field}[${i}]`, x, min, 100_000)))].sort((a, b) => a - b);
}

/**
 * Plans an N-of-1 trial by simulation: runs {@link simulateTrials} for every design of the grid
 * (blocks × period length × washout; the same seed for all, so designs are compared on common
 * random numbers) and picks the shortest design whose power for the target arm reaches the
 * target, or says that none does and which came closest. The chosen options feed
 * `startPersonalization({ ..., trial: plan.trial })`, so the trial a patient starts is a
 * feasible one.
 *
 * @param input - the simulation spec, `search` grid and `target`
 * @param options - as {@link simulateTrials} (progress counts replicates over the whole grid)
 * @returns the plan: grid, chosen design, plain words
 * @throws ValidationError for an invalid spec, grid or target (e.g. washout ≥ period)
 * @example
 * ```ts
 * const plan = await planTrial({ ...spec, search: { blocks: [2, 4, 6, 8] }, target: { power: 0.8 } });
 * plan.summary; // '6 blocks of 14 days (168 days) give 81% (± 1.3%) power ...'
 * startPersonalization({ prior, betterIs: 'lower', seed: 'alice', trial: plan.trial });
 * ```
 * @see Percha et al. (2019), JMIR 21(4):e12641 (design recommendations by simulation)
 * @see Neuenschwander et al., RBesT `oc1S` (operating characteristics of a Bayesian decision rule)
 */
export async function planTrial(input: PlanTrialInput, options: SimulateTrialsOptions = {}): Promise<TrialPlan> {
  const fn = 'planTrial';
  checkSimulateOptions(fn, options);
  const i = plainObject(fn, 'input', input);
  const { search: searchIn, target: targetIn, ...specIn } = i as unknown as PlanTrialInput;
  const spec = specIn as SimulationSpec;
  const r = resolveSimulationSpec(spec, fn);
  const search = plainObject(fn, 'search', searchIn);
  for (const k of Object.keys(search)) if (!['blocks', 'periodDays', 'washoutDays'].includes(k)) fail(fn, `search.${k}`, 'is not a search option (blocks, periodDays, washoutDays)', k);
  const target = plainObject(fn, 'target', targetIn);
  const power = probability(fn, 'target.power', target.power, true);
  let arm: string;
  if (target.arm !== undefined) {
    arm = nonEmptyString(fn, 'target.arm', target.arm);
    if (!r.others.includes(arm)) fail(fn, 'target.arm', `must be a non-reference arm (${r.others.join(', ')})`, arm);
  } else {
    arm = r.others.reduce((b, t) => (r.sign * (r.truth[t] as number) > r.sign * (r.truth[b] as number) ? t : b), r.others[0] as string);
  }
  const blocks = list(fn, 'search.blocks', search.blocks, r.design.blocks, 1);
  const periods = list(fn, 'search.periodDays', search.periodDays, r.design.periodDays, 1);
  const washouts = list(fn, 'search.washoutDays', search.washoutDays, r.design.washoutDays ?? 0, 0);
  const cells: { blocks: number; periodDays: number; washoutDays: number }[] = [];
  for (const b of blocks) for (const p of periods) for (const w of washouts) if (w < p) cells.push({ blocks: b, periodDays: p, washoutDays: w });
  if (cells.length === 0) fail(fn, 'search.washoutDays', 'must leave some washout shorter than a period', washouts);
  if (cells.length > 400) fail(fn, 'search', 'must hold at most 400 designs', cells.length);
  const total = cells.length * r.spec.replicates;
  let before = 0;
  const rows: PlanRow[] = [];
  for (const c of cells) {
    const oc = await simulateTrials(
      { ...spec, design: { ...spec.design, ...c } },
      {
        ...options,
        onProgress: options.onProgress === undefined ? undefined : (d) => options.onProgress?.(before + d, total),
      } as SimulateTrialsOptions,
    );
    before += r.spec.replicates;
    const a = oc.arms[arm] as OperatingCharacteristics['arms'][string];
    rows.push({ ...c, totalDays: oc.plannedDays, power: a.probSuccess, mcse: a.mcse, oc });
  }
  rows.sort((x, y) => x.totalDays - y.totalDays || x.blocks - y.blocks || x.periodDays - y.periodDays);
  const ok = rows.filter((x) => x.power >= power);
  const reached = ok.length > 0;
  const best = rows.reduce((b, x) => (x.power > b.power ? x : b), rows[0] as PlanRow);
  const chosen = reached ? (ok[0] as PlanRow) : best;
  const dec = r.threshold > 0 ? ` by at least ${r.threshold}` : '';
  const what = `power to show that ${arm} (true effect ${trueEffectWords(r.scenario, r.reference, r.truth[arm] as number)}) beats ${r.reference}${dec} (P ≥ ${r.probability})`;
  const design = (x: PlanRow) =>
    `${x.blocks} block${x.blocks === 1 ? '' : 's'} of ${x.periodDays} days${x.washoutDays > 0 ? ` (${x.washoutDays} washout)` : ''}, ${x.totalDays} days in all,`;
  const summary = reached
    ? `${design(chosen)} give ${pct(chosen.power)} (± ${pct(chosen.mcse, 1)}) ${what}: the shortest design in the grid reaching ${pct(power)}.`
    : `No design in the grid reaches ${pct(power)} ${what}; the best is ${design(best)} with ${pct(best.power)} (± ${pct(best.mcse, 1)}). Consider a longer trial, a less noisy outcome or a more informative prior.`;
  return {
    kind: 'n1kit.trialPlan',
    arm,
    targetPower: power,
    grid: rows,
    reached,
    chosen,
    trial: { blocks: chosen.blocks, periodDays: chosen.periodDays, washoutDays: chosen.washoutDays },
    summary,
  };
}
