import { algorithmsFor, findAlgorithm, type KeyType } from './algorithms.ts';
import { decodeBase64url } from './base64url.ts';
import { fail, isGatewayError } from './errors.ts';
import { logSafe } from './log-safe.ts';

/** A JWK that may verify signatures, decoded once it is needed. */
export interface VerificationKey {
  kid: string | undefined;
  kty: KeyType;
  /** The JWK's own `alg` when it names one, else every algorithm its type and size allow. */
  algorithms: string[];
  secret: Buffer;
}

type Jwk = { [member: string]: unknown };

/**
 * Reads one JWK of a key set. Returns null for a key that is valid but not meant
 * for verifying signatures (`use` other than "sig", `key_ops` without "verify"),
 * and fails with ERR_JWKS_INVALID for a key nobody should trust: unknown type,
 * bad encoding, or too short for any algorithm of its type.
 */
export function importJwk(value: unknown, label: string): VerificationKey | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('ERR_JWKS_INVALID', label + ' is not a JSON object');
  }
  const jwk = value as Jwk;
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') {
    fail('ERR_JWKS_INVALID', label + ' has a kid that is not a string');
  }
  if (jwk.kty !== 'oct') {
    return fail('ERR_JWKS_INVALID', label + ' has unsupported kty ' + logSafe(jwk.kty));
  }
  if (typeof jwk.k !== 'string') {
    return fail('ERR_JWKS_INVALID', label + ' has no "k"');
  }
  let secret: Buffer;
  try {
    secret = decodeBase64url(jwk.k, 'k');
  } catch (e) {
    return fail('ERR_JWKS_INVALID', label + ': ' + (isGatewayError(e) ? e.message : 'bad k'));
  }
  const usable = algorithmsFor('oct', secret.length);
  if (usable.length === 0) {
    fail('ERR_JWKS_INVALID', label + ' is a weak key: ' + secret.length * 8 + ' bits, HMAC needs at least 256');
  }
  if (!isForVerification(jwk, label)) {
    return null;
  }
  let algorithms = usable;
  if (jwk.alg !== undefined) {
    const named = typeof jwk.alg === 'string' ? findAlgorithm(jwk.alg) : undefined;
    if (named === undefined || named.kty !== 'oct') {
      fail('ERR_JWKS_INVALID', label + ' has alg ' + logSafe(jwk.alg) + ', not an HMAC algorithm this gateway verifies');
    }
    if (usable.indexOf(jwk.alg as string) < 0) {
      fail('ERR_JWKS_INVALID', label + ' is too short for its alg ' + logSafe(jwk.alg));
    }
    algorithms = [jwk.alg as string];
  }
  return { kid: jwk.kid as string | undefined, kty: 'oct', algorithms, secret };
}

/** `use` and `key_ops` (RFC 7517 section 4.2-4.3): both, when present, must allow verification. */
function isForVerification(jwk: Jwk, label: string): boolean {
  if (jwk.use !== undefined && typeof jwk.use !== 'string') {
    fail('ERR_JWKS_INVALID', label + ' has a use that is not a string');
  }
  if (jwk.key_ops !== undefined) {
    const ops = Array.isArray(jwk.key_ops) ? ownArray(jwk.key_ops) : [];
    if (ops.length === 0 || !ops.every(function (op) { return typeof op === 'string'; })) {
      fail('ERR_JWKS_INVALID', label + ' has key_ops that are not a non-empty array of strings');
    }
    if (ops.indexOf('verify') < 0) {
      return false;
    }
  }
  return jwk.use === undefined || jwk.use === 'sig';
}

/** The `keys` array of a JWK Set (RFC 7517 section 5). */
export function jwkSetKeys(value: unknown): unknown[] {
  const keys = value !== null && typeof value === 'object' ? (value as Jwk).keys : undefined;
  if (!Array.isArray(keys)) {
    return fail('ERR_JWKS_INVALID', 'the key set is not a JWK Set: no "keys" array');
  }
  return ownArray(keys);
}

/**
 * Arrays of an object from `js_preload_object` belong to another VM: Array.isArray
 * holds, but they lack this VM's Array.prototype methods. Copying fixes that.
 */
function ownArray(array: unknown[]): unknown[] {
  return Array.prototype.slice.call(array);
}

export function describeJwk(value: unknown, index: number): string {
  const kid = value !== null && typeof value === 'object' ? (value as Jwk).kid : undefined;
  return 'key ' + index + (kid === undefined ? '' : ' (kid ' + logSafe(kid) + ')');
}
