/**
 * The prompt side of the OpenAI-compatible adapter: the chat messages (what leaves the device)
 * and the strict JSON schema of the answer.
 *
 * @packageDocumentation
 */
import { denseArray, fail, integer, nonEmptyString } from '../../validate.js';
import { scaleForFamily, validatePriorRequest } from '../request.js';
import type { PriorRequest, PriorScale } from '../types.js';

const SCALE_TEXT: Record<PriorScale, (outcome: string, unit: string) => string> = {
  difference: (outcome, unit) =>
    `the difference in ${outcome}${unit} between the intervention and placebo (intervention minus placebo)`,
  logRateRatio: (outcome) =>
    `the natural logarithm of the rate ratio of ${outcome} (intervention divided by placebo; 0 means no effect)`,
  logOddsRatio: (outcome) =>
    `the natural logarithm of the odds ratio of ${outcome} (intervention versus placebo; 0 means no effect)`,
};

/** The phrasings of the question; answer i uses phrasing i mod 3 (AutoElicit's reworded prompts). */
const PHRASINGS: readonly ((core: string) => string)[] = [
  (core) => `Estimate the average effect of each intervention below for patients like this one.\n${core}`,
  (core) =>
    `A clinician asks you for a prior distribution for a Bayesian analysis: for each intervention below, how much does it change the outcome on average in comparable patients, and how uncertain is that?\n${core}`,
  (core) =>
    `Summarise the evidence (trials, meta-analyses, clinical experience) as a normal distribution for the population-average effect of each intervention below.\n${core}`,
];

const SYSTEM_PROMPT =
  'You are a careful clinical epidemiologist who gives calibrated, honest uncertainty. Answer with JSON only, no prose.';

/**
 * The chat messages sent for answer `index` of a request (exposed so users can audit exactly
 * what leaves the device). Only the allowed features appear, and `outcome.baseline` only when
 * `allowed` names `'baseline'`; embeddings never do.
 *
 * @param req - the validated request
 * @param allowed - the allow-list of feature names
 * @param index - the answer number (chooses the phrasing)
 * @returns the `messages` array of the chat-completions request
 * @throws ValidationError for a malformed request, or `allowed` not an array of names
 * @example
 * ```ts
 * elicitationMessages(migrainePriorRequest({ age: 34 }), ['age'], 0)[1].content; // mentions "age: 34"
 * ```
 * @see Capstick et al. 2024, "AutoElicit", arXiv 2411.17284
 */
export function elicitationMessages(
  req: PriorRequest,
  allowed: readonly string[],
  index: number,
): { role: 'system' | 'user'; content: string }[] {
  const r = validatePriorRequest(req, 'elicitationMessages');
  // An array, not a string: 'ageBand'.includes('age') would let 'age' through.
  if (!Array.isArray(allowed)) fail('elicitationMessages', 'allowed', 'must be an array of feature names', allowed);
  denseArray('elicitationMessages', 'allowed', allowed);
  allowed.forEach((x: unknown, i: number) => {
    nonEmptyString('elicitationMessages', `allowed[${i}]`, x);
  });
  integer('elicitationMessages', 'index', index, 0, 1_000_000);
  const scale = scaleForFamily(r.outcome.family);
  const unit = r.outcome.unit === undefined ? '' : ` (in ${r.outcome.unit})`;
  const direction =
    r.outcome.betterIs === 'lower'
      ? `Lower ${r.outcome.name} is better for the patient, so an intervention that helps has a NEGATIVE effect.`
      : `Higher ${r.outcome.name} is better for the patient, so an intervention that helps has a POSITIVE effect.`;
  const features = Object.entries(r.patient.features ?? {}).filter(([k]) => allowed.includes(k));
  const patient =
    features.length === 0
      ? 'No patient features are shared.'
      : `Patient features: ${features.map(([k, v]) => `${k}: ${String(v)}`).join('; ')}.`;
  const baseline = r.outcome.baseline === undefined || !allowed.includes('baseline') ? '' : `\nThe patient's current level: ${r.outcome.baseline}${r.outcome.unit === undefined ? '' : ` ${r.outcome.unit}`}.`;
  const candidates = r.candidates
    .map((c) => `- "${c.id}": ${c.label}${c.description === undefined ? '' : ` (${c.description})`}`)
    .join('\n');
  const example = `{"effects": {${r.candidates.map((c) => `"${c.id}": {"mean": <number>, "sd": <number > 0>}`).join(', ')}}}`;
  const core =
    `Outcome: ${r.outcome.name}${unit}. The effect is ${SCALE_TEXT[scale](r.outcome.name, unit)}. ${direction}${baseline}\n` +
    `${patient}\nInterventions (use these ids as keys):\n${candidates}\n` +
    `For each intervention give "mean" (your best estimate of the effect) and "sd" (one standard deviation of your uncertainty about it, a positive number). ` +
    `Answer with a JSON object exactly of this form: ${example}`;
  const phrase = PHRASINGS[index % PHRASINGS.length]!;
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: phrase(core) },
  ];
}

/** The strict JSON schema of the answer for these candidate ids. */
export function answerSchema(ids: readonly string[]): Record<string, unknown> {
  const effect = {
    type: 'object',
    properties: { mean: { type: 'number' }, sd: { type: 'number' } },
    required: ['mean', 'sd'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: {
      effects: {
        type: 'object',
        properties: Object.fromEntries(ids.map((id) => [id, effect])),
        required: [...ids],
        additionalProperties: false,
      },
    },
    required: ['effects'],
    additionalProperties: false,
  };
}

