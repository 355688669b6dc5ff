import { fail } from './errors.ts';
import { logSafe } from './log-safe.ts';
import type { JsonObject } from './strict-json.ts';

/** 9999-12-31T23:59:59Z: later NumericDates are garbage, not far-future tokens. */
const MAX_NUMERIC_DATE = 253402300799;
export const MAX_SUBJECT_LENGTH = 256;

export interface TimePolicy {
  /** Current time in seconds since the epoch. */
  now: number;
  /** Seconds of clock skew tolerated on exp and nbf. */
  leeway: number;
}

/**
 * exp and nbf (RFC 7519 section 4.1.4-4.1.5) when present; iat is only type-checked.
 * A NumericDate must be a finite, non-negative number; fractions are allowed.
 */
export function checkTimeClaims(claims: JsonObject, policy: TimePolicy): void {
  const exp = readNumericDate(claims, 'exp');
  const nbf = readNumericDate(claims, 'nbf');
  readNumericDate(claims, 'iat');
  if (exp !== undefined && policy.now >= exp + policy.leeway) {
    fail('ERR_TOKEN_EXPIRED', 'token expired at ' + exp);
  }
  if (nbf !== undefined && policy.now + policy.leeway < nbf) {
    fail('ERR_TOKEN_NOT_YET_VALID', 'token is not valid before ' + nbf);
  }
}

function readNumericDate(claims: JsonObject, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !isFinite(value) || value < 0 || value > MAX_NUMERIC_DATE) {
    return fail('ERR_CLAIM_INVALID', name + ' ' + logSafe(value) + ' is not a NumericDate');
  }
  return value;
}

/**
 * The `sub` claim, which the gateway echoes in a response header: a non-empty
 * string without control characters, so that no claim can inject a header.
 */
export function readSubject(claims: JsonObject): string {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') {
    return fail('ERR_CLAIM_INVALID', 'sub is missing, empty or not a string');
  }
  if (sub.length > MAX_SUBJECT_LENGTH || /[\x00-\x1f\x7f-\x9f]/.test(sub)) {
    fail('ERR_CLAIM_INVALID', 'sub ' + logSafe(sub) + ' is too long or holds control characters');
  }
  return sub;
}
