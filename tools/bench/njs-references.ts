/**
 * The njs endpoints the benchmark compares our gateway with, bundled for njs like
 * the gateway and imported as `bench`. Neither keeps anything between requests,
 * like the alternatives they stand for:
 *   decodeOnly: the tutorial's server: decodes the payload, never checks the signature;
 *   naiveHs256, naiveRs256, naiveEs256: verify every request from scratch, with
 *   createHmac, or WebCrypto importKey + verify.
 * Typed with just what they use of njs's request object, so the Node-side
 * tsconfig checks this file as well.
 */
import hashing from 'crypto';
import { TUTORIAL_BODY } from '../../njs/src/tutorial.ts';

interface NjsRequest {
  headersIn: { [name: string]: string | undefined };
  headersOut: { [name: string]: string | undefined };
  return(status: number, body?: string): void;
}

/** Preloaded once by `js_preload_object bench_keys from <file>;`: the HMAC secret and SPKI DER public keys, base64. */
declare const bench_keys: { hs256: string; rs256: string; es256: string };

/** The three segments of the Bearer token, or undefined when there is none. */
function tokenSegments(r: NjsRequest): string[] | undefined {
  const match = /^Bearer (\S+)$/.exec(r.headersIn['Authorization'] || '');
  const segments = match === null ? [] : match[1].split('.');
  return segments.length === 3 ? segments : undefined;
}

function deny(r: NjsRequest): void {
  r.headersOut['WWW-Authenticate'] = 'Bearer realm="api", error="invalid_token"';
  r.return(401, '{"response":"unauthorized","authorized":false}\n');
}

/** The tutorial's answer, with the subject the payload names. */
function succeed(r: NjsRequest, payloadSegment: string): void {
  let subject: unknown;
  try {
    subject = JSON.parse(Buffer.from(payloadSegment, 'base64url').toString()).sub;
  } catch (e) {
    return deny(r);
  }
  r.headersOut['Content-Type'] = 'application/json';
  r.headersOut['X-MESSAGE'] = 'Success ' + subject;
  r.return(200, TUTORIAL_BODY);
}

function decodeOnly(r: NjsRequest): void {
  const segments = tokenSegments(r);
  return segments === undefined ? deny(r) : succeed(r, segments[1]);
}

function naiveHs256(r: NjsRequest): void {
  const segments = tokenSegments(r);
  if (segments === undefined) {
    return deny(r);
  }
  const expected = hashing
    .createHmac('sha256', Buffer.from(bench_keys.hs256, 'base64'))
    .update(segments[0] + '.' + segments[1])
    .digest('base64url');
  return expected === segments[2] ? succeed(r, segments[1]) : deny(r);
}

type ImportParams = Parameters<typeof crypto.subtle.importKey>[2];
type VerifyParams = Parameters<typeof crypto.subtle.verify>[0];

function verifyWithWebCrypto(r: NjsRequest, spki: string, importParams: ImportParams, verifyParams: VerifyParams): Promise<void> {
  const segments = tokenSegments(r);
  if (segments === undefined) {
    deny(r);
    return Promise.resolve();
  }
  return crypto.subtle
    .importKey('spki', Buffer.from(spki, 'base64'), importParams, false, ['verify'])
    .then(function (key) {
      return crypto.subtle.verify(verifyParams, key, Buffer.from(segments[2], 'base64url'), Buffer.from(segments[0] + '.' + segments[1]));
    })
    .then(
      function (valid) {
        return valid ? succeed(r, segments[1]) : deny(r);
      },
      function () {
        return deny(r);
      },
    );
}

function naiveRs256(r: NjsRequest): Promise<void> {
  return verifyWithWebCrypto(r, bench_keys.rs256, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' });
}

function naiveEs256(r: NjsRequest): Promise<void> {
  return verifyWithWebCrypto(r, bench_keys.es256, { name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' });
}

export default { decodeOnly, naiveHs256, naiveRs256, naiveEs256 };
