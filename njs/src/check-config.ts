/**
 * The startup checks, run by the njs CLI with the same code NGINX runs:
 *   njs check-config.js JWKS_FILE [NGINX_CONF ...]
 *     the key set, and the gateway settings each configuration file sets: prints a
 *     summary, or throws (exit status 1) with a message naming the file and the problem;
 *   njs check-config.js --trust-generation SALT_FILE NGINX_CONF ...
 *     prints the file defining $jwt_trust_generation (trust-generation.ts), drawing
 *     the salt into SALT_FILE the first time.
 */
import hashing from 'crypto';
import fs from 'fs';
import { checkConfigFile, checkJwksFile } from './jwks-file.ts';
import { cacheSalt, trustGenerationConf, type TrustFiles } from './trust-generation.ts';

const files: TrustFiles = {
  readText: fs.readFileSync as (path: string, encoding: 'utf8') => string,
  writePrivate: function (path, text) { fs.writeFileSync(path, text, { mode: 0o600 }); },
};
const args = process.argv.slice(2);
if (args.length === 0 || args[0] === '' || (args[0] === '--trust-generation' && args.length < 3)) {
  throw new Error('usage: njs check-config.js JWKS_FILE [NGINX_CONF ...] | --trust-generation SALT_FILE NGINX_CONF ...');
}
if (args[0] === '--trust-generation') {
  const salt = cacheSalt(args[1], files, function (bytes) {
    return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
  });
  console.log(trustGenerationConf(args.slice(2), salt, files.readText, function (text) {
    return hashing.createHash('sha256').update(text).digest('hex');
  }).replace(/\n$/, ''));
} else {
  console.log(checkJwksFile(args[0], files.readText));
  args.slice(1).forEach(function (conf) {
    console.log(checkConfigFile(conf, files.readText));
  });
}
