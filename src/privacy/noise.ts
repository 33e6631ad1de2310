/**
 * Exact samplers of the discrete Laplace and discrete Gaussian distributions on the integers
 * (Canonne, Kamath & Steinke 2020, Algorithms 1–3), driven by `crypto.getRandomValues` and
 * computed in exact rational (BigInt) arithmetic: no floating-point operation touches the
 * random draw, so the Mironov (2012) attack on floating-point Laplace noise does not apply.
 *
 * Internal module: the public API is `privateMean` / `privateEffectEstimate`.
 *
 * @packageDocumentation
 */
import { N1kitError } from '../errors.js';

/** A source of uniform random bits from the platform CSPRNG, buffered per release. */
export interface CryptoBits {
  /** A uniform integer in [0, n) for n ≥ 1 (rejection sampling, no modulo bias). */
  below(n: bigint): bigint;
}

/** A rational number num/den with den > 0. */
interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const BUFFER_BYTES = 512;

/** A uniform-bits source reading `crypto.getRandomValues` in blocks. */
export function cryptoBits(fn: string): CryptoBits {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') {
    throw new N1kitError('E_INTERNAL', `${fn}: crypto.getRandomValues is not available in this runtime`, { fn });
  }
  const buf = new Uint8Array(BUFFER_BYTES);
  let pos = BUFFER_BYTES;
  const byte = (): number => {
    if (pos === BUFFER_BYTES) {
      c.getRandomValues(buf);
      pos = 0;
    }
    return buf[pos++]!;
  };
  return {
    below(n: bigint): bigint {
      if (n < 1n) throw new N1kitError('E_INTERNAL', `${fn}: below(${n}) needs n >= 1`, { fn });
      if (n === 1n) return 0n;
      const bits = (n - 1n).toString(2).length;
      const bytes = Math.ceil(bits / 8);
      const mask = (1n << BigInt(bits)) - 1n;
      for (;;) {
        let v = 0n;
        for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(byte());
        v &= mask;
        if (v < n) return v;
      }
    },
  };
}

/** The exact rational value of a finite double (every double is a dyadic rational). */
export function exactRational(x: number): Rational {
  if (!Number.isFinite(x)) throw new N1kitError('E_INTERNAL', `exactRational: ${x} is not finite`);
  let e = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2; // exact: multiplying a double by 2 never rounds (no overflow here: |x| < 2^53 once fractional)
    e++;
  }
  return { num: BigInt(m), den: 1n << BigInt(e) };
}

/** Bernoulli(num/den), 0 ≤ num ≤ den. */
function bernoulli(bits: CryptoBits, num: bigint, den: bigint): boolean {
  return bits.below(den) < num;
}

/** Bernoulli(exp(−γ)) for rational γ = num/den ≥ 0 (CKS 2020, Algorithm 1). */
export function bernoulliExp(bits: CryptoBits, num: bigint, den: bigint): boolean {
  if (num <= den) {
    let k = 1n;
    for (;;) {
      if (!bernoulli(bits, num, den * k)) break;
      k++;
    }
    return k % 2n === 1n;
  }
  const whole = num / den;
  for (let i = 0n; i < whole; i++) {
    if (!bernoulliExp(bits, 1n, 1n)) return false;
  }
  return bernoulliExp(bits, num - whole * den, den);
}

/**
 * A discrete Laplace draw with scale t/s: P(Y = y) ∝ exp(−|y| s / t) (CKS 2020, Algorithm 2).
 */
export function discreteLaplace(bits: CryptoBits, t: bigint, s: bigint = 1n): bigint {
  for (;;) {
    const u = bits.below(t);
    if (!bernoulliExp(bits, u, t)) continue;
    let v = 0n;
    while (bernoulliExp(bits, 1n, 1n)) v++;
    const x = u + t * v;
    const y = x / s;
    const negative = bits.below(2n) === 1n;
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/**
 * A discrete Gaussian draw: P(Y = y) ∝ exp(−y² / (2σ²)), σ² = sigma2 exactly
 * (CKS 2020, Algorithm 3, with Laplace proposal scale t = ⌊σ⌋ + 1).
 */
export function discreteGaussian(bits: CryptoBits, sigma2: Rational): bigint {
  const sigma = Math.sqrt(Number(sigma2.num) / Number(sigma2.den));
  const t = BigInt(Math.floor(sigma)) + 1n;
  const { num: n, den: d } = sigma2;
  for (;;) {
    const y = discreteLaplace(bits, t);
    const ay = y < 0n ? -y : y;
    // (|y| − σ²/t)² / (2σ²) = (|y|·d·t − n)² / (2·n·d·t²)
    const diff = ay * d * t - n;
    if (bernoulliExp(bits, diff * diff, 2n * n * d * t * t)) return y;
  }
}
