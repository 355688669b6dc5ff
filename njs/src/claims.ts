import { fail } from './errors.ts';
import { logSafe } from './log-safe.ts';
import type { RequiredClaim } from './settings.ts';
import type { JsonObject } from './strict-json.ts';

/** 9999-12-31T23:59:59Z: later NumericDates are garbage, not far-future tokens. */
const MAX_NUMERIC_DATE = 253402300799;
const MAX_SUBJECT_LENGTH = 256;

export interface TimePolicy {
  /** Current time in seconds since the epoch. */
  now: number;
  /** Seconds of clock skew tolerated on exp and nbf. */
  leeway: number;
  /** Refuse tokens that never expire. */
  requireExp: boolean;
}

/**
 * exp and nbf (RFC 7519 section 4.1.4-4.1.5) when present; iat is only type-checked.
 * A NumericDate must be a finite, non-negative number; fractions are allowed.
 */
export function checkTimeClaims(claims: JsonObject, policy: TimePolicy): void {
  const exp = readNumericDate(claims, 'exp');
  const nbf = readNumericDate(claims, 'nbf');
  readNumericDate(claims, 'iat');
  if (exp === undefined && policy.requireExp) {
    fail('ERR_CLAIM_INVALID', 'token has no exp, and this location requires one');
  }
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
  // search, not test: njs 0.7.9's RegExp test costs several times more.
  if (sub.length > MAX_SUBJECT_LENGTH || sub.search(/[\x00-\x1f\x7f-\x9f]/) >= 0) {
    fail('ERR_CLAIM_INVALID', 'sub ' + logSafe(sub) + ' is too long or holds control characters');
  }
  return sub;
}

/** `iss` must be one of the accepted issuers, when any are configured. */
export function checkIssuer(claims: JsonObject, issuers: string[]): void {
  if (issuers.length > 0 && (typeof claims.iss !== 'string' || issuers.indexOf(claims.iss) < 0)) {
    fail('ERR_CLAIM_INVALID', 'iss ' + logSafe(claims.iss) + ' is not an accepted issuer');
  }
}

/**
 * `aud` (RFC 7519 section 4.1.3), a string or an array of strings, must name one
 * of the accepted audiences, when any are configured.
 */
export function checkAudience(claims: JsonObject, audiences: string[]): void {
  if (audiences.length === 0) {
    return;
  }
  const aud = claims.aud;
  const named = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  const accepted = named.some(function (value) {
    return typeof value === 'string' && audiences.indexOf(value) >= 0;
  });
  if (!accepted) {
    fail('ERR_CLAIM_INVALID', 'aud ' + logSafe(aud) + ' names no accepted audience');
  }
}

/**
 * Claims a location requires. A string claim must equal an accepted value (`scope`
 * is a space-separated list, RFC 8693 section 4.2, so one of its entries must);
 * an array claim must contain one; numbers and booleans compare as text. Failing
 * is 403: the token is fine, it just does not grant this.
 */
export function checkRequiredClaims(claims: JsonObject, required: RequiredClaim[]): void {
  required.forEach(function (requirement) {
    const value = claims[requirement.name];
    if (value === undefined || value === null) {
      fail('ERR_INSUFFICIENT_SCOPE', 'token has no ' + requirement.name + ' claim');
    }
    const accepted = requirement.values;
    if (accepted === null) {
      return;
    }
    const offered = Array.isArray(value) ? value
      : requirement.name === 'scope' && typeof value === 'string' ? value.split(' ')
        : [value];
    const granted = offered.some(function (item) {
      return (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') && accepted.indexOf(String(item)) >= 0;
    });
    if (!granted) {
      fail('ERR_INSUFFICIENT_SCOPE', requirement.name + ' ' + logSafe(value) + ' grants none of ' + accepted.join('|'));
    }
  });
}
