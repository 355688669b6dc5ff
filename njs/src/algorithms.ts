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
  /** The WebCrypto algorithm that verifies it. */
  webCrypto: 'HMAC' | 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';
  /** RSA-PSS: the salt length (RFC 7518 section 3.5: MGF1 with the same hash, salt as long as the hash). */
  saltLength?: number;
  /** ECDSA: the curve, and the exact length of the raw r || s signature. */
  crv?: CurveName;
  signatureBytes?: number;
}

function hmac(name: string, hash: HashName): Algorithm {
  return { name, kty: 'oct', hash, webCrypto: 'HMAC' };
}

function pkcs1(name: string, hash: HashName): Algorithm {
  return { name, kty: 'RSA', hash, webCrypto: 'RSASSA-PKCS1-v1_5' };
}

function pss(name: string, hash: HashName, saltLength: number): Algorithm {
  return { name, kty: 'RSA', hash, webCrypto: 'RSA-PSS', saltLength };
}

function ecdsa(name: string, hash: HashName, crv: CurveName, signatureBytes: number): Algorithm {
  return { name, kty: 'EC', hash, webCrypto: 'ECDSA', crv, signatureBytes };
}

/** WebCrypto's importKey parameters: built only when WebCrypto verifies, not with every lookup. */
export function importParams(algorithm: Algorithm): { name: string; hash?: HashName; namedCurve?: CurveName } {
  return algorithm.crv !== undefined ? { name: algorithm.webCrypto, namedCurve: algorithm.crv } : { name: algorithm.webCrypto, hash: algorithm.hash };
}

/** WebCrypto's verify parameters. */
export function verifyParams(algorithm: Algorithm): { name: string; hash?: HashName; saltLength?: number } {
  return algorithm.crv !== undefined ? { name: algorithm.webCrypto, hash: algorithm.hash }
    : algorithm.saltLength !== undefined ? { name: algorithm.webCrypto, saltLength: algorithm.saltLength }
      : { name: algorithm.webCrypto };
}

/**
 * The algorithm `alg` names, or undefined when this gateway does not verify it.
 * A switch, not a table: NGINX runs a module's top level again in every
 * request's VM clone, where building all twelve entries cost 20 us; this builds
 * only the entry asked for.
 */
export function findAlgorithm(alg: string): Algorithm | undefined {
  switch (alg) {
    case 'HS256': return hmac(alg, 'SHA-256');
    case 'HS384': return hmac(alg, 'SHA-384');
    case 'HS512': return hmac(alg, 'SHA-512');
    case 'RS256': return pkcs1(alg, 'SHA-256');
    case 'RS384': return pkcs1(alg, 'SHA-384');
    case 'RS512': return pkcs1(alg, 'SHA-512');
    case 'PS256': return pss(alg, 'SHA-256', 32);
    case 'PS384': return pss(alg, 'SHA-384', 48);
    case 'PS512': return pss(alg, 'SHA-512', 64);
    case 'ES256': return ecdsa(alg, 'SHA-256', 'P-256', 64);
    case 'ES384': return ecdsa(alg, 'SHA-384', 'P-384', 96);
    case 'ES512': return ecdsa(alg, 'SHA-512', 'P-521', 132);
    default: return undefined;
  }
}

/**
 * Names of the algorithms a key can verify, given what decides it: type, HMAC
 * size, or curve. Arrays, not object keys: njs does not keep their insertion order.
 */
export function algorithmsFor(kty: KeyType, keyBytes: number, crv: string | undefined): string[] {
  if (kty === 'oct') {
    // RFC 7518 section 3.2: an HMAC key is at least as long as the hash output.
    return keyBytes >= 64 ? ['HS256', 'HS384', 'HS512'] : keyBytes >= 48 ? ['HS256', 'HS384'] : keyBytes >= 32 ? ['HS256'] : [];
  }
  if (kty === 'RSA') {
    return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  }
  return ['ES256', 'ES384', 'ES512'].filter(function (name) {
    return (findAlgorithm(name) as Algorithm).crv === crv;
  });
}
