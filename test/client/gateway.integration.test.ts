/**
 * The built client against the real gateway (NGINX + the njs module, started by
 * test/support/gateway.ts; needs `npm run build:njs`), in each of the tutorial's modes: the
 * tutorial token succeeds, a bad token gets 401, and a looping client follows a rotation to
 * apiKey2 without a restart. The client runs as its own Node process, as in a container.
 */
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway.ts';
import {
  JWKS_FILE,
  TOKEN1,
  TOKEN1_FILE,
  buildClient,
  forgeToken,
  mintToken,
  runArtifact,
  startLoopingClient,
  tempDir,
} from './helpers.ts';

const gateway = useGateway({ jwksFile: JWKS_FILE });
const url = () => `${gateway().url}/`;

let buildDir: string;
let plain: string;
let hardcoded: string;
let hardcodedForged: string;

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'apiclient-integration-'));
  ({ plain, hardcoded } = await buildClient(join(buildDir, 'good'), TOKEN1_FILE));
  const forgedFile = join(buildDir, 'forged.jwt');
  await writeFile(forgedFile, await forgeToken('apiKey1'));
  ({ hardcoded: hardcodedForged } = await buildClient(join(buildDir, 'forged'), forgedFile));
}, 60_000);

afterAll(async () => {
  if (buildDir !== undefined) await rm(buildDir, { recursive: true, force: true });
  expect(await gateway().troubles()).toEqual([]);
});

/** How each mode is handed a token held in `file`, as the container setup would hand it. */
type Delivery = (file: string) => { artifact: () => string; args: string[]; env: NodeJS.ProcessEnv };
const byFile = (mode: 'file' | 'manager'): Delivery => (file) => ({ artifact: () => plain, args: ['--mode', mode, '--secret-file', file], env: {} });
const byJwtFile: Delivery = (file) => ({ artifact: () => plain, args: ['--mode', 'env'], env: { JWT_FILE: file } });

async function tokenFile(token: string): Promise<string> {
  const path = join(await tempDir(), 'jot');
  await writeFile(path, `${token}\n`);
  return path;
}

describe('one request against the real gateway', () => {
  it('hardcode: the compiled-in tutorial token gets 200 Success apiKey1', async () => {
    expect(await runArtifact(hardcoded, ['--mode', 'hardcode', '--url', url()])).toEqual({ code: 0, stdout: '200 Success apiKey1\n', stderr: '' });
  });

  it('hardcode: a compiled-in forged token gets 401 Unauthorized', async () => {
    expect(await runArtifact(hardcodedForged, ['--mode', 'hardcode', '--url', url()])).toEqual({ code: 1, stdout: '401 Unauthorized\n', stderr: '' });
  });

  it('env: JWT with the tutorial token gets 200, a forged one 401', async () => {
    expect(await runArtifact(plain, ['--mode', 'env', '--url', url()], { JWT: TOKEN1 })).toEqual({ code: 0, stdout: '200 Success apiKey1\n', stderr: '' });
    const forged = await forgeToken('apiKey1');
    expect(await runArtifact(plain, ['--mode', 'env', '--url', url()], { JWT: forged })).toEqual({ code: 1, stdout: '401 Unauthorized\n', stderr: '' });
  });

  it.each([
    ['env with JWT_FILE', byJwtFile],
    ['file', byFile('file')],
    ['manager', byFile('manager')],
  ])('%s: the tutorial token gets 200, a forged one 401', async (_mode, deliver) => {
    const good = deliver(await tokenFile(TOKEN1));
    expect(await runArtifact(good.artifact(), [...good.args, '--url', url()], good.env)).toEqual({
      code: 0,
      stdout: '200 Success apiKey1\n',
      stderr: '',
    });
    const bad = deliver(await tokenFile(await forgeToken('apiKey1')));
    expect(await runArtifact(bad.artifact(), [...bad.args, '--url', url()], bad.env)).toEqual({
      code: 1,
      stdout: '401 Unauthorized\n',
      stderr: '',
    });
  });

  it('an apiKey2 token signed with the same key gets 200 Success apiKey2', async () => {
    const result = await runArtifact(plain, ['--mode', 'env', '--url', url()], { JWT: await mintToken('apiKey2') });
    expect(result).toEqual({ code: 0, stdout: '200 Success apiKey2\n', stderr: '' });
  });
});

describe('a looping client against the real gateway', () => {
  /** Replaces the file by rename, as `docker secret` tooling and editors do. */
  async function replaceFile(path: string, token: string): Promise<void> {
    await writeFile(`${path}.next`, `${token}\n`);
    await rename(`${path}.next`, path);
  }

  it.each([
    ['env with JWT_FILE', byJwtFile],
    ['file', byFile('file')],
    ['manager', byFile('manager')],
  ])('%s: follows a rotation from apiKey1 to apiKey2 without a restart', async (_mode, deliver) => {
    const path = await tokenFile(TOKEN1);
    const { artifact, args, env } = deliver(path);
    const client = startLoopingClient(artifact(), [...args, '--url', url(), '--interval', '0.1'], env);
    await client.lines.waitFor((line) => line === '200 Success apiKey1');
    await replaceFile(path, await mintToken('apiKey2'));
    await client.lines.waitFor((line) => line === '200 Success apiKey2');
    expect(await client.stop()).toBe(0);

    const lines = client.lines.lines;
    const rotatedAt = lines.indexOf('200 Success apiKey2');
    expect(lines.slice(0, rotatedAt).every((line) => line === '200 Success apiKey1')).toBe(true);
    expect(lines.slice(rotatedAt).every((line) => line === '200 Success apiKey2')).toBe(true);
    expect(client.stdout()).toBe('');
  });

  it('file: follows a Kubernetes-style ..data symlink swap', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '..v1'));
    await writeFile(join(dir, '..v1', 'jot'), TOKEN1);
    await symlink('..v1', join(dir, '..data'));
    await symlink('..data/jot', join(dir, 'jot'));
    const client = startLoopingClient(plain, ['--mode', 'file', '--secret-file', join(dir, 'jot'), '--url', url(), '--interval', '0.1']);
    await client.lines.waitFor((line) => line === '200 Success apiKey1');

    await mkdir(join(dir, '..v2'));
    await writeFile(join(dir, '..v2', 'jot'), await mintToken('apiKey2'));
    await symlink('..v2', join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    await client.lines.waitFor((line) => line === '200 Success apiKey2');
    expect(await client.stop()).toBe(0);
  });

  it('keeps going through a revoked token until a good one arrives', async () => {
    const path = await tokenFile(await forgeToken('apiKey1'));
    const client = startLoopingClient(plain, ['--mode', 'file', '--secret-file', path, '--url', url(), '--interval', '0.1']);
    await client.lines.waitFor((line) => line === '401 Unauthorized');
    await replaceFile(path, TOKEN1);
    await client.lines.waitFor((line) => line === '200 Success apiKey1');
    expect(await client.stop()).toBe(0);
    expect(new Set(client.lines.lines)).toEqual(new Set(['401 Unauthorized', '200 Success apiKey1']));
  });
});
