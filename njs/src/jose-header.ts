import { findAlgorithm } from './algorithms.ts';
import { fail } from './errors.ts';
import { logSafe } from './log-safe.ts';
import type { JsonObject } from './strict-json.ts';

const MAX_KID_LENGTH = 256;

export interface JoseHeader {
  alg: string;
  kid: string | undefined;
}

/**
 * Reads the members of a JWS header that decide how it is verified. `jku`, `x5u`,
 * `jwk` and `x5c` are never read: keys come from configuration only. Any `crit`
 * is refused because this gateway implements no extension (RFC 7515 section 4.1.11),
 * and so is an unencoded payload (`b64: false`, RFC 7797). Where a location
 * names a `typ` (RFC 8725 section 3.11), a token of another type is refused.
 */
export function readJoseHeader(header: JsonObject, requiredTyp: string | undefined): JoseHeader {
  const alg = header.alg;
  if (typeof alg !== 'string') {
    return fail('ERR_JWS_MALFORMED', 'header alg is missing or not a string');
  }
  if (findAlgorithm(alg) === undefined) {
    // Covers "none" in every spelling: it is simply not an algorithm we verify.
    fail('ERR_JOSE_NOT_SUPPORTED', 'alg ' + logSafe(alg) + ' is not accepted');
  }
  if (header.crit !== undefined) {
    fail('ERR_JOSE_NOT_SUPPORTED', 'header crit ' + logSafe(header.crit) + ' names extensions this gateway does not implement');
  }
  if (header.b64 !== undefined && header.b64 !== true) {
    fail('ERR_JOSE_NOT_SUPPORTED', 'unencoded payloads (b64) are not accepted');
  }
  if (requiredTyp !== undefined && (typeof header.typ !== 'string' || mediaType(header.typ) !== mediaType(requiredTyp))) {
    fail('ERR_JOSE_NOT_SUPPORTED', 'typ ' + logSafe(header.typ) + ' is not ' + requiredTyp);
  }
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH)) {
    fail('ERR_JWS_MALFORMED', 'header kid must be a non-empty string of at most ' + MAX_KID_LENGTH + ' characters');
  }
  return { alg, kid: kid as string | undefined };
}

/** RFC 7515 section 4.1.9: "application/" may be left out, and media types compare case-insensitively. */
function mediaType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.indexOf('application/') === 0 ? lower.slice('application/'.length) : lower;
}
