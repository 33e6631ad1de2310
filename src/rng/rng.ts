import { type AleaGenerator, aleaFromState, aleaSeedState } from './alea.js';
import { fail, seed as checkSeed } from '../validate.js';

/** A seed: any string or finite number. The same seed gives the same stream everywhere. */
export type Seed = string | number;

/**
 * A seeded random number generator. Every random function in n1kit takes one (or a seed), so
 * the same seed gives the same result on every platform, under ESM and CommonJS alike.
 */
export interface Rng {
  /** A uniform draw in [0, 1) with 32-bit resolution (Alea). */
  uniform(): number;
  /** A normal draw; `mean` defaults to 0 and `sd` to 1. */
  normal(mean?: number, sd?: number): number;
  /** A gamma draw with `shape` and `rate` (default 1); mean shape / rate. */
  gamma(shape: number, rate?: number): number;
  /** A beta draw with shape parameters `a` and `b`. */
  beta(a: number, b: number): number;
  /** A uniform integer in {0, 1, ..., n - 1}. */
  integer(n: number): number;
  /** A new array with the elements of `xs` in uniformly random order (Fisher–Yates). */
  shuffle<T>(xs: readonly T[]): T[];
  /**
   * An independent, reproducible sub-stream. The fork depends only on this generator's seed
   * path and `label`, not on how many numbers were drawn, so parallel chains and workers
   * forked with distinct labels never share a stream, and forking twice with one label gives
   * the same stream twice.
   */
  fork(label: string): Rng;
  /** The generator's complete state as plain JSON, for {@link restoreRng}. */
  state(): RngState;
  /** The seed path this generator was derived from (the seed, then each fork label). */
  readonly seedPath: readonly string[];
}

/** Serialised generator state (plain JSON). Resuming from it continues the stream exactly. */
export interface RngState {
  readonly kind: 'n1kit.rng';
  readonly version: 1;
  readonly algorithm: 'alea';
  /** The seed path (seed, then fork labels). */
  readonly seedPath: readonly string[];
  /** Alea's internal state. */
  readonly alea: { readonly c: number; readonly s0: number; readonly s1: number; readonly s2: number };
  /** The cached second normal deviate of the polar method, or null. */
  readonly spare: number | null;
}

/** A generator seeded from a seed path (its unambiguous key). */
function seeded(path: readonly string[]): AleaGenerator {
  return aleaFromState(aleaSeedState(seedKey(path)));
}

function seedKey(path: readonly string[]): string {
  // An unambiguous encoding of the path; Alea's Mash hash turns it into the initial state.
  return JSON.stringify(path);
}

/**
 * Creates a seeded generator.
 *
 * Uniforms come from the Alea generator (Baagøe 2010; the same stream as seedrandom 3's `alea`). Normal, gamma and beta draws
 * are computed here from those uniforms alone (Marsaglia's polar method; Marsaglia & Tsang
 * 2000 for gamma; gamma ratio for beta) instead of `@stdlib/random-base-*` samplers: given a
 * `prng`, stdlib's ziggurat seeds a hidden MT19937 for its layer index, whose state cannot be
 * saved, which would break exact {@link restoreRng}. `bench/rng.bench.ts` compares the speed
 * and `test/rng/rng.test.ts` checks the draws against stdlib's samplers in distribution.
 *
 * @param seed - any string or finite number
 * @returns a generator
 * @throws ValidationError when the seed is neither a string nor a finite number
 * @example
 * ```ts
 * const rng = createRng('alice');
 * rng.uniform(); // same number on every run and platform
 * const chain2 = rng.fork('chain-2');
 * ```
 * @see Marsaglia & Bray (1964), A convenient method for generating normal variables, SIAM Review 6.
 * @see Marsaglia & Tsang (2000), A simple method for generating gamma variables, ACM TOMS 26(3).
 */
export function createRng(seed: Seed): Rng {
  const path = [String(checkSeed('createRng', 'seed', seed))];
  return build(path, seeded(path), null);
}

/**
 * Resumes a generator from {@link Rng.state}: the resumed generator produces exactly the
 * numbers the original would have produced next.
 *
 * @throws ValidationError when `state` is not a state produced by `rng.state()`
 */
export function restoreRng(state: RngState): Rng {
  const s = state as Partial<RngState> | null;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    s.kind === 'n1kit.rng' &&
    s.version === 1 &&
    s.algorithm === 'alea' &&
    Array.isArray(s.seedPath) &&
    s.seedPath.every((p) => typeof p === 'string') &&
    s.alea !== null &&
    typeof s.alea === 'object' &&
    [s.alea.c, s.alea.s0, s.alea.s1, s.alea.s2].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    (s.spare === null || (typeof s.spare === 'number' && Number.isFinite(s.spare)));
  if (!ok) fail('restoreRng', 'state', 'must be a state returned by rng.state()', state);
  const full = s as RngState;
  return build([...full.seedPath], aleaFromState(full.alea), full.spare);
}

function build(path: readonly string[], prng: AleaGenerator, initialSpare: number | null): Rng {
  let spare = initialSpare;
  const seedPath = Object.freeze([...path]);

  /** Uniform in (0, 1): never exactly 0, for logs. */
  const open = (): number => {
    let u = prng();
    while (u === 0) u = prng();
    return u;
  };

  const stdNormal = (): number => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * prng() - 1;
      v = 2 * prng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return u * f;
  };

  // Marsaglia–Tsang for shape >= 1; returns a Gamma(shape, 1) draw.
  const gammaMT = (shape: number): number => {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = stdNormal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = open();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  };

  // log of a Gamma(shape, 1) draw, stable for tiny shapes (Gamma(a) = Gamma(a+1) * U^(1/a)).
  const logGamma1 = (shape: number): number =>
    shape >= 1 ? Math.log(gammaMT(shape)) : Math.log(gammaMT(shape + 1)) + Math.log(open()) / shape;

  const rng: Rng = {
    seedPath,
    uniform: prng,
    normal(mean = 0, sd = 1) {
      // One comparison each: invalid parameters throw instead of returning NaN.
      if (!(sd >= 0 && sd < Number.POSITIVE_INFINITY)) fail('rng.normal', 'sd', 'must be a finite number >= 0', sd);
      if (!Number.isFinite(mean)) fail('rng.normal', 'mean', 'must be a finite number', mean);
      const x = mean + sd * stdNormal();
      if (!Number.isFinite(x)) fail('rng.normal', 'sd', 'is so large that the draw overflows a double', sd);
      return x;
    },
    gamma(shape, rate = 1) {
      if (!(shape > 0 && shape < Number.POSITIVE_INFINITY)) fail('rng.gamma', 'shape', 'must be a finite number > 0', shape);
      if (!(rate > 0 && rate < Number.POSITIVE_INFINITY)) fail('rng.gamma', 'rate', 'must be a finite number > 0', rate);
      const x = shape >= 1 ? gammaMT(shape) / rate : Math.exp(logGamma1(shape)) / rate;
      if (!Number.isFinite(x)) fail('rng.gamma', 'rate', 'is so small that the draw overflows a double', rate);
      return x;
    },
    beta(a, b) {
      if (!(a > 0 && a < Number.POSITIVE_INFINITY)) fail('rng.beta', 'a', 'must be a finite number > 0', a);
      if (!(b > 0 && b < Number.POSITIVE_INFINITY)) fail('rng.beta', 'b', 'must be a finite number > 0', b);
      if (a >= 1 && b >= 1) {
        const x = gammaMT(a);
        return x / (x + gammaMT(b));
      }
      const lx = logGamma1(a);
      const ly = logGamma1(b);
      // x / (x + y) = 1 / (1 + exp(ly - lx)), safe when both underflow.
      return 1 / (1 + Math.exp(ly - lx));
    },
    integer(n) {
      if (!(Number.isInteger(n) && n >= 1 && n <= 4294967296)) fail('rng.integer', 'n', 'must be an integer in [1, 2^32]', n);
      return Math.floor(prng() * n);
    },
    shuffle<T>(xs: readonly T[]): T[] {
      if (!Array.isArray(xs)) fail('rng.shuffle', 'xs', 'must be an array', xs);
      const out = xs.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(prng() * (i + 1));
        const t = out[i] as T;
        out[i] = out[j] as T;
        out[j] = t;
      }
      return out;
    },
    fork(label) {
      if (typeof label !== 'string') fail('rng.fork', 'label', 'must be a string', label);
      const child = [...seedPath, label];
      return build(child, seeded(child), null);
    },
    state() {
      const s = prng.state();
      return {
        kind: 'n1kit.rng',
        version: 1,
        algorithm: 'alea',
        seedPath,
        alea: { c: s.c, s0: s.s0, s1: s.s1, s2: s.s2 },
        spare,
      };
    },
  };
  return rng;
}

/** Accepts an `Rng` or a seed and returns an `Rng` (helper for options that take either). */
export function toRng(fn: string, field: string, value: Rng | Seed): Rng {
  if (typeof value === 'string' || typeof value === 'number') return createRng(checkSeed(fn, field, value));
  return checkRng(fn, field, value, 'must be an Rng (createRng) or a seed');
}

const RNG_METHODS = ['uniform', 'normal', 'gamma', 'beta', 'integer', 'shuffle', 'fork'] as const;

/**
 * Checks that `value` is a random source: an object with every method of {@link Rng} (`{}` or
 * `{ uniform }` alone is refused with a ValidationError, not a TypeError later).
 *
 * @param fn - the public function name for the message
 * @param field - the argument's name
 * @param value - the candidate
 * @param expected - the message's "must be …" part
 * @returns `value`, typed
 * @throws ValidationError when a method is missing
 * @example
 * ```ts
 * checkRng('sample', 'rng', createRng(1)); // returns the Rng
 * ```
 * @see {@link createRng}
 */
export function checkRng(fn: string, field: string, value: unknown, expected = 'must be an Rng (createRng)'): Rng {
  if (value === null || typeof value !== 'object') fail(fn, field, expected, value);
  for (const m of RNG_METHODS) {
    if (typeof (value as Record<string, unknown>)[m] !== 'function') fail(fn, field, `${expected} (no ${m}() method)`, value);
  }
  return value as Rng;
}
