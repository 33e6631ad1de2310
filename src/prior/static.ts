import type { Dist } from '../distributions/dist.js';
import { validateDist } from '../distributions/dist.js';
import { ProviderError, formatValue } from '../errors.js';
import { denseArray, fail, finite, nonEmptyString, oneOf, plainObject } from '../validate.js';
import { scaleForFamily, validatePriorRequest } from './request.js';
import { PRIOR_SCALES } from './types.js';
import type { ElicitOptions, PopulationPrior, PriorProvider, PriorRequest, PriorScale } from './types.js';

/**
 * A condition on one patient feature: equality with a value, membership in a list of values,
 * or a numeric range `{ min?, max? }` (both ends inclusive).
 */
export type StaticFeatureCondition =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | { readonly min?: number; readonly max?: number };

/** One row of a {@link StaticPriorTable}: effects that apply when every `when` condition holds. */
export interface StaticPriorEntry {
  /** Conditions on `request.patient.features`; absent or empty means "every patient". */
  readonly when?: Readonly<Record<string, StaticFeatureCondition>>;
  /** Effect priors per candidate id, on the table's scale. */
  readonly effects: Readonly<Record<string, Dist>>;
  /** Where the numbers come from (free text, kept for the reader). */
  readonly note?: string;
}

/**
 * A table of population priors (JSON-serialisable). For each requested candidate the first entry
 * whose `when` matches the patient and that lists the candidate gives its prior; put specific
 * entries (e.g. a comorbidity) before the general one.
 */
export interface StaticPriorTable {
  /** Provider id recorded in the prior's source. @defaultValue `'static'` */
  readonly id?: string;
  /** The scale of every effect in the table. */
  readonly scale: PriorScale;
  /** The outcome name the table is about; when set, requests for another outcome are refused. */
  readonly outcome?: string;
  /** The rows, most specific first. */
  readonly entries: readonly StaticPriorEntry[];
  /** Prior for a candidate the table does not list; without it such a request fails. */
  readonly fallback?: Dist;
}

function validateCondition(fn: string, field: string, c: unknown): StaticFeatureCondition {
  if (typeof c === 'string' || typeof c === 'boolean') return c;
  if (typeof c === 'number') return finite(fn, field, c);
  if (Array.isArray(c)) {
    c.forEach((v: unknown, i: number) => {
      if (!(typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
        fail(fn, `${field}[${i}]`, 'must be a string, finite number or boolean', v);
      }
    });
    return [...c] as (string | number | boolean)[];
  }
  const o = plainObject(fn, field, c);
  const out: { min?: number; max?: number } = {};
  if (o.min !== undefined) out.min = finite(fn, `${field}.min`, o.min);
  if (o.max !== undefined) out.max = finite(fn, `${field}.max`, o.max);
  if (out.min === undefined && out.max === undefined) fail(fn, field, 'must give min and/or max', c);
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) fail(fn, `${field}.max`, `must be >= min (${out.min})`, out.max);
  return out;
}

/**
 * Checks a {@link StaticPriorTable} that comes from outside (JSON) and returns a clean copy.
 *
 * @param table - the table
 * @returns a validated copy
 * @throws ValidationError naming the field at fault
 * @example
 * ```ts
 * validateStaticPriorTable({ scale: 'difference', entries: [{ effects: { mg: normal(-1.7, 1.3) } }] });
 * ```
 * @see {@link PriorProvider}
 */
export function validateStaticPriorTable(table: unknown): StaticPriorTable {
  const fn = 'staticPriorProvider';
  const t = plainObject(fn, 'table', table);
  const scale = oneOf(fn, 'table.scale', t.scale, PRIOR_SCALES);
  if (!Array.isArray(t.entries) || t.entries.length === 0) fail(fn, 'table.entries', 'must be a non-empty array', t.entries);
  const entries: StaticPriorEntry[] = t.entries.map((e: unknown, i: number) => {
    const field = `table.entries[${i}]`;
    const o = plainObject(fn, field, e);
    const eff = plainObject(fn, `${field}.effects`, o.effects);
    const keys = Object.keys(eff);
    if (keys.length === 0) fail(fn, `${field}.effects`, 'must list at least one candidate', o.effects);
    const effects: Record<string, Dist> = {};
    for (const k of keys) effects[k] = validateDist(eff[k], fn, `${field}.effects.${k}`);
    const out: { when?: Record<string, StaticFeatureCondition>; effects: Record<string, Dist>; note?: string } = { effects };
    if (o.when !== undefined) {
      const w = plainObject(fn, `${field}.when`, o.when);
      out.when = {};
      for (const [k, c] of Object.entries(w)) out.when[k] = validateCondition(fn, `${field}.when.${k}`, c);
    }
    if (o.note !== undefined) {
      if (typeof o.note !== 'string') fail(fn, `${field}.note`, 'must be a string', o.note);
      out.note = o.note;
    }
    return out;
  });
  const out: { id: string; scale: PriorScale; outcome?: string; entries: StaticPriorEntry[]; fallback?: Dist } = {
    id: t.id === undefined ? 'static' : nonEmptyString(fn, 'table.id', t.id),
    scale,
    entries,
  };
  if (t.outcome !== undefined) out.outcome = nonEmptyString(fn, 'table.outcome', t.outcome);
  if (t.fallback !== undefined) out.fallback = validateDist(t.fallback, fn, 'table.fallback');
  return out;
}

function matches(
  when: Readonly<Record<string, StaticFeatureCondition>> | undefined,
  features: Readonly<Record<string, string | number | boolean>> | undefined,
): boolean {
  if (when === undefined) return true;
  for (const [k, cond] of Object.entries(when)) {
    const v = features !== undefined && Object.hasOwn(features, k) ? features[k] : undefined;
    if (v === undefined) return false;
    if (Array.isArray(cond)) {
      if (!cond.includes(v)) return false;
    } else if (typeof cond === 'object' && cond !== null) {
      const range = cond as { min?: number; max?: number };
      if (typeof v !== 'number') return false;
      if (range.min !== undefined && v < range.min) return false;
      if (range.max !== undefined && v > range.max) return false;
    } else if (v !== cond) {
      return false;
    }
  }
  return true;
}

function normalizeName(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * A {@link PriorProvider} that reads priors from a table, optionally keyed by patient features
 * (age band, comorbidity, ...). Works fully offline; without a table it uses the embedded
 * {@link MIGRAINE_PRIOR_TABLE}.
 *
 * The provider refuses (with a `ProviderError`, no status) a request whose outcome family does
 * not match the table's scale, whose outcome name differs from the table's `outcome`, or that
 * asks about a candidate the table does not list and has no `fallback` for.
 *
 * @param table - the table (validated now, so a bad table fails early)
 * @returns a provider with id `table.id ?? 'static'`
 * @throws ValidationError when the table is malformed
 * @example
 * ```ts
 * const provider = staticPriorProvider();
 * const prior = await provider.elicit(migrainePriorRequest());
 * prior.effects.magnesium; // { family: 'normal', mean: -1.7, sd: 1.3 }
 * ```
 * @see https://arxiv.org/abs/2601.03482 (Step 1: the population model as baseline)
 */
export function staticPriorProvider(table: StaticPriorTable = MIGRAINE_PRIOR_TABLE): PriorProvider {
  const t = validateStaticPriorTable(table);
  const id = t.id ?? 'static';
  return {
    id,
    async elicit(req: PriorRequest, o: ElicitOptions = {}): Promise<PopulationPrior> {
      const fn = `${id}.elicit`;
      const r = validatePriorRequest(req, fn);
      if (o.signal?.aborted) throw new ProviderError(`${fn}: cancelled`, { fn, cause: o.signal.reason });
      const wanted = scaleForFamily(r.outcome.family);
      if (wanted !== t.scale) {
        throw new ProviderError(
          `${fn}: the table is on the '${t.scale}' scale but a ${r.outcome.family} outcome needs '${wanted}'`,
          { fn, field: 'request.outcome.family', value: r.outcome.family },
        );
      }
      if (t.outcome !== undefined && normalizeName(t.outcome) !== normalizeName(r.outcome.name)) {
        throw new ProviderError(
          `${fn}: the table is about ${formatValue(t.outcome)}, not ${formatValue(r.outcome.name)}`,
          { fn, field: 'request.outcome.name', value: r.outcome.name },
        );
      }
      const effects: Record<string, Dist> = {};
      for (const c of r.candidates) {
        const entry = t.entries.find((e) => Object.hasOwn(e.effects, c.id) && matches(e.when, r.patient.features));
        const d = entry?.effects[c.id] ?? t.fallback;
        if (d === undefined) {
          throw new ProviderError(`${fn}: no prior for candidate ${formatValue(c.id)} in the table`, {
            fn,
            field: 'request.candidates',
            value: c.id,
          });
        }
        effects[c.id] = d;
      }
      return { effects, scale: t.scale, source: { provider: id } };
    },
  };
}

/**
 * The outcome of the paper's migraine case: migraine days per 30 days, lower is better.
 * @example
 * ```ts
 * MIGRAINE_OUTCOME.betterIs; // 'lower'
 * ```
 * @see https://arxiv.org/abs/2601.03482 (case study: chronic migraine management)
 */
export const MIGRAINE_OUTCOME = {
  name: 'migraine days per 30 days',
  unit: 'days',
  family: 'normal',
  betterIs: 'lower',
} as const;

/**
 * The candidates of the embedded migraine table (placebo is the control, not a candidate).
 * @example
 * ```ts
 * MIGRAINE_CANDIDATES.map((c) => c.id); // ['magnesium', 'sleepRegularity', 'riboflavin', 'coenzymeQ10']
 * ```
 * @see https://arxiv.org/abs/2601.03482 (case study: magnesium, sleep regularity, placebo)
 */
export const MIGRAINE_CANDIDATES = [
  { id: 'magnesium', label: 'Magnesium', description: 'Magnesium citrate 600 mg a day' },
  { id: 'sleepRegularity', label: 'Sleep regularity', description: 'Fixed bed and wake times, 7 days a week' },
  { id: 'riboflavin', label: 'Riboflavin', description: 'Vitamin B2, 400 mg a day' },
  { id: 'coenzymeQ10', label: 'Coenzyme Q10', description: '100 mg three times a day' },
] as const;

/**
 * The embedded, offline migraine prior table: the effect of each candidate versus placebo on
 * migraine days per 30 days (negative = fewer migraine days = better).
 *
 * The numbers are ILLUSTRATIVE, not clinical advice: rough magnitudes of the preventive effects
 * reported for these supplements and for sleep hygiene (reductions of about 1 to 2 migraine days
 * a month, wide uncertainty), chosen so that `rankCandidates` reproduces the paper's
 * migraine case: P(best) ≈ 0.31 for magnesium and ≈ 0.34 for sleep regularity (paper: 0.30 and
 * 0.32), both above a
 * trigger threshold of 0.2. Patients with `poorSleep: true` get a more favourable prior for
 * sleep regularity.
 *
 * @example
 * ```ts
 * const provider = staticPriorProvider(MIGRAINE_PRIOR_TABLE);
 * ```
 * @see https://arxiv.org/abs/2601.03482 (case study: chronic migraine management)
 */
export const MIGRAINE_PRIOR_TABLE: StaticPriorTable = {
  id: 'static:migraine',
  scale: 'difference',
  outcome: MIGRAINE_OUTCOME.name,
  entries: [
    {
      when: { poorSleep: true },
      effects: { sleepRegularity: { family: 'normal', mean: -2.5, sd: 1.8 } },
      note: 'illustrative: irregular sleepers have more to gain from sleep regularity',
    },
    {
      effects: {
        magnesium: { family: 'normal', mean: -1.7, sd: 1.3 },
        sleepRegularity: { family: 'normal', mean: -1.6, sd: 1.9 },
        riboflavin: { family: 'normal', mean: -1.2, sd: 1.2 },
        coenzymeQ10: { family: 'normal', mean: -1.1, sd: 1.4 },
      },
      note: 'illustrative population effects versus placebo, migraine days per 30 days',
    },
  ],
};

/**
 * A {@link PriorRequest} for the paper's migraine case (Alice: 12 migraine days a month), with
 * the embedded candidates and optional patient features.
 *
 * @param features - patient features (e.g. `{ ageBand: '30-39', poorSleep: false }`)
 * @param candidates - candidate ids to ask about; default all of {@link MIGRAINE_CANDIDATES}
 * @returns the request
 * @throws ValidationError for an unknown candidate id or bad features
 * @example
 * ```ts
 * const prior = await staticPriorProvider().elicit(migrainePriorRequest({ ageBand: '30-39' }));
 * ```
 * @see https://arxiv.org/abs/2601.03482 (case study: chronic migraine management)
 */
export function migrainePriorRequest(
  features: Readonly<Record<string, string | number | boolean>> = {},
  candidates: readonly string[] = MIGRAINE_CANDIDATES.map((c) => c.id),
): PriorRequest {
  const fn = 'migrainePriorRequest';
  plainObject(fn, 'features', features);
  const list = denseArray(fn, 'candidates', candidates).map((id, i) => {
    const c = MIGRAINE_CANDIDATES.find((x) => x.id === id);
    if (c === undefined) fail(fn, `candidates[${i}]`, `must be one of ${MIGRAINE_CANDIDATES.map((x) => `'${x.id}'`).join(', ')}`, id);
    return { id: c.id, label: c.label, description: c.description };
  });
  return validatePriorRequest(
    { patient: { features }, candidates: list, outcome: { ...MIGRAINE_OUTCOME, baseline: 12 } },
    fn,
  );
}
