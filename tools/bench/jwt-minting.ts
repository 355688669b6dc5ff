/**
 * Compact JWTs signed with node:crypto directly: jose's async signing is several
 * times slower, and a cold run needs tens of thousands of RS256 tokens.
 */
import { createHmac, sign, type KeyObject } from 'node:crypto';
import type { Family } from './matrix.ts';

/** A day: no token expires during a run. */
const LIFETIME_SECONDS = 86_400;

export function mintToken(family: Family, kid: string, signingKey: Buffer | KeyObject, subject: string): string {
  const iat = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: family, typ: 'JWT', kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: subject, iat, exp: iat + LIFETIME_SECONDS })).toString('base64url');
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${signature(family, signingInput, signingKey).toString('base64url')}`;
}

function signature(family: Family, signingInput: string, signingKey: Buffer | KeyObject): Buffer {
  switch (family) {
    case 'HS256':
      return createHmac('sha256', signingKey).update(signingInput).digest();
    case 'RS256':
      return sign('sha256', Buffer.from(signingInput), signingKey as KeyObject);
    case 'ES256':
      // JWS wants r || s, not DER (RFC 7518 section 3.4).
      return sign('sha256', Buffer.from(signingInput), { key: signingKey as KeyObject, dsaEncoding: 'ieee-p1363' });
  }
}

/** The same token with another subject and the original signature: what a verifying endpoint must refuse. */
export function forgeToken(token: string, subject: string): string {
  const [header, payload, signatureSegment] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: subject })).toString('base64url')}.${signatureSegment}`;
}
