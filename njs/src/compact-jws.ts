import { decodeBase64url } from './base64url.ts';
import { fail } from './errors.ts';
import { parseJsonObject, type JsonObject } from './strict-json.ts';
import { decodeUtf8 } from './utf8.ts';

/** A JWS in compact serialization, decoded but not yet verified. */
export interface CompactJws {
  header: JsonObject;
  payload: JsonObject;
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)): the bytes that were signed. */
  signingInput: string;
  signature: Buffer;
}

/**
 * Splits and decodes a compact JWS whose payload is a JWT claims set. Anything
 * that is not exactly three non-empty, strictly encoded segments is malformed;
 * a JWE (five segments) or an unsecured JWT (empty signature) is refused here.
 */
export function decodeCompactJws(token: string, maxLength: number): CompactJws {
  if (token.length > maxLength) {
    fail('ERR_JWS_MALFORMED', 'token is longer than ' + maxLength + ' characters');
  }
  const segments = token.split('.');
  if (segments.length !== 3) {
    fail('ERR_JWS_MALFORMED', 'token has ' + segments.length + ' segments, not 3');
  }
  if (segments[0] === '' || segments[1] === '' || segments[2] === '') {
    fail('ERR_JWS_MALFORMED', 'token has an empty segment');
  }
  const header = parseJsonObject(decodeUtf8(decodeBase64url(segments[0], 'header'), 'header'), 'header');
  const payload = parseJsonObject(decodeUtf8(decodeBase64url(segments[1], 'payload'), 'payload'), 'payload');
  return {
    header,
    payload,
    signingInput: segments[0] + '.' + segments[1],
    signature: decodeBase64url(segments[2], 'signature'),
  };
}
