/**
 * Client chaos: the looping API client, as built (`apiclient.mjs --interval`),
 * against the real gateway while the gateway stops and starts again on the same
 * port, the secret file disappears and comes back, and the key and secret
 * rotate. The client must come back every time, say what went wrong in one
 * clear line per problem, and never print the token.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startNginx, type RunningNginx } from '../../tools/lib/nginx-process.ts';
import { NJS_DIR, REPO_ROOT } from '../support/gateway.ts';
import { mint } from '../vectors/tokens.ts';
import { octKey } from '../vectors/keys.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'client-chaos-'));
// Under a root master NGINX's workers run as nobody and read the key set in here.
await chmod(dir, 0o755);
afterAll(() => rm(dir, { recursive: true, force: true }));

const jwksFile = path.join(dir, 'jwks.json');
const secretFile = path.join(dir, 'jot');
const oldKey = octKey({ kty: 'oct', kid: 'chaos-old', use: 'sig', k: randomBytes(32).toString('base64url') });
const newKey = octKey({ kty: 'oct', kid: 'chaos-new', use: 'sig', k: randomBytes(32).toString('base64url') });
const tokens = { old: await mint({ sub: 'chaos-old' }, {}, oldKey), new: await mint({ sub: 'chaos-new' }, {}, newKey) };

/** Replaced by rename, as secret stores and orchestrators do, so the client never reads half a file. */
async function replaceFile(file: string, content: string): Promise<void> {
  await writeFile(`${file}.next`, content, { mode: 0o644 });
  await rename(`${file}.next`, file);
}
const publish = (...keys: Array<typeof oldKey>) => replaceFile(jwksFile, JSON.stringify({ keys: keys.map((key) => key.jwk) }));

/** The looping client's output, line by line, and a way to wait for a line. */
class ClientOutput {
  readonly lines: string[] = [];

  constructor(child: ChildProcess) {
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream?.on('data', (chunk: Buffer) => {
        const parts = (pending + chunk.toString('utf8')).split('\n');
        pending = parts.pop() as string;
        this.lines.push(...parts);
      });
    }
  }

  /** Resolves with the first line matching `pattern` printed from now on; fails after `timeoutMs`. */
  async next(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const from = this.lines.length;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.slice(from).find((candidate) => pattern.test(candidate));
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no line matching ${pattern} within ${timeoutMs} ms; the client printed:\n${this.lines.slice(from).join('\n')}`);
  }
}

describe('the looping client under chaos', () => {
  it('survives a gateway restart, a vanishing secret and a rotation, one line per problem, never the token', { timeout: 120_000 }, async () => {
    const outDir = path.join(dir, 'build');
    await promisify(execFile)('npx', ['tsx', 'tools/build-client.ts', '--out-dir', outDir], { cwd: REPO_ROOT });
    await publish(oldKey);
    await replaceFile(secretFile, `${tokens.old}\n`);
    const port = await freePort();
    const startGateway = () => startNginx({ prefix: dir, host: '127.0.0.1', port, jwksFile, njsDir: NJS_DIR });
    let gateway: RunningNginx = await startGateway();

    const client = spawn(process.execPath, [path.join(outDir, 'client/apiclient.mjs'), '--mode', 'file', '--secret-file', secretFile, '--url', `${gateway.url}/`, '--interval', '0.2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = new ClientOutput(client);
    const exited = new Promise<number | null>((resolve) => client.once('close', resolve));
    try {
      await output.next(/^200 Success chaos-old$/);

      // The gateway stops, and starts again on the same port.
      await gateway.stop();
      await output.next(/^error ERR_GATEWAY_UNREACHABLE: .*retrying in/);
      gateway = await startGateway();
      await output.next(/^200 Success chaos-old$/);

      // The secret file disappears, and comes back.
      await rm(secretFile);
      await output.next(/^error ERR_SECRET_NOT_FOUND: /);
      await replaceFile(secretFile, `${tokens.old}\n`);
      await output.next(/^200 Success chaos-old$/);

      // Rotation: add the new key, switch the secret, retire the old key.
      await publish(oldKey, newKey);
      await gateway.reload();
      await replaceFile(secretFile, `${tokens.new}\n`);
      await output.next(/^200 Success chaos-new$/);
      await publish(newKey);
      await gateway.reload();
      await output.next(/^200 Success chaos-new$/);
    } finally {
      client.kill('SIGTERM');
      await gateway.stop();
    }
    expect(await exited).toBe(0);

    const expected = [
      /^200 Success chaos-(old|new)$/,
      /^error ERR_GATEWAY_UNREACHABLE: gateway http:\/\/127\.0\.0\.1:\d+\/ did not answer: .+; retrying in [\d.]+s$/,
      new RegExp(`^error ERR_SECRET_NOT_FOUND: file "${secretFile}" does not exist$`),
    ];
    const secrets = [tokens.old, tokens.new].flatMap((token) => [token, token.split('.')[2]]);
    console.log(`client chaos: ${output.lines.length} lines, e.g.\n${[...new Set(output.lines.map((line) => line.replace(/\d+(\.\d+)?s$/, 'Ns')))].join('\n')}`);
    expect(output.lines.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
    expect(output.lines.filter((line) => !expected.some((pattern) => pattern.test(line)))).toEqual([]);
  });
});
