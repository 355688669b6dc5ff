/**
 * The startup checks, run by the njs CLI with the same code NGINX runs:
 *   njs check-config.js JWKS_FILE [NGINX_CONF ...]
 *     the key set, and the gateway settings each configuration file sets: prints a
 *     summary, or throws (exit status 1) with a message naming the file and the problem;
 *   njs check-config.js --trust-generation NGINX_CONF ...
 *     prints the file defining $jwt_trust_generation (trust-generation.ts).
 */
import crypto from 'crypto';
import fs from 'fs';
import { checkConfigFile, checkJwksFile } from './jwks-file.ts';
import { trustGenerationConf } from './trust-generation.ts';

const readText = fs.readFileSync as (path: string, encoding: 'utf8') => string;
const args = process.argv.slice(2);
if (args.length === 0 || args[0] === '' || (args[0] === '--trust-generation' && args.length === 1)) {
  throw new Error('usage: njs check-config.js JWKS_FILE [NGINX_CONF ...] | --trust-generation NGINX_CONF ...');
}
if (args[0] === '--trust-generation') {
  console.log(trustGenerationConf(args.slice(1), readText, function (text) {
    return crypto.createHash('sha256').update(text).digest('hex');
  }).replace(/\n$/, ''));
} else {
  console.log(checkJwksFile(args[0], readText));
  args.slice(1).forEach(function (conf) {
    console.log(checkConfigFile(conf, readText));
  });
}
