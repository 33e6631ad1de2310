/**
 * The population learns from private releases: pooling differentially private effect
 * estimates into the next patient's population prior (normal–normal random effects with known
 * within-release variances, exact by one-dimensional quadrature over the heterogeneity).
 *
 * @packageDocumentation
 */
export { poolPrivateReleases, poolReleaseGroups } from './pool.js';
export type {
  HeterogeneitySummary,
  PoolCommonOptions,
  PooledPrior,
  PoolPriors,
  PoolPrivateReleasesOptions,
  PoolReleaseGroupsOptions,
} from './pool.js';
export { MAX_POOL_RELEASES, releaseGroups, releaseNoiseVariance } from './releases.js';
export type { PoolInput, PoolPrivateRelease, PoolRelease, ReleaseGroup } from './releases.js';
