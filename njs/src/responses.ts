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

const CLIENT_ERRORS: { [code: string]: { status: 400 | 401 | 403; error: string | undefined } } = {
  ERR_TOKEN_MISSING: { status: 401, error: undefined },
  ERR_REQUEST_INVALID: { status: 400, error: 'invalid_request' },
  ERR_INSUFFICIENT_SCOPE: { status: 403, error: 'insufficient_scope' },
};

const SERVER_FAULTS: ErrorCode[] = ['ERR_JWKS_INVALID', 'ERR_JWKS_UNAVAILABLE', 'ERR_SETTING_INVALID'];

/**
 * The RFC 6750 answer to a failed authentication: no credentials get a bare
 * challenge, a malformed request 400 invalid_request, any token that does not
 * pass 401 invalid_token, a valid token that does not grant access here 403
 * insufficient_scope. The body says no more than the challenge; the reason
 * goes to the error log only.
 */
export function denialFor(failure: unknown, realm: string): Denial {
  if (!isGatewayError(failure) || SERVER_FAULTS.indexOf(failure.code) >= 0) {
    return {
      status: 500,
      challenge: undefined,
      error: undefined,
      body: JSON.stringify({ response: 'error', authorized: false }) + '\n',
      serverFault: true,
    };
  }
  const known = CLIENT_ERRORS[failure.code];
  const status = known === undefined ? 401 : known.status;
  const error = known === undefined ? 'invalid_token' : known.error;
  const challenge = 'Bearer realm="' + realm + '"' + (error === undefined ? '' : ', error="' + error + '"');
  const response = status === 400 ? 'bad request' : status === 403 ? 'forbidden' : 'unauthorized';
  const body = JSON.stringify({ response, authorized: false, error });
  return { status, challenge, error, body: body + '\n', serverFault: false };
}
