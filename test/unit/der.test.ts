import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CurveName } from '../../njs/src/algorithms.ts';
import { ecSpki, rsaSpki } from '../../njs/src/der.ts';

const jwkOf = (publicKey: ReturnType<typeof generateKeyPairSync>['publicKey']) => publicKey.export({ format: 'jwk' }) as Record<string, string>;
const bytes = (member: string) => Buffer.from(member, 'base64url');
const spkiOf = (publicKey: ReturnType<typeof generateKeyPairSync>['publicKey']) => publicKey.export({ type: 'spki', format: 'der' });

describe('SubjectPublicKeyInfo from JWK members', () => {
  it.each([2048, 3072, 4096])('matches the DER OpenSSL writes for a %i-bit RSA key', (modulusLength) => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength });
    const jwk = jwkOf(publicKey);
    expect(rsaSpki(bytes(jwk.n), bytes(jwk.e))).toEqual(spkiOf(publicKey));
  });

  it.each(['P-256', 'P-384', 'P-521'])('matches the DER OpenSSL writes for an EC %s key', (namedCurve) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve });
    const jwk = jwkOf(publicKey);
    expect(ecSpki(jwk.crv as CurveName, bytes(jwk.x), bytes(jwk.y))).toEqual(spkiOf(publicKey));
  });

  it('imports back as the same key', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = jwkOf(publicKey);
    const imported = createPublicKey({ key: rsaSpki(bytes(jwk.n), bytes(jwk.e)), format: 'der', type: 'spki' });
    expect(imported.export({ format: 'jwk' })).toEqual(jwk);
  });
});
