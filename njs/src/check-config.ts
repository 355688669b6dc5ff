/**
 * `njs check-config.js JWKS_FILE [NGINX_CONF ...]`: the startup check, run by the
 * njs CLI with the same code NGINX runs: the key set, and the gateway settings
 * each configuration file sets. Prints a summary, or throws (exit status 1) with
 * a message naming the file and the problem.
 */
import fs from 'fs';
import { checkConfigFile, checkJwksFile } from './jwks-file.ts';

const readText = fs.readFileSync as (path: string, encoding: 'utf8') => string;
const args = process.argv.slice(2);
if (args.length === 0 || args[0] === '') {
  throw new Error('usage: njs check-config.js JWKS_FILE [NGINX_CONF ...]');
}
console.log(checkJwksFile(args[0], readText));
args.slice(1).forEach(function (conf) {
  console.log(checkConfigFile(conf, readText));
});
