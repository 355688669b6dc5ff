import { fail } from './errors.ts';
import { execText, matchesText } from './header-text.ts';

/** RFC 6750 section 2.1: b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+\/]+=*$/;
const CREDENTIALS = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?: +(.*))?$/;

/**
 * The bearer token in the Authorization header values of a request, or undefined
 * when there are no bearer credentials (no header, or another scheme such as
 * Basic). An empty or garbled bearer credential, or two Authorization headers,
 * is a malformed request.
 */
export function bearerToken(authorization: string[]): string | undefined {
  if (authorization.length === 0) {
    return undefined;
  }
  if (authorization.length > 1) {
    return fail('ERR_REQUEST_INVALID', 'request has ' + authorization.length + ' Authorization headers');
  }
  const credentials = execText(CREDENTIALS, authorization[0]);
  if (credentials === null) {
    return fail('ERR_REQUEST_INVALID', 'Authorization header is malformed');
  }
  if (credentials[1].toLowerCase() !== 'bearer') {
    return undefined;
  }
  const token = credentials[2];
  if (token === undefined || !matchesText(B64TOKEN, token)) {
    return fail('ERR_REQUEST_INVALID', 'bearer token is empty or not a b64token');
  }
  return token;
}
