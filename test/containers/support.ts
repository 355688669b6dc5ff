/**
 * Support for the container suite: the engine requirement, test-only image names, tokens,
 * Compose and Swarm commands, logs, and a cleanup list that runs even when a test fails.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import { REPO_ROOT } from '../../tools/containers/context.ts';
import { engineAnswers, run } from '../../tools/containers/proc.ts';
import { redact } from '../../tools/containers/redact.ts';

// No reaper (its image cannot be pulled offline) and loopback only; cleanup is ours.
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= '127.0.0.1';

export const FIXTURES = join(REPO_ROOT, 'test/fixtures/tutorial');
export const JWKS_FIXTURE = join(FIXTURES, 'secret.jwk');
export const TOKEN1_FIXTURE = join(FIXTURES, 'token1.jwt');
export { compose, serviceLines, serviceLogs, swarmState, waitFor, type ServiceLogLine } from '../../tools/containers/orchestration.ts';

/** Fails (never skips) when there is no engine, saying how CI provides one. */
export async function requireEngine(): Promise<void> {
  if (!(await engineAnswers())) {
    throw new Error(
      'The container suite needs a Docker engine and none answers (docker info failed). ' +
        'On a host with the packages but no daemon: .ci/install-docker.sh && docker/engine.sh start && docker/base-images.sh',
    );
  }
}

/** Test-only names, so the suite neither uses nor removes images a user built. */
export function testNames(): { run: string; gatewayImage: string; clientImage: string; stack: string } {
  const run = randomBytes(3).toString('hex');
  return {
    run,
    gatewayImage: `njs-jwt-gateway-test-${run}`,
    clientImage: `njs-jwt-apiclient-test-${run}`,
    stack: `njsjwt${run}`,
  };
}

// --- keys and tokens --------------------------------------------------------------------

export function fixtureKeys(): JWK[] {
  return (JSON.parse(readFileSync(JWKS_FIXTURE, 'utf8')) as { keys: JWK[] }).keys;
}

/** The raw key values (`k`) of the fixture key set: what must never be in an image. */
export function keyMaterial(): string[] {
  return fixtureKeys().map((key) => key.k ?? '').filter((k) => k !== '');
}

/** A token for `sub`, HS256 with the given oct key (default: the fixture's `sign` key). */
export async function mintToken(sub: string, key: JWK = fixtureKeys().find((k) => k.kid === 'sign')!): Promise<string> {
  return new SignJWT({ iss: sub, aud: 'apiService' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid ?? 'sign' })
    .setSubject(sub)
    .setIssuedAt()
    .sign(await importJWK({ ...key, alg: 'HS256' }, 'HS256'));
}

export function randomOctKey(kid: string): JWK {
  return { kty: 'oct', kid, k: randomBytes(32).toString('base64url') };
}

// --- files, ports -------------------------------------------------------------------------

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `njs-jwt-${prefix}-`));
}

export async function writeSecretFile(dir: string, name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, { mode: 0o644 });
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

export async function ensureNjsBuilt(): Promise<void> {
  const files = ['dist/njs/jwt-gateway.js', 'dist/njs/check-config.js'].map((f) => join(REPO_ROOT, f));
  if (files.every((f) => existsSync(f))) return;
  await run('npm', ['run', '--silent', 'build:njs'], { cwd: REPO_ROOT });
}

// --- logs ---------------------------------------------------------------------------------

/** Splits Docker's multiplexed log stream (no TTY) into stdout and stderr text. */
export function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset]!;
    const size = buffer.readUInt32BE(offset + 4);
    const frame = buffer.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? err : out).push(frame);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

// --- cleanup ------------------------------------------------------------------------------

/** Things to undo, last in first out; every step runs even when an earlier one fails. */
export class Cleanup {
  private readonly steps: { what: string; undo: () => Promise<unknown> }[] = [];

  add(what: string, undo: () => Promise<unknown>): void {
    this.steps.push({ what, undo });
  }

  async run(secrets: readonly string[] = []): Promise<void> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.undo();
      } catch (error) {
        failures.push(`${step.what}: ${redact(error instanceof Error ? error.message : String(error), secrets)}`);
      }
    }
    if (failures.length > 0) throw new Error(`cleanup incomplete:\n${failures.join('\n')}`);
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
