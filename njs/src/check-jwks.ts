/**
 * `njs check-jwks.js FILE`: the startup check of a JWK Set, run by the njs CLI
 * with the same code NGINX runs. Prints a summary, or throws (exit status 1)
 * with a message naming the file.
 */
import fs from 'fs';
import { checkJwksFile } from './jwks-file.ts';

const path = process.argv[2];
if (path === undefined || path === '') {
  throw new Error('usage: njs check-jwks.js JWKS_FILE');
}
console.log(checkJwksFile(path, fs.readFileSync as (path: string, encoding: 'utf8') => string));
