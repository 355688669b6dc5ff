/**
 * A bad key file stops the gateway before it answers anything, with a message
 * that names the file: in NGINX itself (missing or malformed JSON) and in the
 * key-set check that runs before NGINX (njs CLI and Node share its code).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkJwksFile } from '../../njs/src/jwks-file.ts';
import { NO_UPSTREAM, writeGatewayConfig } from '../../tools/lib/nginx-config.ts';
import { NGINX_BINARY, NJS_BINARY } from '../../tools/lib/njs-load-check.ts';
import { extendedTemplate, NJS_DIR, startGateway } from '../support/gateway.ts';
import { TUTORIAL_JWKS_FILE } from '../vectors/keys.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'startup-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function keyFile(name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

const CHECK_SCRIPT = path.join(NJS_DIR, 'check-config.js');

async function njsCheck(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(NJS_BINARY, [CHECK_SCRIPT, file]);
    return { ok: true, output: stdout };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { ok: false, output: stdout + stderr };
  }
}

describe('a bad key file stops the gateway', () => {
  it('names a missing file', async () => {
    const missing = path.join(dir, 'no-such-jwks.json');
    await expect(startGateway({ jwksFile: missing })).rejects.toThrow(`key set ${missing} cannot be read`);
  });

  it('names a file that is not JSON', async () => {
    const file = await keyFile('broken.json', '{"keys": [');
    await expect(startGateway({ jwksFile: file })).rejects.toThrow(`key set ${file} is not JSON`);
  });

  it.each([
    ['missing', path.join(dir, 'absent.json')],
    ['not JSON', path.join(dir, 'broken.json')],
  ])('NGINX itself, unchecked, will not start on a %s file', async (_, jwksFile) => {
    const prefix = await mkdtemp(path.join(dir, 'nginx-'));
    const conf = await writeGatewayConfig(prefix, {
      GATEWAY_LISTEN: '127.0.0.1:1',
      JWKS_FILE: jwksFile,
      NJS_DIR,
      RUNTIME_DIR: prefix,
      ERROR_LOG: path.join(prefix, 'error.log'),
      ACCESS_LOG: 'off',
      UPSTREAM: NO_UPSTREAM,
      TOKEN_CACHE_DIR: path.join(prefix, 'tokens'),
    });
    await expect(promisify(execFile)(NGINX_BINARY, ['-t', '-p', prefix, '-c', conf])).rejects.toThrow('test failed');
  });
});

describe('settings written in the configuration are checked before NGINX starts', () => {
  it('names the file, line and variable of a bad value or an unknown setting', async () => {
    const template = await extendedTemplate(dir, { server: 'location /x/ { set $jwt_leeway "soon"; set $jwt_audiance "api"; js_content jwt.tutorial; }' });
    const failure = startGateway({ jwksFile: TUTORIAL_JWKS_FILE, template });
    await expect(failure).rejects.toThrow(/nginx\.conf:\d+: \$jwt_leeway must be a whole number from 0 to 86400/);
    await expect(failure).rejects.toThrow(/nginx\.conf:\d+: \$jwt_audiance is not a gateway setting/);
  });

  it('does the same in the njs CLI', async () => {
    const conf = await keyFile('bad-settings.conf', 'server {\n  set $jwt_require_exp yes;\n}\n');
    const njs = await promisify(execFile)(NJS_BINARY, [CHECK_SCRIPT, TUTORIAL_JWKS_FILE, conf]).catch((error: { stderr: string; stdout: string }) => error);
    expect(`${njs.stdout}${njs.stderr}`).toContain(`${conf}:2: $jwt_require_exp must be on or off`);
  });
});

describe('the key-set check run before NGINX starts', () => {
  const bad: Array<[string, string, string]> = [
    ['not a JWK Set', '{"kty":"oct"}', 'no "keys" array'],
    ['a weak HMAC key', '{"keys":[{"kty":"oct","kid":"short","k":"c2hvcnQ"}]}', 'weak key: 40 bits'],
    ['no key for signatures', '{"keys":[{"kty":"oct","use":"enc","k":"jXlZZcmfDoNhGxOAvV6W5m5vG6QDeTTWC-Udc14pcRY"}]}', 'no key for verifying'],
    ['an unsupported key type', '{"keys":[{"kty":"XYZ","kid":"a"}]}', 'unsupported kty "XYZ"'],
    ['not JSON', 'keys', 'is not JSON'],
  ];

  it.each(bad)('refuses %s, naming the file, in the njs CLI and in Node', async (name, content, reason) => {
    const file = await keyFile(`${name.replace(/\W+/g, '-')}.json`, content);
    const njs = await njsCheck(file);
    expect(njs.ok).toBe(false);
    expect(njs.output).toContain(`key set ${file}`);
    expect(njs.output).toContain(reason);
    expect(() => checkJwksFile(file, readFileSync)).toThrow(`key set ${file}`);
    expect(() => checkJwksFile(file, readFileSync)).toThrow(reason);
  });

  it('refuses a missing file, naming it', async () => {
    const missing = path.join(dir, 'missing.json');
    const njs = await njsCheck(missing);
    expect(njs.ok).toBe(false);
    expect(njs.output).toContain(`key set ${missing} cannot be read`);
  });

  it('summarises a good key set without printing key material', async () => {
    const njs = await njsCheck(TUTORIAL_JWKS_FILE);
    expect(njs).toEqual({ ok: true, output: `key set ${TUTORIAL_JWKS_FILE}: 2 verification key(s): "encrypt" HS256, "sign" HS256\n` });
    expect(checkJwksFile(TUTORIAL_JWKS_FILE, readFileSync)).toBe(njs.output.trim());
  });
});
