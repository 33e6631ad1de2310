/**
 * Turns a design and a diary into model arrays: drops washout and run-in days, maps each day to
 * its period's treatment, builds the design matrix, and validates everything on the way.
 *
 * @packageDocumentation
 */
import type { TrialDesign, TrialPeriod } from '../design/types.js';
import type { Dist } from '../distributions/index.js';
import { validateDist } from '../distributions/index.js';
import { fail, finite, integer, oneOf, plainObject, positive, uniqueLabels } from '../validate.js';
import type { TrialObservation, TrialOutcome } from './types.js';

/** Model-ready data of one trial. @internal */
export interface PreparedTrial {
  readonly n: number;
  readonly y: Float64Array;
  readonly trials: Float64Array;
  readonly exposure: Float64Array;
  readonly day: Float64Array;
  /** Index into `treatments` of each observation's arm. */
  readonly arm: Int32Array;
  readonly treatments: readonly string[];
  readonly reference: string;
  readonly refIndex: number;
  /** Non-reference treatments, in design order. */
  readonly effectNames: readonly string[];
  /** Column of each treatment in X (−1 for the reference). */
  readonly effectColumn: Int32Array;
  /** Row-major n × p design matrix: intercept, effects, then trend if requested. */
  readonly X: Float64Array;
  readonly p: number;
  readonly trendColumn: number;
  readonly dayCenter: number;
  readonly daySd: number;
  readonly lastDay: number;
  readonly droppedWashout: number;
  readonly droppedRunIn: number;
  readonly perArm: Record<string, number>;
}

/** Validates a TrialDesign (hand-written literals included). @internal */
export function checkDesign(fn: string, field: string, design: unknown): TrialDesign {
  const d = plainObject(fn, field, design) as unknown as TrialDesign;
  uniqueLabels(fn, `${field}.treatments`, d.treatments, 2);
  // Results are records keyed by treatment: '__proto__' cannot be a key of a plain object.
  if (d.treatments.includes('__proto__')) fail(fn, `${field}.treatments`, "must not include the reserved label '__proto__'", '__proto__');
  if (!Array.isArray(d.periods) || d.periods.length === 0) {
    fail(fn, `${field}.periods`, 'must be a non-empty array of periods', d.periods);
  }
  const known = new Set(d.treatments);
  d.periods.forEach((per: TrialPeriod, i: number) => {
    const f = `${field}.periods[${i}]`;
    plainObject(fn, f, per);
    if (!known.has(per.treatment)) fail(fn, `${f}.treatment`, 'must be one of design.treatments', per.treatment);
    integer(fn, `${f}.startDay`, per.startDay, 0);
    integer(fn, `${f}.endDay`, per.endDay, per.startDay);
    integer(fn, `${f}.washoutEndDay`, per.washoutEndDay, per.startDay - 1, per.endDay);
    if (i > 0 && per.startDay <= (d.periods[i - 1] as TrialPeriod).endDay) {
      fail(fn, `${f}.startDay`, 'must come after the previous period ends', per.startDay);
    }
  });
  return d;
}

function findPeriod(periods: readonly TrialPeriod[], day: number): TrialPeriod | undefined {
  let lo = 0;
  let hi = periods.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const per = periods[mid] as TrialPeriod;
    if (day < per.startDay) hi = mid - 1;
    else if (day > per.endDay) lo = mid + 1;
    else return per;
  }
  return undefined;
}

/** Validates the design/observations and builds model arrays. @internal */
export function prepareTrial(
  fn: string,
  designIn: unknown,
  observationsIn: unknown,
  outcome: TrialOutcome,
  reference: string,
  o: { includeWashout: boolean; trend: boolean; uniqueDays: boolean; field?: string; allowEmptyArms?: boolean; trusted?: boolean },
): PreparedTrial {
  const pre = o.field ?? '';
  // Trusted: a design and diary n1kit built itself (the simulator); the per-row checks are skipped.
  const trusted = o.trusted === true;
  const design = trusted ? (designIn as TrialDesign) : checkDesign(fn, `${pre}design`, designIn);
  const treatments = [...design.treatments];
  const refIndex = treatments.indexOf(reference);
  if (refIndex < 0) fail(fn, 'reference', `must be one of the design's treatments (${treatments.join(', ')})`, reference);
  if (!trusted && !Array.isArray(observationsIn)) fail(fn, `${pre}observations`, 'must be an array of observations', observationsIn);
  const obs = observationsIn as TrialObservation[];
  const firstDay = (design.periods[0] as TrialPeriod).startDay;
  // The kept rows, as parallel arrays (capacity: every observation).
  // One buffer for the four numeric columns and the design matrix (views into it): a typed array
  // of more than a few elements is a separate allocation, and a trial makes several.
  const cap = obs.length;
  const pMax = treatments.length + (o.trend ? 1 : 0);
  const block = new Float64Array(cap * (4 + pMax));
  let yK = block.subarray(0, cap);
  let trK = block.subarray(cap, 2 * cap);
  let exK = block.subarray(2 * cap, 3 * cap);
  let dayK = block.subarray(3 * cap, 4 * cap);
  let armK = new Int32Array(cap);
  let n = 0;
  const keep = (day: number, value: number, trials: number, exposure: number, a: number): void => {
    yK[n] = value;
    trK[n] = trials;
    exK[n] = exposure;
    dayK[n] = day;
    armK[n] = a;
    n++;
  };
  let droppedWashout = 0;
  let droppedRunIn = 0;
  obs.forEach((ob, i) => {
    // The field of this row, for error messages (built only when one is raised on the trusted path).
    const field = (): string => `${pre}observations[${i}]`;
    const f = trusted ? '' : field();
    let day: number;
    let value: number;
    let trials = 1;
    let exposure = 1;
    if (trusted) {
      // Built by n1kit itself: only the check the cross-products need.
      day = ob.day;
      value = ob.value;
      trials = ob.trials ?? 1;
      exposure = ob.exposure ?? 1;
      if (!(Math.abs(value) <= 1e100)) fail(fn, `${field()}.value`, 'must be at most 1e100 in magnitude (rescale the outcome)', value);
    } else {
      plainObject(fn, f, ob);
      day = integer(fn, `${f}.day`, ob.day, 0);
      value = finite(fn, `${f}.value`, ob.value);
      if (outcome === 'normal' && Math.abs(value) > 1e100) {
        // Squares and cross-products of larger values overflow to Infinity.
        fail(fn, `${f}.value`, 'must be at most 1e100 in magnitude (rescale the outcome)', value);
      }
      if (outcome === 'binomial') {
        trials = integer(fn, `${f}.trials`, ob.trials ?? 1, 1);
        if (!Number.isInteger(value) || value < 0) fail(fn, `${f}.value`, 'must be a non-negative integer (successes)', value);
        if (value > trials) fail(fn, `${f}.value`, `must be at most trials (${trials})`, value);
      } else if (outcome === 'poisson') {
        if (!Number.isInteger(value) || value < 0) fail(fn, `${f}.value`, 'must be a non-negative integer count', value);
        if (ob.exposure !== undefined) exposure = positive(fn, `${f}.exposure`, ob.exposure);
      }
    }
    const per = findPeriod(design.periods, day);
    if (per === undefined) {
      if (day < firstDay) {
        droppedRunIn++;
        return;
      }
      fail(fn, `${field()}.day`, 'must be a day of a period of the design (or of its run-in)', day);
    }
    if (!o.includeWashout && day <= per.washoutEndDay) {
      droppedWashout++;
      return;
    }
    keep(day, value, trials, exposure, treatments.indexOf(per.treatment));
  });
  // Sorted by day (stably; the simulator's diary already is, then nothing moves).
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if ((dayK[i] as number) < (dayK[i - 1] as number)) sorted = false;
  if (!sorted) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (dayK[a] as number) - (dayK[b] as number) || a - b);
    const perm = <T extends Float64Array | Int32Array>(src: T, out: T): T => {
      for (let i = 0; i < n; i++) out[i] = src[order[i] as number] as number;
      return out;
    };
    yK = perm(yK, new Float64Array(n));
    trK = perm(trK, new Float64Array(n));
    exK = perm(exK, new Float64Array(n));
    dayK = perm(dayK, new Float64Array(n));
    armK = perm(armK, new Int32Array(n));
  } else if (n < cap) {
    yK = yK.subarray(0, n);
    trK = trK.subarray(0, n);
    exK = exK.subarray(0, n);
    dayK = dayK.subarray(0, n);
    armK = armK.subarray(0, n);
  }
  if (o.uniqueDays) {
    for (let i = 1; i < n; i++) {
      if (dayK[i] === dayK[i - 1]) {
        fail(fn, `${pre}observations`, 'must have at most one observation per day with autocorrelation', dayK[i]);
      }
    }
  }
  const counts = new Int32Array(treatments.length);
  for (let i = 0; i < n; i++) counts[armK[i] as number] = (counts[armK[i] as number] as number) + 1;
  const perArm: Record<string, number> = {};
  treatments.forEach((t, a) => {
    perArm[t] = counts[a] as number;
  });
  for (const t of o.allowEmptyArms === true ? [] : treatments) {
    if ((perArm[t] as number) < 1) {
      fail(fn, `${pre}observations`, `must include at least one observation (outside washout) for every arm; arm '${t}' has none`, perArm[t]);
    }
  }
  const effectNames = treatments.filter((_, i) => i !== refIndex);
  const effectColumn = new Int32Array(treatments.length).fill(-1);
  effectNames.forEach((t, j) => {
    effectColumn[treatments.indexOf(t)] = 1 + j;
  });
  const p = 1 + effectNames.length + (o.trend ? 1 : 0);
  const trendColumn = o.trend ? p - 1 : -1;
  const y = yK;
  const tr = trK;
  const ex = exK;
  const dayA = dayK;
  const arm = armK;
  let sumDay = 0;
  for (let i = 0; i < n; i++) sumDay += dayA[i] as number;
  const dayCenter = n > 0 ? sumDay / n : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((dayA[i] as number) - dayCenter) ** 2;
  const daySd = n > 1 ? Math.sqrt(ss / (n - 1)) : 1;
  if (o.trend && !(daySd > 0)) fail(fn, `${pre}observations`, 'must span more than one day to fit a trend', n);
  const X = block.subarray(4 * cap, 4 * cap + n * p);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    const c = effectColumn[arm[i] as number] as number;
    if (c > 0) X[i * p + c] = 1;
    if (trendColumn >= 0) X[i * p + trendColumn] = (dayA[i] as number) - dayCenter;
  }
  return {
    n,
    y,
    trials: tr,
    exposure: ex,
    day: dayA,
    arm,
    treatments,
    reference,
    refIndex,
    effectNames,
    effectColumn,
    X,
    p,
    trendColumn,
    dayCenter,
    daySd: daySd > 0 ? daySd : 1,
    lastDay: n > 0 ? (dayA[n - 1] as number) : 0,
    droppedWashout,
    droppedRunIn,
    perArm,
  };
}

/**
 * The trial without the columns of non-reference arms that have no observations (a patient of
 * a series who never received an arm): their coefficients would only echo their prior. The
 * reference arm's level stays the intercept even when it was never observed (the priors then
 * identify it). Returns `d` itself when every arm was observed. @internal
 */
export function dropEmptyArms(d: PreparedTrial): PreparedTrial {
  const keep = d.effectNames.filter((t) => (d.perArm[t] as number) > 0);
  if (keep.length === d.effectNames.length) return d;
  const cols = [0, ...keep.map((t) => d.effectColumn[d.treatments.indexOf(t)] as number)];
  if (d.trendColumn >= 0) cols.push(d.trendColumn);
  const p = cols.length;
  const X = new Float64Array(d.n * p);
  for (let i = 0; i < d.n; i++) cols.forEach((c, k) => {
    X[i * p + k] = d.X[i * d.p + c] as number;
  });
  const effectColumn = new Int32Array(d.treatments.length).fill(-1);
  keep.forEach((t, j) => {
    effectColumn[d.treatments.indexOf(t)] = 1 + j;
  });
  return { ...d, X, p, effectNames: keep, effectColumn, trendColumn: d.trendColumn >= 0 ? p - 1 : -1 };
}

/** Normal or mixture-of-normals prior as component arrays. @internal */
export interface NormalMixture {
  readonly w: Float64Array;
  readonly m: Float64Array;
  readonly s: Float64Array;
}

/** Validates that `d` is a normal or a mixture of normals and returns its components. @internal */
export function normalMixture(fn: string, field: string, d: unknown): NormalMixture {
  const dist = validateDist(d, fn, field) as Dist;
  // The samplers work with precisions 1/sd²: an sd so small that it overflows (sd < ~1e-154)
  // would put Infinity into them (the effect then came out exactly 0 with P(better) = 0).
  const sdOk = (f: string, sd: number): void => {
    if (!Number.isFinite(1 / (sd * sd))) fail(fn, f, 'must be at least 1e-150 (its precision 1/sd² must be finite)', sd);
  };
  if (dist.family === 'normal') {
    sdOk(`${field}.sd`, dist.sd);
    return { w: Float64Array.of(1), m: Float64Array.of(dist.mean), s: Float64Array.of(dist.sd) };
  }
  if (dist.family === 'mixture') {
    const cs = dist.components;
    const w = new Float64Array(cs.length);
    const m = new Float64Array(cs.length);
    const s = new Float64Array(cs.length);
    cs.forEach((c, i) => {
      if (c.dist.family !== 'normal') {
        fail(fn, `${field}.components[${i}].dist`, "must be a 'normal' Dist (effects need normal or mixture-of-normal priors)", c.dist.family);
      }
      sdOk(`${field}.components[${i}].dist.sd`, c.dist.sd);
      w[i] = c.weight;
      m[i] = c.dist.mean;
      s[i] = c.dist.sd;
    });
    return { w, m, s };
  }
  return fail(fn, field, "must be a 'normal' Dist or a 'mixture' of normals", dist.family);
}

/** Moment-matched mean and sd of a normal mixture. @internal */
export function mixtureMoments(mix: NormalMixture): { mean: number; sd: number } {
  let mu = 0;
  for (let i = 0; i < mix.w.length; i++) mu += (mix.w[i] as number) * (mix.m[i] as number);
  let v = 0;
  for (let i = 0; i < mix.w.length; i++) {
    v += (mix.w[i] as number) * ((mix.s[i] as number) ** 2 + ((mix.m[i] as number) - mu) ** 2);
  }
  return { mean: mu, sd: Math.sqrt(v) };
}

/** The shared guards, re-exported here so the models keep their imports. @internal */
export { knownKeys, ownValue } from '../validate.js';

/** Checks a string option. @internal */
export const checkOutcome = (fn: string, v: unknown): TrialOutcome =>
  oneOf(fn, 'outcome', v, ['normal', 'binomial', 'poisson'] as const);
