import { describe, expect, it } from 'vitest';
import { SecretMalformed } from '../../client/src/errors.ts';
import { MAX_TOKEN_BYTES, parseToken } from '../../client/src/token-format.ts';
import { TOKEN1 } from './helpers.ts';

const SOURCE = 'file "/run/secrets/jot"';
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function malformedReason(raw: string): string {
  try {
    parseToken(raw, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(SecretMalformed);
    const { message, code } = error as SecretMalformed;
    expect(code).toBe('ERR_SECRET_MALFORMED');
    expect(message.startsWith(SOURCE)).toBe(true);
    expect(message).not.toMatch(/[\r\n]/);
    // No part of the value leaks: not the whole, and not any segment of a JWS-like value.
    for (const part of [raw.trim(), ...raw.trim().split('.')].filter((part) => part.length >= 4)) {
      expect(message).not.toContain(part);
    }
    return (error as SecretMalformed).reason;
  }
  throw new Error('parseToken accepted a malformed value');
}

describe('parseToken', () => {
  it('accepts a compact JWS, trimming one trailing newline (LF or CRLF)', () => {
    expect(parseToken(TOKEN1, SOURCE)).toBe(TOKEN1);
    expect(parseToken(`${TOKEN1}\n`, SOURCE)).toBe(TOKEN1);
    expect(parseToken(`${TOKEN1}\r\n`, SOURCE)).toBe(TOKEN1);
  });

  it.each([[''], ['\n'], ['   '], [' \n'], ['\r\n']])('rejects an empty value %j', (raw) => {
    expect(malformedReason(raw)).toBe('empty');
  });

  it.each([
    [`${TOKEN1}\n${TOKEN1}`],
    [`${TOKEN1}\n\n`],
    [`\n${TOKEN1}`],
    [`${TOKEN1}\rgarbage`],
  ])('rejects more than one line (%#)', (raw) => {
    expect(malformedReason(raw)).toBe('multiline');
  });

  it('says how many lines it found', () => {
    expect(() => parseToken(`${TOKEN1}\nb\nc\n`, SOURCE)).toThrow(`${SOURCE} has 3 lines; expected one line holding one token`);
  });

  it.each([[` ${TOKEN1}`], [`${TOKEN1} `], [`\t${TOKEN1}\n`], [`${TOKEN1} \n`]])('rejects surrounding whitespace (%#)', (raw) => {
    expect(malformedReason(raw)).toBe('whitespace');
  });

  it('rejects a value larger than any real token', () => {
    const huge = `${base64url({ alg: 'HS256' })}.${'a'.repeat(MAX_TOKEN_BYTES)}.sig`;
    expect(malformedReason(huge)).toBe('too-large');
  });

  it.each([
    ['an opaque string', 'not-a-token-at-all'],
    ['two segments', `${base64url({ alg: 'HS256' })}.payload`],
    ['four segments', `${TOKEN1}.extra`],
    ['an empty signature', `${base64url({ alg: 'none' })}.${base64url({ sub: 'x' })}.`],
    ['base64 padding', `${TOKEN1}==`],
    ['a non-base64url character', TOKEN1.replace('.', '.+')],
    ['a space inside', TOKEN1.replace('.', '. ')],
    ['a header that is not JSON', 'bm90IGpzb24.eyJzdWIiOiJ4In0.c2ln'],
    ['a header without alg', `${base64url({ typ: 'JWT' })}.${base64url({ sub: 'x' })}.c2ln`],
    ['a header that is an array', `${base64url(['HS256'])}.${base64url({ sub: 'x' })}.c2ln`],
    ['a JWE (five segments)', `${base64url({ alg: 'dir', enc: 'A256GCM' })}..aXY.Y3Q.dGFn`],
  ])('rejects %s as not a compact JWS', (_name, raw) => {
    expect(malformedReason(raw)).toBe('not-jws');
  });
});
