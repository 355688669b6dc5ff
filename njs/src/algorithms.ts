/**
 * The JWS algorithms this gateway verifies and the key each needs. The key
 * decides the family; a token's `alg` is only ever checked against it (RFC 8725
 * section 3.1), which is what defeats `none` and HS/RS key confusion.
 */

export type KeyType = 'oct' | 'RSA' | 'EC';
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type CurveName = 'P-256' | 'P-384' | 'P-521';

export interface Algorithm {
  name: string;
  kty: KeyType;
  hash: HashName;
  /** HMAC: minimum key size in bytes (RFC 7518 section 3.2: at least the hash output). */
  minKeyBytes?: number;
  /** ECDSA: the curve, and the exact length of the raw r || s signature. */
  crv?: CurveName;
  signatureBytes?: number;
  /** WebCrypto parameters for importKey and verify. */
  importParams: { name: string; hash?: HashName; namedCurve?: CurveName };
  verifyParams: { name: string; hash?: HashName; saltLength?: number };
}

function hmac(name: string, hash: HashName, minKeyBytes: number): Algorithm {
  return { name, kty: 'oct', hash, minKeyBytes, importParams: { name: 'HMAC', hash }, verifyParams: { name: 'HMAC' } };
}

function pkcs1(name: string, hash: HashName): Algorithm {
  return { name, kty: 'RSA', hash, importParams: { name: 'RSASSA-PKCS1-v1_5', hash }, verifyParams: { name: 'RSASSA-PKCS1-v1_5' } };
}

/** RFC 7518 section 3.5: MGF1 with the same hash, salt as long as the hash. */
function pss(name: string, hash: HashName, saltLength: number): Algorithm {
  return { name, kty: 'RSA', hash, importParams: { name: 'RSA-PSS', hash }, verifyParams: { name: 'RSA-PSS', saltLength } };
}

function ecdsa(name: string, hash: HashName, crv: CurveName, signatureBytes: number): Algorithm {
  return { name, kty: 'EC', hash, crv, signatureBytes, importParams: { name: 'ECDSA', namedCurve: crv }, verifyParams: { name: 'ECDSA', hash } };
}

/** An array, not an object: njs does not keep the insertion order of object keys. */
const ALGORITHMS: Algorithm[] = [
  hmac('HS256', 'SHA-256', 32),
  hmac('HS384', 'SHA-384', 48),
  hmac('HS512', 'SHA-512', 64),
  pkcs1('RS256', 'SHA-256'),
  pkcs1('RS384', 'SHA-384'),
  pkcs1('RS512', 'SHA-512'),
  pss('PS256', 'SHA-256', 32),
  pss('PS384', 'SHA-384', 48),
  pss('PS512', 'SHA-512', 64),
  ecdsa('ES256', 'SHA-256', 'P-256', 64),
  ecdsa('ES384', 'SHA-384', 'P-384', 96),
  ecdsa('ES512', 'SHA-512', 'P-521', 132),
];

export function findAlgorithm(alg: string): Algorithm | undefined {
  for (let i = 0; i < ALGORITHMS.length; i++) {
    if (ALGORITHMS[i].name === alg) {
      return ALGORITHMS[i];
    }
  }
  return undefined;
}

/** Names of the algorithms a key can verify, given what decides it: type, HMAC size, or curve. */
export function algorithmsFor(kty: KeyType, keyBytes: number, crv: string | undefined): string[] {
  return ALGORITHMS.filter(function (algorithm) {
    return algorithm.kty === kty &&
      (algorithm.minKeyBytes === undefined || keyBytes >= algorithm.minKeyBytes) &&
      (algorithm.crv === undefined || algorithm.crv === crv);
  }).map(function (algorithm) { return algorithm.name; });
}
