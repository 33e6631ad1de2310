/**
 * Two-sided Monte Carlo band for comparing a probability estimated from MCMC draws with a
 * reference estimated from JAGS's draws: both carry binomial error p(1 − p)/ESS, so the
 * difference has sd √(p(1 − p)·(1/ess + 1/essRef)); the band is 4 such sds (a false alarm about
 * once in 16,000 comparisons). Near 0 or 1, p(1 − p) is floored at 1/ess so that a probability
 * estimated as exactly 0 still leaves room for one draw's worth of error. Never wider than the
 * former absolute tolerance of 0.02 (which stays the bound in the middle of (0, 1)).
 */
export function probBand(p: number, ess: number, essRef: number): number {
  const v = Math.max(p * (1 - p), 1 / ess);
  return Math.min(0.02, 4 * Math.sqrt(v / ess + v / essRef));
}

/** The smallest coda ESS of the effect parameters (`beta…`, `mu`) in a JAGS fixture's record, or `fallback`. */
export function jagsEss(ess: Record<string, number> | undefined, fallback = 10_000): number {
  if (ess === undefined) return fallback;
  const v = Object.entries(ess)
    .filter(([k]) => k.startsWith('beta') || k === 'mu')
    .map(([, x]) => x);
  return v.length > 0 ? Math.min(...v) : fallback;
}
