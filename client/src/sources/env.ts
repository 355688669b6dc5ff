import { UsageError } from '../errors.ts';
import type { SecretSource } from '../secret-source.ts';
import { FileSecretSource } from './file.ts';
import { FixedSecretSource } from './fixed.ts';

export const TOKEN_VARIABLE = 'JWT';
/** The `<NAME>_FILE` convention of official container images: the variable holds a path. */
export const TOKEN_FILE_VARIABLE = 'JWT_FILE';

/**
 * The tutorial's Challenge 2: the token in `JWT`, where `docker inspect` shows it. `JWT_FILE`
 * names a file instead, which keeps the value out of the container's configuration and can
 * rotate. Setting both is an error rather than a silent precedence rule.
 */
export function envSecret(env: NodeJS.ProcessEnv = process.env): SecretSource {
  const value = env[TOKEN_VARIABLE];
  const file = env[TOKEN_FILE_VARIABLE];
  if (value !== undefined && file !== undefined) {
    throw new UsageError(`environment variables ${TOKEN_VARIABLE} and ${TOKEN_FILE_VARIABLE} are both set; set one`);
  }
  if (file !== undefined) {
    if (file === '') throw new UsageError(`environment variable ${TOKEN_FILE_VARIABLE} is empty; expected a path`);
    return new FileSecretSource(file, `file ${JSON.stringify(file)} (from ${TOKEN_FILE_VARIABLE})`);
  }
  return new FixedSecretSource(
    `environment variable ${TOKEN_VARIABLE}`,
    value,
    `is not set (set ${TOKEN_VARIABLE} to the token, or ${TOKEN_FILE_VARIABLE} to a file holding it)`,
  );
}
