/**
 * Differentially private release of a bounded mean (a patient's or a cohort's effect
 * estimate): the Laplace mechanism (pure ε) and the analytic Gaussian mechanism ((ε, δ)),
 * both realised as discrete noise on a power-of-two grid, sampled exactly from
 * `crypto.getRandomValues` (never from a seeded or other non-cryptographic generator).
 *
 * @packageDocumentation
 */
import erfc from '@stdlib/math-base-special-erfc';
import { fail, finite, finiteArray, oneOf, plainObject, positive } from '../validate.js';
import { type PrivacyAccountant, restorePrivacyAccountant } from './accountant.js';
import { cryptoBits, discreteGaussian, discreteLaplace, exactRational } from './noise.js';

/** A noise mechanism for {@link privateMean}. */
export type PrivacyMechanism = 'laplace' | 'gaussian';

/** A differentially private release. */
export interface PrivateRelease {
  /** The released (noisy) value. */
  readonly value: number;
  /** ε of the release. */
  readonly epsilon: number;
  /** δ of the release (0 for Laplace). */
  readonly delta: number;
  /** The mechanism used. */
  readonly mechanism: PrivacyMechanism;
  /**
   * The noise scale actually used: the Laplace parameter b (noise sd = b√2) or the Gaussian
   * standard deviation σ. Slightly above the textbook Δ/ε or analytic σ because the grid
   * rounding adds one grid step to the sensitivity.
   */
  readonly scale: number;
  /** The sensitivity Δ of the clamped mean, (upper − lower) / n. */
  readonly sensitivity: number;
  /** The number of contributions (public). */
  readonly n: number;
  /** The grid step γ: the released value is a multiple of it. */
  readonly granularity: number;
}

/** Options of {@link privateMean}. */
export interface PrivateMeanOptions {
  /** One value per person; each is clamped to `bounds`. n = values.length is public. */
  readonly values: readonly number[];
  /** [lower, upper], fixed before seeing the data (lower < upper). */
  readonly bounds: readonly [number, number];
  /** Privacy parameter ε > 0. */
  readonly epsilon: number;
  /** δ in (0, 1), required by `'gaussian'`; must be 0 or absent for `'laplace'`. @defaultValue 0 */
  readonly delta?: number;
  /** `'laplace'` (pure ε) or `'gaussian'` (analytic Gaussian, (ε, δ)). */
  readonly mechanism: PrivacyMechanism;
  /** Charged before anything is released; a release over budget throws PrivacyBudgetError. */
  readonly accountant?: PrivacyAccountant;
}

/** Options of {@link privateEffectEstimate}. */
export interface PrivateEffectOptions extends Omit<PrivateMeanOptions, 'values'> {
  /**
   * The effect estimates to release: one per person (a cohort), or a single patient's own
   * estimate (then the sensitivity is the whole bounds width).
   */
  readonly effects: number | readonly number[];
}

/** Options of {@link analyticGaussianSigma}. */
export interface AnalyticGaussianOptions {
  /** ε > 0. */
  readonly epsilon: number;
  /** δ in (0, 1). */
  readonly delta: number;
  /** L2 sensitivity Δ > 0. */
  readonly sensitivity: number;
}

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Laplace grid: γ = 2^(⌊log2 Δ⌋ − 20): one extra grid step costs < 2⁻¹⁹ of the scale. */
const LAPLACE_GRID_BITS = 20;
/** Gaussian grid: Δ spans ≥ 2^10 steps (σ spans at most 2^40 steps). */
const GAUSS_GRID_BITS = 10;
const GAUSS_MAX_SIGMA_BITS = 40;
const MAX_GRID_INDEX = 2 ** 52;
/** Smallest sensitivity accepted: keeps every grid step a normal double. */
const MIN_SENSITIVITY = 2 ** -1000;
/** Largest noise scale: the released value stays far from overflow. */
const MAX_SCALE = 2 ** 1000;

/** Φ(x), the standard normal cdf, accurate in both tails. */
function phi(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** log Φ(x), accurate far into the lower tail. */
function logPhi(x: number): number {
  if (x > -30) return Math.log(phi(x));
  const x2 = x * x;
  return -0.5 * x2 - Math.log(-x) - LOG_SQRT_2PI + Math.log1p(-1 / x2 + 3 / (x2 * x2) - 15 / (x2 * x2 * x2));
}

/** δ(σ) of the Gaussian mechanism (Balle & Wang 2018, Theorem 8). */
function gaussianDelta(sigma: number, epsilon: number, sensitivity: number): number {
  const a = sensitivity / (2 * sigma);
  const b = (epsilon * sigma) / sensitivity;
  return phi(a - b) - Math.exp(epsilon + logPhi(-a - b));
}

/**
 * The smallest σ for which the Gaussian mechanism N(0, σ²) with L2 sensitivity Δ is
 * (ε, δ)-differentially private: Φ(Δ/2σ − εσ/Δ) − e^ε Φ(−Δ/2σ − εσ/Δ) ≤ δ (exact condition,
 * Balle & Wang 2018, Theorem 8), found by bisection on log σ to a relative 1e-13, rounding up.
 * Valid for every ε > 0, unlike the classical σ = Δ√(2 ln(1.25/δ))/ε (ε < 1 only).
 *
 * @param options - ε, δ and the sensitivity Δ
 * @returns σ
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) when ε ≤ 0, δ ∉ (0, 1) or Δ ≤ 0
 * @example
 * ```ts
 * analyticGaussianSigma({ epsilon: 1, delta: 1e-5, sensitivity: 1 }); // returns ~3.73
 * ```
 * @see Balle & Wang (2018), Improving the Gaussian mechanism for differential privacy: analytical calibration and optimal denoising, ICML.
 */
export function analyticGaussianSigma(options: AnalyticGaussianOptions): number {
  const fn = 'analyticGaussianSigma';
  plainObject(fn, 'options', options);
  const epsilon = positive(fn, 'epsilon', options.epsilon);
  const delta = openUnit(fn, 'delta', options.delta);
  const sensitivity = positive(fn, 'sensitivity', options.sensitivity);
  return sigmaFor(epsilon, delta, sensitivity);
}

function openUnit(fn: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v >= 1) fail(fn, field, 'must be in (0, 1)', v);
  return v;
}

/**
 * The condition depends on σ/Δ only, so the bisection runs on r = σ/Δ (Δ = 1) and the result is
 * scaled: no overflow or underflow for any Δ (the bisection on σ itself returned ∞ for Δ = 1e300
 * and 2σ for Δ = 1e-300). The last factor rounds the product up by a few ulps.
 */
function sigmaFor(epsilon: number, delta: number, sensitivity: number): number {
  const ok = (r: number) => gaussianDelta(r, epsilon, 1) <= delta;
  let hi = 1;
  while (!ok(hi)) hi *= 2;
  let lo = hi / 2;
  while (ok(lo)) {
    hi = lo;
    lo /= 2;
  }
  for (let i = 0; i < 200 && hi / lo - 1 > 1e-13; i++) {
    const mid = Math.sqrt(lo) * Math.sqrt(hi); // lo·hi may overflow for tiny ε
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return sensitivity * hi * (1 + 2 ** -50);
}

/** Direct summation up to this σ; Euler–Maclaurin beyond (where its error is below 1e-15 relative). */
const DIRECT_SUM_MAX_SIGMA = 4096;

/**
 * P[Y ≥ m] for Y discrete Gaussian N_Z(0, σ²), σ ≥ 1. The normaliser Σ exp(−y²/2σ²) equals
 * σ√(2π)(1 + 2Σₖ exp(−2π²σ²k²)) by Poisson summation, i.e. σ√(2π) to double precision for
 * σ ≥ 1. The tail sum is summed directly for σ ≤ 4096, else by Euler–Maclaurin:
 * Σ_{y≥m} f(y) = ∫_m^∞ f + f(m)/2 − f′(m)/12 + R, |R| ≤ max|f‴|/720 ≈ f(m)·(m/σ²)³/720.
 */
function discreteTailGE(m: number, sigma: number): number {
  if (m <= 0) return 1 - discreteTailGE(1 - m, sigma);
  const z = sigma * Math.sqrt(2 * Math.PI);
  const inv = 1 / (2 * sigma * sigma);
  if (sigma > DIRECT_SUM_MAX_SIGMA) {
    const fm = Math.exp(-m * m * inv);
    const integral = z * 0.5 * erfc((m / sigma) * SQRT1_2);
    return (integral + fm / 2 + (m * fm) / (12 * sigma * sigma)) / z;
  }
  let sum = 0;
  let comp = 0;
  for (let y = m; ; y++) {
    const term = Math.exp(-y * y * inv);
    // Neumaier summation
    const t = sum + term;
    comp += Math.abs(sum) >= term ? sum - t + term : term - t + sum;
    sum = t;
    if (term <= 1e-20 * sum || term === 0) break;
  }
  return (sum + comp) / z;
}

/**
 * δ of the discrete Gaussian mechanism with integer sensitivity Δ:
 * P[Y > εσ²/Δ − Δ/2] − e^ε P[Y > εσ²/Δ + Δ/2] (Canonne, Kamath & Steinke 2020, Theorem 7).
 */
export function discreteGaussianDelta(sigma: number, epsilon: number, sensitivity: number): number {
  const c = (epsilon * sigma * sigma) / sensitivity;
  const t1 = discreteTailGE(Math.floor(c - sensitivity / 2) + 1, sigma);
  const t2 = discreteTailGE(Math.floor(c + sensitivity / 2) + 1, sigma);
  return t1 - (t2 > 0 ? Math.exp(epsilon + Math.log(t2)) : 0);
}

function pow2(e: number): number {
  return 2 ** e;
}

interface Checked {
  readonly values: readonly number[];
  readonly lower: number;
  readonly upper: number;
  readonly epsilon: number;
  readonly delta: number;
  readonly mechanism: PrivacyMechanism;
  readonly accountant: PrivacyAccountant | undefined;
}

function check(fn: string, o: PrivateMeanOptions, valuesField: string): Checked {
  const values = finiteArray(fn, valuesField, o.values);
  if (!Array.isArray(o.bounds) || o.bounds.length !== 2) fail(fn, 'bounds', 'must be [lower, upper]', o.bounds);
  const lower = finite(fn, 'bounds[0]', o.bounds[0]);
  const upper = finite(fn, 'bounds[1]', o.bounds[1]);
  if (!(lower < upper)) fail(fn, 'bounds', 'must satisfy lower < upper (fixed before seeing the data)', o.bounds);
  const epsilon = positive(fn, 'epsilon', o.epsilon);
  const mechanism = oneOf(fn, 'mechanism', o.mechanism, ['laplace', 'gaussian'] as const);
  let delta = 0;
  if (mechanism === 'gaussian') delta = openUnit(fn, 'delta', o.delta);
  else if (o.delta !== undefined && o.delta !== 0) fail(fn, 'delta', "must be 0 or absent with mechanism 'laplace' (pure epsilon)", o.delta);
  const acc = o.accountant;
  if (acc !== undefined && (typeof acc !== 'object' || acc === null || typeof acc.spend !== 'function')) {
    fail(fn, 'accountant', 'must come from createPrivacyAccountant()', typeof acc);
  }
  return { values, lower, upper, epsilon, delta, mechanism, accountant: acc };
}

function release(fn: string, c: Checked): PrivateRelease {
  const n = c.values.length;
  const sensitivity = (c.upper - c.lower) / n;
  if (!(sensitivity > 0) || !Number.isFinite(sensitivity)) fail(fn, 'bounds', 'give a sensitivity (upper - lower) / n that is not finite and positive', [c.lower, c.upper]);
  // Keeps the grid step a normal double (below it, it underflowed to 0 and the Gaussian path hung).
  if (sensitivity < MIN_SENSITIVITY) fail(fn, 'bounds', 'give a sensitivity (upper - lower) / n below 2^-1000', [c.lower, c.upper]);
  // Grid step: a power of two, so grid values are exact doubles.
  let granularity: number;
  let sigmaGrid = 0;
  let deltaGrid: number;
  if (c.mechanism === 'laplace') {
    granularity = pow2(Math.floor(Math.log2(sensitivity)) - LAPLACE_GRID_BITS);
    deltaGrid = Math.ceil(sensitivity / granularity) + 1;
  } else {
    const sigmaCont = sigmaFor(c.epsilon, c.delta, sensitivity);
    granularity = Math.max(
      pow2(Math.floor(Math.log2(sensitivity)) - GAUSS_GRID_BITS),
      pow2(Math.ceil(Math.log2(sigmaCont)) - GAUSS_MAX_SIGMA_BITS),
    );
    deltaGrid = Math.ceil(sensitivity / granularity) + 1;
    sigmaGrid = sigmaFor(c.epsilon, c.delta, deltaGrid);
    // The discrete Gaussian's exact δ (CKS 2020, Thm 7) must also be within budget; widen in
    // tiny steps if grid effects push it over (rarely more than zero steps).
    for (let i = 0; i < 10_000 && !(discreteGaussianDelta(sigmaGrid, c.epsilon, deltaGrid) <= c.delta * (1 - 1e-9)); i++) {
      sigmaGrid *= 1 + 2 ** -16;
    }
  }
  const maxIndex = Math.max(Math.abs(c.lower), Math.abs(c.upper)) / granularity;
  if (!(maxIndex < MAX_GRID_INDEX)) {
    fail(fn, 'bounds', `are too far from 0 relative to the sensitivity (|bound| / grid step must stay below 2^52)`, [c.lower, c.upper]);
  }
  const scale = c.mechanism === 'laplace' ? (deltaGrid * granularity) / c.epsilon : sigmaGrid * granularity;
  if (!(scale <= MAX_SCALE)) {
    // Beyond it the noise, and so the released value, could overflow to ±∞.
    fail(fn, 'epsilon', `is too small for these bounds: the noise scale (${scale}) would pass 2^1000`, c.epsilon);
  }
  // Charge the budget only once the request is known to be valid; nothing is released if it throws.
  c.accountant?.spend({ epsilon: c.epsilon, delta: c.delta, label: `${fn}(${c.mechanism})` });

  // Clamped mean, Neumaier-compensated.
  let sum = 0;
  let comp = 0;
  for (const v of c.values) {
    const x = Math.min(c.upper, Math.max(c.lower, v));
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  const mean = Math.min(c.upper, Math.max(c.lower, (sum + comp) / n));
  const index = BigInt(Math.round(mean / granularity));
  const bits = cryptoBits(fn);
  let noise: bigint;
  if (c.mechanism === 'laplace') {
    // Discrete Laplace with scale Δ_grid / ε (grid units): t/s = Δ_grid·den(ε) / num(ε).
    const eps = exactRational(c.epsilon);
    noise = discreteLaplace(bits, BigInt(deltaGrid) * eps.den, eps.num);
  } else {
    const s = exactRational(sigmaGrid);
    noise = discreteGaussian(bits, { num: s.num * s.num, den: s.den * s.den });
  }
  const value = Number(index + noise) * granularity;
  return { value, epsilon: c.epsilon, delta: c.delta, mechanism: c.mechanism, scale, sensitivity, n, granularity };
}

/**
 * Releases the mean of one value per person under differential privacy. Each value is clamped
 * to `bounds` (fixed in advance), so neighbouring data sets (one person's value changed, n
 * public) move the mean by at most Δ = (upper − lower) / n. The mean is rounded to a grid of
 * step γ (a power of two, Δ/2^21 < γ ≤ Δ/2^20 for Laplace, Δ/2^11 < γ ≤ Δ/2^10 for Gaussian) and integer noise is
 * added: discrete Laplace with scale (⌈Δ/γ⌉ + 1)/ε, or discrete Gaussian with the analytic
 * σ for sensitivity ⌈Δ/γ⌉ + 1 (checked against the discrete mechanism's exact δ). Noise is
 * drawn exactly from `crypto.getRandomValues`, so the output has no floating-point holes to
 * exploit (Mironov 2012). Results differ on every call: that is the point.
 *
 * @param options - values, bounds, ε, δ, mechanism and an optional accountant
 * @returns `{ value, epsilon, delta, mechanism, scale, sensitivity, n, granularity }`
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) on ε ≤ 0, reversed bounds, bad δ or values,
 *   a sensitivity below 2^-1000, or a noise scale above 2^1000 (ε too small for the bounds)
 * @throws PrivacyBudgetError (`'E_PRIVACY_BUDGET'`) when the accountant's budget would be exceeded
 * @example
 * ```ts
 * const r = privateMean({ values: [2, 5, 3, 9], bounds: [0, 10], epsilon: 1, mechanism: 'laplace' });
 * r.scale; // returns ~2.5 (Δ/ε = (10 − 0)/4/1)
 * ```
 * @see Dwork, McSherry, Nissim & Smith (2006), Calibrating noise to sensitivity in private data analysis, TCC.
 * @see Balle & Wang (2018), Improving the Gaussian mechanism for differential privacy, ICML.
 * @see Mironov (2012), On significance of the least significant bits for differential privacy, CCS.
 * @see Canonne, Kamath & Steinke (2020), The discrete Gaussian for differential privacy, NeurIPS.
 */
export function privateMean(options: PrivateMeanOptions): PrivateRelease {
  const fn = 'privateMean';
  plainObject(fn, 'options', options);
  return release(fn, check(fn, options, 'values'));
}

/**
 * Releases an effect estimate (treatment minus reference) under differential privacy: a
 * cohort's mean effect from one estimate per patient, or one patient's own estimate (n = 1,
 * so Δ is the whole bounds width). Same mechanics and guarantees as {@link privateMean}.
 *
 * @param options - `effects` (a number or one per person), bounds, ε, δ, mechanism, accountant
 * @returns the release, as {@link privateMean}
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) on bad input
 * @throws PrivacyBudgetError (`'E_PRIVACY_BUDGET'`) when the accountant's budget would be exceeded
 * @example
 * ```ts
 * const shared = privateEffectEstimate({ effects: -1.8, bounds: [-5, 5], epsilon: 1, delta: 1e-6, mechanism: 'gaussian' });
 * shared.scale; // returns ~ the analytic σ for Δ = 10
 * ```
 * @see Balle & Wang (2018), Improving the Gaussian mechanism for differential privacy, ICML.
 * @see Canonne, Kamath & Steinke (2020), The discrete Gaussian for differential privacy, NeurIPS.
 */
export function privateEffectEstimate(options: PrivateEffectOptions): PrivateRelease {
  const fn = 'privateEffectEstimate';
  plainObject(fn, 'options', options);
  const effects = typeof options.effects === 'number' ? [options.effects] : options.effects;
  return release(fn, check(fn, { ...options, values: effects as readonly number[] }, 'effects'));
}

/** How {@link privateEffectForPooling} shares the sd of the estimate. */
export type PoolingSdRelease =
  /**
   * The sd is public: fixed by the design before any data are seen, e.g. a known-σ normal
   * trial, whose posterior sd σ·√(1/n_T + 1/n_C) (flat prior) depends only on how many days
   * each arm has. Not charged. (If days can go missing, their number is data: release the sd
   * privately then.)
   */
  | { readonly release: 'public' }
  /**
   * The sd depends on the data (σ estimated from the diary): it is released under DP too,
   * clamped to `bounds` (lower > 0) and charged to the same accountant.
   */
  | {
      readonly release: 'private';
      readonly bounds: readonly [number, number];
      readonly epsilon: number;
      /** @defaultValue 0 */
      readonly delta?: number;
      /** @defaultValue the value's mechanism */
      readonly mechanism?: PrivacyMechanism;
    };

/** Options of {@link privateEffectForPooling}. */
export interface PrivateEffectForPoolingOptions {
  /**
   * The patient's own data estimate of the effect and its sd: the posterior under vague priors
   * (e.g. `analyzeTrial` without population priors), not the posterior under the population
   * prior (pooling that would count the prior twice).
   */
  readonly estimate: { readonly mean: number; readonly sd: number };
  /** Clamp bounds of the value, fixed in advance; the sensitivity is their width. */
  readonly bounds: readonly [number, number];
  /** ε of the value's release. */
  readonly epsilon: number;
  /** δ of the value's release (Gaussian only). @defaultValue 0 */
  readonly delta?: number;
  readonly mechanism: PrivacyMechanism;
  /** Charged for every quantity released under DP; checked for both before anything is released. */
  readonly accountant?: PrivacyAccountant;
  /** How the sd is shared. */
  readonly sd: PoolingSdRelease;
}

/** What {@link privateEffectForPooling} shares: ready for `poolPrivateReleases` as `{ value, sd }`. */
export interface PoolableRelease {
  /** The DP value (clamped estimate plus noise). */
  readonly value: number;
  /** The total sd the pool should use: √(estimate sd² + noise variance). */
  readonly sd: number;
  /** The estimate's sd as shared (the public sd, or the DP-released and clamped sd). */
  readonly estimateSd: number;
  /** Variance of the value's DP noise. */
  readonly noiseVariance: number;
  readonly sdSource: 'public' | 'private';
  /** The value's release, as `privateEffectEstimate` returns it. */
  readonly valueRelease: PrivateRelease;
  /** The sd's release, when it was private. */
  readonly sdRelease?: PrivateRelease;
}

const PROBE = Symbol('probe');
/** Runs every check of a release (the budget excepted) without drawing noise or spending. */
function dryRun(fn: string, c: Checked): void {
  const probe = {
    spend(): never {
      throw PROBE;
    },
  } as unknown as PrivacyAccountant;
  try {
    release(fn, { ...c, accountant: probe });
  } catch (e) {
    if (e !== PROBE) throw e;
  }
}

/** Variance of the noise `release` added (discrete Laplace exactly; discrete Gaussian: σ²). */
function noiseVar(r: PrivateRelease): number {
  if (r.mechanism === 'gaussian') return r.scale * r.scale;
  const q = Math.exp(-r.granularity / r.scale);
  const omq = -Math.expm1(-r.granularity / r.scale);
  return (r.granularity * r.granularity * 2 * q) / (omq * omq);
}

/**
 * Shares one patient's effect estimate with the population pool: the value under DP (as
 * {@link privateEffectEstimate}, n = 1, sensitivity = the bounds' width) and its sd, either
 * public from the design or under DP as well. What is released under DP: the clamped estimate
 * (always) and, with `sd: { release: 'private' }`, the clamped sd. What is public: the bounds,
 * ε, δ, the mechanism and noise scale, and, with `sd: { release: 'public' }`, the sd, which
 * for a known-σ design is σ·√(1/n_T + 1/n_C): fixed by the design, so it reveals nothing
 * about the outcomes. The accountant is charged for each private quantity (basic or advanced
 * composition, as configured); both charges are checked on a copy of the accountant first, so
 * over budget nothing is released.
 *
 * A noisy sd is used by the pool as if known (a small approximation when its ε is generous).
 * Clamping biases an estimate outside the bounds towards them: choose bounds wide enough for
 * plausible effects, knowing the noise grows with their width.
 *
 * @param options - the estimate, the value's bounds and privacy parameters, the sd policy, the accountant
 * @returns a {@link PoolableRelease}, usable directly as a `poolPrivateReleases` release
 * @throws ValidationError (`'E_INVALID_ARGUMENT'`) on bad options (nothing released)
 * @throws PrivacyBudgetError (`'E_PRIVACY_BUDGET'`) when the releases would exceed the budget (nothing released)
 * @example
 * ```ts
 * const acc = createPrivacyAccountant({ epsilon: 2 });
 * const shared = privateEffectForPooling({ estimate: { mean: -2.4, sd: 0.9 }, bounds: [-8, 4],
 *   epsilon: 1, mechanism: 'laplace', sd: { release: 'public' }, accountant: acc });
 * shared.sd; // ~ √(0.9² + 2·12²) ≈ 17: the noise dominates a single release
 * ```
 * @see Dwork & Roth (2014), The Algorithmic Foundations of Differential Privacy, Thm 3.16 (composition).
 * @see Röver (2020), bayesmeta, JSS 93(6) (known within-study variances).
 */
export function privateEffectForPooling(options: PrivateEffectForPoolingOptions): PoolableRelease {
  const fn = 'privateEffectForPooling';
  const o = plainObject(fn, 'options', options);
  const est = plainObject(fn, 'estimate', o.estimate);
  const mean = finite(fn, 'estimate.mean', est.mean);
  const ownSd = positive(fn, 'estimate.sd', est.sd);
  const sdOpt = plainObject(fn, 'sd', o.sd);
  const policy = oneOf(fn, 'sd.release', sdOpt.release, ['public', 'private'] as const);
  const cValue = check(fn, { values: [mean], bounds: o.bounds as readonly [number, number], epsilon: o.epsilon as number,
    ...(o.delta === undefined ? {} : { delta: o.delta as number }), mechanism: o.mechanism as PrivacyMechanism,
    ...(o.accountant === undefined ? {} : { accountant: o.accountant as PrivacyAccountant }) }, 'estimate.mean');
  dryRun(fn, cValue);
  let cSd: Checked | undefined;
  if (policy === 'private') {
    if (!Array.isArray(sdOpt.bounds) || sdOpt.bounds.length !== 2) fail(fn, 'sd.bounds', 'must be [lower, upper]', sdOpt.bounds);
    positive(fn, 'sd.bounds[0]', sdOpt.bounds[0]);
    cSd = check(fn, { values: [ownSd], bounds: sdOpt.bounds as unknown as readonly [number, number], epsilon: sdOpt.epsilon as number,
      ...(sdOpt.delta === undefined ? {} : { delta: sdOpt.delta as number }),
      mechanism: (sdOpt.mechanism ?? cValue.mechanism) as PrivacyMechanism,
      ...(o.accountant === undefined ? {} : { accountant: o.accountant as PrivacyAccountant }) }, 'estimate.sd');
    dryRun(fn, cSd);
  }
  const acc = cValue.accountant;
  if (acc !== undefined) {
    if (typeof acc.toJSON !== 'function') fail(fn, 'accountant', 'must come from createPrivacyAccountant()', typeof acc);
    const copy = restorePrivacyAccountant(acc.toJSON());
    copy.spend({ epsilon: cValue.epsilon, delta: cValue.delta, label: `${fn}(value)` });
    if (cSd !== undefined) copy.spend({ epsilon: cSd.epsilon, delta: cSd.delta, label: `${fn}(sd)` });
  }
  const valueRelease = release(fn, cValue);
  let sdRelease: PrivateRelease | undefined;
  let estimateSd = ownSd;
  if (cSd !== undefined) {
    sdRelease = release(fn, cSd);
    // Post-processing: clamping to the public bounds costs no privacy.
    estimateSd = Math.min(cSd.upper, Math.max(cSd.lower, sdRelease.value));
  }
  const noiseVariance = noiseVar(valueRelease);
  return {
    value: valueRelease.value,
    sd: Math.sqrt(estimateSd * estimateSd + noiseVariance),
    estimateSd,
    noiseVariance,
    sdSource: policy,
    valueRelease,
    ...(sdRelease === undefined ? {} : { sdRelease }),
  };
}
