import hashing from 'crypto';
import { findAlgorithm, importParams, verifyParams, type Algorithm } from './algorithms.ts';
import type { VerificationKey } from './jwk.ts';

/**
 * Verifies a JWS signature with a key already checked to allow `alg`. HS256 runs
 * on the synchronous hash API, the cheapest path in njs, and answers at once;
 * everything else needs WebCrypto (njs 0.7.9's hash API has no SHA-384/512 and
 * no public keys) and answers with a promise.
 * Never rejects: the outcome says whether the signature holds, or whether the
 * configured key itself could not be used (WebCrypto refused to import it).
 */
export type Verification = 'valid' | 'invalid' | 'unusable-key';

export function verifySignature(alg: string, key: VerificationKey, signingInput: string, signature: Buffer): Verification | Promise<Verification> {
  if (alg === 'HS256') {
    const expected = hashing.createHmac('sha256', key.material).update(signingInput).digest();
    return constantTimeEqual(expected, signature) ? 'valid' : 'invalid';
  }
  const algorithm = findAlgorithm(alg) as Algorithm;
  if (algorithm.signatureBytes !== undefined && !isRawEcdsaSignature(signature, algorithm.signatureBytes)) {
    return 'invalid';
  }
  const format = key.kty === 'oct' ? 'raw' : 'spki';
  // The casts bridge njs-types and Node's WebCrypto typings, which name the same parameters differently.
  const importing = importParams(algorithm) as Parameters<typeof crypto.subtle.importKey>[2];
  const verifying = verifyParams(algorithm) as Parameters<typeof crypto.subtle.verify>[0];
  return crypto.subtle.importKey(format, key.material, importing, false, ['verify']).then(function (cryptoKey) {
    return crypto.subtle.verify(verifying, cryptoKey, signature, Buffer.from(signingInput)).then(function (valid): Verification {
      return valid ? 'valid' : 'invalid';
    }, function (): Verification {
      return 'invalid';
    });
  }, function (): Verification {
    return 'unusable-key';
  });
}

/**
 * JWS ECDSA signatures are r || s, each exactly half the length (RFC 7518
 * section 3.4): a DER signature, or a zero r or s, is refused before any math.
 */
function isRawEcdsaSignature(signature: Buffer, length: number): boolean {
  return signature.length === length && !isZero(signature.subarray(0, length / 2)) && !isZero(signature.subarray(length / 2));
}

function isZero(bytes: Uint8Array): boolean {
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    bits |= bytes[i];
  }
  return bits === 0;
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
