import querystring from 'querystring';
import { authenticate, type Credentials, type Outcome } from './authenticate.ts';
import { gatewayError, isGatewayError, type GatewayError } from './errors.ts';
import { logSafe } from './log-safe.ts';
import type { Settings } from './settings.ts';

/**
 * Keys from a remote JWK Set (`$jwt_jwks_uri`). NGINX keeps the set, not njs
 * (0.7.9 has no memory shared between requests): the internal location
 * `/_jwt_jwks` of nginx/nginx.conf answers from NGINX's proxy cache, which only
 * ever holds a set the fetcher (key-set-fetcher.ts) has checked, and serves
 * the last good copy while fetches fail.
 */
const KEY_SET_LOCATION = '/_jwt_jwks';

type Fetched = { keySet: unknown; failure?: undefined } | { keySet?: undefined; failure: GatewayError };

/**
 * Authenticates with the cached remote set. A kid the set lacks may be a key
 * the issuer has just rotated in, so it earns one refetch past the cache; the
 * fetcher rate-limits refetches per URL, so a flood of made-up kids costs the
 * key server at most one fetch per interval. A refused or failed refetch
 * leaves the refusal as it was: no new keys, never an open door.
 */
export async function authenticateWithRemoteKeySet(r: NginxHTTPRequest, credentials: Credentials, settings: Settings, revoked: unknown): Promise<Outcome> {
  const cached = await remoteKeySet(r, settings, false);
  if (cached.failure !== undefined) {
    return { failure: cached.failure };
  }
  const outcome = await authenticate(credentials, settings, { keySet: cached.keySet, revoked });
  if (!isGatewayError(outcome.failure) || outcome.failure.code !== 'ERR_KID_UNKNOWN') {
    return outcome;
  }
  const refetched = await remoteKeySet(r, settings, true);
  if (refetched.failure !== undefined) {
    return outcome;
  }
  return authenticate(credentials, settings, { keySet: refetched.keySet, revoked });
}

async function remoteKeySet(r: NginxHTTPRequest, settings: Settings, refetch: boolean): Promise<Fetched> {
  const query: { [name: string]: string } = { uri: settings.jwksUri as string, cache_time: String(settings.jwksCacheTime) };
  if (refetch) {
    query.refetch = '1';
  }
  const reply = await r.subrequest(KEY_SET_LOCATION, { args: querystring.stringify(query), method: 'GET' });
  if (reply.status !== 200) {
    return {
      failure: gatewayError('ERR_JWKS_UNAVAILABLE', 'no checked copy of the remote key set ' + logSafe(settings.jwksUri) +
        ': ' + KEY_SET_LOCATION + ' answered ' + reply.status),
    };
  }
  // The fetcher wrote this text with JSON.stringify, so it parses.
  return { keySet: JSON.parse(reply.responseText as string) };
}
