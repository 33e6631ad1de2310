import type { ElicitOptions, PriorProvider, PriorRequest } from '../prior/types.js';
import { abortSignal, fail, knownOptions, plainObject } from '../validate.js';
import { type PersonalizationPlan, type StartPersonalizationInput, startPersonalization } from './personalize.js';

/** Input of {@link startPersonalizationFrom}: a provider and a request instead of a prior. */
export interface StartPersonalizationFromInput extends Omit<StartPersonalizationInput, 'prior'> {
  /** Any {@link PriorProvider}: a static table, an LLM, or `learnedPriorProvider` (the LFM refined by the population's releases). */
  readonly provider: PriorProvider;
  /** What to ask the provider: the patient, the candidates, the outcome. */
  readonly request: PriorRequest;
}

/**
 * Step 1 to 2 of the pipeline from a provider: elicits the population prior from `provider`
 * and starts the patient's personalisation with it ({@link startPersonalization}). With
 * `learnedPriorProvider` the next patient starts from the LFM's prior refined by the earlier
 * patients' private releases.
 *
 * @param input - the provider, the request and the options of {@link startPersonalization}
 * @param options - `{ signal }` passed to the provider
 * @returns the plan (its `prior` is what the provider answered)
 * @throws ValidationError for bad input; rejects with the provider's `ProviderError` when it fails
 * @example
 * ```ts
 * const provider = learnedPriorProvider({ base: staticPriorProvider(), releases: fromServer });
 * const plan = await startPersonalizationFrom({ provider, request: migrainePriorRequest(), betterIs: 'lower', seed: 'bob' });
 * ```
 * @see https://arxiv.org/abs/2601.03482 (three-step hybrid pipeline; population prior contribution)
 */
export async function startPersonalizationFrom(input: StartPersonalizationFromInput, options: ElicitOptions = {}): Promise<PersonalizationPlan> {
  const fn = 'startPersonalizationFrom';
  abortSignal(fn, 'options.signal', knownOptions(fn, 'options', options, ['signal']).signal);
  const i = plainObject(fn, 'input', input);
  const provider = i.provider as PriorProvider;
  if (typeof provider !== 'object' || provider === null || typeof provider.elicit !== 'function') {
    fail(fn, 'provider', 'must be a PriorProvider ({ id, elicit })', provider);
  }
  const { provider: _p, request, ...rest } = input;
  const prior = await provider.elicit(request, options);
  return startPersonalization({ ...rest, prior });
}
