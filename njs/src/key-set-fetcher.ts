import querystring from 'querystring';
import { isGatewayError } from './errors.ts';
import { inspectJwkSet } from './jwk-set.ts';
import { logSafe } from './log-safe.ts';
import { readSettings, type Settings } from './settings.ts';

/** Far above any real key set; bounds what the cache holds and every request parses (nginx/nginx.conf sizes its buffers to match). */
const MAX_KEY_SET_BYTES = 65536;

type Fetched = { value: unknown; text: string; failure?: undefined } | { value?: undefined; text?: undefined; failure: string };

/**
 * `js_content jwt.fetchKeySet;` in the loopback-only server of nginx/nginx.conf
 * that NGINX's key-set cache proxies to. Fetches the JWK Set at `?uri=` and
 * answers 200 with it, fresh for `?cache_time=` seconds (X-Accel-Expires), only
 * when it passes the same check as a key file; anything else answers 502, so
 * the cache keeps serving the last good copy. A refusal is logged at warn: the
 * gateway goes on with the keys it had.
 */
export function fetchKeySet(r: NginxHTTPRequest): Promise<void> | void {
  let settings: Settings;
  try {
    const args = querystring.parse(r.variables.args || '');
    settings = readSettings({ jwt_jwks_uri: String(args.uri || ''), jwt_jwks_cache_time: String(args.cache_time || '') });
  } catch (e) {
    r.error('jwt: key set fetcher: ' + (isGatewayError(e) ? e.message : String(e)));
    r.return(400);
    return;
  }
  const uri = settings.jwksUri;
  if (uri === undefined) {
    r.error('jwt: key set fetcher: no ?uri=');
    r.return(400);
    return;
  }
  return fetchJson(uri).then(function (fetched) {
    if (fetched.failure !== undefined) {
      return refuse(r, uri, fetched.failure);
    }
    try {
      inspectJwkSet(fetched.value);
    } catch (e) {
      return refuse(r, uri, isGatewayError(e) ? e.message : String(e));
    }
    r.headersOut['Content-Type'] = 'application/json';
    r.headersOut['X-Accel-Expires'] = String(settings.jwksCacheTime);
    r.return(200, fetched.text);
  });
}

/**
 * The parsed body of a 200 answer, and its JSON text, at most MAX_KEY_SET_BYTES.
 * The fetcher server's `js_fetch_timeout` bounds the time, and its
 * `js_fetch_max_response_buffer_size` an answer with a Content-Length; njs 0.7.9
 * applies that limit to each chunk of a chunked answer, not the whole, hence the
 * check of the text. Every failure becomes a value: in njs 0.7.9 an
 * exception thrown after the response arrived (JSON.parse of a garbled body,
 * say) makes njs log deprecation warnings, while a rejection of Response.json()
 * handled here does not.
 */
function fetchJson(uri: string): Promise<Fetched> {
  return ngx.fetch(uri, { headers: { Accept: 'application/json' } }).then(function (response): Fetched | Promise<Fetched> {
    if (response.status !== 200) {
      return { failure: 'the key server answered ' + response.status };
    }
    return response.json().then(function (value): Fetched {
      const text = JSON.stringify(value);
      return text.length > MAX_KEY_SET_BYTES ? { failure: 'the key set is larger than ' + MAX_KEY_SET_BYTES + ' bytes' } : { value, text };
    }, function (): Fetched {
      return { failure: 'the answer is not JSON' };
    });
  }).catch(function (e): Fetched {
    return { failure: 'fetch failed: ' + String(e) };
  });
}

function refuse(r: NginxHTTPRequest, uri: string, reason: string): void {
  r.warn('jwt: remote key set ' + logSafe(uri) + ' refused, the last good copy stays in use: ' + reason);
  r.return(502);
}
