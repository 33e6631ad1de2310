/**
 * Privacy by design: an encrypted on-device store (AES-256-GCM via WebCrypto, PBKDF2-wrapped
 * data key), differentially private release of effect estimates (discrete Laplace and
 * analytic Gaussian mechanisms with a budget accountant), and data minimisation for prior
 * requests. Browser-safe: no `node:` import here; the Node file backend is in `n1kit/node`.
 *
 * @packageDocumentation
 */
export { createPrivacyAccountant, restorePrivacyAccountant } from './accountant.js';
export type {
  CompositionRule,
  PrivacyAccountant,
  PrivacyAccountantOptions,
  PrivacyAccountantState,
  PrivacyCost,
  PrivacyLoss,
} from './accountant.js';
export { createMemoryBackend } from './backend.js';
export type { StorageBackend } from './backend.js';
export { analyticGaussianSigma, privateEffectEstimate, privateMean } from './dp.js';
export type { AnalyticGaussianOptions, PrivacyMechanism, PrivateEffectOptions, PrivateMeanOptions, PrivateRelease } from './dp.js';
export { DecryptionError, PrivacyBudgetError } from './errors.js';
export type { DecryptionFailure } from './errors.js';
export { minimizeFeatures, projectFeatures } from './features.js';
export type { PatientFeatures, ProjectFeaturesOptions } from './features.js';
export { createEncryptedStore, DEFAULT_KDF_ITERATIONS } from './store.js';
export type { EncryptedStore, EncryptedStoreKdf, EncryptedStoreOptions, ImportBackupOptions } from './store.js';
export { privateEffectForPooling } from './dp.js';
export type { PoolableRelease, PoolingSdRelease, PrivateEffectForPoolingOptions } from './dp.js';
