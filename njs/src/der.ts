import type { CurveName } from './algorithms.ts';

/**
 * Just enough DER to wrap a JWK's public key in a SubjectPublicKeyInfo, the only
 * public key format njs 0.7.9's WebCrypto imports (it has no JWK import).
 * The object identifiers are built where they are used: NGINX reruns a module's
 * top level in every request, and most requests never decode an RSA or EC key.
 */

function element(tag: number, content: Uint8Array): Buffer {
  const length = content.length;
  const header = length < 0x80 ? [tag, length]
    : length < 0x100 ? [tag, 0x81, length]
      : [tag, 0x82, length >> 8, length & 0xff];
  return Buffer.concat([Buffer.from(header), Buffer.from(content)]);
}

function sequence(parts: Uint8Array[]): Buffer {
  return element(0x30, Buffer.concat(parts));
}

/** A positive INTEGER: no redundant leading zeros, one zero byte when the high bit is set. */
function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start++;
  }
  const trimmed = Buffer.from(bytes).subarray(start);
  return element(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function bitString(content: Uint8Array): Buffer {
  return element(0x03, Buffer.concat([Buffer.from([0]), Buffer.from(content)]));
}

export function rsaSpki(modulus: Uint8Array, exponent: Uint8Array): Buffer {
  const rsaEncryption = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
  const parameters = [0x05, 0x00];
  return sequence([
    sequence([Buffer.from(rsaEncryption), Buffer.from(parameters)]),
    bitString(sequence([unsignedInteger(modulus), unsignedInteger(exponent)])),
  ]);
}

export function ecSpki(crv: CurveName, x: Uint8Array, y: Uint8Array): Buffer {
  const ecPublicKey = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
  return sequence([
    sequence([Buffer.from(ecPublicKey), Buffer.from(curveOid(crv))]),
    bitString(Buffer.concat([Buffer.from([0x04]), Buffer.from(x), Buffer.from(y)])),
  ]);
}

function curveOid(crv: CurveName): number[] {
  return crv === 'P-256' ? [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
    : crv === 'P-384' ? [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]
      : [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];
}
