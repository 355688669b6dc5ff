import { fail } from './errors.ts';

/** RFC 6750 section 2.1: b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+\/]+=*$/;
const CREDENTIALS = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?: +(.*))?$/;

/**
 * Finds the bearer token in the Authorization header values of a request.
 * Another scheme (Basic, ...) is no bearer credentials at all; an empty or
 * garbled bearer credential, or two Authorization headers, is a malformed request.
 */
export function extractBearerToken(authorization: string[]): string {
  if (authorization.length === 0) {
    return fail('ERR_TOKEN_MISSING', 'no Authorization header');
  }
  if (authorization.length > 1) {
    return fail('ERR_REQUEST_INVALID', 'request has ' + authorization.length + ' Authorization headers');
  }
  const credentials = CREDENTIALS.exec(authorization[0]);
  if (credentials === null) {
    return fail('ERR_REQUEST_INVALID', 'Authorization header is malformed');
  }
  if (credentials[1].toLowerCase() !== 'bearer') {
    return fail('ERR_TOKEN_MISSING', 'Authorization scheme is not Bearer');
  }
  const token = credentials[2];
  if (token === undefined || !B64TOKEN.test(token)) {
    return fail('ERR_REQUEST_INVALID', 'bearer token is empty or not a b64token');
  }
  return token;
}
