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

/** The status, RFC 6750 error code and body of a refusal that is the client's doing. */
function clientError(code: ErrorCode): { status: 400 | 401 | 403; error: string | undefined; body: string } {
  // A switch, not a table: NGINX reruns a module's top level in every request, most of them granted.
  // The bodies are literal JSON: JSON.stringify cost 2-3 us per refusal.
  switch (code) {
    case 'ERR_TOKEN_MISSING':
      return { status: 401, error: undefined, body: '{"response":"unauthorized","authorized":false}\n' };
    case 'ERR_REQUEST_INVALID':
      return { status: 400, error: 'invalid_request', body: '{"response":"bad request","authorized":false,"error":"invalid_request"}\n' };
    case 'ERR_INSUFFICIENT_SCOPE':
      return { status: 403, error: 'insufficient_scope', body: '{"response":"forbidden","authorized":false,"error":"insufficient_scope"}\n' };
    default:
      return { status: 401, error: 'invalid_token', body: '{"response":"unauthorized","authorized":false,"error":"invalid_token"}\n' };
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
      body: '{"response":"error","authorized":false}\n',
      serverFault: true,
    };
  }
  const known = clientError(failure.code);
  const challenge = 'Bearer realm="' + realm + '"' + (known.error === undefined ? '' : ', error="' + known.error + '"');
  return { status: known.status, challenge, error: known.error, body: known.body, serverFault: false };
}
