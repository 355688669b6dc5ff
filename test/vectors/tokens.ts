/**
 * What a request vector is, and the helpers that mint the tokens in them. A
 * vector is data (Authorization header values and the expected answer), so the
 * same list runs in Node, in the njs CLI and against the real NGINX.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, type JWTPayload, type JWTHeaderParameters } from 'jose';
import { testKeys, type TestKey } from './keys.ts';

export interface Expectation {
  status: 200 | 400 | 401;
  /** RFC 6750 error code in the challenge, or null for a bare challenge (and for 200). */
  error: 'invalid_token' | 'invalid_request' | null;
  /** X-MESSAGE is `Success <subject>` on 200. */
  subject?: string;
}

export interface Vector {
  name: string;
  /** Values of the Authorization headers to send, in order. */
  authorization: string[];
  expect: Expectation;
}

export const ok = (subject: string): Expectation => ({ status: 200, error: null, subject });
export const invalidToken: Expectation = { status: 401, error: 'invalid_token' };
export const invalidRequest: Expectation = { status: 400, error: 'invalid_request' };
export const noCredentials: Expectation = { status: 401, error: null };

export const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');
export const now = () => Math.floor(Date.now() / 1000);

/** Signs any header and payload text, however malformed, with an HMAC key. */
export function signRaw(headerText: string, payload: string | Uint8Array, key: TestKey = testKeys.sign, hash = 'sha256'): string {
  const signingInput = `${b64(headerText)}.${b64(payload)}`;
  return `${signingInput}.${createHmac(hash, key.signingKey as Uint8Array).update(signingInput).digest('base64url')}`;
}

/** A well-formed JWT, minted with jose; the key's own algorithm unless the header names another. */
export function mint(claims: JWTPayload, header: Partial<JWTHeaderParameters> = {}, key: TestKey = testKeys.sign): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', kid: key.jwk.kid, alg: key.alg, ...header }).sign(key.signingKey);
}

export const bearer = (token: string) => [`Bearer ${token}`];

export function replaceSegment(token: string, index: number, segment: string): string {
  const segments = token.split('.');
  segments[index] = segment;
  return segments.join('.');
}

/** Every request vector: HMAC and public-key families. */
