/**
 * Errors of the privacy module: {@link DecryptionError} (code `'E_DECRYPT'`) and
 * {@link PrivacyBudgetError} (code `'E_PRIVACY_BUDGET'`). Neither ever carries a passphrase,
 * a key or plaintext in its message or fields.
 *
 * @packageDocumentation
 */
import { N1kitError, type N1kitErrorDetails } from '../errors.js';

/**
 * Why a sealed record or key header could not be opened.
 *
 * - `'wrong-passphrase'`: the key header did not unwrap (wrong passphrase or key, or a
 *   tampered header: AES-GCM cannot tell the two apart);
 * - `'tampered'`: the authentication tag did not verify (ciphertext, IV or bound data changed);
 * - `'wrong-id'`: a record stored under one id claims another (a record moved or swapped);
 * - `'malformed'`: not a sealed record at all (truncated file, corrupted JSON, bad base64);
 * - `'unsupported-version'`: a format or key version this store does not know (e.g. a rollback
 *   to records sealed under an older key).
 */
export type DecryptionFailure = 'wrong-passphrase' | 'tampered' | 'wrong-id' | 'malformed' | 'unsupported-version';

/**
 * A sealed record or key header could not be opened. Nothing stored is changed when it is
 * thrown. Check `err.code === 'E_DECRYPT'` and `err.reason`.
 *
 * @example
 * ```ts
 * try { await store.get('day-1'); }
 * catch (e) { if (isN1kitError(e) && e.code === 'E_DECRYPT') console.log((e as DecryptionError).reason); }
 * ```
 * @see NIST SP 800-38D (2007), Recommendation for Block Cipher Modes of Operation: GCM and GMAC.
 */
export class DecryptionError extends N1kitError {
  /** Why opening failed. */
  readonly reason: DecryptionFailure;
  constructor(message: string, reason: DecryptionFailure, details: N1kitErrorDetails = {}) {
    super('E_DECRYPT', message, details);
    this.name = 'DecryptionError';
    this.reason = reason;
  }
}

/**
 * A differentially private release was refused because it would exceed the privacy budget of
 * a {@link PrivacyAccountant}. Nothing is spent and nothing is released when it is thrown.
 *
 * @example
 * ```ts
 * const acc = createPrivacyAccountant({ epsilon: 1 });
 * acc.spend({ epsilon: 0.8 });
 * try { acc.spend({ epsilon: 0.5 }); } catch (e) { console.log((e as PrivacyBudgetError).code); } // 'E_PRIVACY_BUDGET'
 * ```
 * @see Dwork & Roth (2014), The Algorithmic Foundations of Differential Privacy, §3.5.
 */
export class PrivacyBudgetError extends N1kitError {
  /** The (ε, δ) the refused release asked for. */
  readonly requested: { readonly epsilon: number; readonly delta: number };
  /** The (ε, δ) still available before the refused release. */
  readonly remaining: { readonly epsilon: number; readonly delta: number };
  constructor(
    message: string,
    requested: { epsilon: number; delta: number },
    remaining: { epsilon: number; delta: number },
    details: N1kitErrorDetails = {},
  ) {
    super('E_PRIVACY_BUDGET', message, details);
    this.name = 'PrivacyBudgetError';
    this.requested = requested;
    this.remaining = remaining;
  }
}
