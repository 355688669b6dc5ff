/**
 * The key set the request vectors are verified against, in every engine: the
 * tutorial's two HMAC keys, keys that exercise size, `use` and `key_ops` rules,
 * and RSA and EC keys for every public-key algorithm. Fresh keys each run;
 * nothing here is committed key material apart from the tutorial's public test set.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const TUTORIAL_DIR = path.resolve(import.meta.dirname, '../fixtures/tutorial');
export const TUTORIAL_JWKS_FILE = path.join(TUTORIAL_DIR, 'secret.jwk');
export const TUTORIAL_TOKEN = readFileSync(path.join(TUTORIAL_DIR, 'token1.jwt'), 'utf8');

export interface TestKey {
  /** What the gateway is configured with. */
  jwk: JWK;
  /** What tokens are signed with: the HMAC secret, or the private key. */
  signingKey: Uint8Array | KeyObject;
  /** The algorithm tokens for this key use unless a vector says otherwise. */
  alg: string;
}

const tutorialJwks = JSON.parse(readFileSync(TUTORIAL_JWKS_FILE, 'utf8')) as { keys: JWK[] };

export function octKey(jwk: JWK, alg = 'HS256'): TestKey {
  return { jwk, signingKey: Buffer.from(jwk.k as string, 'base64url'), alg };
}

function randomOctKey(bytes: number, members: JWK, alg?: string): TestKey {
  return octKey({ kty: 'oct', ...members, k: randomBytes(bytes).toString('base64url') }, alg);
}

/** A key pair; the private half as a KeyObject, since a WebCrypto key is bound to one hash and RS384 needs another. */
async function keyPair(alg: string, members: JWK, options: { modulusLength?: number } = {}): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const signingKey = createPrivateKey({ key: (await exportJWK(privateKey)) as JWK & { kty: string }, format: 'jwk' });
  return { jwk: { ...(await exportJWK(publicKey)), ...members }, signingKey, alg };
}

export const testKeys = {
  sign: octKey(tutorialJwks.keys.find((key) => key.kid === 'sign') as JWK),
  /** Long enough for HS512, so it verifies HS256/384/512. */
  wide: randomOctKey(64, { kid: 'wide' }),
  /** Pinned to HS384 by its own alg. */
  pinned: randomOctKey(48, { kid: 'pinned-hs384', alg: 'HS384' }, 'HS384'),
  /** Valid, but marked for encryption: must never verify a signature. */
  encryption: randomOctKey(32, { kid: 'enc', use: 'enc' }),
  /** Valid, but may only sign: must never verify. */
  signOnly: randomOctKey(32, { kid: 'sign-only', key_ops: ['sign'] }),
  rsa: await keyPair('RS256', { kid: 'rsa', use: 'sig' }, { modulusLength: 2048 }),
  /** Pinned to PS256: RS256 with this key must fail. */
  rsaPss: await keyPair('PS256', { kid: 'rsa-pss', alg: 'PS256' }, { modulusLength: 2048 }),
  ec256: await keyPair('ES256', { kid: 'ec256' }),
  ec384: await keyPair('ES384', { kid: 'ec384' }),
  ec521: await keyPair('ES512', { kid: 'ec521' }),
} satisfies Record<string, TestKey>;

export const testKeySet = { keys: Object.values(testKeys).map((key) => key.jwk) };
