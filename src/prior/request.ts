import { validateDist } from '../distributions/dist.js';
import type { Dist } from '../distributions/dist.js';
import { fail, finite, nameArg, nonEmptyString, oneOf, plainObject } from '../validate.js';
import { PRIOR_SCALES } from './types.js';
import type { PopulationPrior, PriorCandidate, PriorRequest, PriorScale } from './types.js';

/**
 * The effect scale that matches an outcome family: normal → `'difference'`, poisson →
 * `'logRateRatio'`, binomial → `'logOddsRatio'` (the link scales of `analyzeTrial`).
 *
 * @param family - the outcome family
 * @returns the matching {@link PriorScale}
 * @throws ValidationError for an unknown family
 * @example
 * ```ts
 * scaleForFamily('poisson'); // returns 'logRateRatio'
 * ```
 * @see {@link analyzeTrial} (effects on the link scale)
 */
export function scaleForFamily(family: 'normal' | 'binomial' | 'poisson'): PriorScale {
  const f = oneOf('scaleForFamily', 'family', family, ['normal', 'binomial', 'poisson'] as const);
  return f === 'normal' ? 'difference' : f === 'poisson' ? 'logRateRatio' : 'logOddsRatio';
}

/**
 * Checks a {@link PriorRequest} that comes from outside and returns a clean copy (only known
 * fields, features restricted to strings, finite numbers and booleans).
 *
 * @param req - the request
 * @param fnName - the public function name used in error messages
 * @returns a validated copy
 * @throws ValidationError naming the field at fault (no candidates, duplicate ids, unknown
 *   outcome family, non-finite feature or embedding values)
 * @example
 * ```ts
 * validatePriorRequest({ patient: {}, candidates: [{ id: 'mg', label: 'Magnesium' }],
 *   outcome: { name: 'migraine days', family: 'normal', betterIs: 'lower' } });
 * ```
 * @see {@link PriorProvider} (what a provider is asked)
 */
export function validatePriorRequest(req: unknown, fnName = 'validatePriorRequest'): PriorRequest {
  const fn = nameArg(fnName, 'validatePriorRequest');
  const r = plainObject(fn, 'request', req);
  const patientIn = r.patient === undefined ? {} : plainObject(fn, 'request.patient', r.patient);
  let features: Record<string, string | number | boolean> | undefined;
  if (patientIn.features !== undefined) {
    const fIn = plainObject(fn, 'request.patient.features', patientIn.features);
    features = {};
    for (const [k, v] of Object.entries(fIn)) {
      const field = `request.patient.features.${k}`;
      if (typeof v === 'number') finite(fn, field, v);
      else if (typeof v !== 'string' && typeof v !== 'boolean') fail(fn, field, 'must be a string, finite number or boolean', v);
      features[k] = v as string | number | boolean;
    }
  }
  let embedding: number[] | undefined;
  if (patientIn.embedding !== undefined) {
    if (!Array.isArray(patientIn.embedding)) fail(fn, 'request.patient.embedding', 'must be an array of finite numbers', patientIn.embedding);
    embedding = patientIn.embedding.map((x: unknown, i: number) => finite(fn, `request.patient.embedding[${i}]`, x));
  }
  if (!Array.isArray(r.candidates) || r.candidates.length === 0) {
    fail(fn, 'request.candidates', 'must be a non-empty array', r.candidates);
  }
  const seen = new Set<string>();
  const candidates: PriorCandidate[] = r.candidates.map((c: unknown, i: number) => {
    const field = `request.candidates[${i}]`;
    const o = plainObject(fn, field, c);
    const id = nonEmptyString(fn, `${field}.id`, o.id);
    if (seen.has(id)) fail(fn, `${field}.id`, 'must be unique', id);
    seen.add(id);
    const label = o.label === undefined ? id : nonEmptyString(fn, `${field}.label`, o.label);
    const out: { id: string; label: string; description?: string } = { id, label };
    if (o.description !== undefined) {
      if (typeof o.description !== 'string') fail(fn, `${field}.description`, 'must be a string', o.description);
      out.description = o.description;
    }
    return out;
  });
  const oIn = plainObject(fn, 'request.outcome', r.outcome);
  const outcome: {
    name: string;
    unit?: string;
    family: 'normal' | 'binomial' | 'poisson';
    betterIs: 'higher' | 'lower';
    baseline?: number;
  } = {
    name: nonEmptyString(fn, 'request.outcome.name', oIn.name),
    family: oneOf(fn, 'request.outcome.family', oIn.family, ['normal', 'binomial', 'poisson'] as const),
    betterIs: oneOf(fn, 'request.outcome.betterIs', oIn.betterIs, ['higher', 'lower'] as const),
  };
  if (oIn.unit !== undefined) outcome.unit = nonEmptyString(fn, 'request.outcome.unit', oIn.unit);
  if (oIn.baseline !== undefined) outcome.baseline = finite(fn, 'request.outcome.baseline', oIn.baseline);
  const patient: { features?: Record<string, string | number | boolean>; embedding?: number[] } = {};
  if (features !== undefined) patient.features = features;
  if (embedding !== undefined) patient.embedding = embedding;
  return { patient, candidates, outcome };
}

/**
 * Checks a {@link PopulationPrior} that comes from outside (JSON, a custom provider) and
 * returns a normalised copy (every effect through `validateDist`).
 *
 * @param prior - the prior
 * @param fnName - the public function name used in error messages
 * @returns a validated copy
 * @throws ValidationError for an empty `effects`, an invalid distribution, an unknown scale or
 *   a missing `source.provider`
 * @example
 * ```ts
 * validatePopulationPrior({ effects: { mg: normal(-1.5, 1) }, scale: 'difference',
 *   source: { provider: 'static' } });
 * ```
 * @see {@link PriorProvider} (what a provider answers)
 */
export function validatePopulationPrior(prior: unknown, fnName = 'validatePopulationPrior'): PopulationPrior {
  const fn = nameArg(fnName, 'validatePopulationPrior');
  const p = plainObject(fn, 'prior', prior);
  const eIn = plainObject(fn, 'prior.effects', p.effects);
  const keys = Object.keys(eIn);
  if (keys.length === 0) fail(fn, 'prior.effects', 'must hold at least one candidate', p.effects);
  const effects: Record<string, Dist> = {};
  for (const k of keys) effects[k] = validateDist(eIn[k], fn, `prior.effects.${k}`);
  const scale = oneOf(fn, 'prior.scale', p.scale, PRIOR_SCALES);
  const sIn = plainObject(fn, 'prior.source', p.source);
  const source: { provider: string; model?: string; samples?: number } = {
    provider: nonEmptyString(fn, 'prior.source.provider', sIn.provider),
  };
  if (sIn.model !== undefined) source.model = nonEmptyString(fn, 'prior.source.model', sIn.model);
  if (sIn.samples !== undefined) {
    if (typeof sIn.samples !== 'number' || !Number.isSafeInteger(sIn.samples) || sIn.samples < 1) {
      fail(fn, 'prior.source.samples', 'must be a positive integer', sIn.samples);
    }
    source.samples = sIn.samples;
  }
  return { effects, scale, source };
}
