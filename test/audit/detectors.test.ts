import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompactEncrypt, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { SecretSourceError } from '../../audit/src/errors.ts';
import { guard } from '../../audit/src/format.ts';
import { maskFragments } from '../../audit/src/redact.ts';
import { Scanner, compileDetection, redactText, scanText } from '../../audit/src/scanner.ts';
import { givenSecret, secretFromEnv, secretPatterns } from '../../audit/src/secrets.ts';

const TOKEN = readFileSync(new URL('../fixtures/tutorial/token1.jwt', import.meta.url), 'utf8');
const JWKS = readFileSync(new URL('../fixtures/tutorial/secret.jwk', import.meta.url), 'utf8');
const secret = givenSecret('file token1.jwt', TOKEN);
const given = compileDetection({ secrets: [secret], heuristics: false });
const heur = compileDetection({});

function streamScan(detection: ReturnType<typeof compileDetection>, data: Buffer, size: number) {
  const s = new Scanner(detection);
  for (let i = 0; i < data.length; i += size) s.push(data.subarray(i, i + size));
  return s.end();
}

/** Every way the secret could show up in output: raw and all encoded cores. */
function forms(): string[] {
  return secretPatterns([secret]).map((p) => p.bytes.toString('latin1'));
}

describe('given secret', () => {
  it('finds the raw value and reports where', () => {
    const ms = scanText(given, `const jwt = "${TOKEN}";\n`);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ kind: 'secret', form: 'raw', offset: 13, length: TOKEN.length, secret: 'file token1.jwt' });
    expect(ms[0]!.preview).toBe('const jwt = "‹secret raw›";');
  });

  it('finds base64 and base64url forms at every alignment inside a longer encoded blob', () => {
    const secretBytes = Buffer.from('s3cr3t+/value?>with~bytes\u00ff\u00fe', 'latin1');
    const d = compileDetection({ secrets: [givenSecret('env S', secretBytes)], heuristics: false });
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      const blob = Buffer.concat([Buffer.from(prefix), secretBytes, Buffer.from('tail')]);
      const std = scanText(d, `data: ${blob.toString('base64')}\n`);
      expect(std.map((m) => m.form), `prefix ${prefix.length}`).toEqual(['base64']);
      const url = scanText(d, `data: ${blob.toString('base64url')}\n`);
      expect(url.map((m) => m.form), `prefix ${prefix.length}`).toEqual(['base64url']);
    }
  });

  it('finds a secret straddling any chunk boundary', () => {
    const data = Buffer.from(`${'x'.repeat(1000)}TOKEN=${TOKEN}\n${'y'.repeat(500)}${Buffer.from(TOKEN).toString('base64')}`);
    for (const size of [1, 2, 3, 17, 64, 190, 191, 192, 1000, 1003, 4096]) {
      const ms = streamScan(given, data, size);
      expect(ms.map((m) => [m.form, m.offset]), `chunk size ${size}`).toEqual([['raw', 1006], ['base64', 1006 + TOKEN.length + 1 + 500]]);
    }
  });

  it('marks context cut mid-line with …', () => {
    const ms = scanText(given, `const BUILT_IN_TOKEN = true ? "${TOKEN}" : void 0; export { BUILT_IN_TOKEN as token };\n`);
    expect(ms[0]!.preview).toBe('…UILT_IN_TOKEN = true ? "‹secret raw›" : void 0; export { BUI…');
  });

  it('reports every occurrence once, also across chunks', () => {
    const data = Buffer.from(`${TOKEN}${TOKEN} ${TOKEN}`);
    for (const size of [5, 100, 191, 500]) expect(streamScan(given, data, size).map((m) => m.offset)).toEqual([0, 191, 383]);
  });

  it('trims the newline a secret file ends with, and refuses short secrets', () => {
    expect(givenSecret('file t', `${TOKEN}\n`).value.toString()).toBe(TOKEN);
    expect(() => givenSecret('file t', 'short\n')).toThrow(SecretSourceError);
    expect(() => secretFromEnv('NOPE_NOT_SET', {})).toThrow(/NOPE_NOT_SET is not set/);
    expect(secretFromEnv('JWT', { JWT: TOKEN }).label).toBe('env JWT');
  });
});

describe('JWT-shaped strings', () => {
  it('decodes the header and payload of the tutorial token', () => {
    const ms = scanText(heur, `Authorization: Bearer ${TOKEN}`);
    expect(ms).toHaveLength(1);
    expect(ms[0]!.kind).toBe('jwt');
    expect(ms[0]!.detail).toMatchObject({ format: 'JWS', alg: 'HS256', kid: 'sign', typ: 'JWT', sub: 'apiKey1' });
    expect(ms[0]!.preview).toBe('Authorization: Bearer ‹jwt›');
  });

  it('finds minted RS256 tokens and JWEs, across chunk boundaries', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const { publicKey } = await generateKeyPair('RSA-OAEP-256');
    const jws = await new SignJWT({ scope: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'k-2024' }).setSubject('svc-42').setIssuedAt().sign(privateKey);
    const jwe = await new CompactEncrypt(new TextEncoder().encode('hi')).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(publicKey);
    const data = Buffer.from(`a=${jws}\nb="${jwe}".\n`);
    for (const size of [1, 50, 333, data.length]) {
      const ms = streamScan(heur, data, size);
      expect(ms.map((m) => [m.detail['format'], m.detail['alg'], m.detail['kid'] ?? m.detail['enc'], m.detail['sub'] ?? '']), `chunk ${size}`).toEqual([
        ['JWS', 'RS256', 'k-2024', 'svc-42'],
        ['JWE', 'RSA-OAEP-256', 'A256GCM', ''],
      ]);
    }
  });

  it('ignores eyJ runs that are not tokens', () => {
    expect(scanText(heur, 'eyJhbGciOiJIUzI1NiJ9 only a header; eyJub3QiOiJqd3QifQ.eyJhIjoxfQ.sig (no alg); xeyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.x')).toEqual([]);
  });
});

describe('private-key-shaped text', () => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;

  it('finds PKCS#8 and PKCS#1 PEM keys, also JSON-escaped, without printing key material', () => {
    const data = Buffer.from(`key1:\n${pem}\n{"key":${JSON.stringify(rsa)}}\n`);
    for (const size of [1, 100, 4096]) {
      const ms = streamScan(heur, data, size);
      expect(ms.map((m) => [m.kind, m.detail['label']])).toEqual([['private-key', 'PRIVATE KEY'], ['private-key', 'RSA PRIVATE KEY']]);
      for (const m of ms) expect(m.preview).not.toMatch(/MI[A-Za-z0-9+/]{6}/);
    }
  });

  it('finds OpenSSH and PGP armored private keys (headers before the body)', () => {
    const b64 = Buffer.alloc(120, 7).toString('base64');
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64.slice(0, 70)}\n${b64.slice(70)}\n-----END OPENSSH PRIVATE KEY-----\n`
      + `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: test\n\n${b64}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n`
      + `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n${b64}\n`;
    expect(scanText(heur, text).map((m) => m.detail['label'])).toEqual(['OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'RSA PRIVATE KEY']);
  });

  it('does not report the bare marker in program code', () => {
    expect(scanText(heur, 'if (line === "-----BEGIN PRIVATE KEY-----") { parse(); }\nconst h = `-----BEGIN ${kind} PRIVATE KEY-----`;')).toEqual([]);
  });

  it('finds private and symmetric JWKs (also escaped) but not public ones', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const priv = JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'ec-1' });
    const pub = JSON.stringify(await exportJWK(publicKey));
    const ms = scanText(heur, `${JWKS}\n${pub}\n${JSON.stringify({ jwk: priv })}`);
    expect(ms.map((m) => [m.kind, m.detail['kty'], m.detail['kid'], m.detail['member']])).toEqual([
      ['jwk', 'oct', 'encrypt', 'k'], ['jwk', 'oct', 'sign', 'k'], ['jwk', 'EC', 'ec-1', 'd'],
    ]);
    const k = (JSON.parse(JWKS) as { keys: { k: string }[] }).keys.map((x) => x.k);
    for (const m of ms) for (const v of k) expect(m.preview).not.toContain(v.slice(0, 10));
  });
});

describe('redaction', () => {
  it('a JWT that is the given secret is one finding with the JWT facts merged in', () => {
    const d = compileDetection({ secrets: [secret] });
    const ms = scanText(d, `JWT=${TOKEN}`);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ kind: 'secret', form: 'raw', detail: { alg: 'HS256', kid: 'sign', sub: 'apiKey1' } });
  });

  it('previews never contain the secret or a fragment of it, even when it repeats back to back', () => {
    const d = compileDetection({ secrets: [secret] });
    const text = `${TOKEN}${TOKEN}|${TOKEN.slice(0, 20)}|${Buffer.from(TOKEN).toString('base64')}|${TOKEN.slice(-12)}`;
    const ms = streamScan(d, Buffer.from(text), 37);
    expect(ms.length).toBeGreaterThanOrEqual(3);
    const all = ms.map((m) => m.preview).join('\n');
    for (const f of forms()) for (let i = 0; i + 8 <= f.length; i += 4) expect(all).not.toContain(f.slice(i, i + 8));
  });

  it('the output guard masks every searched form of a given secret', () => {
    const p = secretPatterns([secret]);
    const b64 = Buffer.from(TOKEN).toString('base64');
    const out = guard(`a ${TOKEN} b ${b64} c ${JSON.stringify({ t: TOKEN })}`, p);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(p[1]!.bytes.toString('latin1'));
    expect(out).toMatch(/^a ‹redacted› b .*‹redacted›/);
  });

  it('masks fragments of a secret and token-like runs in arbitrary text', () => {
    const p = secretPatterns([givenSecret('env P', 'correct horse battery staple')]);
    expect(maskFragments('pw is correct horse! ok', p)).toBe('pw is …! ok');
    expect(redactText(given, `RUN echo ${TOKEN} > /t && echo ${'A'.repeat(40)}`)).toBe('RUN echo ‹secret raw› > /t && echo …');
  });
});

describe('library entry', () => {
  it('exports the audits, the client and the archive scanner for real-image tests', async () => {
    const api = await import('../../audit/src/index.ts');
    for (const name of ['auditImage', 'auditContainer', 'EngineClient', 'scanImageArchive', 'compileDetection', 'givenSecret', 'exitCodeFor'] as const) {
      expect(typeof api[name], name).toBe('function');
    }
    expect(api.EXIT_LEAK).toBe(1);
  });
});
