/**
 * The njs module NGINX imports (`js_import jwt from jwt-gateway.js;`). It exports
 * only its default object, as njs requires. Keys come from the JWK Set that
 * `js_preload_object jwks from <file>;` parses once at startup and shares,
 * read-only, with every request.
 */
import { authenticate } from './authenticate.ts';
import { fail, gatewayError, isGatewayError } from './errors.ts';
import { denialFor, TUTORIAL_BODY } from './responses.ts';
import { DEFAULT_SETTINGS, readSettings, type Settings, type Variables } from './settings.ts';

declare const jwks: unknown;

/** Settings of this location, and a check that the configuration preloads a key set. */
function configuration(r: NginxHTTPRequest): Settings {
  const settings = readSettings(r.variables as Variables);
  if (typeof jwks === 'undefined') {
    fail('ERR_JWKS_INVALID', 'no key set: the configuration lacks "js_preload_object jwks from <file>;"');
  }
  return settings;
}

function authorizationHeaders(r: NginxHTTPRequest): string[] {
  return r.rawHeadersIn
    .filter(function (header) { return header[0].toLowerCase() === 'authorization'; })
    .map(function (header) { return header[1]; });
}

/**
 * The tutorial's API: 200 with `X-MESSAGE: Success <sub>` and its JSON body for a
 * token that verifies, an RFC 6750 denial for anything else.
 */
async function tutorial(r: NginxHTTPRequest): Promise<void> {
  let settings: Settings;
  try {
    settings = configuration(r);
  } catch (e) {
    return deny(r, e, DEFAULT_SETTINGS.realm);
  }
  const outcome = await authenticate({ authorization: authorizationHeaders(r), now: Date.now() / 1000 }, settings, jwks);
  if (outcome.identity === undefined) {
    return deny(r, outcome.failure, settings.realm);
  }
  r.headersOut['X-MESSAGE'] = 'Success ' + outcome.identity.subject;
  r.headersOut['Content-Type'] = 'application/json';
  r.return(200, TUTORIAL_BODY);
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
  deny(r, gatewayError('ERR_REQUEST_INVALID', 'NGINX refused the request as malformed'), realm);
}

function deny(r: NginxHTTPRequest, failure: unknown, realm: string): void {
  const denial = denialFor(failure, realm);
  const reason = isGatewayError(failure) ? failure.code + ': ' + failure.message : String(failure);
  if (denial.serverFault) {
    r.error('jwt: ' + reason);
  } else {
    r.warn('jwt: denied (' + denial.status + '): ' + reason);
  }
  if (denial.challenge !== undefined) {
    r.headersOut['WWW-Authenticate'] = denial.challenge;
  }
  r.headersOut['Content-Type'] = 'application/json';
  r.return(denial.status, denial.body);
}

export default { tutorial, malformedRequest };
