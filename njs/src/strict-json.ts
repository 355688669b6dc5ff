import { fail } from './errors.ts';

/** Deeper nesting than any real JOSE header or claims set; bounds recursion in JSON.parse. */
export const MAX_JSON_DEPTH = 16;

export type JsonObject = { [name: string]: unknown };

/**
 * Parses a JOSE header or JWT claims set: a JSON object with no duplicate member
 * names (RFC 7515 section 5.2, RFC 7519 section 4) and bounded nesting. JSON.parse
 * keeps the last of two duplicates, so two parsers could read two different tokens
 * from one text; we refuse such text instead.
 */
export function parseJsonObject(text: string, what: string): JsonObject {
  checkStructure(text, what);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('ERR_JWS_MALFORMED', what + ' is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('ERR_JWS_MALFORMED', what + ' is not a JSON object');
  }
  return value as JsonObject;
}

/**
 * One pass over the text that tracks only strings and brackets: enough to see
 * member names and depth. Runs before JSON.parse, which validates the grammar.
 */
function checkStructure(text: string, what: string): void {
  // One entry per open bracket: the member names seen so far for an object, null for an array.
  const open: Array<{ [name: string]: true } | null> = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '"') {
      const end = endOfString(text, i);
      if (end < 0) {
        fail('ERR_JWS_MALFORMED', what + ' is not JSON');
      }
      const names = open.length > 0 ? open[open.length - 1] : null;
      if (names !== null && expectName) {
        const name = decodeName(text.slice(i, end + 1), what);
        if (Object.prototype.hasOwnProperty.call(names, name)) {
          fail('ERR_JWS_MALFORMED', what + ' has a duplicate member "' + printable(name) + '"');
        }
        names[name] = true;
        expectName = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      if (open.length >= MAX_JSON_DEPTH) {
        fail('ERR_JWS_MALFORMED', what + ' nests deeper than ' + MAX_JSON_DEPTH);
      }
      open.push(c === '{' ? Object.create(null) : null);
      expectName = c === '{';
    } else if (c === '}' || c === ']') {
      open.pop();
      expectName = false;
    } else if (c === ',') {
      expectName = open.length > 0 && open[open.length - 1] !== null;
    }
  }
}

/** Index of the quote that closes the string opening at `start`, or -1. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\') {
      i++;
    } else if (c === '"') {
      return i;
    }
  }
  return -1;
}

/** "a" and "\u0061" name the same member, so compare decoded names. */
function decodeName(literal: string, what: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch (e) {
    return fail('ERR_JWS_MALFORMED', what + ' is not JSON');
  }
}

function printable(name: string): string {
  return name.length > 32 ? name.slice(0, 32) + '...' : name.replace(/[^\x20-\x7e]/g, '?');
}
