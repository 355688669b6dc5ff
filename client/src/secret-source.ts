/**
 * Where the client's token comes from. The four tutorial modes differ only in which source
 * they use; a secrets manager with an API (Vault, a cloud secret store) would be one more
 * implementation of this interface, with `token()` serving a cached lease and `reload()`
 * fetching a fresh one.
 */
export interface SecretSource {
  /** Names the origin of the secret for messages, e.g. `file "/run/secrets/jot"`; never the secret. */
  readonly description: string;

  /**
   * The current token, validated. Called before every request, so it must be cheap when
   * nothing changed; a source whose secret can rotate notices the change here.
   */
  token(): Promise<string>;

  /**
   * Reads the secret again from its origin, bypassing any change detection. Called after the
   * gateway rejected the current token, in case it was rotated in a way `token()` cannot see.
   */
  reload(): Promise<string>;
}
