/**
 * The Alea generator (Baagøe 2010): three lagged fractional states and a carry, seeded from a
 * string by Baagøe's Mash hash. Written out here (instead of importing seedrandom's module) so
 * that seeding and drawing keep their state in closure locals: seeding is the cost of every
 * `fork`, which the simulator pays several times per replicate. The stream is the same number
 * for number as seedrandom 3's `alea` (checked in `test/rng/alea.test.ts`).
 *
 * @packageDocumentation
 */

/** Alea's internal state (plain numbers). @internal */
export interface AleaState {
  readonly c: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
}

/** A uniform draw in [0, 1) with 32-bit resolution, and the state behind it. @internal */
export interface AleaGenerator {
  (): number;
  state(): AleaState;
}

const TWO_M32 = 2.3283064365386963e-10; // 2^-32

/** Mash: feeds the characters of `data` into the running hash `n`; returns the new n and the value. */
function mash(n: number, data: string): [number, number] {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000;
  }
  return [n, (n >>> 0) * TWO_M32];
}

// The hash after Alea's three initial ' ' inputs, and the three state values they give: the
// same for every seed, so computed once.
const PRIME: { n: number; s: [number, number, number] } = (() => {
  let n = 0xefc8249d;
  const s: number[] = [];
  for (let k = 0; k < 3; k++) {
    const [n2, v] = mash(n, ' ');
    n = n2;
    s.push(v);
  }
  return { n, s: s as [number, number, number] };
})();

/** The state Alea starts from for `seed`. @internal */
export function aleaSeedState(seed: string): AleaState {
  let n = PRIME.n;
  const s = [...PRIME.s];
  for (let k = 0; k < 3; k++) {
    const [n2, v] = mash(n, seed);
    n = n2;
    let x = (s[k] as number) - v;
    if (x < 0) x += 1;
    s[k] = x;
  }
  return { c: 1, s0: s[0] as number, s1: s[1] as number, s2: s[2] as number };
}

/**
 * An Alea generator from a state (see {@link aleaSeedState}).
 * @see Baagøe (2010), Better random numbers for JavaScript (the Alea generator and Mash).
 * @internal
 */
export function aleaFromState(st: AleaState): AleaGenerator {
  let { c, s0, s1, s2 } = st;
  const next = (() => {
    const t = 2091639 * s0 + c * TWO_M32;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    return s2;
  }) as AleaGenerator;
  next.state = () => ({ c, s0, s1, s2 });
  return next;
}
