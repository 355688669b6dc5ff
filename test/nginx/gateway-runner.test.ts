/**
 * `npm run gateway` as a newcomer uses it: with no key file it makes a development
 * key set and a token that works, never printing the token; SIGHUP reloads; Ctrl-C
 * stops NGINX and leaves no token cache behind.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, TOKEN_CACHE_ROOT } from '../../tools/lib/nginx-process.ts';
import { REPO_ROOT } from '../support/gateway.ts';
import { send } from '../support/http.ts';

const stateDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-runner-'));
// NGINX's workers (nobody, under a root master) connect to sockets in here.
await chmod(stateDir, 0o755);
afterAll(() => rm(stateDir, { recursive: true, force: true }));

describe('npm run gateway', () => {
  it('serves the tutorial with a development key set, prints no token, reloads on SIGHUP, and stops on Ctrl-C', async () => {
    const port = await freePort();
    const cachesBefore = readdirSync(TOKEN_CACHE_ROOT);
    const runner = spawn(process.execPath, ['--import', 'tsx', 'tools/gateway.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, GATEWAY_PORT: String(port), GATEWAY_STATE_DIR: stateDir, JWKS_FILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    runner.stdout.on('data', (chunk: Buffer) => (output += chunk));
    runner.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => runner.once('close', resolve));
    try {
      const deadline = Date.now() + 15_000;
      while (!output.includes('Ctrl-C stops it') && Date.now() < deadline && runner.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output).toContain(`gateway listening on http://127.0.0.1:${port}/`);
      const token = readFileSync(path.join(stateDir, 'dev/token.jwt'), 'utf8');
      expect(output).not.toContain(token.split('.')[2]);
      const reply = await send(`http://127.0.0.1:${port}/`, [`Bearer ${token}`]);
      expect(reply.status).toBe(200);
      expect(reply.header('x-message')).toBe('Success developer');
      runner.kill('SIGHUP');
      while (!output.includes('reloaded:') && Date.now() < deadline + 10_000 && runner.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output).toContain('reloaded: new workers run the current key set and configuration');
      expect((await send(`http://127.0.0.1:${port}/`, [`Bearer ${token}`])).status).toBe(200);
    } finally {
      runner.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // The token cache it made in /dev/shm is gone with it.
    expect(readdirSync(TOKEN_CACHE_ROOT).filter((name) => cachesBefore.indexOf(name) < 0 && name.startsWith('njs-jwt-gateway-tokens-'))).toEqual([]);
    await expect(send(`http://127.0.0.1:${port}/`, [])).rejects.toThrow();
  });
});
