/**
 * Typed failures with stable codes. njs has no `class`, so a failure is an Error
 * carrying a `code`; the code decides the HTTP answer (see responses.ts) and is
 * what the operator greps for in the NGINX error log.
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
  /** Signature does not verify. */
  | 'ERR_SIGNATURE_INVALID'
  /** exp/nbf make the token not valid now, or are not valid NumericDates. */
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  /** A claim is missing or fails validation (sub, exp type, ...). */
  | 'ERR_CLAIM_INVALID'
  /** The JWK Set or one of its keys cannot be used. */
  | 'ERR_JWKS_INVALID'
  /** An nginx variable that configures the gateway holds a bad value. */
  | 'ERR_SETTING_INVALID';

export interface GatewayError extends Error {
  code: ErrorCode;
}

export function gatewayError(code: ErrorCode, message: string): GatewayError {
  const error = new Error(message) as GatewayError;
  error.code = code;
  return error;
}

export function fail(code: ErrorCode, message: string): never {
  throw gatewayError(code, message);
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof Error && typeof (value as GatewayError).code === 'string';
}
