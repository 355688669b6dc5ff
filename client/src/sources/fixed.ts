import { SecretNotFound } from '../errors.ts';
import type { SecretSource } from '../secret-source.ts';
import { parseToken } from '../token-format.ts';

/**
 * A secret fixed for the life of the process: compiled in, or taken from the environment.
 * Rotating it means restarting the client, which is one of the tutorial's points against both.
 */
export class FixedSecretSource implements SecretSource {
  readonly description: string;
  readonly #value: string | undefined;
  readonly #whenMissing: string;

  /** `whenMissing` completes the sentence "<description> ..." when there is no value at all. */
  constructor(description: string, value: string | undefined, whenMissing: string) {
    this.description = description;
    this.#value = value;
    this.#whenMissing = whenMissing;
  }

  async token(): Promise<string> {
    if (this.#value === undefined) throw new SecretNotFound(`${this.description} ${this.#whenMissing}`);
    return parseToken(this.#value, this.description);
  }

  reload(): Promise<string> {
    return this.token();
  }
}
