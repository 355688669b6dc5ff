import { fail } from './errors.ts';

/** Deeper nesting than any real JOSE header or claims set. */
const MAX_JSON_DEPTH = 16;

export type JsonObject = { [name: string]: unknown };

/** A whole JSON string token (unrolled, so long strings cost no backtracking), with the colon that makes it a member name. */
const STRING_TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"(?:\s*:)?/g;

/**
 * Parses a JOSE header or JWT claims set: a JSON object with no duplicate member
 * names (RFC 7515 section 5.2, RFC 7519 section 4) and bounded nesting. JSON.parse
 * keeps the last of two duplicates, so two parsers could read two different tokens
 * from one text; we refuse such text instead.
 *
 * Native JSON.parse and one regular expression do the work, since a character
 * loop in the njs interpreter costs several times more: once the text is known to
 * be JSON, it names as many members as the parsed value has keys exactly when no
 * name repeats within an object.
 */
export function parseJsonObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('ERR_JWS_MALFORMED', what + ' is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('ERR_JWS_MALFORMED', what + ' is not a JSON object');
  }
  const strings = text.match(STRING_TOKEN) || [];
  let names = 0;
  for (let i = 0; i < strings.length; i++) {
    if (strings[i].charAt(strings[i].length - 1) === ':') {
      names++;
    }
  }
  if (countMembers(value, 1, what) !== names) {
    fail('ERR_JWS_MALFORMED', what + ' has a duplicate member name');
  }
  return value as JsonObject;
}

/** Members of every object in a parsed value, refusing nesting deeper than MAX_JSON_DEPTH. */
function countMembers(value: unknown, depth: number, what: string): number {
  if (value === null || typeof value !== 'object') {
    return 0;
  }
  if (depth > MAX_JSON_DEPTH) {
    fail('ERR_JWS_MALFORMED', what + ' nests deeper than ' + MAX_JSON_DEPTH);
  }
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      count += countMembers(value[i], depth + 1, what);
    }
    return count;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    count += 1 + countMembers((value as JsonObject)[keys[i]], depth + 1, what);
  }
  return count;
}
