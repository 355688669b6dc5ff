/**
 * Typed failures with stable codes: the code decides the HTTP answer (see
 * responses.ts) and is what the operator greps for in the NGINX error log.
 *
 * A failure is a plain object, not an Error. njs has no `class` to subclass
 * with, and in njs 0.7.9 constructing an Error once a request has awaited walks
 * the request object and logs deprecation warnings; a plain object also skips
 * building a backtrace nobody reads.
 */

export type ErrorCode =
  /** No bearer credentials at all: 401 with no error code (RFC 6750 3.1). */
  | 'ERR_TOKEN_MISSING'
  /** The request itself is malformed (empty bearer, two Authorization headers): 400. */
  | 'ERR_REQUEST_INVALID'
  /** Not a compact JWS: segments, base64url, UTF-8, JSON, size. */
  | 'ERR_JWS_MALFORMED'
  /** Header names an algorithm or extension this gateway refuses. */
  | 'ERR_JOSE_NOT_SUPPORTED'
  /** No configured key matches the token's kid and algorithm. */
  | 'ERR_KEY_NOT_FOUND'
  /** The token's kid names no key of the set: the one refusal a fresh remote key set may cure. */
  | 'ERR_KID_UNKNOWN'
  /** Signature does not verify. */
  | 'ERR_SIGNATURE_INVALID'
  /** exp/nbf make the token not valid now, or are not valid NumericDates. */
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  /** A claim is missing or fails validation (sub, exp type, iss, aud, ...). */
  | 'ERR_CLAIM_INVALID'
  /** The token is genuine but a required claim does not grant access here: 403. */
  | 'ERR_INSUFFICIENT_SCOPE'
  /** The token's jti, sub or kid is on the revocation list. */
  | 'ERR_TOKEN_REVOKED'
  /** The JWK Set or one of its keys cannot be used. */
  | 'ERR_JWKS_INVALID'
  /** The remote JWK Set has never been fetched and checked: no key to verify with. */
  | 'ERR_JWKS_UNAVAILABLE'
  /** An nginx variable that configures the gateway holds a bad value. */
  | 'ERR_SETTING_INVALID';

export interface GatewayError {
  name: 'GatewayError';
  code: ErrorCode;
  message: string;
}

export function gatewayError(code: ErrorCode, message: string): GatewayError {
  return { name: 'GatewayError', code, message };
}

export function fail(code: ErrorCode, message: string): never {
  throw gatewayError(code, message);
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value !== null && typeof value === 'object' && (value as GatewayError).name === 'GatewayError';
}
