import { priorDataConflict, robustify } from '../bayes/index.js';
import { designTrial, validateDesign } from '../design/index.js';
import type { Randomization, TrialDesign } from '../design/types.js';
import type { Dist } from '../distributions/dist.js';
import { mean as distMean, sd as distSd } from '../distributions/functions.js';
import { analyzeTrial } from '../models/index.js';
import type { EffectSummary, TrialAnalysis, TrialModelOptions, TrialObservation } from '../models/types.js';
import { validatePopulationPrior } from '../prior/request.js';
import type { PopulationPrior } from '../prior/types.js';
import type { Seed } from '../rng/rng.js';
import { boolean, fail, integer, nonEmptyString, oneOf, plainObject, positive, probability, seed as seedGuard } from '../validate.js';
import { type ValidationDecision, planValidation } from './plan.js';
import { type CandidateRanking, rankCandidates } from './rank.js';

/** The trial part of {@link StartPersonalizationInput}; see `designTrial`. */
export interface PersonalizationTrialOptions {
  /** Blocks; each holds every arm once. @defaultValue 2 (3 arms → the paper's 6 periods) */
  readonly blocks?: number;
  /** Days per period. @defaultValue 14 (the paper's 2 weeks) */
  readonly periodDays?: number;
  /** Washout days at the start of each period (not analysed). @defaultValue 0 */
  readonly washoutDays?: number;
  /** Run-in days before the first period. @defaultValue 0 */
  readonly runInDays?: number;
  /** Randomisation scheme. @defaultValue 'block' (the paper's block randomisation) */
  readonly randomization?: Randomization;
  /** No arm more than this many periods in a row. @defaultValue no limit */
  readonly maxConsecutive?: number;
  /** ISO date of day 0, for a calendar. @defaultValue none */
  readonly startDate?: string;
}

/** Input of {@link startPersonalization}. */
export interface StartPersonalizationInput {
  /** The population prior (e.g. from `staticPriorProvider` or an LLM provider). */
  readonly prior: PopulationPrior;
  /** Whether higher or lower outcome values are better (migraine days: `'lower'`). */
  readonly betterIs: 'higher' | 'lower';
  /** Seed of the ranking's Monte Carlo, the trial's randomisation and the analyses' MCMC. */
  readonly seed: Seed;
  /** The control arm. @defaultValue 'placebo' */
  readonly control?: string;
  /**
   * Minimal clinically important difference on the outcome's natural scale (e.g. 2 migraine
   * days per 30 days), one number for all candidates or one per candidate.
   * @defaultValue none (no P(clinically better))
   */
  readonly mcid?: number | Readonly<Record<string, number>>;
  /** τ of {@link planValidation}. @defaultValue 0.2 */
  readonly include?: number;
  /** Adopt without a trial, or stop a trial early, at this P(best). @defaultValue 0.9 */
  readonly confident?: number;
  /** Candidates per trial (the control not counted). @defaultValue 2 */
  readonly maxArms?: number;
  /** Monte Carlo draws of the ranking. @defaultValue 20000 */
  readonly draws?: number;
  /** Weight of the robust component added to each candidate's prior. @defaultValue 0.2 */
  readonly robustWeight?: number;
  /**
   * Sd of the robust component N(0, robustSd) on the effect scale.
   * @defaultValue unit information, estimated from the diary at each update: the sd of one
   *   observation's treatment–control difference (RBesT's default for normal endpoints)
   */
  readonly robustSd?: number;
  /** Box p-value below which the prior and the data are said to conflict. @defaultValue 0.05 */
  readonly conflictLevel?: number;
  /** The trial design. */
  readonly trial?: PersonalizationTrialOptions;
  /** Model options of `analyzeTrial`. @defaultValue `{}` (normal errors, no trend) */
  readonly model?: TrialModelOptions;
  /** MCMC sizes of `analyzeTrial`. @defaultValue its defaults */
  readonly mcmc?: { readonly chains?: number; readonly draws?: number; readonly warmup?: number };
}

/** The settings a plan carries to {@link updatePersonalization}. */
export interface PersonalizationSettings {
  readonly outcome: 'normal' | 'binomial' | 'poisson';
  readonly betterIs: 'higher' | 'lower';
  readonly control: string;
  readonly seed: Seed;
  readonly mcid: Readonly<Record<string, number>>;
  readonly confident: number;
  readonly robustWeight: number;
  readonly robustSd?: number;
  readonly conflictLevel: number;
  readonly model: TrialModelOptions;
  readonly mcmc: { readonly chains?: number; readonly draws?: number; readonly warmup?: number };
}

/** The output of {@link startPersonalization}: plain, JSON-serialisable data. */
export interface PersonalizationPlan {
  readonly kind: 'n1kit.personalizationPlan';
  readonly version: 1;
  readonly prior: PopulationPrior;
  readonly ranking: CandidateRanking;
  readonly decision: ValidationDecision;
  /** The N-of-1 trial, when the decision is `'trial'`. */
  readonly design?: TrialDesign;
  readonly settings: PersonalizationSettings;
  /** The plan in plain words. */
  readonly summary: string;
}

/** Prior–data conflict for one candidate. */
export interface CandidateConflict {
  /** Box's prior-predictive p-value of the data estimate under the population prior. */
  readonly pValue: number;
  /** True when `pValue < conflictLevel`. */
  readonly conflict: boolean;
  /** Weight of the robust component before and after seeing the data. */
  readonly robustWeight: { readonly prior: number; readonly posterior: number };
  /** Plain words, when there is a conflict. */
  readonly message?: string;
}

/** One candidate in a {@link PersonalizationUpdate}. */
export interface CandidateUpdate {
  /** Population prior mean and sd (before robustification). */
  readonly prior: { readonly mean: number; readonly sd: number };
  /** What the diary alone says (analysis under weakly informative default priors). */
  readonly data: { readonly mean: number; readonly sd: number };
  /** The patient's posterior (robust population prior × diary). */
  readonly posterior: EffectSummary;
  /** The robust prior that was used. */
  readonly robustPrior: Dist;
  readonly conflict: CandidateConflict;
}

/** The output of {@link updatePersonalization}: plain data. */
export interface PersonalizationUpdate {
  readonly kind: 'n1kit.personalizationUpdate';
  /** Last observed day, and whether the planned trial is complete. */
  readonly lastDay: number;
  readonly trialComplete: boolean;
  readonly candidates: Readonly<Record<string, CandidateUpdate>>;
  /** P(best) over all arms, the control included (sums to 1). */
  readonly probBest: Readonly<Record<string, number>>;
  readonly recommendation: {
    readonly treatment: string;
    readonly probBest: number;
    /** P(best) ≥ `confident`. */
    readonly confident: boolean;
  };
  /** Stop when one arm is confidently best, or when the planned trial is over. */
  readonly stop: { readonly stop: boolean; readonly reason: 'confident' | 'complete' | 'continue' };
  /** True when any candidate's prior conflicts with the data. */
  readonly conflict: boolean;
  /** The update in plain words: recommendation, stopping, conflicts. */
  readonly messages: readonly string[];
  /** The full analysis with the robust population prior (from `analyzeTrial`). */
  readonly analysis: TrialAnalysis;
}

const FAMILY_OF_SCALE = { difference: 'normal', logRateRatio: 'poisson', logOddsRatio: 'binomial' } as const;
const pct = (p: number): string => `${(100 * p).toFixed(0)}%`;
const num = (x: number): string => (Math.abs(x) < 0.005 ? '0' : x.toFixed(2));

/**
 * Starts the paper's pipeline for one patient: ranks the candidates by the population prior
 * (step 1, {@link rankCandidates}), decides what to validate ({@link planValidation}) and, when
 * a trial is needed, designs it with `designTrial` (step 2; default: block-randomised, periods of
 * 14 days, 2 blocks). Everything is plain data, ready to store on the patient's device.
 *
 * @param input - see {@link StartPersonalizationInput}
 * @returns the plan
 * @throws ValidationError for an invalid prior or options
 * @example
 * ```ts
 * const prior = await staticPriorProvider().elicit(migrainePriorRequest());
 * const plan = startPersonalization({ prior, betterIs: 'lower', seed: 'alice', mcid: 2 });
 * plan.decision.arms;  // ['sleepRegularity', 'magnesium', 'placebo']
 * plan.design?.periods.length; // 6
 * ```
 * @see https://arxiv.org/abs/2601.03482 (three-step hybrid pipeline, migraine case)
 */
export function startPersonalization(input: StartPersonalizationInput): PersonalizationPlan {
  const fn = 'startPersonalization';
  const i = plainObject(fn, 'input', input);
  const prior = validatePopulationPrior(i.prior, fn);
  const betterIs = oneOf(fn, 'betterIs', i.betterIs, ['higher', 'lower'] as const);
  const seed = seedGuard(fn, 'seed', i.seed);
  const control = i.control === undefined ? 'placebo' : nonEmptyString(fn, 'control', i.control);
  if (Object.hasOwn(prior.effects, control)) fail(fn, 'control', 'must not be one of the prior candidates', control);
  const mcid: Record<string, number> = {};
  if (typeof i.mcid === 'number') {
    const m = positive(fn, 'mcid', i.mcid);
    for (const k of Object.keys(prior.effects)) mcid[k] = m;
  } else if (i.mcid !== undefined) {
    const m = plainObject(fn, 'mcid', i.mcid);
    for (const [k, v] of Object.entries(m)) {
      if (!Object.hasOwn(prior.effects, k)) fail(fn, `mcid.${k}`, 'must name a candidate of the prior', k);
      mcid[k] = positive(fn, `mcid.${k}`, v);
    }
  }
  const robustWeight = i.robustWeight === undefined ? 0.2 : probability(fn, 'robustWeight', i.robustWeight);
  const robustSd = i.robustSd === undefined ? undefined : positive(fn, 'robustSd', i.robustSd);
  const conflictLevel = i.conflictLevel === undefined ? 0.05 : probability(fn, 'conflictLevel', i.conflictLevel, true);
  const model = i.model === undefined ? {} : (plainObject(fn, 'model', i.model) as TrialModelOptions);
  const mcmcIn = i.mcmc === undefined ? {} : plainObject(fn, 'mcmc', i.mcmc);
  const mcmc: { chains?: number; draws?: number; warmup?: number } = {};
  for (const k of ['chains', 'draws', 'warmup'] as const) {
    if (mcmcIn[k] !== undefined) mcmc[k] = integer(fn, `mcmc.${k}`, mcmcIn[k], k === 'warmup' ? 0 : 1);
  }
  const ranking = rankCandidates(prior, {
    betterIs,
    rng: `${seed}:rank`,
    ...(i.draws === undefined ? {} : { draws: i.draws as number }),
  });
  const decision = planValidation(ranking, {
    control,
    ...(i.include === undefined ? {} : { include: i.include as number }),
    ...(i.confident === undefined ? {} : { confident: i.confident as number }),
    ...(i.maxArms === undefined ? {} : { maxArms: i.maxArms as number }),
  });
  const t = i.trial === undefined ? {} : plainObject(fn, 'trial', i.trial);
  let design: TrialDesign | undefined;
  if (decision.action === 'trial') {
    design = designTrial({
      treatments: decision.arms,
      blocks: t.blocks === undefined ? 2 : (t.blocks as number),
      periodDays: t.periodDays === undefined ? 14 : (t.periodDays as number),
      seed,
      ...(t.washoutDays === undefined ? {} : { washoutDays: t.washoutDays as number }),
      ...(t.runInDays === undefined ? {} : { runInDays: t.runInDays as number }),
      ...(t.randomization === undefined ? {} : { randomization: t.randomization as Randomization }),
      ...(t.maxConsecutive === undefined ? {} : { maxConsecutive: t.maxConsecutive as number }),
      ...(t.startDate === undefined ? {} : { startDate: t.startDate as string }),
    });
  }
  const summary =
    design === undefined
      ? decision.reason
      : `${decision.reason} Schedule: ${design.periods.length} periods of ${design.periodDays} days (${design.totalDays} days): ${design.periods
          .map((p) => p.treatment)
          .join(', ')}.`;
  const settings: PersonalizationSettings = {
    outcome: FAMILY_OF_SCALE[prior.scale],
    betterIs,
    control,
    seed,
    mcid,
    confident: decision.confident,
    robustWeight,
    ...(robustSd === undefined ? {} : { robustSd }),
    conflictLevel,
    model,
    mcmc,
  };
  return {
    kind: 'n1kit.personalizationPlan',
    version: 1,
    prior,
    ranking,
    decision,
    ...(design === undefined ? {} : { design }),
    settings,
    summary,
  };
}

/** Options of {@link updatePersonalization}. */
export interface UpdatePersonalizationOptions {
  /** Treat the trial as complete even if the last planned day has no observation. @defaultValue false */
  readonly complete?: boolean;
}

/**
 * Step 3 of the paper's pipeline: updates the patient's posterior with their diary.
 *
 * 1. The diary alone is analysed with `analyzeTrial` under its weakly informative default
 *    priors; this gives each candidate's data estimate and standard error.
 * 2. Each candidate's population prior is made robust: (1 − w)·prior + w·N(0, robustSd) with
 *    `robustify` (default robustSd: the unit-information sd, i.e. the data standard error
 *    scaled to one observation per arm).
 * 3. `priorDataConflict` compares the data estimate with the population prior (Box's p) and
 *    reports how the robust component's weight moves; a conflict is said in plain words.
 * 4. `analyzeTrial` with the robust priors gives the posterior, P(better), P(clinically better)
 *    against `mcid`, and P(best) over all arms. The recommendation is the arm with the highest
 *    P(best); the trial stops early when that reaches `confident` (note: looking repeatedly
 *    with a fixed threshold makes an early stop more likely than `1 − confident` suggests), or
 *    when the planned trial is complete.
 *
 * The paper leaves prior–data conflict open; here the robust component carries the decision:
 * when the diary contradicts the LFM, the posterior weight moves to the vague component and the
 * patient's own data decide.
 *
 * @param plan - the output of {@link startPersonalization} (possibly after a JSON round trip)
 * @param observations - the diary so far (`{ day, value }`, days from 0 at the trial start)
 * @param options - see {@link UpdatePersonalizationOptions}
 * @returns the update
 * @throws ValidationError for a plan without a trial, an invalid plan, or invalid observations
 *   (including, from `analyzeTrial`, a diary in which some arm has no observation yet: update
 *   once every arm has been tried)
 * @example
 * ```ts
 * const diary = simulateMigraineDiary(plan.design!, { effects: { magnesium: -8 }, rng: 'diary' });
 * const update = updatePersonalization(plan, diary);
 * update.recommendation; // e.g. { treatment: 'magnesium', probBest: 0.97, confident: true } (depends on the diary)
 * update.messages;       // plain-words summary
 * ```
 * @see https://arxiv.org/abs/2601.03482 (Step 3: P(θ | D) ∝ P(D | θ) · P(θ | θ_pop))
 * @see Schmidli et al. 2014, Biometrics 70:1023 (robust mixture priors); Box 1980, JRSS A 143:383 (prior–data conflict)
 */
export function updatePersonalization(
  plan: PersonalizationPlan,
  observations: readonly TrialObservation[],
  options: UpdatePersonalizationOptions = {},
): PersonalizationUpdate {
  const fn = 'updatePersonalization';
  const p = plainObject(fn, 'plan', plan);
  if (p.kind !== 'n1kit.personalizationPlan') fail(fn, 'plan.kind', "must be 'n1kit.personalizationPlan'", p.kind);
  if (p.design === undefined) {
    fail(fn, 'plan.design', 'is missing: the plan adopted a candidate without a trial, there is nothing to update', p.design);
  }
  const design = validateDesign(p.design, fn);
  const prior = validatePopulationPrior(p.prior, fn);
  const s = plainObject(fn, 'plan.settings', p.settings) as unknown as PersonalizationSettings;
  oneOf(fn, 'plan.settings.outcome', s.outcome, ['normal', 'binomial', 'poisson'] as const);
  oneOf(fn, 'plan.settings.betterIs', s.betterIs, ['higher', 'lower'] as const);
  nonEmptyString(fn, 'plan.settings.control', s.control);
  seedGuard(fn, 'plan.settings.seed', s.seed);
  probability(fn, 'plan.settings.confident', s.confident, true);
  probability(fn, 'plan.settings.robustWeight', s.robustWeight);
  probability(fn, 'plan.settings.conflictLevel', s.conflictLevel, true);
  if (s.robustSd !== undefined) positive(fn, 'plan.settings.robustSd', s.robustSd);
  for (const [k, v] of Object.entries(plainObject(fn, 'plan.settings.mcid', s.mcid))) positive(fn, `plan.settings.mcid.${k}`, v);
  plainObject(fn, 'plan.settings.model', s.model);
  plainObject(fn, 'plan.settings.mcmc', s.mcmc);
  const o = plainObject(fn, 'options', options);
  const forceComplete = o.complete === undefined ? false : boolean(fn, 'options.complete', o.complete);
  if (!Array.isArray(observations)) fail(fn, 'observations', 'must be an array of { day, value }', observations);
  const candidates = design.treatments.filter((t) => t !== s.control);
  for (const c of candidates) {
    if (!Object.hasOwn(prior.effects, c)) fail(fn, 'plan.design.treatments', `holds '${c}', which has no prior`, c);
  }
  const thresholds: Record<string, number> = {};
  for (const c of candidates) if (Object.hasOwn(s.mcid, c)) thresholds[c] = s.mcid[c] as number;
  const base = {
    design,
    observations: [...observations],
    outcome: s.outcome,
    reference: s.control,
    betterIs: s.betterIs,
    model: s.model,
    ...(Object.keys(thresholds).length > 0 ? { thresholds } : {}),
  };
  const mcmcSeed = `${s.seed}:mcmc`;
  const dataOnly = analyzeTrial({ ...base, mcmc: { ...s.mcmc, seed: `${mcmcSeed}:data` } });

  const robustPriors: Record<string, Dist> = {};
  const conflicts: Record<string, CandidateConflict> = {};
  const messages: string[] = [];
  const perArm = dataOnly.data.perArm;
  for (const c of candidates) {
    const est = dataOnly.effects[c] as EffectSummary;
    const nT = perArm[c] ?? 0;
    const nC = perArm[s.control] ?? 0;
    const unitSd = nT > 0 && nC > 0 ? (est.sd * Math.SQRT2) / Math.sqrt(1 / nT + 1 / nC) : 10 * est.sd;
    const raw = prior.effects[c] as Dist;
    const robust = s.robustWeight > 0 ? robustify(raw, { weight: s.robustWeight, mean: 0, sigma: s.robustSd ?? unitSd }) : raw;
    robustPriors[c] = robust;
    const data = { mean: est.mean, n: 1, sigma: est.sd };
    const box = priorDataConflict(raw, data);
    const rw = s.robustWeight > 0 ? priorDataConflict(robust, data).robustWeight : undefined;
    const isConflict = box.pValue < s.conflictLevel;
    const weights = { prior: rw?.prior ?? 0, posterior: rw?.posterior ?? 0 };
    let message: string | undefined;
    if (isConflict) {
      message =
        `Your data contradict the population prior for ${c}: the prior expected ${num(distMean(raw))} (sd ${num(distSd(raw))}), ` +
        `your diary says ${num(est.mean)} (sd ${num(est.sd)}); Box p = ${box.pValue.toPrecision(2)}. ` +
        (s.robustWeight > 0
          ? `The robust component now carries ${pct(weights.posterior)} of the weight (was ${pct(weights.prior)}), ` +
            (weights.posterior >= 0.5
              ? 'so your own data decide.'
              : 'so the prior still has a say; more data will settle it.')
          : 'No robust component was used (robustWeight 0), so the prior still pulls the estimate.');
      messages.push(message);
    }
    conflicts[c] = { pValue: box.pValue, conflict: isConflict, robustWeight: weights, ...(message === undefined ? {} : { message }) };
  }

  const analysis = analyzeTrial({ ...base, priors: { effects: robustPriors }, mcmc: { ...s.mcmc, seed: mcmcSeed } });
  const out: Record<string, CandidateUpdate> = {};
  for (const c of candidates) {
    const raw = prior.effects[c] as Dist;
    const est = dataOnly.effects[c] as EffectSummary;
    out[c] = {
      prior: { mean: distMean(raw), sd: distSd(raw) },
      data: { mean: est.mean, sd: est.sd },
      posterior: analysis.effects[c] as EffectSummary,
      robustPrior: robustPriors[c] as Dist,
      conflict: conflicts[c] as CandidateConflict,
    };
  }
  const arms = Object.keys(analysis.probBest);
  let best = arms[0] as string;
  for (const a of arms) if ((analysis.probBest[a] as number) > (analysis.probBest[best] as number)) best = a;
  const bestP = analysis.probBest[best] as number;
  const confident = bestP >= s.confident;
  const lastDay = observations.reduce((m, x) => Math.max(m, typeof x.day === 'number' ? x.day : m), -1);
  const trialComplete = forceComplete || lastDay >= design.totalDays - 1;
  const reason = confident ? 'confident' : trialComplete ? 'complete' : 'continue';
  const bestText =
    best === s.control
      ? `none of the candidates beats ${s.control} (P(${s.control} is best) = ${pct(bestP)})`
      : `${best} is most likely best for you (P(best) = ${pct(bestP)})`;
  const clin = candidates
    .filter((c) => analysis.effects[c]?.probClinicallyBetter !== undefined)
    // A binomial MCID is a difference in probability (2/30 for 2 migraine days a month): say it
    // in percentage points, not as a bare 0.07.
    .map((c) => {
      const m = s.mcid[c] as number;
      const size = s.outcome === 'binomial' ? `${(100 * m).toFixed(1)} percentage points` : num(m);
      return `P(${c} improves by at least ${size}) = ${pct(analysis.effects[c]?.probClinicallyBetter as number)}`;
    });
  const head =
    reason === 'confident'
      ? `Stop: ${bestText}, at least ${pct(s.confident)}.`
      : reason === 'complete'
        ? `The trial is complete: ${bestText}${best === s.control ? '' : `, short of ${pct(s.confident)}`}.`
        : `Continue the trial (day ${lastDay + 1} of ${design.totalDays}): ${bestText}, not yet ${pct(s.confident)}.`;
  messages.unshift(clin.length > 0 ? `${head} ${clin.join('; ')}.` : head);
  return {
    kind: 'n1kit.personalizationUpdate',
    lastDay,
    trialComplete,
    candidates: out,
    probBest: analysis.probBest,
    recommendation: { treatment: best, probBest: bestP, confident },
    stop: { stop: reason !== 'continue', reason },
    conflict: candidates.some((c) => conflicts[c]?.conflict === true),
    messages,
    analysis,
  };
}
