import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE, main } from '../../audit/src/cli.ts';
import { givenSecret, secretPatterns } from '../../audit/src/secrets.ts';
import { type FakeEngine, startFakeEngine } from './helpers/fake-engine.ts';
import { legacySave, ociSave, tar } from './helpers/tar.ts';

const TOKEN = readFileSync(new URL('../fixtures/tutorial/token1.jwt', import.meta.url), 'utf8');
const TOKEN_FILE = new URL('../fixtures/tutorial/token1.jwt', import.meta.url).pathname;

const hardcode = ociSave({
  layers: [
    tar([{ name: 'usr/app/client.mjs', data: `const token = "${TOKEN}";\n` }]),
    tar([{ name: 'usr/app/.wh.client.mjs', data: '' }, { name: 'usr/app/token.b64', data: Buffer.from(`Bearer ${TOKEN}`).toString('base64') }]),
  ],
  env: ['PATH=/usr/bin', `JWT=${TOKEN}`],
  gzip: true,
});
const gateway = legacySave({ layers: [tar([{ name: 'etc/nginx/nginx.conf', data: 'events {}\n' }])] });

let engine: FakeEngine;
let dir: string;
beforeAll(async () => {
  engine = await startFakeEngine({
    images: {
      'njs-jwt-apiclient:hardcode': { inspect: { Id: 'sha256:'.padEnd(71, 'a') }, archive: hardcode.archive },
      'njs-jwt-gateway': { inspect: { Id: 'sha256:'.padEnd(71, 'b') }, archive: gateway.archive },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, env: { DOCKER_HOST: engine.host, ...env } });
  return { code, stdout, stderr };
}

/** The secret must not appear in any searched form, nor as a long-enough slice. */
function expectNoSecret(text: string): void {
  for (const p of secretPatterns([givenSecret('t', TOKEN)])) expect(text).not.toContain(p.bytes.toString('latin1'));
  for (let i = 0; i + 12 <= TOKEN.length; i += 6) expect(text).not.toContain(TOKEN.slice(i, i + 12));
}

describe('secret-audit CLI', () => {
  it('exit 1 with a table and a summary line when the image leaks; never prints the secret', async () => {
    const r = await cli(['image', 'njs-jwt-apiclient:hardcode', '--secret-file', TOKEN_FILE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('secret-audit: image njs-jwt-apiclient:hardcode (sha256:aaaaaaaaaaaa)');
    expect(lines[1]).toMatch(/^KIND\s+WHERE\s+WHAT\s+PREVIEW$/);
    expect(r.stdout).toMatch(/secret \(raw\)\s+layer 1\/2 sha256:[0-9a-f]{12} \/usr\/app\/client\.mjs \[deleted by layer 2 sha256:[0-9a-f]{12}, still in the image\]\s+file .*token1\.jwt JWS alg=HS256 kid=sign sub=apiKey1\s+const token = "‹secret raw›";/);
    expect(r.stdout).toMatch(/secret \(base64\)\s+layer 2\/2 sha256:[0-9a-f]{12} \/usr\/app\/token\.b64/);
    expect(r.stdout).toMatch(/secret \(raw\)\s+image config Env JWT .* JWT=‹secret raw›/);
    expect(lines.at(-1)).toMatch(/^LEAK: 3 findings \(3 secret\), 1 in files deleted by a later layer in image njs-jwt-apiclient:hardcode \(sha256:aaaaaaaaaaaa\); scanned 2 layers, 2 files, /);
    expectNoSecret(r.stdout);
  });

  it('--json prints the report with exitCode; the secret is not in it', async () => {
    const r = await cli(['image', 'njs-jwt-apiclient:hardcode', '--json', '--secret-env', 'JWT'], { JWT: TOKEN });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { exitCode: number; findings: { kind: string; secret?: string; where: Record<string, unknown>; hidden?: unknown }[] };
    expect(report.exitCode).toBe(1);
    expect(report.findings.map((f) => [f.kind, f.secret, f.where['type'], f.where['path'] ?? f.where['key']])).toEqual([
      ['secret', 'env JWT', 'image-config', 'JWT'],
      ['secret', 'env JWT', 'layer', 'usr/app/client.mjs'],
      ['secret', 'env JWT', 'layer', 'usr/app/token.b64'],
    ]);
    expect(report.findings[1]!.hidden).toMatchObject({ by: 'whiteout', layer: 2 });
    expectNoSecret(r.stdout);
  });

  it('without a given secret the JWTs are still found by shape', async () => {
    const r = await cli(['image', 'njs-jwt-apiclient:hardcode', '--json']);
    const report = JSON.parse(r.stdout) as { findings: { kind: string; detail: Record<string, string> }[] };
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.kind, f.detail['sub']])).toEqual([['jwt', 'apiKey1'], ['jwt', 'apiKey1']]); // Env and the plain file; base64 needs the secret
  });

  it('exit 0 and a CLEAN summary for a clean image', async () => {
    const r = await cli(['image', 'njs-jwt-gateway', '--secret-file', TOKEN_FILE]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^CLEAN: no secrets found in image njs-jwt-gateway \(sha256:bbbbbbbbbbbb\); scanned 1 layer, 1 file, 10 B, 2 config entries, 1 history step$/);
  });

  it('exit 2 with one line for a missing image (and a JSON error with --json)', async () => {
    const r = await cli(['image', 'nope:latest']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'secret-audit: no such image: nope:latest\n' });
    const j = await cli(['image', 'nope:latest', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toEqual({ error: { code: 'ERR_NO_SUCH_IMAGE', message: 'no such image: nope:latest' }, exitCode: 2 });
  });

  it('exit 2 with one line when there is no engine', async () => {
    const r = await cli(['container', 'apiclient'], { DOCKER_HOST: `unix://${dir}/absent.sock` });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^secret-audit: cannot reach the Docker engine at unix://${dir}/absent\\.sock: ENOENT .*\\n$`));
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exit 2 for usage errors and unusable secret sources; --help exits 0', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['image'])).stderr).toBe('secret-audit: image: missing image reference\n');
    expect((await cli(['image', 'x', '--bogus'])).stderr).toMatch(/^secret-audit: Unknown option '--bogus'.*\(see --help\)\n$/);
    expect(await cli(['image', 'x', '--secret-env', 'NOT_SET_ANYWHERE'])).toEqual({ code: 2, stdout: '', stderr: 'secret-audit: --secret-env NOT_SET_ANYWHERE: environment variable NOT_SET_ANYWHERE is not set\n' });
    expect((await cli(['image', 'x', '--secret-file', `${dir}/missing`])).stderr).toBe(`secret-audit: cannot read --secret-file ${dir}/missing: ENOENT\n`);
    expect(await cli(['--help'])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });

  it('audits a docker save archive file with no engine', async () => {
    const file = join(dir, 'hardcode.tar');
    writeFileSync(file, hardcode.archive);
    const r = await cli(['archive', file, '--secret-file', TOKEN_FILE], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/LEAK: 3 findings/);
    expect((await cli(['archive', join(dir, 'none.tar')])).stderr).toBe(`secret-audit: cannot read archive ${join(dir, 'none.tar')}: ENOENT\n`);
  });
});

describe('secret-audit bin (a real process)', () => {
  const run = promisify(execFile);
  const bin = new URL('../../audit/bin/secret-audit.mjs', import.meta.url).pathname;

  it('sets the exit status: 1 on a leak, 2 without an engine', async () => {
    const leak = await run(process.execPath, [bin, 'image', 'njs-jwt-apiclient:hardcode', '--json'], { env: { ...process.env, DOCKER_HOST: engine.host } }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(leak.code).toBe(1);
    expect((JSON.parse(leak.stdout) as { exitCode: number }).exitCode).toBe(1);
    const none = await run(process.execPath, [bin, 'image', 'x'], { env: { ...process.env, DOCKER_HOST: `unix://${dir}/absent.sock` } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^secret-audit: cannot reach the Docker engine at unix:\/\/.*absent\.sock: ENOENT/);
  }, 30_000);
});
