import { fail } from './errors.ts';
import { matchesText } from './header-text.ts';

/**
 * RFC 6750 section 2.1: b64token. The patterns end in a lookahead, not `$`:
 * njs's PCRE2 lets `$` match before a final newline, which JavaScript does not.
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+\/]+=*(?![\s\S])/;
/** An auth-scheme, then optionally spaces and the rest of the line. Without captures: a capture of non-UTF-8 bytes makes njs throw on the next match. */
const CREDENTIALS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?: +.*)?(?![\s\S])/;

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
  const credentials = authorization[0];
  const space = credentials.indexOf(' ');
  if ((space < 0 ? credentials : credentials.slice(0, space)).toLowerCase() !== 'bearer') {
    if (!matchesText(CREDENTIALS, credentials)) {
      return fail('ERR_REQUEST_INVALID', 'Authorization header is malformed');
    }
    return undefined;
  }
  // A b64token after "Bearer" and spaces is also well-formed credentials.
  let start = space + 1;
  while (space >= 0 && credentials.charCodeAt(start) === 0x20) {
    start++;
  }
  const token = space < 0 ? '' : credentials.slice(start);
  if (!matchesText(B64TOKEN, token)) {
    return fail('ERR_REQUEST_INVALID', 'bearer token is empty or not a b64token');
  }
  return token;
}
