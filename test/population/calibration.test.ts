import { describe, expect, it } from 'vitest';
import { createRng, halfNormal, normal, poolPrivateReleases, quantile } from '../../src/index.js';

// Simulation-based calibration: draw μ and τ from the priors, θ_i and releases from the model,
// pool, and count how often μ (and a new patient's θ) falls in the 95% intervals. Exact
// Bayesian computation covers at exactly 95% when the data come from the prior.
describe('poolPrivateReleases: calibration by simulation', () => {
  it('covers μ and a new patient’s effect at the nominal 95%', () => {
    const R = 400;
    const rng = createRng('population-calibration');
    const priors = { mean: normal(0, 2), heterogeneity: halfNormal(1) };
    let coverMu = 0;
    let coverPred = 0;
    for (let r = 0; r < R; r++) {
      const mu = rng.normal(0, 2);
      const tau = Math.abs(rng.normal(0, 1));
      const n = 4 + rng.integer(12);
      const releases = Array.from({ length: n }, () => {
        // sd from 0.5 (a precise estimate) to 4 (DP noise dominating)
        const s = 0.5 + 3.5 * rng.uniform();
        return { value: rng.normal(rng.normal(mu, tau), s), sd: s };
      });
      const fit = poolPrivateReleases({ releases, priors });
      if (mu >= fit.mean.interval[0] && mu <= fit.mean.interval[1]) coverMu++;
      const thetaNew = rng.normal(mu, tau);
      if (thetaNew >= quantile(fit.predictive, 0.025) && thetaNew <= quantile(fit.predictive, 0.975)) coverPred++;
    }
    // Two-sided binomial band at α = 0.001: 0.95 ± 3.29·√(0.95·0.05/R).
    const half = 3.29 * Math.sqrt((0.95 * 0.05) / R);
    for (const c of [coverMu / R, coverPred / R]) {
      expect(c).toBeGreaterThan(0.95 - half);
      expect(c).toBeLessThan(0.95 + half);
    }
  });
});
