import { bearerToken } from './bearer.ts';
import { fail } from './errors.ts';

/** Where a request may carry its token. Cookie and query argument only count when configured. */
export interface PresentedToken {
  /** Values of every Authorization header, in order. */
  authorization: string[];
  /** The configured cookie's value, if the request has it. */
  cookie: string | undefined;
  /** The configured query argument's values, in order. */
  queryArg: string[];
}

/**
 * The one token a request presents. A token in two places at once is a malformed
 * request (RFC 6750 section 2: clients MUST NOT use more than one method), since
 * two verifiers could otherwise look at two different tokens.
 */
export function locateToken(presented: PresentedToken): string {
  let count = presented.queryArg.length;
  let token = presented.queryArg[0];
  const bearer = bearerToken(presented.authorization);
  if (bearer !== undefined) {
    count++;
    token = bearer;
  }
  if (presented.cookie !== undefined) {
    count++;
    token = presented.cookie;
  }
  if (count === 0) {
    fail('ERR_TOKEN_MISSING', presented.authorization.length === 0 ? 'no token presented' : 'Authorization scheme is not Bearer');
  }
  if (count > 1) {
    fail('ERR_REQUEST_INVALID', 'the request presents ' + count + ' tokens');
  }
  if (token === '') {
    fail('ERR_REQUEST_INVALID', 'the presented token is empty');
  }
  return token;
}
