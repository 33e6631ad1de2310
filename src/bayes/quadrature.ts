/**
 * Adaptive Gauss–Kronrod (7–15) quadrature on a finite interval, used for expectations that
 * have no closed form (ELIR of mixtures).
 *
 * @packageDocumentation
 */

const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691,
  0.7415311855993945, 0.5860872354676911, 0.4058451513773972,
  0.20778495500789848, 0,
];
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019,
  0.14065325971552592, 0.1690047266392679, 0.19035057806478542,
  0.20443294007529889, 0.20948214108472782,
];
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

function gk15(f: (x: number) => number, a: number, b: number): [number, number] {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let kron = fc * (WGK[7] as number);
  let gauss = fc * (WG[3] as number);
  for (let j = 0; j < 7; j++) {
    const dx = h * (XGK[j] as number);
    const s = f(c - dx) + f(c + dx);
    kron += (WGK[j] as number) * s;
    if (j % 2 === 1) gauss += (WG[(j - 1) / 2] as number) * s;
  }
  return [kron * h, Math.abs((kron - gauss) * h)];
}

/**
 * ∫_a^b f(x) dx by globally adaptive Gauss–Kronrod 7–15 (bisecting the interval with the
 * largest error estimate) until the total error estimate is below
 * max(absTol, relTol·|integral|) or `maxIntervals` is reached. Endpoints are never evaluated,
 * so integrable endpoint singularities are tolerated.
 *
 * @see Piessens et al. (1983), QUADPACK (routine QAG).
 */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  relTol = 1e-10,
  absTol = 1e-13,
  maxIntervals = 400,
): number {
  const ivs: { a: number; b: number; v: number; e: number }[] = [];
  const [v0, e0] = gk15(f, a, b);
  ivs.push({ a, b, v: v0, e: e0 });
  let total = v0;
  let err = e0;
  while (err > Math.max(absTol, relTol * Math.abs(total)) && ivs.length < maxIntervals) {
    let worst = 0;
    for (let i = 1; i < ivs.length; i++) if ((ivs[i] as { e: number }).e > (ivs[worst] as { e: number }).e) worst = i;
    const iv = ivs[worst] as { a: number; b: number; v: number; e: number };
    const m = 0.5 * (iv.a + iv.b);
    if (m <= iv.a || m >= iv.b) break;
    const [v1, e1] = gk15(f, iv.a, m);
    const [v2, e2] = gk15(f, m, iv.b);
    total += v1 + v2 - iv.v;
    err += e1 + e2 - iv.e;
    ivs[worst] = { a: iv.a, b: m, v: v1, e: e1 };
    ivs.push({ a: m, b: iv.b, v: v2, e: e2 });
  }
  // Re-sum to limit drift from the running updates.
  let s = 0;
  for (const iv of ivs) s += iv.v;
  return s;
}

/**
 * Golden-section search for the maximum of a unimodal `f` on [a, b]: `iters` steps at most,
 * stopping early once the bracket is narrower than `tol`. The one golden-section search of the
 * package (shortest credible intervals, the mode of a pooled heterogeneity posterior).
 *
 * @param f - the function to maximise (negate it to minimise)
 * @param a - lower end of the bracket
 * @param b - upper end of the bracket
 * @param iters - maximum number of steps
 * @param tol - bracket width at which to stop
 * @returns the better of the two final interior points (ties: the lower one)
 * @example
 * ```ts
 * goldenSectionMax((x) => -(x - 1) ** 2, 0, 3, 100); // returns ~1
 * ```
 * @see Kiefer (1953), Sequential minimax search for a maximum, Proc. AMS 4:502–506.
 * @internal
 */
export function goldenSectionMax(f: (x: number) => number, a: number, b: number, iters: number, tol = 0): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = b - r * (b - a);
  let x2 = a + r * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < iters && b - a > tol; i++) {
    if (f1 >= f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - r * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + r * (b - a);
      f2 = f(x2);
    }
  }
  return f1 >= f2 ? x1 : x2;
}
