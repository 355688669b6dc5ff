import { checkAudience, checkIssuer, checkRequiredClaims, checkTimeClaims } from './claims.ts';
import { decodeCompactJws, type CompactJws } from './compact-jws.ts';
import { fail } from './errors.ts';
import { readJoseHeader, type JoseHeader } from './jose-header.ts';
import { selectKey } from './key-selection.ts';
import { logSafe } from './log-safe.ts';
import { checkNotRevoked } from './revocation.ts';
import type { Settings } from './settings.ts';
import { verifySignature, type Verification } from './signature.ts';
import type { VerificationKey } from './jwk.ts';
import type { JsonObject } from './strict-json.ts';
import { locateToken, type PresentedToken } from './token-location.ts';

/** What authentication needs from a request, apart from NGINX so it runs anywhere. */
export interface Credentials {
  presented: PresentedToken;
  /** Seconds since the epoch. */
  now: number;
}

/** What the gateway is configured with, besides per-location settings. */
export interface Trust {
  keySet: unknown;
  /** The revocation list, or undefined when none is configured. */
  revoked: unknown;
}

export interface Authenticated {
  header: JsonObject;
  claims: JsonObject;
}

/** Either the verified token, or why it was refused (a GatewayError, or a bug). */
export type Outcome = { identity: Authenticated; failure?: undefined } | { identity?: undefined; failure: unknown };

/**
 * The whole check, cheapest refusals first: request syntax, token syntax and
 * header policy, key choice, then the signature; only a verified token's claims
 * are read, and the 403 policy comes after everything that makes a token invalid.
 * The outcome carries a failure rather than rejecting, so a caller never needs a
 * try around an await to tell a bad token from a bug. It is settled at once when
 * no WebCrypto call was needed (HS256, and most refusals): in njs, a promise
 * and its await cost more than verifying an HMAC.
 */
export function authenticate(credentials: Credentials, settings: Settings, trust: Trust): Outcome | Promise<Outcome> {
  try {
    const jws = decodeCompactJws(locateToken(credentials.presented), settings.maxTokenLength);
    const header = readJoseHeader(jws.header, settings.typ);
    const key = selectKey(trust.keySet, header.alg, header.kid);
    const verification = verifySignature(header.alg, key, jws.signingInput, jws.signature);
    if (typeof verification === 'string') {
      return verified(verification, key, header, jws, credentials, settings, trust);
    }
    return verification.then(function (settled) {
      return verified(settled, key, header, jws, credentials, settings, trust);
    });
  } catch (failure) {
    return { failure };
  }
}

/** Whether an outcome is still waiting for WebCrypto. */
export function isPending(outcome: Outcome | Promise<Outcome>): outcome is Promise<Outcome> {
  return typeof (outcome as Promise<Outcome>).then === 'function';
}

/** The checks after the signature: its verdict, then the claims. */
function verified(verification: Verification, key: VerificationKey, header: JoseHeader, jws: CompactJws, credentials: Credentials, settings: Settings, trust: Trust): Outcome {
  try {
    if (verification === 'unusable-key') {
      fail('ERR_JWKS_INVALID', 'WebCrypto cannot import key ' + logSafe(key.kid) + ' for ' + header.alg);
    }
    if (verification === 'invalid') {
      fail('ERR_SIGNATURE_INVALID', 'signature does not verify with key ' + logSafe(key.kid));
    }
    const claims = jws.payload;
    checkTimeClaims(claims, { now: credentials.now, leeway: settings.leeway, requireExp: settings.requireExp });
    checkIssuer(claims, settings.issuers);
    checkAudience(claims, settings.audiences);
    checkNotRevoked(trust.revoked, header.kid, claims);
    checkRequiredClaims(claims, settings.requiredClaims);
    return { identity: { header: jws.header, claims } };
  } catch (failure) {
    return { failure };
  }
}
