/** Shared by the client's tests: tutorial fixtures, token minting, temp dirs, a stub gateway. */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { SignJWT, importJWK, type JWK } from 'jose';
import { afterEach } from 'vitest';
import type { LineSink } from '../../client/src/output.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/tutorial');
export const TOKEN1_FILE = join(FIXTURES, 'token1.jwt');
export const JWKS_FILE = join(FIXTURES, 'secret.jwk');
/** The tutorial's token for apiKey1 (the fixture has no trailing newline). */
export const TOKEN1 = readFileSync(TOKEN1_FILE, 'utf8');

/** A token for `sub`, signed like the tutorial's with the fixture's `sign` key. */
export async function mintToken(sub: string): Promise<string> {
  const { keys } = JSON.parse(readFileSync(JWKS_FILE, 'utf8')) as { keys: JWK[] };
  const jwk = keys.find((key) => key.kid === 'sign');
  if (jwk === undefined) throw new Error(`${JWKS_FILE} has no key with kid "sign"`);
  return new SignJWT({ iss: sub, aud: 'apiService', sub })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'sign' })
    .setIssuedAt()
    .sign(await importJWK(jwk, 'HS256'));
}

/** A token for `sub` that looks right but is signed with a key the gateway does not have. */
export async function forgeToken(sub: string): Promise<string> {
  return new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'sign' })
    .setIssuedAt()
    .sign(crypto.getRandomValues(new Uint8Array(32)));
}

const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh directory, removed after the current test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'apiclient-test-'));
  tempDirs.push(dir);
  return dir;
}

export interface StubGateway {
  url: URL;
  /** The Authorization header of every request received, in order. */
  authorizations: (string | undefined)[];
  connections: number;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A `node:http` server on 127.0.0.1 answering like the tutorial's gateway for the tokens in
 * `accepted` (token -> sub), or with `handler` for other behaviour.
 */
export async function startStubGateway(options: { accepted?: Map<string, string>; handler?: Handler } = {}): Promise<StubGateway> {
  const accepted = options.accepted ?? new Map<string, string>();
  const tutorial: Handler = (request, response) => {
    const sub = accepted.get(request.headers.authorization?.replace(/^Bearer /, '') ?? '');
    if (sub === undefined) {
      response.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' }).end('{"error":"unauthorized"}');
    } else {
      response.writeHead(200, { 'X-MESSAGE': `Success ${sub}` }).end('{ "response": "success", "authorized": true, "value": "999" }');
    }
  };
  const handler = options.handler ?? tutorial;
  const stub: Omit<StubGateway, 'url' | 'close'> = { authorizations: [], connections: 0 };
  const server = createServer((request, response) => {
    stub.authorizations.push(request.headers.authorization);
    handler(request, response);
  });
  server.on('connection', () => {
    stub.connections += 1;
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    url: new URL(`http://127.0.0.1:${port}/`),
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  });
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const stub = await startStubGateway();
  await stub.close();
  return Number(stub.url.port);
}

/** Collects lines written to a LineSink and lets a test wait for one. */
export class Lines {
  readonly lines: string[] = [];
  readonly sink: LineSink = (line) => {
    this.lines.push(line);
  };

  async waitFor(predicate: (line: string) => boolean, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching line within ${timeoutMs} ms; got:\n${this.lines.join('\n')}`);
      await new Promise((wake) => setTimeout(wake, 10));
    }
  }
}

/** A writable stream that keeps what was written, for code that prints to stdout/stderr. */
export function captureStream(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const execFileAsync = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `npm run build:client` (through tsx directly) into `outDir`; rejects on failure. */
export async function buildClient(outDir: string, hardcodeTokenFile?: string): Promise<{ plain: string; hardcoded: string }> {
  const args = [join(ROOT, 'tools/build-client.ts'), '--out-dir', outDir];
  if (hardcodeTokenFile !== undefined) args.push('--hardcode-token-file', hardcodeTokenFile);
  await execFileAsync(join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT });
  return { plain: join(outDir, 'client/apiclient.mjs'), hardcoded: join(outDir, 'client-hardcode/apiclient.mjs') };
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node artifact ...args` with only PATH and `env` in its environment; never rejects on a non-zero exit. */
export async function runArtifact(artifact: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [artifact, ...args], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number | null; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export interface LoopingClient {
  /** Lines logged to stderr so far. */
  lines: Lines;
  stdout(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const loopingClients = new Set<LoopingClient>();
afterEach(async () => {
  await Promise.all([...loopingClients].map((client) => client.stop()));
});

/** Starts `node artifact ...args` as a looping client; stopped after the current test at the latest. */
export function startLoopingClient(artifact: string, args: string[], env: NodeJS.ProcessEnv = {}): LoopingClient {
  const child = spawn(process.execPath, [artifact, ...args], { env: { PATH: process.env.PATH, ...env } });
  const lines = new Lines();
  let partial = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.sink(line);
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const client: LoopingClient = {
    lines,
    stdout: () => stdout,
    stop: async () => {
      loopingClients.delete(client);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  loopingClients.add(client);
  return client;
}
