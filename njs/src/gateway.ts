/**
 * The njs module NGINX imports (`js_import jwt from jwt-gateway.js;`). It exports
 * only its default object, as njs requires. Keys come from the JWK Set that
 * `js_preload_object jwks from <file>;` parses once at startup and shares,
 * read-only, with every request.
 */
import { authenticate } from './authenticate.ts';
import { fail, isGatewayError } from './errors.ts';
import { denialFor, TUTORIAL_BODY } from './responses.ts';
import { DEFAULT_SETTINGS, readSettings, type Variables } from './settings.ts';

declare const jwks: unknown;

function keySet(): unknown {
  if (typeof jwks === 'undefined') {
    fail('ERR_JWKS_INVALID', 'no key set: the configuration lacks "js_preload_object jwks from <file>;"');
  }
  return jwks;
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
  let realm = DEFAULT_SETTINGS.realm;
  try {
    const settings = readSettings(r.variables as Variables);
    realm = settings.realm;
    const identity = await authenticate({ authorization: authorizationHeaders(r), now: Date.now() / 1000 }, settings, keySet());
    r.headersOut['X-MESSAGE'] = 'Success ' + identity.subject;
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, TUTORIAL_BODY);
  } catch (e) {
    deny(r, e, realm);
  }
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

export default { tutorial };
