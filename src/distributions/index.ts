export { beta, DIST_FAMILIES, gamma, halfNormal, invGamma, mixture, normal, studentT, uniform, validateDist } from './dist.js';
export type { Dist, DistFamily, DistOf, MixtureComponent } from './dist.js';
export {
  cdf,
  cdfRaw,
  logPdf,
  logPdfRaw,
  mean,
  pdf,
  quantile,
  quantileRaw,
  sample,
  sampleMany,
  sampleRaw,
  sd,
  variance,
} from './functions.js';
export { GAMMA_OWN_KERNEL_SHAPE, gammaP, gammaPInv, gammaQ, log1pmx, logSumExp, normalQuantileStd, solveMonotone } from './special.js';
