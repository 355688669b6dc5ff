import hashing from 'crypto';
import { findAlgorithm, type Algorithm } from './algorithms.ts';
import type { VerificationKey } from './jwk.ts';

/**
 * Verifies a JWS signature. HS256 runs on the synchronous hash API, the cheapest
 * path in njs; the others need WebCrypto, since njs 0.7.9's hash API has no
 * SHA-384/512.
 */
export function verifySignature(alg: string, key: VerificationKey, signingInput: string, signature: Buffer): Promise<boolean> {
  if (alg === 'HS256') {
    const expected = hashing.createHmac('sha256', key.secret).update(signingInput).digest();
    return Promise.resolve(constantTimeEqual(expected, signature));
  }
  const algorithm = { name: 'HMAC' as const, hash: (findAlgorithm(alg) as Algorithm).hash };
  return crypto.subtle.importKey('raw', key.secret, algorithm, false, ['verify']).then(function (cryptoKey) {
    return crypto.subtle.verify('HMAC', cryptoKey, signature, Buffer.from(signingInput));
  });
}

/** Compares all bytes whatever the first difference, so timing does not reveal how much of a MAC matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    difference |= a[i] ^ b[i];
  }
  return difference === 0;
}
