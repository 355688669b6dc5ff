import { isGatewayError } from './errors.ts';
import { describeSummary, inspectJwkSet } from './jwk-set.ts';

/**
 * Reads and checks a JWK Set file, naming the file in every failure. Shared by the
 * njs CLI check run before NGINX starts and by the Node tools; `readText` is
 * `fs.readFileSync` of either runtime.
 */
export function checkJwksFile(path: string, readText: (path: string, encoding: 'utf8') => string): string {
  let text: string;
  try {
    text = readText(path, 'utf8');
  } catch (e) {
    throw new Error('key set ' + path + ' cannot be read: ' + (e instanceof Error ? e.message : String(e)));
  }
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
