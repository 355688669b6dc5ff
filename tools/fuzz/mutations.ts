/**
 * Mutations of genuine tokens into hostile ones. Each takes a genuine token and
 * the run's PRNG and returns the Authorization header values to send. None signs
 * with a configured key: every edit keeps a stale signature or is re-signed with
 * a wrong key, so no mutated token may be accepted.
 */
import { CONFIGURED_KIDS, signWithWrongKey, type GenuineToken, type WrongKeys } from './fuzz-keys.ts';
import { headerSafe } from './header-value.ts';
import type { Prng } from './prng.ts';

export interface MutationContext {
  prng: Prng;
  base: GenuineToken;
  /** Every genuine token of the run, for transplants. */
  genuine: readonly GenuineToken[];
  wrongKeys: WrongKeys;
}

type Mutation = (context: MutationContext) => string[];

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Visible ASCII outside the base64url alphabet and the dot, space, and obs-text. */
const FOREIGN_CHARACTERS = `+/=!"#$%&'()*,:;<>?@[\\]^\`{|}~ \u0080\u00a0\u00e9\u00ff`;
const ALGS: readonly unknown[] = [
  'none', 'None', 'NONE', 'nOnE', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512', 'EdDSA', 'ES256K', 'RSA-OAEP', 'dir', '', 'hs256', ' HS256', 'HS256\u0000', null, 256, true, ['HS256'], {},
];
const KIDS: readonly unknown[] = [
  ...CONFIGURED_KIDS, '', 'k'.repeat(257), '../../../../dev/null', 'sign\u0000', 'SIGN', ' sign', '__proto__', 'constructor',
  'toString', 'hasOwnProperty', 'length', '0', null, 7, ['sign'], { kid: 'sign' },
];
const CRITS: readonly unknown[] = [['exp'], [], ['b64'], 'b64', [1], ['x', 'x'], null];
const TYPS: readonly unknown[] = ['JWT', 'at+jwt', 'application/at+jwt', 'JWE', '', 7, null];
const ATTACKER_JWK = { kty: 'oct', k: 'YXR0YWNrZXIta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXM' };

const b64 = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');
const decode = (segment: string) => Buffer.from(segment, 'base64url');
const bearer = (token: string) => [`Bearer ${token}`];

function segmentsOf(token: string): [string, string, string] {
  return token.split('.') as [string, string, string];
}

function randomSegmentIndex(prng: Prng): 0 | 1 | 2 {
  return prng.below(3) as 0 | 1 | 2;
}

function parseObject(segment: string): Record<string, unknown> {
  return JSON.parse(decode(segment).toString('utf8')) as Record<string, unknown>;
}

/**
 * Header and payload bytes with a signature that cannot be the configured key's:
 * a wrong key's, the original (now stale) one, another token's, none, or noise.
 */
function withHostileSignature(context: MutationContext, header: string, payload: string): string {
  const { prng, base, genuine, wrongKeys } = context;
  const signingInput = `${header}.${payload}`;
  const choice = prng.below(10);
  if (choice < 5) {
    let alg: unknown;
    try {
      alg = JSON.parse(decode(header).toString('utf8')).alg;
    } catch {
      alg = undefined;
    }
    const signature = signWithWrongKey(alg, signingInput, wrongKeys);
    if (signature !== undefined) return `${signingInput}.${signature}`;
  }
  if (choice < 7) return `${signingInput}.${segmentsOf(base.token)[2]}`;
  if (choice < 8) return `${signingInput}.${segmentsOf(prng.pick(genuine).token)[2]}`;
  if (choice < 9) return `${signingInput}.`;
  return `${signingInput}.${b64(prng.bytes(prng.between(1, 200)))}`;
}

/** 1 to 3 distinct bits flipped (flipping one twice would give the token back). */
function flipBits(bytes: Buffer, prng: Prng): Buffer {
  const flipped = bytes.length === 0 ? Buffer.from([0]) : Buffer.from(bytes);
  const bits = new Set<number>();
  for (let i = prng.between(1, 3); i > 0; i--) bits.add(prng.below(flipped.length * 8));
  for (const bit of bits) flipped[bit >> 3] ^= 1 << (bit & 7);
  return flipped;
}

function replaceCharacter(text: string, position: number, character: string): string {
  return text.slice(0, position) + character + text.slice(position + 1);
}

/** A JSON text that a strict parser must refuse, or that is not a usable header or claims object. */
function malformedJson(prng: Prng, alg: string): string | Uint8Array {
  const depth = prng.between(10, 2000);
  return prng.pick<() => string | Uint8Array>([
    () => `{"alg":"${alg}","kid":"sign","alg":"none"}`,
    () => `{"alg":"${alg}","\\u0061lg":"none"}`,
    () => `{"sub":"user","sub":"admin"}`,
    () => `{"alg":"${alg}","__proto__":{"alg":"none"}}`,
    () => `{"constructor":{"prototype":{"alg":"none"}},"alg":"${alg}"}`,
    () => prng.pick(['[]', '"x"', 'null', '0', 'true', '{', '}', '{}', '', ' ', '{"a":1,}', "{'alg':'HS256'}"]),
    () => `{"alg":"${alg}"}garbage`,
    () => `\ufeff{"alg":"${alg}"}`,
    () => `{"alg":"${alg}","n":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    () => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    () => `{"alg":"${alg}","exp":1e309,"sub":"\\ud800"}`,
    () => `{"alg":"${alg}","sub":"a\u0000b"}`,
    () => Buffer.concat([Buffer.from(`{"alg":"${alg}","sub":"`), Buffer.from(prng.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]])), Buffer.from('"}')]),
    () => `{"alg":"${alg}","x":"${'\\u0000'.repeat(prng.between(1, 50))}"}`,
  ])();
}

const MUTATIONS = {
  'bit-flip': ({ prng, base }) => {
    const segments = segmentsOf(base.token);
    const index = randomSegmentIndex(prng);
    segments[index] = b64(flipBits(decode(segments[index]), prng));
    return bearer(segments.join('.'));
  },

  'character-substitution': ({ prng, base }) => {
    let token = base.token;
    for (let i = prng.between(1, 3); i > 0; i--) {
      const position = prng.below(token.length);
      token = replaceCharacter(token, position, prng.pick([...BASE64URL, '.'].filter((character) => character !== token[position])));
    }
    return bearer(token);
  },

  // At least one character: framing may put the genuine token after this one, and after an empty one it is just the genuine token.
  truncation: ({ prng, base }) => bearer(base.token.slice(0, prng.between(1, base.token.length - 1))),

  'segment-swap': ({ prng, base }) => {
    const segments = segmentsOf(base.token);
    const first = randomSegmentIndex(prng);
    const second = ((first + prng.between(1, 2)) % 3) as 0 | 1 | 2;
    [segments[first], segments[second]] = [segments[second], segments[first]];
    return bearer(segments.join('.'));
  },

  'segment-duplication': ({ prng, base }) => {
    const segments: string[] = segmentsOf(base.token);
    if (prng.chance(0.2)) return bearer(`${base.token}.${base.token}`);
    segments.splice(prng.below(4), 0, segments[prng.below(3)]);
    return bearer(segments.join('.'));
  },

  'segment-removal': ({ prng, base }) => {
    const segments: string[] = segmentsOf(base.token);
    const index = prng.below(3);
    if (prng.chance(0.5)) segments.splice(index, 1);
    else segments[index] = '';
    return bearer(segments.join('.'));
  },

  /** A segment from another genuine token: another family's header, another subject, another signature. */
  transplant: ({ prng, base, genuine }) => {
    const segments = segmentsOf(base.token);
    const index = randomSegmentIndex(prng);
    // Tokens of one key share their header: only a different segment is a transplant.
    segments[index] = prng.pick(genuine.map((other) => segmentsOf(other.token)[index]).filter((segment) => segment !== segments[index]));
    return bearer(segments.join('.'));
  },

  'header-edit': (context) => {
    const { prng, base } = context;
    const [header, payload] = segmentsOf(base.token);
    const original = decode(header).toString('utf8');
    const edited = parseObject(header);
    // Until the header differs: setting alg or kid to its own value is no edit.
    for (let i = prng.between(1, 3); i > 0 || (JSON.stringify(edited) === original && i > -20); i--) {
      prng.pick<() => void>([
        () => (edited.alg = prng.pick(ALGS)),
        () => (edited.kid = prng.pick(KIDS)),
        () => delete edited.alg,
        () => delete edited.kid,
        () => (edited.crit = prng.pick(CRITS)),
        () => (edited.typ = prng.pick(TYPS)),
        () => (edited.b64 = prng.pick([false, true, 'false'])),
        () => (edited.jwk = ATTACKER_JWK),
        () => (edited[prng.pick(['jku', 'x5u'])] = 'http://127.0.0.1:9/keys'),
        () => (edited.x5c = [b64(prng.bytes(64))]),
        () => (edited.zip = 'DEF'),
      ])();
    }
    return bearer(withHostileSignature(context, b64(JSON.stringify(edited)), payload));
  },

  'payload-edit': (context) => {
    const { prng, base } = context;
    const [header, payload] = segmentsOf(base.token);
    const claims = parseObject(payload);
    const seconds = Math.floor(Date.now() / 1000);
    for (let i = prng.between(1, 3); i > 0; i--) {
      prng.pick<() => void>([
        () => (claims.sub = prng.pick(['admin', '', 7, null, { id: 1 }, ['a'], 'a\r\nX-Injected: 1', 's'.repeat(300)])),
        () => (claims.exp = prng.pick([seconds - 60, seconds + 600, String(seconds + 600), 1e300, -1, null, 1.5, true])),
        () => (claims.nbf = prng.pick([seconds + 600, 'x', -1])),
        () => delete claims.exp,
        () => (claims.iss = prng.pick(['https://evil.example', 7])),
        () => (claims.aud = prng.pick(['anyone', ['a', 'b'], 7])),
        () => (claims.scope = 'admin'),
        () => (claims.pad = 'p'.repeat(prng.between(1, 9000))),
      ])();
    }
    return bearer(withHostileSignature(context, header, b64(JSON.stringify(claims))));
  },

  'malformed-json': (context) => {
    const { prng, base } = context;
    const segments = segmentsOf(base.token);
    const index = prng.below(2);
    segments[index] = b64(malformedJson(prng, base.alg));
    return bearer(withHostileSignature(context, segments[0], segments[1]));
  },

  /** RFC 8725 section 2.2: an HMAC token keyed with the configured RSA or EC public key, under that key's kid. */
  'key-confusion': ({ prng, base, wrongKeys }) => {
    const { kid, secret } = prng.pick(wrongKeys.publicKeysAsSecrets);
    const alg = prng.pick(['HS256', 'HS384', 'HS512']);
    const header = b64(JSON.stringify({ alg, typ: 'JWT', kid }));
    const signingInput = `${header}.${segmentsOf(base.token)[1]}`;
    return bearer(`${signingInput}.${signWithWrongKey(alg, signingInput, { ...wrongKeys, hmac: secret })}`);
  },

  'signature-edit': ({ prng, base }) => {
    const [header, payload, signature] = segmentsOf(base.token);
    const bytes = decode(signature);
    const half = bytes.length / 2;
    const edited = prng.pick<() => Buffer>([
      () => Buffer.alloc(bytes.length),
      () => Buffer.concat([Buffer.alloc(half), bytes.subarray(half)]),
      () => Buffer.concat([bytes.subarray(0, half), Buffer.alloc(half)]),
      () => bytes.subarray(prng.between(1, 3)),
      () => Buffer.concat([bytes, prng.bytes(prng.between(1, 3))]),
      () => prng.bytes(bytes.length),
      () => Buffer.concat([Buffer.from([0x30, bytes.length + 4, 0x02, half]), bytes.subarray(0, half), Buffer.from([0x02, half]), bytes.subarray(half)]),
    ])();
    return bearer(`${header}.${payload}.${b64(edited)}`);
  },

  padding: ({ prng, base }) => {
    const segments: string[] = segmentsOf(base.token);
    const index = prng.below(3);
    const padding = '='.repeat(prng.between(1, 3));
    segments[index] = prng.chance(0.5) ? segments[index] + padding : replaceCharacter(segments[index], prng.below(segments[index].length), padding);
    return bearer(segments.join('.'));
  },

  alphabet: ({ prng, base }) => {
    let token = base.token;
    for (let i = prng.between(1, 3); i > 0; i--) {
      token = replaceCharacter(token, prng.below(token.length), prng.pick([...FOREIGN_CHARACTERS]));
    }
    if (prng.chance(0.2)) token = token.replace(/-/g, '+').replace(/_/g, '/');
    return bearer(token);
  },

  /** Past $jwt_max_token_length (8192), and some past NGINX's 16k header buffers. */
  oversized: (context) => {
    const { prng, base } = context;
    const length = prng.between(8_193, 70_000);
    const [header, payload, signature] = segmentsOf(base.token);
    if (prng.chance(0.5)) {
      const claims = { ...parseObject(payload), pad: 'p'.repeat(length) };
      return bearer(withHostileSignature(context, header, b64(JSON.stringify(claims))));
    }
    const segments = [header, payload, signature];
    const index = prng.below(3);
    segments[index] = segments[index].repeat(Math.ceil(length / Math.max(1, segments[index].length))).slice(0, length);
    return bearer(segments.join('.'));
  },

  /** Random bytes, as a whole credential or spliced into a token (see headerSafe for the byte mapping). */
  binary: ({ prng, base }) => {
    const bytes = prng.bytes(prng.between(1, prng.chance(0.9) ? 512 : 20_000));
    if (prng.chance(0.5)) return [`Bearer ${headerSafe(bytes)}`];
    if (prng.chance(0.2)) return [headerSafe(bytes)];
    const at = prng.below(base.token.length);
    return bearer(base.token.slice(0, at) + headerSafe(bytes.subarray(0, 16)) + base.token.slice(at));
  },

  /** A hostile token presented in odd ways: scheme spelling, separators, two headers. */
  framing: (context: MutationContext): string[] => {
    const { prng } = context;
    const [value] = mutate(prng.pick(TOKEN_MUTATIONS), context);
    const token = value.startsWith('Bearer ') ? value.slice('Bearer '.length) : value;
    return prng.pick<() => string[]>([
      () => [`bearer ${token}`],
      () => [`BEARER    ${token}`],
      () => [`Bearer\t${token}`],
      () => [`Bearer${token}`],
      () => [token],
      () => [`Basic ${token}`],
      () => [` Bearer ${token} `],
      () => [`Bearer ${token}`, `Bearer ${token}`],
      () => [`Bearer ${token}`, `Bearer ${context.base.token}`],
      () => [`Bearer ${token} ${context.base.token}`],
      () => [`Bearer ${token},Bearer ${context.base.token}`],
    ])();
  },
} satisfies Record<string, Mutation>;

export type MutationName = keyof typeof MUTATIONS;
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];
/** The mutations that produce a plain `Bearer <token>`, which framing re-presents. */
const TOKEN_MUTATIONS: readonly string[] = MUTATION_NAMES.filter((name) => name !== 'framing');

export function mutate(name: string, context: MutationContext): string[] {
  return (MUTATIONS as Record<string, Mutation>)[name](context);
}
