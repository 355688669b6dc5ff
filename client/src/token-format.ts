import { SecretMalformed } from './errors.ts';

/**
 * Far above any real bearer token (servers commonly cap a header at 8 KiB), low enough that a
 * wrong file (a log, a key store) is rejected without reading it all.
 */
export const MAX_TOKEN_BYTES = 16 * 1024;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Turns the raw value of a secret into a bearer token, or throws {@link SecretMalformed} naming
 * `description` (where the value came from) and never the value.
 *
 * One trailing newline is trimmed because `echo` and editors add it; any other whitespace is
 * an error rather than silently trimmed, since it usually means the wrong file or a pasting
 * accident, and a token that differs from what was issued would only fail later as a 401.
 */
export function parseToken(raw: string, description: string): string {
  const value = raw.replace(/\r?\n$/, '');
  if (value.trim() === '') {
    throw new SecretMalformed(`${description} is empty`, 'empty');
  }
  if (/[\r\n]/.test(value)) {
    const lines = value.split(/\r?\n|\r/).length;
    throw new SecretMalformed(`${description} has ${lines} lines; expected one line holding one token`, 'multiline');
  }
  if (value.trim() !== value) {
    throw new SecretMalformed(`${description} has whitespace around the token; only a trailing newline is allowed`, 'whitespace');
  }
  if (Buffer.byteLength(value) > MAX_TOKEN_BYTES) {
    throw new SecretMalformed(`${description} is larger than ${MAX_TOKEN_BYTES} bytes; expected one token`, 'too-large');
  }
  if (!COMPACT_JWS.test(value) || !hasJsonHeader(value)) {
    throw new SecretMalformed(
      `${description} is not a compact JWS (three base64url segments, the first a JSON header with "alg")`,
      'not-jws',
    );
  }
  return value;
}

function hasJsonHeader(token: string): boolean {
  const encodedHeader = token.slice(0, token.indexOf('.'));
  try {
    const header: unknown = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}
