/**
 * Cases for the njs modules one at a time, run unchanged in Node and in the njs
 * CLI: the two engines must agree on every byte-level rule.
 */
import { decodeBase64url, encodeBase64url } from '../../njs/src/base64url.ts';
import { extractBearerToken } from '../../njs/src/bearer.ts';
import { checkTimeClaims, readSubject } from '../../njs/src/claims.ts';
import { importJwk } from '../../njs/src/jwk.ts';
import { inspectJwkSet } from '../../njs/src/jwk-set.ts';
import { readSettings } from '../../njs/src/settings.ts';
import { constantTimeEqual } from '../../njs/src/signature.ts';
import { parseJsonObject } from '../../njs/src/strict-json.ts';
import { decodeUtf8 } from '../../njs/src/utf8.ts';
import { equal, failsWith, type Case } from './check.ts';

const KEY_32 = 'jXlZZcmfDoNhGxOAvV6W5m5vG6QDeTTWC-Udc14pcRY';
const KEY_16 = 'AAAAAAAAAAAAAAAAAAAAAA';
const KEY_48 = 'B'.repeat(64);

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export const moduleCases: Case[] = [
  { name: 'base64url decodes the empty string', run: function () { equal(hex(decodeBase64url('', 'x')), '', 'bytes'); } },
  { name: 'base64url decodes 1, 2 and 3 byte tails', run: function () {
    equal(hex(decodeBase64url('_w', 'x')), 'ff', 'one byte');
    equal(hex(decodeBase64url('__8', 'x')), 'ffff', 'two bytes');
    equal(hex(decodeBase64url('____', 'x')), 'ffffff', 'three bytes');
  } },
  { name: 'base64url round-trips every byte value', run: function () {
    const bytes = new Uint8Array(256);
    for (let i = 0; i < 256; i++) bytes[i] = i;
    equal(hex(decodeBase64url(encodeBase64url(bytes), 'x')), hex(bytes), 'bytes');
  } },
  { name: 'base64url refuses padding, +, /, whitespace and other characters', run: function () {
    ['_w==', '+w', '/w', 'AA AA', 'AA\nAA', 'AA.A', 'AA%3D'].forEach(function (input) {
      failsWith('ERR_JWS_MALFORMED', function () { return decodeBase64url(input, 'x'); });
    });
  } },
  { name: 'base64url refuses a length of 4n+1', run: function () {
    failsWith('ERR_JWS_MALFORMED', function () { return decodeBase64url('AAAAA', 'x'); });
  } },
  { name: 'base64url refuses non-canonical final bits', run: function () {
    failsWith('ERR_JWS_MALFORMED', function () { return decodeBase64url('_x', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return decodeBase64url('__9', 'x'); });
  } },
  { name: 'UTF-8 decodes multi-byte text and refuses invalid sequences', run: function () {
    equal(decodeUtf8(Buffer.from('Jos\u00e9 \u20ac'), 'x'), 'Jos\u00e9 \u20ac', 'text');
    failsWith('ERR_JWS_MALFORMED', function () { return decodeUtf8(Buffer.from([0xc3, 0x28]), 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return decodeUtf8(Buffer.from([0xed, 0xa0, 0x80]), 'x'); });
  } },
  { name: 'strict JSON parses objects with nested values', run: function () {
    equal(parseJsonObject('{"a":[1,{"b":"}"}],"c":{"a":2}}', 'x'), { a: [1, { b: '}' }], c: { a: 2 } }, 'value');
  } },
  { name: 'strict JSON allows equal names in different objects', run: function () {
    equal(parseJsonObject('{"a":{"a":1},"b":[{"a":1},{"a":2}]}', 'x').b, [{ a: 1 }, { a: 2 }], 'value');
  } },
  { name: 'strict JSON refuses duplicate names, also when escaped', run: function () {
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a":1,"a":2}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a":1,"\\u0061":2}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"o":{"k":1,"k":1}}', 'x'); });
  } },
  { name: 'strict JSON treats quotes and brackets inside strings as text', run: function () {
    equal(parseJsonObject('{"a":"\\"a\\":{[","b":"\\\\"}', 'x'), { a: '"a":{[', b: '\\' }, 'value');
  } },
  { name: 'strict JSON refuses non-objects, bad JSON and deep nesting', run: function () {
    ['[]', '"a"', '1', 'null', '{', '{"a":1,}', '{"a"}', '{"a":1} x'].forEach(function (text) {
      failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject(text, 'x'); });
    });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a":' + '['.repeat(20) + ']'.repeat(20) + '}', 'x'); });
  } },
  { name: 'strict JSON keeps __proto__ as plain data', run: function () {
    const value = parseJsonObject('{"__proto__":{"polluted":true}}', 'x');
    equal(({} as { polluted?: boolean }).polluted, undefined, 'Object.prototype');
    equal(Object.prototype.hasOwnProperty.call(value, '__proto__'), true, 'own member');
  } },
  { name: 'bearer extraction follows RFC 6750', run: function () {
    equal(extractBearerToken(['Bearer abc.def.ghi']), 'abc.def.ghi', 'token');
    equal(extractBearerToken(['BEARER  a-b_c~+/=']), 'a-b_c~+/=', 'b64token characters');
    failsWith('ERR_TOKEN_MISSING', function () { return extractBearerToken([]); });
    failsWith('ERR_TOKEN_MISSING', function () { return extractBearerToken(['Digest abc']); });
    failsWith('ERR_REQUEST_INVALID', function () { return extractBearerToken(['Bearer']); });
    failsWith('ERR_REQUEST_INVALID', function () { return extractBearerToken(['Bearer a b']); });
    failsWith('ERR_REQUEST_INVALID', function () { return extractBearerToken(['Bearer a', 'Bearer a']); });
    failsWith('ERR_REQUEST_INVALID', function () { return extractBearerToken([' Bearer a']); });
  } },
  { name: 'exp and nbf honour the leeway at the boundary', run: function () {
    checkTimeClaims({ exp: 100 }, { now: 99, leeway: 0 });
    failsWith('ERR_TOKEN_EXPIRED', function () { checkTimeClaims({ exp: 100 }, { now: 100, leeway: 0 }); });
    checkTimeClaims({ exp: 100 }, { now: 104, leeway: 5 });
    failsWith('ERR_TOKEN_EXPIRED', function () { checkTimeClaims({ exp: 100 }, { now: 105, leeway: 5 }); });
    checkTimeClaims({ nbf: 100 }, { now: 100, leeway: 0 });
    checkTimeClaims({ nbf: 100 }, { now: 95, leeway: 5 });
    failsWith('ERR_TOKEN_NOT_YET_VALID', function () { checkTimeClaims({ nbf: 100 }, { now: 94, leeway: 5 }); });
  } },
  { name: 'NumericDates must be finite non-negative numbers', run: function () {
    ['1', true, -1, 1e300, null, [1], {}].forEach(function (value) {
      failsWith('ERR_CLAIM_INVALID', function () { checkTimeClaims({ iat: value }, { now: 0, leeway: 0 }); });
    });
  } },
  { name: 'sub must be a short string free of control characters', run: function () {
    equal(readSubject({ sub: 'apiKey1' }), 'apiKey1', 'sub');
    [undefined, '', 1, {}, 'a\nb', 'a\u0000', 'x'.repeat(257)].forEach(function (sub) {
      failsWith('ERR_CLAIM_INVALID', function () { return readSubject({ sub: sub }); });
    });
  } },
  { name: 'oct JWKs: size decides the algorithms, alg pins one', run: function () {
    equal((importJwk({ kty: 'oct', k: KEY_32 }, 'k') as { algorithms: string[] }).algorithms, ['HS256'], 'algorithms');
    equal((importJwk({ kty: 'oct', k: KEY_48, alg: 'HS384' }, 'k') as { algorithms: string[] }).algorithms, ['HS384'], 'pinned');
  } },
  { name: 'oct JWKs: use and key_ops keep a key from verifying', run: function () {
    equal(importJwk({ kty: 'oct', k: KEY_32, use: 'enc' }, 'k'), null, 'use enc');
    equal(importJwk({ kty: 'oct', k: KEY_32, key_ops: ['sign'] }, 'k'), null, 'key_ops sign');
    equal(importJwk({ kty: 'oct', k: KEY_32, use: 'sig', key_ops: ['verify'] }, 'k') === null, false, 'use sig');
  } },
  { name: 'oct JWKs: weak, malformed and unsupported keys are refused', run: function () {
    [
      { kty: 'oct', k: KEY_16 },
      { kty: 'oct', k: KEY_32 + '=' },
      { kty: 'oct' },
      { kty: 'oct', k: KEY_32, alg: 'HS512' },
      { kty: 'oct', k: KEY_32, alg: 'RS256' },
      { kty: 'oct', k: KEY_32, kid: 7 },
      { kty: 'oct', k: KEY_32, key_ops: 'verify' },
      { kty: 'oct', k: KEY_32, use: 1 },
      { kty: 'XYZ', k: KEY_32 },
      'oct',
    ].forEach(function (jwk) {
      failsWith('ERR_JWKS_INVALID', function () { return importJwk(jwk, 'k'); });
    });
  } },
  { name: 'a JWK Set needs a keys array, a verification key and unique kids', run: function () {
    equal(inspectJwkSet({ keys: [{ kty: 'oct', kid: 'a', k: KEY_32 }, { kty: 'oct', kid: 'b', use: 'enc', k: KEY_32 }] }).otherKeys, ['key 1 (kid "b")'], 'other keys');
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({}); });
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({ keys: [] }); });
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({ keys: [{ kty: 'oct', use: 'enc', k: KEY_32 }] }); });
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({ keys: [{ kty: 'oct', kid: 'a', k: KEY_32 }, { kty: 'oct', kid: 'a', k: KEY_32 }] }); });
  } },
  { name: 'constant-time comparison', run: function () {
    equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc')), true, 'equal');
    equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd')), false, 'last byte differs');
    equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('ab')), false, 'length differs');
  } },
  { name: 'settings from nginx variables: defaults, bounds and realm syntax', run: function () {
    equal(readSettings({}), { realm: 'api', leeway: 0, maxTokenLength: 8192 }, 'defaults');
    equal(readSettings({ jwt_realm: 'orders', jwt_leeway: '30', jwt_max_token_length: '4096' }), { realm: 'orders', leeway: 30, maxTokenLength: 4096 }, 'set');
    [{ jwt_realm: 'a"b' }, { jwt_realm: 'a\\b' }, { jwt_leeway: '-1' }, { jwt_leeway: '1.5' }, { jwt_leeway: '90000' }, { jwt_max_token_length: '10' }].forEach(function (variables) {
      failsWith('ERR_SETTING_INVALID', function () { return readSettings(variables); });
    });
  } },
];
