import { fail } from './errors.ts';
import { matchesText } from './header-text.ts';

/**
 * Strict base64url (RFC 7515 section 2): the alphabet only, no padding, no
 * whitespace, a length that can encode whole bytes and canonical final bits.
 * Buffer.from(s, 'base64url') alone is lenient on all of these in njs, so an
 * attacker could otherwise send many spellings of one token.
 */

/** Ends in a lookahead, not `$`: njs's PCRE2 lets `$` match before a final newline. */
const VALID = /^[A-Za-z0-9_-]*(?![\s\S])/;

export function decodeBase64url(input: string, what: string): Buffer {
  if (!matchesText(VALID, input)) {
    fail('ERR_JWS_MALFORMED', what + ' is not base64url');
  }
  const remainder = input.length % 4;
  if (remainder === 1) {
    fail('ERR_JWS_MALFORMED', what + ' has an impossible base64url length');
  }
  // The last character carries 4 (remainder 2) or 2 (remainder 3) unused bits, which must be
  // zero: only these characters have them so (a short indexOf is the cheapest test in njs).
  if (remainder !== 0 && (remainder === 2 ? 'AQgw' : 'AEIMQUYcgkosw048').indexOf(input[input.length - 1]) < 0) {
    fail('ERR_JWS_MALFORMED', what + ' has non-canonical base64url');
  }
  return Buffer.from(input, 'base64url');
}

export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
