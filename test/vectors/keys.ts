/**
 * The key set the hostile-input vectors are verified against, in every engine:
 * the tutorial's two keys plus keys that exercise size, `use` and `key_ops` rules.
 * Fresh random secrets each run; nothing here is committed key material.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const TUTORIAL_DIR = path.resolve(import.meta.dirname, '../fixtures/tutorial');
export const TUTORIAL_JWKS_FILE = path.join(TUTORIAL_DIR, 'secret.jwk');
export const TUTORIAL_TOKEN = readFileSync(path.join(TUTORIAL_DIR, 'token1.jwt'), 'utf8');

export interface OctJwk {
  kty: 'oct';
  kid?: string;
  k: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
}

export const tutorialKeys = JSON.parse(readFileSync(TUTORIAL_JWKS_FILE, 'utf8')) as { keys: OctJwk[] };
export const tutorialSigningKey = tutorialKeys.keys.find((key) => key.kid === 'sign') as OctJwk;

function octKey(bytes: number, members: Omit<OctJwk, 'kty' | 'k'>): OctJwk {
  return { kty: 'oct', ...members, k: randomBytes(bytes).toString('base64url') };
}

export const testKeys = {
  sign: tutorialSigningKey,
  /** Long enough for HS512, so it verifies HS256/384/512. */
  wide: octKey(64, { kid: 'wide' }),
  /** Pinned to HS384 by its own alg. */
  pinned: octKey(48, { kid: 'pinned-hs384', alg: 'HS384' }),
  /** Valid, but marked for encryption: must never verify a signature. */
  encryption: octKey(32, { kid: 'enc', use: 'enc' }),
  /** Valid, but may only sign: must never verify. */
  signOnly: octKey(32, { kid: 'sign-only', key_ops: ['sign'] }),
};

export const testKeySet = { keys: Object.values(testKeys) };

export function secretOf(key: OctJwk): Uint8Array {
  return Buffer.from(key.k, 'base64url');
}
