import { fail } from './errors.ts';
import { logSafe } from './log-safe.ts';
import { ownArray } from './preloaded.ts';
import type { JsonObject } from './strict-json.ts';

/**
 * The revocation list, `{"jti": [...], "sub": [...], "kid": [...]}`, preloaded
 * from a file like the key set. Revocation is decided on decoded values of a
 * verified token, never on the token's text, which has many spellings.
 */
export function checkNotRevoked(list: unknown, kid: string | undefined, claims: JsonObject): void {
  if (list === undefined) {
    return;
  }
  // Built here, not at the top level, which NGINX reruns in every request, most without a list.
  const revocable = ['jti', 'sub', 'kid'];
  if (list === null || typeof list !== 'object' || Array.isArray(list)) {
    fail('ERR_SETTING_INVALID', 'the revocation list is not a JSON object');
  }
  revocable.forEach(function (name) {
    const revoked = (list as { [name: string]: unknown })[name];
    if (revoked === undefined) {
      return;
    }
    if (!Array.isArray(revoked)) {
      fail('ERR_SETTING_INVALID', 'the revocation list\'s ' + name + ' is not an array');
    }
    const value = name === 'kid' ? kid : claims[name];
    if (typeof value === 'string' && ownArray(revoked).indexOf(value) >= 0) {
      fail('ERR_TOKEN_REVOKED', 'token ' + name + ' ' + logSafe(value) + ' is revoked');
    }
  });
}
