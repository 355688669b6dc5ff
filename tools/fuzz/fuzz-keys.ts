/**
 * The keys of a fuzz or soak run: the configured key set of test/vectors/keys.ts,
 * genuine tokens minted with it for every algorithm it verifies, and wrong keys
 * (same kids, other key material) that mutations re-sign with.
 */
import { constants, createHmac, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { JWK } from 'jose';
import { testKeys, testKeySet, type TestKey } from '../../test/vectors/keys.ts';
import { mint, now } from '../../test/vectors/tokens.ts';

/** Every algorithm the configured keys verify, each with the key that signs it. */
const SIGNERS: ReadonlyArray<readonly [string, TestKey]> = [
  ['HS256', testKeys.sign],
  ['HS512', testKeys.wide],
  ['RS256', testKeys.rsa],
  ['PS256', testKeys.rsaPss],
  ['ES256', testKeys.ec256],
  ['ES384', testKeys.ec384],
  ['ES512', testKeys.ec521],
];

/** The three families the memory soak measures, by the key that signs them. */
export const SOAK_FAMILIES = { HS256: testKeys.sign, RS256: testKeys.rsa, ES256: testKeys.ec256 } as const;
export type SoakFamily = keyof typeof SOAK_FAMILIES;

export const CONFIGURED_KIDS: readonly string[] = testKeySet.keys.map((key) => key.kid as string);

export interface GenuineToken {
  alg: string;
  token: string;
}

/** A day: no genuine token expires during a run. */
const LIFETIME_SECONDS = 86_400;

export function mintFor(key: TestKey, alg: string, subject: string): Promise<string> {
  return mint({ sub: subject, iat: now(), exp: now() + LIFETIME_SECONDS }, { alg }, key);
}

export async function mintGenuineTokens(perAlgorithm: number): Promise<GenuineToken[]> {
  const tokens = SIGNERS.flatMap(([alg, key]) =>
    Array.from({ length: perAlgorithm }, async (_, i) => ({ alg, token: await mintFor(key, alg, `fuzz-${alg}-${i}`) })),
  );
  return Promise.all(tokens);
}

/** Readable by NGINX's workers, which run as nobody under a root master. */
export function writeConfiguredKeySet(file: string): Promise<void> {
  return writeFile(file, JSON.stringify(testKeySet), { mode: 0o644 });
}

export interface WrongKeys {
  hmac: Buffer;
  rsa: KeyObject;
  ec: Record<'ES256' | 'ES384' | 'ES512', KeyObject>;
  /** The configured RSA and EC public keys as PEM, DER and JWK text: HMAC secrets of a key-confusion attack. */
  publicKeysAsSecrets: Array<{ kid: string; secret: Buffer }>;
}

export function generateWrongKeys(): WrongKeys {
  const ecKey = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).privateKey;
  return {
    hmac: randomBytes(64),
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    ec: { ES256: ecKey('P-256'), ES384: ecKey('P-384'), ES512: ecKey('P-521') },
    publicKeysAsSecrets: [testKeys.rsa, testKeys.ec256].flatMap(({ jwk }) => {
      const publicKey = createPublicKey({ key: jwk as JWK & { kty: string }, format: 'jwk' });
      return [
        Buffer.from(publicKey.export({ type: 'spki', format: 'pem' })),
        publicKey.export({ type: 'spki', format: 'der' }),
        Buffer.from(JSON.stringify(jwk)),
      ].map((secret) => ({ kid: jwk.kid as string, secret }));
    }),
  };
}

const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/**
 * A real signature over `signingInput` by the wrong key of the family `alg`
 * names, or undefined when `alg` names no algorithm these keys can sign.
 */
export function signWithWrongKey(alg: unknown, signingInput: string, keys: WrongKeys): string | undefined {
  const match = typeof alg === 'string' ? /^(HS|RS|PS|ES)(256|384|512)$/.exec(alg) : null;
  if (match === null) return undefined;
  const [, family, bits] = match;
  const hash = HASHES[bits];
  const input = Buffer.from(signingInput);
  switch (family) {
    case 'HS':
      return createHmac(hash, keys.hmac).update(input).digest('base64url');
    case 'RS':
      return sign(hash, input, keys.rsa).toString('base64url');
    case 'PS':
      return sign(hash, input, { key: keys.rsa, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }).toString('base64url');
    default:
      return sign(hash, input, { key: keys.ec[alg as 'ES256' | 'ES384' | 'ES512'], dsaEncoding: 'ieee-p1363' }).toString('base64url');
  }
}
