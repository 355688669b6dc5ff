import type { Settings } from './settings.ts';
import type { JsonObject } from './strict-json.ts';

/**
 * Until when NGINX may answer a verified token from its token cache, as the
 * `@<unix time>` form of X-Accel-Expires, or '0' (do not cache). NGINX serves an
 * entry through the whole second it names, so the last second allowed is the one
 * before `exp` starts: the cache never outlives the token. It never outlives
 * $jwt_cache_time either, nor, for a remote key set, the time NGINX keeps that
 * set fresh, so a key the issuer withdraws stops opening doors from the cache no
 * later than from the set.
 */
export function cacheUntil(claims: JsonObject, settings: Settings, now: number): string {
  const second = Math.floor(now);
  let until = second + settings.cacheTime;
  if (settings.jwksUri !== undefined) {
    until = Math.min(until, second + settings.jwksCacheTime);
  }
  // A verified token's exp is a NumericDate (checked by checkTimeClaims), or absent.
  if (typeof claims.exp === 'number') {
    until = Math.min(until, Math.ceil(claims.exp) - 1);
  }
  return until > second ? '@' + until : '0';
}
