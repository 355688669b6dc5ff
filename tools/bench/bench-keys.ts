/**
 * Fresh keys for one run, one per family, and the files NGINX and the Node peer
 * read: the gateway's JWK Set, and the same public keys in the forms the naive njs
 * endpoints import per request (the HMAC secret, SPKI DER).
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Family } from './matrix.ts';

export interface BenchKey {
  family: Family;
  kid: string;
  /** The HMAC secret, or the private key tokens are signed with. */
  signingKey: Buffer | KeyObject;
}

export interface BenchKeyFiles {
  keys: Record<Family, BenchKey>;
  /** `{"keys": [...]}`: what the gateway and the Node peer verify with. */
  jwksFile: string;
  /** `{"hs256": secret, "rs256": spki, "es256": spki}`, base64: for `js_preload_object bench_keys`. */
  naiveKeysFile: string;
}

export async function createBenchKeys(dir: string): Promise<BenchKeyFiles> {
  const secret = randomBytes(32);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys: Record<Family, BenchKey> = {
    HS256: { family: 'HS256', kid: 'bench-hs256', signingKey: secret },
    RS256: { family: 'RS256', kid: 'bench-rs256', signingKey: rsa.privateKey },
    ES256: { family: 'ES256', kid: 'bench-es256', signingKey: ec.privateKey },
  };
  const jwks = {
    keys: [
      { kty: 'oct', kid: keys.HS256.kid, use: 'sig', alg: 'HS256', k: secret.toString('base64url') },
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: keys.RS256.kid, use: 'sig', alg: 'RS256' },
      { ...ec.publicKey.export({ format: 'jwk' }), kid: keys.ES256.kid, use: 'sig', alg: 'ES256' },
    ],
  };
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' }).toString('base64');
  const naiveKeys = { hs256: secret.toString('base64'), rs256: spki(rsa.publicKey), es256: spki(ec.publicKey) };
  const jwksFile = path.join(dir, 'jwks.json');
  const naiveKeysFile = path.join(dir, 'naive-keys.json');
  // Readable by NGINX's workers, which run as nobody under a root master; these keys live for one run.
  await writeFile(jwksFile, JSON.stringify(jwks), { mode: 0o644 });
  await writeFile(naiveKeysFile, JSON.stringify(naiveKeys), { mode: 0o644 });
  return { keys, jwksFile, naiveKeysFile };
}
