/**
 * The JWS algorithms this gateway verifies and the key type each needs. The key
 * decides the family; a token's `alg` is only ever checked against it (RFC 8725
 * section 3.1), which is what defeats `none` and HS/RS key confusion.
 */

export type KeyType = 'oct';
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface Algorithm {
  kty: KeyType;
  hash: HashName;
  /** Minimum key size in bytes (RFC 7518 section 3.2: at least the hash output). */
  minKeyBytes: number;
}

const ALGORITHMS: { [alg: string]: Algorithm } = {
  HS256: { kty: 'oct', hash: 'SHA-256', minKeyBytes: 32 },
  HS384: { kty: 'oct', hash: 'SHA-384', minKeyBytes: 48 },
  HS512: { kty: 'oct', hash: 'SHA-512', minKeyBytes: 64 },
};

export function findAlgorithm(alg: string): Algorithm | undefined {
  return Object.prototype.hasOwnProperty.call(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
}

/** Names of the algorithms a key of this type and size can verify. */
export function algorithmsFor(kty: KeyType, keyBytes: number): string[] {
  return Object.keys(ALGORITHMS).filter(function (alg) {
    return ALGORITHMS[alg].kty === kty && keyBytes >= ALGORITHMS[alg].minKeyBytes;
  });
}
