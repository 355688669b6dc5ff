import { fail } from './errors.ts';
import { describeJwk, importJwk, jwkSetKeys, type VerificationKey } from './jwk.ts';
import { logSafe } from './log-safe.ts';

export interface JwkSetSummary {
  verificationKeys: VerificationKey[];
  /** Keys that are valid but not for signatures, by label. */
  otherKeys: string[];
}

/**
 * Checks a whole JWK Set the way the gateway will use it, so that a bad key file is
 * a startup error naming the problem rather than a gateway that fails on requests.
 */
export function inspectJwkSet(value: unknown): JwkSetSummary {
  const summary: JwkSetSummary = { verificationKeys: [], otherKeys: [] };
  const keys = jwkSetKeys(value);
  for (let index = 0; index < keys.length; index++) {
    const jwk = keys[index];
    const key = importJwk(jwk, index);
    if (key === null) {
      summary.otherKeys.push(describeJwk(jwk, index));
      continue;
    }
    summary.verificationKeys.forEach(function (seen) {
      if (seen.kid === key.kid && seen.kty === key.kty) {
        fail('ERR_JWKS_INVALID', describeJwk(jwk, index) + ': another ' + key.kty + ' key has the same kid');
      }
    });
    summary.verificationKeys.push(key);
  }
  if (summary.verificationKeys.length === 0) {
    fail('ERR_JWKS_INVALID', 'the key set has no key for verifying signatures');
  }
  return summary;
}

export function describeSummary(summary: JwkSetSummary): string {
  const usable = summary.verificationKeys.map(function (key) {
    return (key.kid === undefined ? '(no kid)' : logSafe(key.kid)) + ' ' + key.algorithms.join('/');
  });
  return summary.verificationKeys.length + ' verification key(s): ' + usable.join(', ') +
    (summary.otherKeys.length > 0 ? '; not for signatures: ' + summary.otherKeys.join(', ') : '');
}
