/**
 * Cases for the njs modules one at a time, run unchanged in Node and in the njs
 * CLI: the two engines must agree on every byte-level rule.
 */
import { decodeBase64url, encodeBase64url } from '../../njs/src/base64url.ts';
import { checkAudience, checkIssuer, checkRequiredClaims, checkTimeClaims, readSubject } from '../../njs/src/claims.ts';
import { cacheUntil } from '../../njs/src/cache-lifetime.ts';
import { checkNotRevoked } from '../../njs/src/revocation.ts';
import { cacheSalt, trustedFiles, trustGenerationConf } from '../../njs/src/trust-generation.ts';
import { claimVariables } from '../../njs/src/claim-variables.ts';
import { checkSettingsInConfig } from '../../njs/src/config-settings.ts';
import { importJwk } from '../../njs/src/jwk.ts';
import { inspectJwkSet } from '../../njs/src/jwk-set.ts';
import { DEFAULT_SETTINGS, readSettings } from '../../njs/src/settings.ts';
import { denialFor } from '../../njs/src/responses.ts';
import { constantTimeEqual } from '../../njs/src/signature.ts';
import { parseJsonObject } from '../../njs/src/strict-json.ts';
import { locateToken } from '../../njs/src/token-location.ts';
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
    ['_w==', '+w', '/w', 'AA AA', 'AA\nAA', 'AAA\n', 'AAAA\n', 'AA\n', 'AA.A', 'AA%3D'].forEach(function (input) {
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
  { name: 'base64url accepts exactly the final characters that re-encode to themselves', run: function () {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < alphabet.length; i++) {
      ['A', 'AA'].forEach(function (prefix) {
        const input = prefix + alphabet.charAt(i);
        let accepted = true;
        try {
          decodeBase64url(input, 'x');
        } catch (e) {
          accepted = false;
        }
        equal(accepted, Buffer.from(input, 'base64url').toString('base64url') === input, input);
      });
    }
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
    equal(parseJsonObject('{"aud":["a","b",["c"]],"s":"\\"","e":""}', 'x').aud, ['a', 'b', ['c']], 'strings in arrays');
  } },
  { name: 'strict JSON refuses duplicate names, also when escaped', run: function () {
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a":1,"a":2}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a":1,"\\u0061":2}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"o":{"k":1,"k":1}}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a":"x","a":"y"}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a":"x","a":1}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"x":["s",{"a":"1","a":"2"}]}', 'x'); });
    failsWith('ERR_JWS_MALFORMED', function () { return parseJsonObject('{"a\\"":1,"a\\"":2}', 'x'); });
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
    const bearer = function (authorization: string[]) { return locateToken({ authorization: authorization, cookie: undefined, queryArg: [] }); };
    equal(bearer(['Bearer abc.def.ghi']), 'abc.def.ghi', 'token');
    equal(bearer(['BEARER  a-b_c~+/=']), 'a-b_c~+/=', 'b64token characters');
    failsWith('ERR_TOKEN_MISSING', function () { return bearer([]); });
    failsWith('ERR_TOKEN_MISSING', function () { return bearer(['Digest abc']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Bearer']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Bearer a b']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Bearer a', 'Bearer a']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer([' Bearer a']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Bearer  ']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Bearer\ta.b.c']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Basic a\nb']); });
    failsWith('ERR_TOKEN_MISSING', function () { return bearer(['Basic']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Bearer a.b.c\n']); });
    failsWith('ERR_REQUEST_INVALID', function () { return bearer(['Basic abc\n']); });
  } },
  { name: 'a token in a cookie or query argument, but in one place only', run: function () {
    equal(locateToken({ authorization: [], cookie: 'c.c.c', queryArg: [] }), 'c.c.c', 'cookie');
    equal(locateToken({ authorization: ['Basic x'], cookie: undefined, queryArg: ['q.q.q'] }), 'q.q.q', 'query argument next to Basic');
    failsWith('ERR_REQUEST_INVALID', function () { return locateToken({ authorization: ['Bearer a.b.c'], cookie: 'a.b.c', queryArg: [] }); });
    failsWith('ERR_REQUEST_INVALID', function () { return locateToken({ authorization: [], cookie: 'a.b.c', queryArg: ['a.b.c'] }); });
    failsWith('ERR_REQUEST_INVALID', function () { return locateToken({ authorization: [], cookie: undefined, queryArg: ['a', 'b'] }); });
    failsWith('ERR_REQUEST_INVALID', function () { return locateToken({ authorization: [], cookie: '', queryArg: [] }); });
  } },
  { name: 'exp and nbf honour the leeway at the boundary', run: function () {
    checkTimeClaims({ exp: 100 }, { now: 99, leeway: 0, requireExp: false });
    failsWith('ERR_TOKEN_EXPIRED', function () { checkTimeClaims({ exp: 100 }, { now: 100, leeway: 0, requireExp: false }); });
    checkTimeClaims({ exp: 100 }, { now: 104, leeway: 5, requireExp: false });
    failsWith('ERR_TOKEN_EXPIRED', function () { checkTimeClaims({ exp: 100 }, { now: 105, leeway: 5, requireExp: false }); });
    checkTimeClaims({ nbf: 100 }, { now: 100, leeway: 0, requireExp: false });
    checkTimeClaims({ nbf: 100 }, { now: 95, leeway: 5, requireExp: false });
    failsWith('ERR_TOKEN_NOT_YET_VALID', function () { checkTimeClaims({ nbf: 100 }, { now: 94, leeway: 5, requireExp: false }); });
  } },
  { name: 'NumericDates must be finite non-negative numbers', run: function () {
    ['1', true, -1, 1e300, null, [1], {}].forEach(function (value) {
      failsWith('ERR_CLAIM_INVALID', function () { checkTimeClaims({ iat: value }, { now: 0, leeway: 0, requireExp: false }); });
    });
  } },
  { name: 'exp can be required', run: function () {
    checkTimeClaims({ exp: 100 }, { now: 0, leeway: 0, requireExp: true });
    failsWith('ERR_CLAIM_INVALID', function () { checkTimeClaims({}, { now: 0, leeway: 0, requireExp: true }); });
  } },
  { name: 'iss must be an accepted issuer when issuers are configured', run: function () {
    checkIssuer({}, []);
    checkIssuer({ iss: 'https://b' }, ['https://a', 'https://b']);
    [{}, { iss: 'https://c' }, { iss: ['https://a'] }, { iss: 1 }].forEach(function (claims) {
      failsWith('ERR_CLAIM_INVALID', function () { checkIssuer(claims, ['https://a']); });
    });
  } },
  { name: 'aud as a string or an array must name an accepted audience', run: function () {
    checkAudience({}, []);
    checkAudience({ aud: 'api' }, ['api']);
    checkAudience({ aud: ['web', 'api'] }, ['api']);
    [{}, { aud: 'web' }, { aud: [] }, { aud: ['web'] }, { aud: [1] }, { aud: { api: true } }].forEach(function (claims) {
      failsWith('ERR_CLAIM_INVALID', function () { checkAudience(claims, ['api']); });
    });
  } },
  { name: 'required claims: present, one of the values, scope entries, array members', run: function () {
    checkRequiredClaims({ jti: 'x' }, [{ name: 'jti', values: null }]);
    checkRequiredClaims({ scope: 'write read' }, [{ name: 'scope', values: ['read'] }]);
    checkRequiredClaims({ roles: ['user', 'admin'] }, [{ name: 'roles', values: ['admin'] }]);
    checkRequiredClaims({ level: 3, beta: true }, [{ name: 'level', values: ['3'] }, { name: 'beta', values: ['true'] }]);
    [
      [{}, 'jti', null], [{ jti: null }, 'jti', null], [{ scope: 'readonly' }, 'scope', ['read']],
      [{ role: 'admin user' }, 'role', ['admin']], [{ roles: [['admin']] }, 'roles', ['admin']], [{ o: { a: 1 } }, 'o', ['a']],
    ].forEach(function (row) {
      failsWith('ERR_INSUFFICIENT_SCOPE', function () { checkRequiredClaims(row[0] as { [name: string]: unknown }, [{ name: row[1] as string, values: row[2] as string[] | null }]); });
    });
  } },
  { name: 'revocation by jti, sub and kid of a verified token', run: function () {
    const list = { jti: ['j1'], sub: ['s1'], kid: ['k1'] };
    checkNotRevoked(undefined, 'k1', { jti: 'j1' });
    checkNotRevoked(list, 'k2', { jti: 'j2', sub: 's2' });
    failsWith('ERR_TOKEN_REVOKED', function () { checkNotRevoked(list, 'k2', { jti: 'j1' }); });
    failsWith('ERR_TOKEN_REVOKED', function () { checkNotRevoked(list, 'k2', { sub: 's1' }); });
    failsWith('ERR_TOKEN_REVOKED', function () { checkNotRevoked(list, 'k1', {}); });
    failsWith('ERR_SETTING_INVALID', function () { checkNotRevoked([], 'k1', {}); });
    failsWith('ERR_SETTING_INVALID', function () { checkNotRevoked({ jti: 'j1' }, 'k1', {}); });
  } },
  { name: 'sub must be a short string free of control characters', run: function () {
    equal(readSubject({ sub: 'apiKey1' }), 'apiKey1', 'sub');
    [undefined, '', 1, {}, 'a\nb', 'a\u0000', 'x'.repeat(257)].forEach(function (sub) {
      failsWith('ERR_CLAIM_INVALID', function () { return readSubject({ sub: sub }); });
    });
  } },
  { name: 'oct JWKs: size decides the algorithms, alg pins one', run: function () {
    equal((importJwk({ kty: 'oct', k: KEY_32 }, 0) as { algorithms: string[] }).algorithms, ['HS256'], 'algorithms');
    equal((importJwk({ kty: 'oct', k: KEY_48, alg: 'HS384' }, 0) as { algorithms: string[] }).algorithms, ['HS384'], 'pinned');
  } },
  { name: 'oct JWKs: use and key_ops keep a key from verifying', run: function () {
    equal(importJwk({ kty: 'oct', k: KEY_32, use: 'enc' }, 0), null, 'use enc');
    equal(importJwk({ kty: 'oct', k: KEY_32, key_ops: ['sign'] }, 0), null, 'key_ops sign');
    equal(importJwk({ kty: 'oct', k: KEY_32, use: 'sig', key_ops: ['verify'] }, 0) === null, false, 'use sig');
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
      failsWith('ERR_JWKS_INVALID', function () { return importJwk(jwk, 0); });
    });
  } },
  { name: 'RSA and EC JWKs: family, size and curve decide the algorithms', run: function () {
    const n2048 = encodeBase64url(new Uint8Array(256).fill(0xc1));
    equal((importJwk({ kty: 'RSA', n: n2048, e: 'AQAB' }, 0) as { algorithms: string[] }).algorithms, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'], 'RSA');
    equal((importJwk({ kty: 'RSA', n: n2048, e: 'AQAB', alg: 'PS384' }, 0) as { algorithms: string[] }).algorithms, ['PS384'], 'pinned RSA');
    equal((importJwk({ kty: 'EC', crv: 'P-384', x: encodeBase64url(new Uint8Array(48)), y: encodeBase64url(new Uint8Array(48)) }, 0) as { algorithms: string[] }).algorithms, ['ES384'], 'P-384');
  } },
  { name: 'RSA and EC JWKs: weak, private, malformed and EdDSA keys are refused', run: function () {
    const n1024 = encodeBase64url(new Uint8Array(128).fill(0xc1));
    const n2048 = encodeBase64url(new Uint8Array(256).fill(0xc1));
    const x32 = encodeBase64url(new Uint8Array(32));
    [
      { kty: 'RSA', n: n1024, e: 'AQAB' },
      { kty: 'RSA', n: n2048, e: 'AQAB', d: 'AQAB' },
      { kty: 'RSA', n: n2048, e: 'AQAA' },
      { kty: 'RSA', n: n2048, e: 'AQ' },
      { kty: 'RSA', n: n2048 },
      { kty: 'RSA', n: n2048, e: 'AQAB', alg: 'ES256' },
      { kty: 'EC', crv: 'P-256', x: x32, y: x32, d: x32 },
      { kty: 'EC', crv: 'P-256', x: x32, y: encodeBase64url(new Uint8Array(31)) },
      { kty: 'EC', crv: 'secp256k1', x: x32, y: x32 },
      { kty: 'EC', crv: 'P-256', x: x32, y: x32, alg: 'ES384' },
      { kty: 'OKP', crv: 'Ed25519', x: x32 },
    ].forEach(function (jwk) {
      failsWith('ERR_JWKS_INVALID', function () { return importJwk(jwk, 0); });
    });
  } },
  { name: 'claim variables: plain strings as they are, everything else JSON, no control characters', run: function () {
    const values = claimVariables({
      header: { alg: 'ES256', kid: 'k1' },
      claims: { sub: 'a\r\nX-Injected: 1', iss: 'https://issuer', aud: ['a', 'b'], exp: 5, scope: 'read\u007f' },
    });
    equal(values.jwt_claim_sub, '"a\\r\\nX-Injected: 1"', 'sub');
    equal(values.jwt_claim_iss, 'https://issuer', 'iss');
    equal(values.jwt_claim_aud, '["a","b"]', 'aud');
    equal(values.jwt_claim_exp, '5', 'exp');
    equal(values.jwt_claim_scope, '"read\\u007f"', 'scope');
    equal(values.jwt_claim_jti, '', 'absent claim');
    equal(values.jwt_header_kid, 'k1', 'kid');
    equal(values.jwt_header_typ, '', 'absent header member');
    equal(JSON.parse(values.jwt_payload).iss, 'https://issuer', 'payload');
    equal(/[\x00-\x1f\x7f]/.test(values.jwt_payload), false, 'payload has no control characters');
  } },
  { name: 'a JWK Set needs a keys array, a verification key and unique kids', run: function () {
    equal(inspectJwkSet({ keys: [{ kty: 'oct', kid: 'a', k: KEY_32 }, { kty: 'oct', kid: 'b', use: 'enc', k: KEY_32 }] }).otherKeys, ['key 1 (kid "b")'], 'other keys');
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({}); });
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({ keys: [] }); });
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({ keys: [{ kty: 'oct', use: 'enc', k: KEY_32 }] }); });
    failsWith('ERR_JWKS_INVALID', function () { return inspectJwkSet({ keys: [{ kty: 'oct', kid: 'a', k: KEY_32 }, { kty: 'oct', kid: 'a', k: KEY_32 }] }); });
  } },
  { name: 'settings set literally in a configuration are checked before start', run: function () {
    const conf = [
      'server {',
      '    set $jwt_realm "orders api";   # a quoted value with a space',
      "    location /a/ { set $jwt_leeway 30; set $jwt_audience 'web api'; }",
      '    # set $jwt_leeway never;',
      '    set $jwt_audience $host;',
      '    set $jwt_leeway soon;',
      '    location /b/ { set $jwt_audiance "api"; }',
      '    set $other 1;',
      '}',
    ].join('\n');
    const problems = checkSettingsInConfig(conf, 'gw.conf');
    equal(problems.length, 2, 'problems');
    equal(problems[0].indexOf('gw.conf:6: $jwt_leeway must be a whole number'), 0, 'bad value, with its line');
    equal(problems[1].indexOf('gw.conf:7: $jwt_audiance is not a gateway setting'), 0, 'typo, with its line');
    equal(checkSettingsInConfig('set $jwt_require_exp on;', 'x'), [], 'good');
    equal(checkSettingsInConfig('set $jwt_forwarded_settings $http_x_jwt_settings;', 'x'), [], 'the verifier sets its own variable');
  } },
  { name: 'denials: RFC 6750 status, challenge and JSON body for each kind of failure', run: function () {
    const failure = function (code: string) { return { name: 'GatewayError', code: code, message: 'm' }; };
    [
      ['ERR_TOKEN_MISSING', 401, undefined, 'unauthorized'],
      ['ERR_REQUEST_INVALID', 400, 'invalid_request', 'bad request'],
      ['ERR_INSUFFICIENT_SCOPE', 403, 'insufficient_scope', 'forbidden'],
      ['ERR_SIGNATURE_INVALID', 401, 'invalid_token', 'unauthorized'],
      ['ERR_TOKEN_REVOKED', 401, 'invalid_token', 'unauthorized'],
    ].forEach(function (row) {
      const denial = denialFor(failure(row[0] as string), 'orders');
      equal(denial.status, row[1], row[0] + ' status');
      equal(denial.challenge, 'Bearer realm="orders"' + (row[2] === undefined ? '' : ', error="' + row[2] + '"'), row[0] + ' challenge');
      equal(denial.body, JSON.stringify({ response: row[3], authorized: false, error: row[2] }) + '\n', row[0] + ' body');
      equal(denial.serverFault, false, row[0] + ' fault');
    });
    ['ERR_JWKS_INVALID', 'ERR_JWKS_UNAVAILABLE', 'ERR_SETTING_INVALID'].forEach(function (code) {
      const denial = denialFor(failure(code), 'orders');
      equal([denial.status, denial.challenge, denial.serverFault], [500, undefined, true], code);
      equal(denial.body, JSON.stringify({ response: 'error', authorized: false }) + '\n', code + ' body');
    });
  } },
  { name: 'constant-time comparison', run: function () {
    equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc')), true, 'equal');
    equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd')), false, 'last byte differs');
    equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('ab')), false, 'length differs');
  } },
  { name: 'settings from nginx variables: defaults, bounds and realm syntax', run: function () {
    equal(readSettings({}), DEFAULT_SETTINGS, 'defaults');
    equal(readSettings({
      jwt_realm: 'orders', jwt_leeway: '30', jwt_max_token_length: '4096', jwt_require_exp: 'on',
      jwt_issuer: 'https://a.example  https://b.example', jwt_audience: 'api', jwt_typ: 'at+jwt',
      jwt_required_claims: 'scope=read role=admin|owner jti', jwt_token_cookie: 'token', jwt_token_arg: 'access_token',
      jwt_jwks_uri: 'https://issuer.example/.well-known/jwks.json', jwt_jwks_cache_time: '60', jwt_cache_time: '0',
    }), {
      realm: 'orders', leeway: 30, maxTokenLength: 4096, requireExp: true,
      issuers: ['https://a.example', 'https://b.example'], audiences: ['api'], typ: 'at+jwt',
      requiredClaims: [{ name: 'scope', values: ['read'] }, { name: 'role', values: ['admin', 'owner'] }, { name: 'jti', values: null }],
      tokenCookie: 'token', tokenArg: 'access_token',
      jwksUri: 'https://issuer.example/.well-known/jwks.json', jwksCacheTime: 60, cacheTime: 0,
    }, 'set');
    [
      { jwt_realm: 'a"b' }, { jwt_realm: 'a\\b' }, { jwt_leeway: '-1' }, { jwt_leeway: '1.5' }, { jwt_leeway: '90000' },
      { jwt_max_token_length: '10' }, { jwt_require_exp: 'yes' }, { jwt_issuer: 'a\tb' }, { jwt_typ: 'a b' },
      { jwt_required_claims: 'scope=' }, { jwt_required_claims: '=read' }, { jwt_token_cookie: 'a;b' }, { jwt_token_arg: 'a=b' },
      { jwt_jwks_uri: 'file:///etc/jwks.json' }, { jwt_jwks_uri: 'https://a.example/jwks json' }, { jwt_jwks_uri: '/jwks.json' },
      { jwt_jwks_cache_time: '0' }, { jwt_jwks_cache_time: '90000' }, { jwt_cache_time: '-1' }, { jwt_cache_time: '3601' },
      { jwt_realm: 'orders\n' }, { jwt_leeway: '30\n' }, { jwt_typ: 'JWT\n' }, { jwt_audience: 'api\n' },
    ].forEach(function (variables) {
      failsWith('ERR_SETTING_INVALID', function () { return readSettings(variables); });
    });
  } },
  { name: 'the token cache never outlives the token, $jwt_cache_time or a remote key set', run: function () {
    const now = 1000.5;
    const settings = readSettings({ jwt_cache_time: '60' });
    equal(cacheUntil({}, settings, now), '@1060', 'no exp: $jwt_cache_time');
    equal(cacheUntil({ exp: 2000 }, settings, now), '@1060', 'far exp');
    equal(cacheUntil({ exp: 1030 }, settings, now), '@1029', 'served through second 1029, never at 1030');
    equal(cacheUntil({ exp: 1030.2 }, settings, now), '@1030', 'a fractional exp ends inside second 1030');
    equal(cacheUntil({ exp: 1001 }, settings, now), '0', 'expires within the second: not cached');
    equal(cacheUntil({ exp: 2000 }, readSettings({ jwt_cache_time: '0' }), now), '0', '$jwt_cache_time 0');
    equal(cacheUntil({ exp: 2000 }, readSettings({ jwt_jwks_uri: 'https://a.example/jwks', jwt_jwks_cache_time: '10' }), now), '@1010', 'remote set fresh for 10 s');
  } },
  { name: 'the trust generation covers every module and preloaded object, and changes with any of them', run: function () {
    const files: { [path: string]: string } = {
      'http.conf': 'js_path "/njs/";\njs_import jwt from jwt-gateway.js;\n# js_preload_object old from /commented.json;\n' +
        'js_preload_object jwks from /secrets/jwks.json;\n',
      'server.conf': 'location / { js_import /njs/jwt-gateway.js; js_preload_object revoked from \'revoked.json\'; }\n',
      '/njs/jwt-gateway.js': 'code', '/secrets/jwks.json': '{"keys":[]}', '/njs/revoked.json': '{"jti":[]}',
    };
    const readText = function (path: string) {
      if (files[path] === undefined) {
        throw new Error('no ' + path);
      }
      return files[path];
    };
    // A stand-in for SHA-256 that keeps all it is given, so any change shows.
    const digest = function (text: string) { return '<' + text.replace(/[\n"]/g, '_') + '>'; };
    equal(trustedFiles(['http.conf', 'server.conf'], readText), ['/njs/jwt-gateway.js', '/njs/revoked.json', '/secrets/jwks.json'], 'files');
    const salt = '0123456789abcdef0123456789abcdef';
    const before = trustGenerationConf(['http.conf', 'server.conf'], salt, readText, digest);
    equal(/^map "" \$jwt_trust_generation \{ default "[^"]+"; \}$/m.test(before), true, 'defines the variable');
    equal(trustGenerationConf(['http.conf', 'server.conf'], salt, readText, digest), before, 'the same files, the same generation');
    equal(trustGenerationConf(['http.conf', 'server.conf'], salt.replace('0', '1'), readText, digest) === before, false, 'another salt changes it');
    files['/njs/revoked.json'] = '{"jti":["x"]}';
    equal(trustGenerationConf(['http.conf', 'server.conf'], salt, readText, digest) === before, false, 'a revocation changes it');
  } },
  { name: 'the token cache salt is drawn once, kept private, and refused when garbled', run: function () {
    const written: { [path: string]: string } = {};
    const files = {
      readText: function (path: string) {
        if (written[path] === undefined) {
          throw new Error('no ' + path);
        }
        return written[path];
      },
      writePrivate: function (path: string, text: string) { written[path] = text; },
    };
    let draws = 0;
    const randomHex = function (bytes: number) { draws++; return 'ab'.repeat(bytes); };
    equal(cacheSalt('/run/salt', files, randomHex), 'ab'.repeat(16), 'drawn');
    equal(cacheSalt('/run/salt', files, randomHex), 'ab'.repeat(16), 'kept');
    equal(draws, 1, 'drawn once');
    written['/run/salt'] = 'short';
    let refused = '';
    try {
      cacheSalt('/run/salt', files, randomHex);
    } catch (e) {
      refused = String(e);
    }
    equal(refused.indexOf('token cache salt /run/salt is not 32 hex digits') >= 0, true, 'garbled salt refused');
  } },
];
