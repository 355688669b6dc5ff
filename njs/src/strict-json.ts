import { fail } from './errors.ts';

/** Deeper nesting than any real JOSE header or claims set. */
const MAX_JSON_DEPTH = 16;

export type JsonObject = { [name: string]: unknown };

/** A whole JSON string token (unrolled, so long strings cost no backtracking). */
const STRING_TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"/g;

/**
 * Parses a JOSE header or JWT claims set: a JSON object with no duplicate member
 * names (RFC 7515 section 5.2, RFC 7519 section 4) and bounded nesting. JSON.parse
 * keeps the last of two duplicates, so two parsers could read two different tokens
 * from one text; we refuse such text instead.
 *
 * Native JSON.parse and one regular expression do the work, since a character
 * loop in the njs interpreter costs several times more: once the text is known to
 * be JSON, each of its string tokens is a member name or a string value, and the
 * parsed value has as many names and string values exactly when no name repeats
 * within an object (a repeated member is gone from it, with its value).
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
  const strings = text.match(STRING_TOKEN);
  if (countStrings(value, 1, what) !== (strings === null ? 0 : strings.length)) {
    fail('ERR_JWS_MALFORMED', what + ' has a duplicate member name');
  }
  return value as JsonObject;
}

/** Member names and string values in a parsed object or array, refusing nesting deeper than MAX_JSON_DEPTH. */
function countStrings(value: object, depth: number, what: string): number {
  if (depth > MAX_JSON_DEPTH) {
    fail('ERR_JWS_MALFORMED', what + ' nests deeper than ' + MAX_JSON_DEPTH);
  }
  let count = 0;
  const names = Array.isArray(value) ? 0 : 1;
  // for..in visits a parsed value's own members only (JSON.parse makes no inherited enumerable ones) and costs less than Object.keys.
  for (const name in value) {
    const member = (value as JsonObject)[name];
    count += names;
    if (typeof member === 'string') {
      count++;
    } else if (member !== null && typeof member === 'object') {
      count += countStrings(member, depth + 1, what);
    }
  }
  return count;
}
