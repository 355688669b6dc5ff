/**
 * The njs module NGINX imports (`js_import jwt from jwt-gateway.js;`). It exports
 * only its default object, as njs requires. Keys come from the JWK Set that
 * `js_preload_object jwks from <file>;` parses once at startup and shares,
 * read-only, with every request, or where `$jwt_jwks_uri` is set, from that
 * remote set as NGINX caches it; a revocation list, when configured, from
 * `js_preload_object revoked from <file>;`.
 */
import querystring from 'querystring';
import { authenticate, isPending, type Authenticated, type Outcome } from './authenticate.ts';
import { cacheUntil } from './cache-lifetime.ts';
import { claimVariables } from './claim-variables.ts';
import { fail, gatewayError, isGatewayError } from './errors.ts';
import { fetchKeySet } from './key-set-fetcher.ts';
import { authenticateWithRemoteKeySet } from './remote-key-set.ts';
import { denialFor, type Denial } from './responses.ts';
import { DEFAULT_SETTINGS, FORWARDED_SETTINGS_VARIABLE, readForwardedSettings, readSettings, type Settings, type Variables } from './settings.ts';
import type { PresentedToken } from './token-location.ts';
import { tutorialAnswer } from './tutorial.ts';

declare const jwks: unknown;
declare const revoked: unknown;

/**
 * Settings of this location (in the verifier: of the location the request came
 * from), and a check that the configuration preloads a key set where no remote
 * one is set.
 */
function configuration(r: NginxHTTPRequest): Settings {
  const forwarded = r.variables[FORWARDED_SETTINGS_VARIABLE];
  const settings = forwarded ? readForwardedSettings(forwarded) : readSettings(r.variables as Variables);
  if (settings.jwksUri === undefined && typeof jwks === 'undefined') {
    fail('ERR_JWKS_INVALID', 'no key set: the configuration lacks "js_preload_object jwks from <file>;"');
  }
  return settings;
}

function revocationList(): unknown {
  return typeof revoked === 'undefined' ? undefined : revoked;
}

/**
 * The token wherever the settings allow it. The query is read from $request_uri,
 * which an auth_request subrequest shares with the request it authorizes, and
 * which the token cache passes on to the verifier.
 */
function presentedToken(r: NginxHTTPRequest, settings: Settings): PresentedToken {
  const authorization: string[] = [];
  const headers = r.rawHeadersIn;
  for (let i = 0; i < headers.length; i++) {
    if (headers[i][0].length === 13 && headers[i][0].toLowerCase() === 'authorization') {
      authorization.push(headers[i][1]);
    }
  }
  const presented: PresentedToken = {
    authorization,
    cookie: settings.tokenCookie === undefined ? undefined : r.variables['cookie_' + settings.tokenCookie],
    queryArg: [],
  };
  const requestUri = r.variables.request_uri || '';
  const query = requestUri.indexOf('?');
  if (settings.tokenArg !== undefined && query >= 0) {
    const value = querystring.parse(requestUri.slice(query + 1))[settings.tokenArg];
    presented.queryArg = value === undefined ? [] : ([] as string[]).concat(value);
  }
  return presented;
}

type Respond = (settings: Settings, outcome: Outcome, now: number) => void;

/**
 * Authenticates the request and hands the outcome to `respond`: at once when no
 * WebCrypto call was needed (HS256, most refusals), else when it has answered.
 * A configuration error is answered at once.
 */
function check(r: NginxHTTPRequest, respond: Respond): Promise<void> | void {
  let settings: Settings;
  try {
    settings = configuration(r);
  } catch (e) {
    return send(r, logged(r, denialFor(e, DEFAULT_SETTINGS.realm), e));
  }
  const now = Date.now() / 1000;
  const credentials = { presented: presentedToken(r, settings), now };
  const outcome = settings.jwksUri === undefined
    ? authenticate(credentials, settings, { keySet: jwks, revoked: revocationList() })
    : authenticateWithRemoteKeySet(r, credentials, settings, revocationList());
  if (isPending(outcome)) {
    return outcome.then(function (settled) { answer(r, respond, settings, settled, now); });
  }
  answer(r, respond, settings, outcome, now);
}

function answer(r: NginxHTTPRequest, respond: Respond, settings: Settings, outcome: Outcome, now: number): void {
  try {
    respond(settings, outcome, now);
  } catch (e) {
    // The client went away while the check awaited: NGINX has no one to answer.
    // (The error is not printed: turning it into text makes njs 0.7.9 walk the
    // request object and log deprecation warnings.)
    r.log('jwt: no answer sent: the client closed the connection');
  }
}

/**
 * `js_content jwt.tutorial;`: the tutorial's API server. A success also sets
 * `$jwt_cache_until`, how long the token cache may repeat it (X-Accel-Expires).
 */
function tutorial(r: NginxHTTPRequest): Promise<void> | void {
  return check(r, function (settings, outcome, now) {
    const answer = tutorialAnswer(outcome, settings.realm);
    if (answer.failure !== undefined) {
      logged(r, denialFor(answer.failure, settings.realm), answer.failure);
    } else {
      r.variables.jwt_cache_until = cacheUntil((outcome.identity as Authenticated).claims, settings, now);
    }
    for (const name in answer.headers) {
      r.headersOut[name] = answer.headers[name];
    }
    r.return(answer.status, answer.body);
  });
}

/**
 * `js_content jwt.authorize;`, the verifier's answer for jwt-authorize.conf. On
 * success it fills the `$jwt_claim_*`, `$jwt_header_*` and `$jwt_payload`
 * variables (jwt-verifier.conf sends them back as headers) and answers 204. On
 * failure it answers 401 (or 403, the only codes auth_request passes on) and
 * leaves the real answer in `$jwt_denial` for `jwt.denied` to send. A success
 * also sets `$jwt_cache_until`, how long the token cache may repeat it.
 */
function authorize(r: NginxHTTPRequest): Promise<void> | void {
  return check(r, function (settings, outcome, now) {
    if (outcome.identity !== undefined) {
      const values = claimVariables(outcome.identity);
      for (const name in values) {
        r.variables[name] = values[name];
      }
      r.variables.jwt_cache_until = cacheUntil(outcome.identity.claims, settings, now);
      r.return(204);
      return;
    }
    const denial = logged(r, denialFor(outcome.failure, settings.realm), outcome.failure);
    r.variables.jwt_denial = JSON.stringify(denial);
    if (denial.challenge !== undefined) {
      r.headersOut['WWW-Authenticate'] = denial.challenge;
    }
    r.return(denial.status === 403 ? 403 : 401);
  });
}

/** `error_page 401 403 = @jwt_denied;` target: sends the denial `jwt.authorize` decided. */
function denied(r: NginxHTTPRequest): void {
  const saved = r.variables.jwt_denial;
  const denial = saved ? JSON.parse(saved) as Denial : denialFor(gatewayError('ERR_TOKEN_MISSING', 'denied'), DEFAULT_SETTINGS.realm);
  send(r, denial);
}

/**
 * `error_page 400 = @...` target: NGINX refuses some malformed requests itself
 * before any location runs (two Authorization headers, for one); answer them
 * with the same RFC 6750 invalid_request as the module's own checks.
 */
function malformedRequest(r: NginxHTTPRequest): void {
  let realm = DEFAULT_SETTINGS.realm;
  try {
    realm = readSettings(r.variables as Variables).realm;
  } catch (e) {
    // The malformed request is the answer worth giving; a bad realm is reported by every other request.
  }
  const failure = gatewayError('ERR_REQUEST_INVALID', 'NGINX refused the request as malformed');
  send(r, logged(r, denialFor(failure, realm), failure));
}

/** Logs why a request was refused (never the token) and passes the denial on. */
function logged(r: NginxHTTPRequest, denial: Denial, failure: unknown): Denial {
  const reason = isGatewayError(failure) ? failure.code + ': ' + failure.message : String(failure);
  if (denial.serverFault) {
    r.error('jwt: ' + reason);
  } else if (denial.error === undefined) {
    // No credentials at all is routine (first requests, health checks): info, not warn.
    r.log('jwt: challenged (' + denial.status + '): ' + reason);
  } else {
    r.warn('jwt: denied (' + denial.status + '): ' + reason);
  }
  return denial;
}

function send(r: NginxHTTPRequest, denial: Denial): void {
  if (denial.challenge !== undefined) {
    r.headersOut['WWW-Authenticate'] = denial.challenge;
  }
  r.headersOut['Content-Type'] = 'application/json';
  r.return(denial.status, denial.body);
}

export default { tutorial, authorize, denied, malformedRequest, fetchKeySet };
