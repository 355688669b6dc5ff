/**
 * The shipped artifacts, built by `tools/build-client.ts` and run as separate Node processes,
 * as a container runs them.
 */
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TOKEN1,
  TOKEN1_FILE,
  buildClient,
  closedPort,
  runArtifact,
  startLoopingClient,
  startStubGateway,
  tempDir,
  type StubGateway,
} from './helpers.ts';

let outDir: string;
let plain: string;
let hardcoded: string;
let gateway: StubGateway;

beforeAll(async () => {
  // Not tempDir(), which cleans up after each test: this build serves them all.
  outDir = await mkdtemp(join(tmpdir(), 'apiclient-build-'));
  ({ plain, hardcoded } = await buildClient(outDir, TOKEN1_FILE));
  gateway = await startStubGateway({ accepted: new Map([[TOKEN1, 'apiKey1']]) });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

describe('npm run build:client', () => {
  it('writes executable single-file ES modules with a node shebang', async () => {
    for (const artifact of [plain, hardcoded]) {
      const text = await readFile(artifact, 'utf8');
      expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
      expect((await stat(artifact)).mode & 0o111).toBe(0o111);
      // Self-contained: nothing is imported but Node's own modules.
      const imports = [...text.matchAll(/^import .* from ['"]([^'"]+)['"]/gm)].map((match) => match[1]);
      expect(imports.every((specifier) => specifier?.startsWith('node:'))).toBe(true);
    }
  });

  it('runs anywhere, with no node_modules next to it', async () => {
    const elsewhere = join(await tempDir(), 'apiclient.mjs');
    await copyFile(plain, elsewhere);
    const result = await runArtifact(elsewhere, ['--mode', 'env', '--url', gateway.url.href], { JWT: TOKEN1 });
    expect(result).toEqual({ code: 0, stdout: '200 Success apiKey1\n', stderr: '' });
  });

  it('compiles the token into the hardcode build only, where anyone can read it', async () => {
    expect(await readFile(plain, 'utf8')).not.toContain(TOKEN1);
    expect(await readFile(hardcoded, 'utf8')).toContain(TOKEN1);
  });

  it('the hardcode build authenticates with its compiled-in token', async () => {
    const result = await runArtifact(hardcoded, ['--mode', 'hardcode', '--url', gateway.url.href]);
    expect(result).toEqual({ code: 0, stdout: '200 Success apiKey1\n', stderr: '' });
  });

  it('the default build refuses hardcode mode with a clear error, exit 3', async () => {
    const result = await runArtifact(plain, ['--mode', 'hardcode', '--url', gateway.url.href]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error ERR_SECRET_NOT_FOUND: hardcoded token is not compiled into this build (build it with: npm run build:client -- --hardcode-token-file PATH)\n',
    );
  });

  it('exit codes: 1 for a 401, 2 for usage, 3 for a missing secret, 4 for an unreachable gateway', async () => {
    const url = gateway.url.href;
    const forged = `${TOKEN1.slice(0, TOKEN1.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    expect(await runArtifact(plain, ['--mode', 'env', '--url', url], { JWT: forged })).toEqual({ code: 1, stdout: '401 Unauthorized\n', stderr: '' });
    expect((await runArtifact(plain, ['--mode', 'bogus'])).code).toBe(2);
    expect((await runArtifact(plain, ['--mode', 'file', '--secret-file', '/nonexistent/jot', '--url', url])).code).toBe(3);
    const nowhere = `http://127.0.0.1:${await closedPort()}/`;
    const unreachable = await runArtifact(plain, ['--mode', 'env', '--url', nowhere], { JWT: TOKEN1 });
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toBe(`error ERR_GATEWAY_UNREACHABLE: gateway ${nowhere} did not answer: connection refused (ECONNREFUSED)\n`);
  });

  it('in loop mode, stops cleanly on SIGTERM (as `docker stop` sends to PID 1)', async () => {
    const client = startLoopingClient(plain, ['--mode', 'env', '--url', gateway.url.href, '--interval', '0.05'], { JWT: TOKEN1 });
    await client.lines.waitFor(() => client.lines.lines.length >= 2);
    const signalledAt = Date.now();
    expect(await client.stop()).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(2_000);
    expect(client.lines.lines.every((line) => line === '200 Success apiKey1')).toBe(true);
    expect(client.stdout()).toBe('');
  });

  it('refuses to compile in a malformed token, without printing it', async () => {
    const bad = join(await tempDir(), 'bad.jwt');
    await writeFile(bad, `${TOKEN1}\n${TOKEN1}\n`);
    const error = (await buildClient(await tempDir(), bad).then(
      () => undefined,
      (caught: unknown) => caught,
    )) as { code: number; stderr: string } | undefined;
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain(`build:client failed: error ERR_SECRET_MALFORMED: file ${JSON.stringify(bad)} has 2 lines`);
    expect(error?.stderr).not.toContain(TOKEN1.split('.')[2]);
  });
});
