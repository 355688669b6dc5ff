import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayUnreachable } from '../../client/src/errors.ts';
import { GatewayClient, displayUrl } from '../../client/src/http.ts';
import { TOKEN1, closedPort, startStubGateway, type StubGateway } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function client(timeouts = { connectMs: 2_000, headersMs: 2_000, bodyMs: 2_000 }): GatewayClient {
  const gateway = new GatewayClient(timeouts);
  cleanups.push(() => gateway.close());
  return gateway;
}

async function stub(...args: Parameters<typeof startStubGateway>): Promise<StubGateway> {
  const server = await startStubGateway(...args);
  cleanups.push(() => server.close());
  return server;
}

/** A raw TCP server, for answers `node:http` will not produce. */
async function rawServer(onData: (socket: import('node:net').Socket) => void): Promise<URL> {
  const server: Server = createServer((socket) => socket.once('data', () => onData(socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => sockets.add(socket));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}

describe('GatewayClient', () => {
  it('sends the token as a bearer credential and returns status, reason and X-MESSAGE', async () => {
    const gateway = await stub({ accepted: new Map([[TOKEN1, 'apiKey1']]) });
    expect(await client().get(gateway.url, TOKEN1)).toEqual({ status: 200, reason: 'OK', message: 'Success apiKey1' });
    expect(await client().get(gateway.url, 'eyJ.other.token')).toEqual({ status: 401, reason: 'Unauthorized', message: undefined });
    expect(gateway.authorizations).toEqual([`Bearer ${TOKEN1}`, 'Bearer eyJ.other.token']);
  });

  it('keeps the server\'s own reason phrase, and falls back to the standard one when it is empty', async () => {
    const custom = await stub({
      handler: (_request, response) => {
        response.statusMessage = 'Token Rejected';
        response.writeHead(401).end();
      },
    });
    expect((await client().get(custom.url, TOKEN1)).reason).toBe('Token Rejected');
    const empty = await rawServer((socket) => socket.end('HTTP/1.1 401 \r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    expect(await client().get(empty, TOKEN1)).toMatchObject({ status: 401, reason: 'Unauthorized' });
  });

  it('reuses one keep-alive connection for successive requests', async () => {
    const gateway = await stub({ accepted: new Map([[TOKEN1, 'apiKey1']]) });
    const shared = client();
    for (let i = 0; i < 4; i++) {
      expect((await shared.get(gateway.url, TOKEN1)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(gateway.connections).toBe(1);
  });

  it('does not follow redirects, so the token only goes where it was configured to', async () => {
    const gateway = await stub({ handler: (_request, response) => response.writeHead(302, { Location: 'http://127.0.0.1:1/' }).end() });
    expect(await client().get(gateway.url, TOKEN1)).toMatchObject({ status: 302, reason: 'Found' });
    expect(gateway.authorizations).toHaveLength(1);
  });

  it('reports a refused connection as GatewayUnreachable', async () => {
    const url = new URL(`http://127.0.0.1:${await closedPort()}/api`);
    const error = await client().get(url, TOKEN1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayUnreachable);
    expect((error as GatewayUnreachable).code).toBe('ERR_GATEWAY_UNREACHABLE');
    expect((error as Error).message).toBe(`gateway ${url.href} did not answer: connection refused (ECONNREFUSED)`);
  });

  it('gives up on a gateway that sends no headers, then on one whose body stalls', async () => {
    const silent = await stub({ handler: () => {} });
    await expect(client({ connectMs: 1_000, headersMs: 200, bodyMs: 1_000 }).get(silent.url, TOKEN1)).rejects.toThrow(
      'did not answer: no response headers within 0.2s (UND_ERR_HEADERS_TIMEOUT)',
    );
    const stalling = await stub({ handler: (_request, response) => response.writeHead(200, { 'Content-Length': '10' }).write('x') });
    await expect(client({ connectMs: 1_000, headersMs: 1_000, bodyMs: 200 }).get(stalling.url, TOKEN1)).rejects.toThrow(
      'did not answer: response body stalled for 0.2s (UND_ERR_BODY_TIMEOUT)',
    );
  });

  it('never shows credentials or a query string of the URL', () => {
    expect(displayUrl(new URL('https://user:pass@gateway.test:8443/api?api_key=abc#x'))).toBe('https://gateway.test:8443/api');
  });
});
