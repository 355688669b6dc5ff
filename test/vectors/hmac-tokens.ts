/**
 * Request vectors for the tutorial contract and the hostile inputs of RFC 8725
 * that apply to HMAC keys and to every token whatever its key.
 */
import { octKey, testKeys, TUTORIAL_TOKEN } from './keys.ts';
import { b64, bearer, invalidRequest, invalidToken, mint, noCredentials, now, ok, replaceSegment, signRaw, type Vector } from './tokens.ts';

export async function hmacVectors(): Promise<Vector[]> {
  const good = await mint({ sub: 'apiKey2' });
  const [goodHeader, goodPayload, goodSignature] = good.split('.');
  const other = await mint({ sub: 'someone-else' });
  const header = (members: object) => JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sign', ...members });
  const withSignature = (signature: string) => `${goodHeader}.${goodPayload}.${signature}`;
  const flipped = Buffer.from(goodSignature, 'base64url');
  flipped[0] ^= 0x01;

  const vectors: Vector[] = [
    // The tutorial contract.
    { name: 'tutorial token1.jwt', authorization: bearer(TUTORIAL_TOKEN), expect: ok('apiKey1') },
    { name: 'token for apiKey2 signed with the tutorial key', authorization: bearer(good), expect: ok('apiKey2') },
    { name: 'HS384 with a key long enough for it', authorization: bearer(await mint({ sub: 'wide384' }, { alg: 'HS384' }, testKeys.wide)), expect: ok('wide384') },
    { name: 'HS512 with a key long enough for it', authorization: bearer(await mint({ sub: 'wide512' }, { alg: 'HS512' }, testKeys.wide)), expect: ok('wide512') },
    { name: 'HS384 with a key pinned to HS384', authorization: bearer(await mint({ sub: 'pinned' }, { alg: 'HS384' }, testKeys.pinned)), expect: ok('pinned') },

    // 16: Authorization parsing.
    { name: 'no Authorization header', authorization: [], expect: noCredentials },
    { name: 'Basic scheme', authorization: ['Basic YWxhZGRpbjpvcGVuc2VzYW1l'], expect: noCredentials },
    { name: 'scheme is case-insensitive', authorization: [`bearer ${good}`], expect: ok('apiKey2') },
    { name: 'several spaces after the scheme (1*SP)', authorization: [`Bearer   ${good}`], expect: ok('apiKey2') },
    { name: 'Bearer with no token', authorization: ['Bearer'], expect: invalidRequest },
    { name: 'token with an inner space', authorization: [`Bearer ${goodHeader}. ${goodPayload}`], expect: invalidRequest },
    { name: 'two Authorization headers', authorization: [`Bearer ${good}`, `Bearer ${good}`], expect: invalidRequest },

    // 1: alg none.
    ...['none', 'None', 'NONE'].flatMap((alg) => [
      { name: `alg ${alg} without signature`, authorization: bearer(`${b64(header({ alg }))}.${goodPayload}.`), expect: invalidToken },
      { name: `alg ${alg} with a signature`, authorization: bearer(`${b64(header({ alg }))}.${goodPayload}.${goodSignature}`), expect: invalidToken },
    ]),

    // 3: signatures.
    { name: 'signature with one bit flipped', authorization: bearer(withSignature(flipped.toString('base64url'))), expect: invalidToken },
    { name: 'truncated signature', authorization: bearer(withSignature(goodSignature.slice(0, 20))), expect: invalidToken },
    { name: 'empty signature', authorization: bearer(withSignature('')), expect: invalidToken },
    { name: 'signature copied from another token', authorization: bearer(withSignature(other.split('.')[2])), expect: invalidToken },
    { name: 'payload altered after signing', authorization: bearer(replaceSegment(good, 1, b64('{"sub":"admin"}'))), expect: invalidToken },
    { name: 'signed with a key that is not configured', authorization: bearer(await mint({ sub: 'x' }, {}, octKey({ kty: 'oct', kid: 'sign', k: b64(new Uint8Array(32).fill(7)) }))), expect: invalidToken },

    // 4: alg not allowed for the key, missing or not a string.
    { name: 'HS384 with a 256-bit key', authorization: bearer(signRaw(header({ alg: 'HS384' }), '{"sub":"x"}', testKeys.sign, 'sha384')), expect: invalidToken },
    { name: 'HS256 with a key pinned to HS384', authorization: bearer(await mint({ sub: 'x' }, { alg: 'HS256' }, testKeys.pinned)), expect: invalidToken },
    { name: 'RS256 named by an HMAC-signed token', authorization: bearer(signRaw(header({ alg: 'RS256' }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'alg missing', authorization: bearer(signRaw(JSON.stringify({ kid: 'sign' }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'alg is a number', authorization: bearer(signRaw(header({ alg: 256 }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'alg is null', authorization: bearer(signRaw(header({ alg: null }), '{"sub":"x"}')), expect: invalidToken },

    // 5: kid.
    { name: 'kid unknown', authorization: bearer(signRaw(header({ kid: 'nope' }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'kid path-like', authorization: bearer(signRaw(header({ kid: '../../dev/null' }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'kid very long', authorization: bearer(signRaw(header({ kid: 'k'.repeat(300) }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'kid not a string', authorization: bearer(signRaw(header({ kid: 1 }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'kid names a key marked "use": "enc"', authorization: bearer(await mint({ sub: 'x' }, {}, testKeys.encryption)), expect: invalidToken },
    { name: 'kid names a key whose key_ops lack "verify"', authorization: bearer(await mint({ sub: 'x' }, {}, testKeys.signOnly)), expect: invalidToken },
    { name: 'no kid while several keys verify HS256', authorization: bearer(signRaw(JSON.stringify({ alg: 'HS256' }), '{"sub":"x"}')), expect: invalidToken },

    // 6: keys offered by the token itself are never used.
    {
      name: 'header jwk carries the attacker key',
      authorization: bearer(await mint({ sub: 'x' }, { jwk: { kty: 'oct', k: b64('attacker-key-of-thirty-two-bytes') } as never }, octKey({ kty: 'oct', kid: 'attacker', k: b64('attacker-key-of-thirty-two-bytes') }))),
      expect: invalidToken,
    },
    { name: 'header jku is ignored, not fetched', authorization: bearer(await mint({ sub: 'jku' }, { jku: 'http://127.0.0.1:9/keys' })), expect: ok('jku') },

    // 7: crit and b64.
    { name: 'crit names an extension', authorization: bearer(signRaw(header({ crit: ['exp'], exp: 1 }), '{"sub":"x"}')), expect: invalidToken },
    { name: 'b64 false', authorization: bearer(signRaw(header({ b64: false, crit: ['b64'] }), '{"sub":"x"}')), expect: invalidToken },

    // 9: exp and nbf.
    { name: 'exp in the past', authorization: bearer(await mint({ sub: 'x', exp: now() - 60 })), expect: invalidToken },
    { name: 'exp in the future', authorization: bearer(await mint({ sub: 'fresh', exp: now() + 600 })), expect: ok('fresh') },
    { name: 'exp as a fraction in the future', authorization: bearer(signRaw(header({}), JSON.stringify({ sub: 'fraction', exp: now() + 600.5 }))), expect: ok('fraction') },
    { name: 'nbf in the future', authorization: bearer(await mint({ sub: 'x', nbf: now() + 600 })), expect: invalidToken },
    { name: 'nbf in the past', authorization: bearer(await mint({ sub: 'started', nbf: now() - 600 })), expect: ok('started') },
    ...[['a string', `"${now() + 600}"`], ['a bool', 'true'], ['huge', '1e300'], ['negative', '-1'], ['null', 'null']].map(([what, exp]) => ({
      name: `exp ${what}`,
      authorization: bearer(signRaw(header({}), `{"sub":"x","exp":${exp}}`)),
      expect: invalidToken,
    })),
    { name: 'nbf a string', authorization: bearer(signRaw(header({}), '{"sub":"x","nbf":"0"}')), expect: invalidToken },

    // 11: duplicate members.
    { name: 'duplicate alg in the header', authorization: bearer(signRaw('{"alg":"none","kid":"sign","alg":"HS256"}', '{"sub":"x"}')), expect: invalidToken },
    { name: 'duplicate sub in the payload', authorization: bearer(signRaw(header({}), '{"sub":"alice","sub":"admin"}')), expect: invalidToken },
    { name: 'duplicate member spelled with an escape', authorization: bearer(signRaw(header({}), '{"sub":"alice","\\u0073ub":"admin"}')), expect: invalidToken },

    // 12: base64url strictness.
    { name: 'padding on the signature', authorization: bearer(`${good}=`), expect: invalidToken },
    { name: 'padding inside the token (not a b64token)', authorization: bearer(`${goodHeader}==.${goodPayload}.${goodSignature}`), expect: invalidRequest },
    { name: 'base64 + and / in a segment', authorization: bearer(`${goodHeader}.${goodPayload}.${goodSignature.replace(/-/g, '+').replace(/_/g, '/')}+/`), expect: invalidToken },
    { name: 'length % 4 == 1', authorization: bearer(`${goodHeader}.${goodPayload}A.${goodSignature}`), expect: invalidToken },
    { name: 'non-canonical final bits', authorization: bearer(withSignature(nonCanonical(goodSignature))), expect: invalidToken },
    { name: 'invalid character', authorization: bearer(`${goodHeader}.${goodPayload}.${goodSignature.slice(0, -1)}~`), expect: invalidToken },

    // 13: segments.
    ...[1, 2, 4, 5].map((count) => ({
      name: `${count} segment(s)`,
      authorization: bearer([goodHeader, goodPayload, goodSignature, goodSignature, goodSignature].slice(0, count).join('.')),
      expect: invalidToken,
    })),
    { name: 'empty header segment', authorization: bearer(`.${goodPayload}.${goodSignature}`), expect: invalidToken },
    { name: 'empty payload segment', authorization: bearer(`${goodHeader}..${goodSignature}`), expect: invalidToken },

    // 14: not a JSON object, bad UTF-8, deep nesting.
    { name: 'header is an array', authorization: bearer(signRaw('["HS256"]', '{"sub":"x"}')), expect: invalidToken },
    { name: 'payload is a string', authorization: bearer(signRaw(header({}), '"sub"')), expect: invalidToken },
    { name: 'payload is not JSON', authorization: bearer(signRaw(header({}), '{sub:x}')), expect: invalidToken },
    { name: 'payload is invalid UTF-8', authorization: bearer(signRaw(header({}), Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))), expect: invalidToken },
    { name: 'payload nested 100 deep', authorization: bearer(signRaw(header({}), `{"sub":"x","n":${'['.repeat(100)}${']'.repeat(100)}}`)), expect: invalidToken },

    // 15: size.
    { name: 'token longer than the limit', authorization: bearer(await mint({ sub: 'x', pad: 'p'.repeat(9000) })), expect: invalidToken },

    // 17-18: sub, which the tutorial echoes in a header.
    ...[['CR LF', 'a\r\nX-Injected: 1'], ['NUL', 'a\u0000b'], ['a C1 control', 'a\u0085b'], ['DEL', 'a\u007fb']].map(([what, sub]) => ({
      name: `sub with ${what}`,
      authorization: bearer(signRaw(header({}), JSON.stringify({ sub }))),
      expect: invalidToken,
    })),
    ...[['an object', { id: 1 }], ['an array', ['a']], ['a number', 7], ['empty', ''], ['missing', undefined]].map(([what, sub]) => ({
      name: `sub ${what}`,
      authorization: bearer(signRaw(header({}), JSON.stringify({ sub, iat: now() }))),
      expect: invalidToken,
    })),
    { name: 'sub with non-ASCII letters', authorization: bearer(await mint({ sub: 'José' })), expect: ok('José') },
  ];
  return vectors;
}

/** Same bytes, but the unused low bits of the final character set: a second spelling of one signature. */
function nonCanonical(segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(segment.at(-1) as string);
  return segment.slice(0, -1) + alphabet[last | 1];
}
