/**
 * Request vectors for the RSA and EC families: a valid token per algorithm, and
 * the attacks RFC 8725 names for public keys: key confusion (a public key used as
 * an HMAC secret, a token steered to a key of another family), algorithm
 * substitution, bit flips, and malformed ECDSA signatures.
 */
import { createPublicKey } from 'node:crypto';
import type { JWK } from 'jose';
import { bearer, b64, invalidToken, mint, ok, replaceSegment, signRaw, type Vector } from './tokens.ts';
import { octKey, testKeys, type TestKey } from './keys.ts';

function flipBit(token: string, segment: number): string {
  const bytes = Buffer.from(token.split('.')[segment], 'base64url');
  bytes[bytes.length >> 1] ^= 0x01;
  return replaceSegment(token, segment, bytes.toString('base64url'));
}

/** An HMAC key made of a public key's bytes, in the forms a confused verifier might use. */
function publicKeyAsSecret(key: TestKey, form: 'PEM' | 'DER' | 'JWK'): TestKey {
  const publicKey = createPublicKey({ key: key.jwk as JWK & { kty: string }, format: 'jwk' });
  const bytes = form === 'PEM' ? Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }) as string)
    : form === 'DER' ? (publicKey.export({ type: 'spki', format: 'der' }) as Buffer)
      : Buffer.from(JSON.stringify(key.jwk));
  return octKey({ kty: 'oct', kid: key.jwk.kid, k: bytes.toString('base64url') });
}

/** The same ECDSA signature in ASN.1 DER, as OpenSSL would produce it. */
function derSignature(token: string): string {
  const raw = Buffer.from(token.split('.')[2], 'base64url');
  const integer = (half: Buffer) => {
    let bytes = half;
    while (bytes.length > 1 && bytes[0] === 0 && !(bytes[1] & 0x80)) bytes = bytes.subarray(1);
    if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, raw.length / 2)), integer(raw.subarray(raw.length / 2))]);
  const length = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return replaceSegment(token, 2, Buffer.concat([Buffer.from([0x30]), length, body]).toString('base64url'));
}

export async function publicKeyVectors(): Promise<Vector[]> {
  const { rsa, rsaPss, ec256, ec384, ec521 } = testKeys;
  const es256 = await mint({ sub: 'es256' }, {}, ec256);
  const rs256 = await mint({ sub: 'rs256' }, {}, rsa);
  const ps256 = await mint({ sub: 'ps256' }, {}, rsaPss);

  const valid: Array<[string, TestKey]> = [
    ['RS256', rsa], ['RS384', rsa], ['RS512', rsa],
    ['PS256', rsaPss], ['PS384', rsa], ['PS512', rsa],
    ['ES256', ec256], ['ES384', ec384], ['ES512', ec521],
  ];
  return [
    ...(await Promise.all(valid.map(async ([alg, key]) => ({
      name: `${alg} with a ${key.jwk.kty} key`,
      authorization: bearer(await mint({ sub: `ok-${alg}` }, { alg }, key)),
      expect: ok(`ok-${alg}`),
    })))),

    // 2: key confusion.
    ...(['PEM', 'DER', 'JWK'] as const).flatMap((form) => [rsa, ec256].map((key) => ({
      name: `HS256 signed with the ${key.jwk.kty} public key as ${form}`,
      authorization: bearer(signRaw(JSON.stringify({ alg: 'HS256', kid: key.jwk.kid }), '{"sub":"admin"}', publicKeyAsSecret(key, form))),
      expect: invalidToken,
    }))),
    { name: 'RS256 token steered to an oct key', authorization: bearer(await mint({ sub: 'x' }, { kid: 'sign' }, rsa)), expect: invalidToken },
    { name: 'ES256 token steered to an RSA key', authorization: bearer(await mint({ sub: 'x' }, { kid: 'rsa' }, ec256)), expect: invalidToken },
    { name: 'RS256 token steered to an EC key', authorization: bearer(await mint({ sub: 'x' }, { kid: 'ec256' }, rsa)), expect: invalidToken },
    { name: 'ES256 on a P-384 key', authorization: bearer(await mint({ sub: 'x' }, { kid: 'ec384' }, ec256)), expect: invalidToken },
    { name: 'ES384 named by a P-256 signature', authorization: bearer(replaceSegment(es256, 0, b64(JSON.stringify({ alg: 'ES384', kid: 'ec256' })))), expect: invalidToken },

    // 4: algorithm substitution within a family.
    { name: 'RS256 with a key pinned to PS256', authorization: bearer(await mint({ sub: 'x' }, { alg: 'RS256' }, rsaPss)), expect: invalidToken },
    { name: 'PS256 signature relabelled RS256', authorization: bearer(replaceSegment(ps256, 0, b64(JSON.stringify({ alg: 'RS256', kid: 'rsa' })))), expect: invalidToken },
    { name: 'alg none with an RSA kid', authorization: bearer(`${b64(JSON.stringify({ alg: 'none', kid: 'rsa' }))}.${rs256.split('.')[1]}.`), expect: invalidToken },

    // 3: signatures.
    { name: 'RS256 signature with a bit flipped', authorization: bearer(flipBit(rs256, 2)), expect: invalidToken },
    { name: 'RS256 payload with a bit flipped', authorization: bearer(flipBit(rs256, 1)), expect: invalidToken },
    { name: 'PS256 signature with a bit flipped', authorization: bearer(flipBit(ps256, 2)), expect: invalidToken },
    { name: 'RS256 signature truncated', authorization: bearer(replaceSegment(rs256, 2, rs256.split('.')[2].slice(0, 100))), expect: invalidToken },
    { name: 'ES256 signature with a bit flipped', authorization: bearer(flipBit(es256, 2)), expect: invalidToken },

    // 20: ECDSA signature encoding.
    { name: 'ES256 signature in DER', authorization: bearer(derSignature(es256)), expect: invalidToken },
    { name: 'ES256 with r = s = 0', authorization: bearer(replaceSegment(es256, 2, b64(new Uint8Array(64)))), expect: invalidToken },
    { name: 'ES256 with r = 0', authorization: bearer(replaceSegment(es256, 2, b64(Buffer.concat([new Uint8Array(32), Buffer.from(es256.split('.')[2], 'base64url').subarray(32)])))), expect: invalidToken },
    { name: 'ES256 signature one byte short', authorization: bearer(replaceSegment(es256, 2, b64(Buffer.from(es256.split('.')[2], 'base64url').subarray(1)))), expect: invalidToken },
  ];
}
