/** What a secret is replaced with in output. */
export const REDACTED = '[REDACTED]';

/**
 * Anything shaped like a compact JWS whose header is a JSON object (base64url of `{` starts
 * with `e`); the 15-character minimum (`{"alg":"x"}`) keeps host names and versions intact.
 */
const JWS_LIKE = /\be[A-Za-z0-9_-]{14,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER_CREDENTIALS = /\b(Bearer\s+)[^\s,;"']+/gi;

/** Enough for every token seen across several rotations, bounded for a client that loops for months. */
const REMEMBERED_SECRETS = 8;

/**
 * Removes secrets from text before it is printed. Tokens the client has used are removed
 * exactly; anything that looks like a JWT or bearer credentials is removed by shape, so that a
 * value never handed to {@link remember} (a gateway echoing a header, a token pasted as a
 * command-line argument) does not leak either.
 */
export class Redactor {
  readonly #secrets: string[] = [];

  remember(secret: string): void {
    if (secret === '' || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    if (this.#secrets.length > REMEMBERED_SECRETS) this.#secrets.shift();
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.replaceAll(secret, REDACTED);
    return result.replace(JWS_LIKE, REDACTED).replace(BEARER_CREDENTIALS, `$1${REDACTED}`);
  }
}
