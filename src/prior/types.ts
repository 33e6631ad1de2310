import type { Dist } from '../distributions/dist.js';

/**
 * The scale a population prior's effects are expressed on, always "treatment minus control":
 * `'difference'` (natural units of a normal outcome, e.g. migraine days per 30 days),
 * `'logRateRatio'` (Poisson outcome, log link) or `'logOddsRatio'` (binomial outcome, logit link).
 */
export type PriorScale = 'difference' | 'logRateRatio' | 'logOddsRatio';

/**
 * All values of {@link PriorScale}.
 * @example
 * ```ts
 * PRIOR_SCALES.includes('difference'); // true
 * ```
 * @see {@link analyzeTrial} (effects on the link scale)
 */
export const PRIOR_SCALES: readonly PriorScale[] = ['difference', 'logRateRatio', 'logOddsRatio'];

/** One candidate intervention a provider is asked about. */
export interface PriorCandidate {
  /** Stable identifier, used as the key of {@link PopulationPrior.effects} (e.g. `'magnesium'`). */
  readonly id: string;
  /** Human-readable name (e.g. `'Magnesium citrate 600 mg/day'`). */
  readonly label: string;
  /** Optional longer description (dose, schedule). */
  readonly description?: string;
}

/** The outcome the effects refer to. */
export interface PriorOutcome {
  /** Name of the outcome, e.g. `'migraine days per 30 days'`. */
  readonly name: string;
  /** Unit, e.g. `'days'`. */
  readonly unit?: string;
  /** Likelihood family of the outcome: decides the effect scale (normal: difference, binomial: log odds ratio, Poisson: log rate ratio). */
  readonly family: 'normal' | 'binomial' | 'poisson';
  /** Whether higher or lower outcome values are better for the patient. */
  readonly betterIs: 'higher' | 'lower';
  /** The patient's current (baseline) level of the outcome, e.g. 12 migraine days a month. */
  readonly baseline?: number;
}

/** The patient as a provider may see them: features (filtered by the provider) and/or an embedding. */
export interface PriorPatient {
  /** Named features such as age band or comorbidities. Providers send only what they allow. */
  readonly features?: Readonly<Record<string, string | number | boolean>>;
  /** An on-device feature embedding (the paper's "feature embedding projection"). */
  readonly embedding?: readonly number[];
}

/** What a {@link PriorProvider} is asked: the patient, the candidates and the outcome. */
export interface PriorRequest {
  readonly patient: PriorPatient;
  readonly candidates: readonly PriorCandidate[];
  readonly outcome: PriorOutcome;
}

/** Where a population prior came from. */
export interface PriorSource {
  /** The provider's `id`. */
  readonly provider: string;
  /** The model that answered (LLM providers). */
  readonly model?: string;
  /** How many answers were combined (LLM providers). */
  readonly samples?: number;
}

/**
 * A population prior: one effect distribution per candidate (treatment minus control) on a
 * stated scale, with its provenance. Plain, JSON-serialisable data.
 */
export interface PopulationPrior {
  readonly effects: Readonly<Record<string, Dist>>;
  readonly scale: PriorScale;
  readonly source: PriorSource;
}

/** Options of {@link PriorProvider.elicit}. */
export interface ElicitOptions {
  /** Cancels the elicitation; the promise then rejects with a `ProviderError`. */
  readonly signal?: AbortSignal;
}

/**
 * Anything that turns a {@link PriorRequest} into a {@link PopulationPrior}: a static table, an
 * LLM, an ensemble, a cache. Small, asynchronous and cancellable.
 */
export interface PriorProvider {
  /** A stable identifier recorded in `PopulationPrior.source.provider`. */
  readonly id: string;
  elicit(req: PriorRequest, o?: ElicitOptions): Promise<PopulationPrior>;
}
