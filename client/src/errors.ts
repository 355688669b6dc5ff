/**
 * Typed errors with stable codes, in the style of jose: callers branch on `code`, people read
 * `message`. Messages name where the secret comes from and what is wrong with it, never the
 * secret itself, and always fit on one line so that a log line is one event.
 */

/** Stable codes of the errors this client throws. */
export type ApiClientErrorCode =
  | 'ERR_APICLIENT'
  | 'ERR_USAGE'
  | 'ERR_SECRET_NOT_FOUND'
  | 'ERR_SECRET_UNREADABLE'
  | 'ERR_SECRET_MALFORMED'
  | 'ERR_GATEWAY_UNREACHABLE';

export class ApiClientError extends Error {
  static code: ApiClientErrorCode = 'ERR_APICLIENT';
  code: ApiClientErrorCode = 'ERR_APICLIENT';

  constructor(message: string, options?: ErrorOptions) {
    super(message.replace(/[\r\n]+/g, ' '), options);
    this.name = new.target.name;
  }
}

/** Invalid command-line arguments or configuration. */
export class UsageError extends ApiClientError {
  static override code: ApiClientErrorCode = 'ERR_USAGE';
  override code: ApiClientErrorCode = 'ERR_USAGE';
}

/** The secret does not exist: missing file, unset variable, no token compiled in. */
export class SecretNotFound extends ApiClientError {
  static override code: ApiClientErrorCode = 'ERR_SECRET_NOT_FOUND';
  override code: ApiClientErrorCode = 'ERR_SECRET_NOT_FOUND';
}

/** The secret exists but cannot be read: permissions, not a regular file, I/O error. */
export class SecretUnreadable extends ApiClientError {
  static override code: ApiClientErrorCode = 'ERR_SECRET_UNREADABLE';
  override code: ApiClientErrorCode = 'ERR_SECRET_UNREADABLE';
}

/** Why a secret's value is not a usable token. */
export type MalformedReason = 'empty' | 'multiline' | 'whitespace' | 'too-large' | 'not-jws';

/** The secret was read but its value is not a single compact JWS. */
export class SecretMalformed extends ApiClientError {
  static override code: ApiClientErrorCode = 'ERR_SECRET_MALFORMED';
  override code: ApiClientErrorCode = 'ERR_SECRET_MALFORMED';
  readonly reason: MalformedReason;

  constructor(message: string, reason: MalformedReason) {
    super(message);
    this.reason = reason;
  }
}

/** No HTTP answer from the gateway: refused, timed out, reset, host not found. */
export class GatewayUnreachable extends ApiClientError {
  static override code: ApiClientErrorCode = 'ERR_GATEWAY_UNREACHABLE';
  override code: ApiClientErrorCode = 'ERR_GATEWAY_UNREACHABLE';
}

/** How an error is reported: its code and message, or for an unexpected error only its message. */
export function formatError(error: unknown): string {
  if (error instanceof ApiClientError) return `error ${error.code}: ${error.message}`;
  return `error ERR_UNEXPECTED: ${error instanceof Error ? error.message : String(error)}`;
}
