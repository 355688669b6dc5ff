import { extractBearerToken } from './bearer.ts';
import { checkTimeClaims, readSubject } from './claims.ts';
import { decodeCompactJws } from './compact-jws.ts';
import { fail } from './errors.ts';
import { logSafe } from './log-safe.ts';
import { readJoseHeader } from './jose-header.ts';
import { selectKey } from './key-selection.ts';
import type { Settings } from './settings.ts';
import { verifySignature } from './signature.ts';
import type { JsonObject } from './strict-json.ts';

/** What authentication needs from a request, apart from NGINX so it runs anywhere. */
export interface Credentials {
  /** Values of every Authorization header, in order. */
  authorization: string[];
  /** Seconds since the epoch. */
  now: number;
}

export interface Authenticated {
  subject: string;
  header: JsonObject;
  claims: JsonObject;
}

/** Either who the token identifies, or why it was refused (a GatewayError, or a bug). */
export type Outcome = { identity: Authenticated; failure?: undefined } | { identity?: undefined; failure: unknown };

/**
 * The whole check, cheapest refusals first: request syntax, token syntax and
 * header policy, key choice, then the signature, and only a verified token's
 * claims are read. The outcome carries a failure rather than rejecting, so a
 * caller never needs a try around an await to tell a bad token from a bug.
 */
export async function authenticate(credentials: Credentials, settings: Settings, keySet: unknown): Promise<Outcome> {
  try {
    const jws = decodeCompactJws(extractBearerToken(credentials.authorization), settings.maxTokenLength);
    const header = readJoseHeader(jws.header);
    const key = selectKey(keySet, header.alg, header.kid);
    const verification = await verifySignature(header.alg, key, jws.signingInput, jws.signature);
    if (verification === 'unusable-key') {
      fail('ERR_JWKS_INVALID', 'WebCrypto cannot import key ' + logSafe(key.kid) + ' for ' + header.alg);
    }
    if (verification === 'invalid') {
      fail('ERR_SIGNATURE_INVALID', 'signature does not verify with key ' + logSafe(key.kid));
    }
    checkTimeClaims(jws.payload, { now: credentials.now, leeway: settings.leeway });
    return { identity: { subject: readSubject(jws.payload), header: jws.header, claims: jws.payload } };
  } catch (failure) {
    return { failure };
  }
}
