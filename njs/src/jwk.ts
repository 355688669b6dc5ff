import { algorithmsFor, findAlgorithm, type CurveName, type KeyType } from './algorithms.ts';
import { decodeBase64url } from './base64url.ts';
import { ecSpki, rsaSpki } from './der.ts';
import { fail, isGatewayError } from './errors.ts';
import { logSafe } from './log-safe.ts';
import { ownArray } from './preloaded.ts';

/** A JWK that may verify signatures, decoded once it is needed. */
export interface VerificationKey {
  kid: string | undefined;
  kty: KeyType;
  /** The JWK's own `alg` when it names one, else every algorithm its type, size or curve allow. */
  algorithms: string[];
  /** The HMAC secret for `oct`; the DER SubjectPublicKeyInfo for RSA and EC. */
  material: Buffer;
}

type Jwk = { [member: string]: unknown };

const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 16384;
// Lists only RSA and EC keys need are built in the functions that use them:
// NGINX reruns a module's top level in every request, and most decode an oct key or none.

/**
 * Reads one JWK of a key set. Returns null for a key that is valid but not meant
 * for verifying signatures (`use` other than "sig", `key_ops` without "verify"),
 * and fails with ERR_JWKS_INVALID for a key nobody should trust: unknown type,
 * bad encoding, too weak for any algorithm of its type, or private key material
 * where only a public key belongs.
 */
export function importJwk(value: unknown, index: number): VerificationKey | null {
  try {
    return readJwk(value);
  } catch (e) {
    // The label is built only here: logSafe's RegExp replace is slow in njs, and most keys are fine.
    return fail('ERR_JWKS_INVALID', describeJwk(value, index) + ' ' + (isGatewayError(e) ? e.message : String(e)));
  }
}

function readJwk(value: unknown): VerificationKey | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('ERR_JWKS_INVALID', 'is not a JSON object');
  }
  const jwk = value as Jwk;
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') {
    fail('ERR_JWKS_INVALID', 'has a kid that is not a string');
  }
  const decoded = jwk.kty === 'oct' ? readOct(jwk)
    : jwk.kty === 'RSA' ? readRsa(jwk)
      : jwk.kty === 'EC' ? readEc(jwk)
        : unsupported(jwk);
  if (!isForVerification(jwk)) {
    return null;
  }
  let algorithms = decoded.algorithms;
  if (jwk.alg !== undefined) {
    const named = typeof jwk.alg === 'string' ? findAlgorithm(jwk.alg) : undefined;
    if (named === undefined || named.kty !== jwk.kty) {
      fail('ERR_JWKS_INVALID', 'has alg ' + logSafe(jwk.alg) + ', not a ' + jwk.kty + ' algorithm this gateway verifies');
    }
    if (algorithms.indexOf(jwk.alg as string) < 0) {
      fail('ERR_JWKS_INVALID', 'is too short, or on the wrong curve, for its alg ' + logSafe(jwk.alg));
    }
    algorithms = [jwk.alg as string];
  }
  return { kid: jwk.kid as string | undefined, kty: jwk.kty as KeyType, algorithms, material: decoded.material };
}

interface Decoded {
  algorithms: string[];
  material: Buffer;
}

function readOct(jwk: Jwk): Decoded {
  const secret = member(jwk, 'k');
  const algorithms = algorithmsFor('oct', secret.length, undefined);
  if (algorithms.length === 0) {
    fail('ERR_JWKS_INVALID', 'is a weak key: ' + secret.length * 8 + ' bits, HMAC needs at least 256');
  }
  return { algorithms, material: secret };
}

function readRsa(jwk: Jwk): Decoded {
  refusePrivateMembers(jwk);
  const modulus = member(jwk, 'n');
  const exponent = member(jwk, 'e');
  const bits = bitLength(modulus);
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    fail('ERR_JWKS_INVALID', 'is a ' + bits + '-bit RSA key; ' + MIN_RSA_BITS + ' to ' + MAX_RSA_BITS + ' bits are accepted');
  }
  if (exponent.length > 4 || (exponent[exponent.length - 1] & 1) === 0 || bitLength(exponent) < 2) {
    fail('ERR_JWKS_INVALID', 'has an RSA exponent that is not an odd number above 1 of at most 32 bits');
  }
  return { algorithms: algorithmsFor('RSA', 0, undefined), material: rsaSpki(modulus, exponent) };
}

function readEc(jwk: Jwk): Decoded {
  refusePrivateMembers(jwk);
  const crv = jwk.crv;
  const coordinateBytes = crv === 'P-256' ? 32 : crv === 'P-384' ? 48 : crv === 'P-521' ? 66 : 0;
  if (coordinateBytes === 0) {
    return fail('ERR_JWKS_INVALID', 'has crv ' + logSafe(crv) + '; P-256, P-384 and P-521 are accepted');
  }
  const x = member(jwk, 'x');
  const y = member(jwk, 'y');
  if (x.length !== coordinateBytes || y.length !== coordinateBytes) {
    fail('ERR_JWKS_INVALID', 'has coordinates of the wrong length for ' + crv);
  }
  return { algorithms: algorithmsFor('EC', 0, crv as CurveName), material: ecSpki(crv as CurveName, x, y) };
}

function unsupported(jwk: Jwk): never {
  if (jwk.kty === 'OKP') {
    return fail('ERR_JWKS_INVALID', 'is an OKP (EdDSA) key, which the njs WebCrypto this gateway targets (0.7.9) cannot verify');
  }
  return fail('ERR_JWKS_INVALID', 'has unsupported kty ' + logSafe(jwk.kty));
}

/** A public key set with a private key in it leaks that key to every reader of the file. */
function refusePrivateMembers(jwk: Jwk): void {
  const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
  for (let i = 0; i < privateMembers.length; i++) {
    if (jwk[privateMembers[i]] !== undefined) {
      fail('ERR_JWKS_INVALID', 'holds private key material ("' + privateMembers[i] + '"): publish the public key only');
    }
  }
}

function member(jwk: Jwk, name: string): Buffer {
  const value = jwk[name];
  if (typeof value !== 'string' || value === '') {
    return fail('ERR_JWKS_INVALID', 'has no "' + name + '"');
  }
  try {
    return decodeBase64url(value, name);
  } catch (e) {
    return fail('ERR_JWKS_INVALID', 'has a bad "' + name + '": ' + (isGatewayError(e) ? e.message : 'not base64url'));
  }
}

function bitLength(bytes: Uint8Array): number {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) {
    start++;
  }
  if (start === bytes.length) {
    return 0;
  }
  return (bytes.length - start - 1) * 8 + bytes[start].toString(2).length;
}

/** `use` and `key_ops` (RFC 7517 section 4.2-4.3): both, when present, must allow verification. */
function isForVerification(jwk: Jwk): boolean {
  if (jwk.use !== undefined && typeof jwk.use !== 'string') {
    fail('ERR_JWKS_INVALID', 'has a use that is not a string');
  }
  if (jwk.key_ops !== undefined) {
    const ops = Array.isArray(jwk.key_ops) ? ownArray(jwk.key_ops) : [];
    if (ops.length === 0 || !ops.every(function (op) { return typeof op === 'string'; })) {
      fail('ERR_JWKS_INVALID', 'has key_ops that are not a non-empty array of strings');
    }
    if (ops.indexOf('verify') < 0) {
      return false;
    }
  }
  return jwk.use === undefined || jwk.use === 'sig';
}

/**
 * The `keys` array of a JWK Set (RFC 7517 section 5), to be indexed, not copied:
 * a preloaded array has no Array methods, and a copy per request costs 1 us.
 */
export function jwkSetKeys(value: unknown): ArrayLike<unknown> {
  const keys = value !== null && typeof value === 'object' ? (value as Jwk).keys : undefined;
  if (!Array.isArray(keys)) {
    return fail('ERR_JWKS_INVALID', 'the key set is not a JWK Set: no "keys" array');
  }
  return keys;
}

export function describeJwk(value: unknown, index: number): string {
  const kid = value !== null && typeof value === 'object' ? (value as Jwk).kid : undefined;
  return 'key ' + index + (kid === undefined ? '' : ' (kid ' + logSafe(kid) + ')');
}
