/** Shared by the client's tests: tutorial fixtures, token minting, temp dirs, a stub gateway. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
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
