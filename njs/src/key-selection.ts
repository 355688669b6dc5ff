import { fail } from './errors.ts';
import { importJwk, jwkSetKeys, type VerificationKey } from './jwk.ts';
import { logSafe } from './log-safe.ts';

/**
 * Picks the configured key that verifies a token with this `alg` and `kid`. Only
 * the JWKs sharing the token's kid are decoded, so a request pays for one key,
 * not the whole set. A token without a kid is accepted only when exactly one key
 * fits its algorithm: guessing among several keys would multiply the work an
 * attacker can cause and hide a missing kid.
 */
export function selectKey(keySet: unknown, alg: string, kid: string | undefined): VerificationKey {
  const keys = jwkSetKeys(keySet);
  let found: VerificationKey | undefined;
  let fitting = 0;
  let sameKid = 0;
  for (let index = 0; index < keys.length; index++) {
    const jwk = keys[index];
    if (kid !== undefined && (jwk === null || typeof jwk !== 'object' || (jwk as { kid?: unknown }).kid !== kid)) {
      continue;
    }
    sameKid++;
    const key = importJwk(jwk, index);
    if (key !== null && key.algorithms.indexOf(alg) >= 0) {
      fitting++;
      found = found || key;
    }
  }
  if (kid === undefined) {
    if (fitting !== 1) {
      fail('ERR_KEY_NOT_FOUND', 'token has no kid and ' + fitting + ' keys verify ' + alg);
    }
  } else if (sameKid === 0) {
    fail('ERR_KID_UNKNOWN', 'no key has kid ' + logSafe(kid));
  } else if (fitting === 0) {
    fail('ERR_KEY_NOT_FOUND', 'key ' + logSafe(kid) + ' may not verify ' + alg);
  }
  return found as VerificationKey;
}
