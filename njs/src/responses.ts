import { isGatewayError, type ErrorCode } from './errors.ts';

export interface Denial {
  status: 400 | 401 | 403 | 500;
  /** WWW-Authenticate value, when the answer is a challenge. */
  challenge: string | undefined;
  /** RFC 6750 error code, when there is one. */
  error: string | undefined;
  body: string;
  /** Whether the cause is the gateway's configuration rather than the request. */
  serverFault: boolean;
}

/** The status and RFC 6750 error code of a refusal that is the client's doing. */
function clientError(code: ErrorCode): { status: 400 | 401 | 403; error: string | undefined } {
  // A switch, not a table: NGINX reruns a module's top level in every request, most of them granted.
  switch (code) {
    case 'ERR_TOKEN_MISSING': return { status: 401, error: undefined };
    case 'ERR_REQUEST_INVALID': return { status: 400, error: 'invalid_request' };
    case 'ERR_INSUFFICIENT_SCOPE': return { status: 403, error: 'insufficient_scope' };
    default: return { status: 401, error: 'invalid_token' };
  }
}

function isServerFault(code: ErrorCode): boolean {
  return code === 'ERR_JWKS_INVALID' || code === 'ERR_JWKS_UNAVAILABLE' || code === 'ERR_SETTING_INVALID';
}

/**
 * The RFC 6750 answer to a failed authentication: no credentials get a bare
 * challenge, a malformed request 400 invalid_request, any token that does not
 * pass 401 invalid_token, a valid token that does not grant access here 403
 * insufficient_scope. The body says no more than the challenge; the reason
 * goes to the error log only.
 */
export function denialFor(failure: unknown, realm: string): Denial {
  if (!isGatewayError(failure) || isServerFault(failure.code)) {
    return {
      status: 500,
      challenge: undefined,
      error: undefined,
      body: JSON.stringify({ response: 'error', authorized: false }) + '\n',
      serverFault: true,
    };
  }
  const known = clientError(failure.code);
  const status = known.status;
  const error = known.error;
  const challenge = 'Bearer realm="' + realm + '"' + (error === undefined ? '' : ', error="' + error + '"');
  const response = status === 400 ? 'bad request' : status === 403 ? 'forbidden' : 'unauthorized';
  const body = JSON.stringify({ response, authorized: false, error });
  return { status, challenge, error, body: body + '\n', serverFault: false };
}
