/**
 * Data minimisation for prior requests to a foundation model: send only the features a
 * request needs, or only a random projection of standardised numeric features.
 *
 * @packageDocumentation
 */
import { createRng } from '../rng/index.js';
import type { Seed } from '../rng/index.js';
import { fail, finite, integer, plainObject, positive, seed as checkSeed, uniqueLabels } from '../validate.js';

/** A patient's features as sent in a prior request (`PriorRequest.patient.features`). */
export type PatientFeatures = Readonly<Record<string, string | number | boolean>>;

/** Options of {@link projectFeatures}. */
export interface ProjectFeaturesOptions {
  /** Output dimension k ≥ 1. */
  readonly dimension: number;
  /** Seed of the projection matrix; keep it on the device if the projection should not be invertible by the server. */
  readonly seed: Seed;
  /**
   * Per feature, the population mean and sd used to standardise it: z = (x − mean) / sd.
   * Exactly these features are projected (booleans count as 0/1); every one must be present
   * and numeric, other features are ignored.
   */
  readonly standardize: Readonly<Record<string, { readonly mean: number; readonly sd: number }>>;
}

/**
 * Keeps only the allow-listed features (data minimisation): what is not listed never leaves
 * the device. Features in the allow list but absent from `features` are simply absent.
 *
 * @param features - the patient's features
 * @param allowList - the feature names a request may see
 * @returns a new object with the allowed features only
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) when `features` is not an object of
 *   string/number/boolean values or `allowList` has empty or duplicate names
 * @example
 * ```ts
 * minimizeFeatures({ age: 54, sex: 'f', name: 'Ada', postcode: 'N1' }, ['age', 'sex']); // returns { age: 54, sex: 'f' }
 * ```
 * @see GDPR Art. 5(1)(c) (data minimisation); OWASP Top 10 Privacy Risks (P4: data minimisation).
 */
export function minimizeFeatures(features: PatientFeatures, allowList: readonly string[]): Record<string, string | number | boolean> {
  const fn = 'minimizeFeatures';
  checkFeatures(fn, features);
  if (!Array.isArray(allowList)) fail(fn, 'allowList', 'must be an array of feature names', allowList);
  const allowed = uniqueLabels(fn, 'allowList', allowList, 0);
  const out: Record<string, string | number | boolean> = {};
  for (const name of allowed) {
    if (Object.hasOwn(features, name)) out[name] = features[name]!;
  }
  return out;
}

function checkFeatures(fn: string, features: unknown): void {
  plainObject(fn, 'features', features);
  for (const [k, v] of Object.entries(features as object)) {
    if (typeof v === 'number') finite(fn, `features.${k}`, v);
    else if (typeof v !== 'string' && typeof v !== 'boolean') fail(fn, `features.${k}`, 'must be a string, finite number or boolean', typeof v);
  }
}

/**
 * A random projection of standardised numeric features (Johnson–Lindenstrauss): for the
 * standardised vector z ∈ ℝᵈ, returns Rz ∈ ℝᵏ with R's entries i.i.d. N(0, 1/k), so
 * E‖Rz‖² = ‖z‖² and inner products are preserved in expectation. A server that accepts
 * embeddings can compare patients without seeing raw values.
 *
 * Each feature's column of R comes from `createRng(seed).fork('feature:' + name)`, so the
 * result does not depend on the order of keys, and adding a feature does not change the
 * others' columns. This is minimisation, not differential privacy: with k ≥ d and a known
 * seed the projection can be inverted, so keep the seed on the device and k < d when that
 * matters, or release through {@link privateMean}.
 *
 * @param features - the patient's features
 * @param options - dimension, seed and per-feature standardisation
 * @returns k numbers
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) when a standardised feature is missing or
 *   not numeric, an sd ≤ 0, or the dimension is not a positive integer
 * @example
 * ```ts
 * projectFeatures({ age: 54, bmi: 27.1, smoker: false }, {
 *   dimension: 2, seed: 'device-secret',
 *   standardize: { age: { mean: 50, sd: 12 }, bmi: { mean: 26, sd: 4 }, smoker: { mean: 0.2, sd: 0.4 } },
 * }); // returns two numbers, the same for the same seed
 * ```
 * @see Johnson & Lindenstrauss (1984), Extensions of Lipschitz mappings into a Hilbert space.
 * @see Achlioptas (2003), Database-friendly random projections, J. Comput. Syst. Sci. 66(4).
 */
export function projectFeatures(features: PatientFeatures, options: ProjectFeaturesOptions): number[] {
  const fn = 'projectFeatures';
  checkFeatures(fn, features);
  plainObject(fn, 'options', options);
  const k = integer(fn, 'dimension', options.dimension, 1, 100_000);
  checkSeed(fn, 'seed', options.seed);
  plainObject(fn, 'standardize', options.standardize);
  const names = Object.keys(options.standardize).sort();
  if (names.length === 0) fail(fn, 'standardize', 'must name at least one feature', options.standardize);
  const root = createRng(options.seed);
  const out = new Float64Array(k);
  const sd = 1 / Math.sqrt(k);
  for (const name of names) {
    const s = options.standardize[name];
    plainObject(fn, `standardize.${name}`, s);
    const m = finite(fn, `standardize.${name}.mean`, s!.mean);
    const d = positive(fn, `standardize.${name}.sd`, s!.sd);
    if (!Object.hasOwn(features, name)) fail(fn, `features.${name}`, 'is missing (listed in standardize)', undefined);
    const raw = features[name];
    const x = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
    if (typeof x !== 'number') fail(fn, `features.${name}`, 'must be numeric or boolean to be projected', typeof raw);
    const z = (x - m) / d;
    const col = root.fork(`feature:${name}`);
    for (let i = 0; i < k; i++) out[i]! += z * col.normal(0, sd);
  }
  return Array.from(out);
}
