import { checkSettingsInConfig } from './config-settings.ts';
import { isGatewayError } from './errors.ts';
import { describeSummary, inspectJwkSet } from './jwk-set.ts';

type ReadText = (path: string, encoding: 'utf8') => string;

/**
 * Reads and checks a JWK Set file, naming the file in every failure. Shared by the
 * njs CLI check run before NGINX starts and by the Node tools; `readText` is
 * `fs.readFileSync` of either runtime.
 */
export function checkJwksFile(path: string, readText: ReadText): string {
  const text = read(path, 'key set', readText);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error('key set ' + path + ' is not JSON');
  }
  try {
    return 'key set ' + path + ': ' + describeSummary(inspectJwkSet(value));
  } catch (e) {
    throw new Error('key set ' + path + ' is invalid: ' + (isGatewayError(e) ? e.message : String(e)));
  }
}

/** Checks the settings an NGINX configuration file sets literally; throws listing every problem. */
export function checkConfigFile(path: string, readText: ReadText): string {
  const problems = checkSettingsInConfig(read(path, 'configuration', readText), path);
  if (problems.length > 0) {
    throw new Error('bad gateway settings:\n' + problems.join('\n'));
  }
  return 'settings in ' + path + ': ok';
}

function read(path: string, what: string, readText: ReadText): string {
  try {
    return readText(path, 'utf8');
  } catch (e) {
    throw new Error(what + ' ' + path + ' cannot be read: ' + (e instanceof Error ? e.message : String(e)));
  }
}
