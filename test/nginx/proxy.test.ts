/**
 * The gateway proper: /api/ authenticates with auth_request and proxies to the
 * API behind it, forwarding chosen claims as headers and never the token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { extendedTemplate, useGateway } from '../support/gateway.ts';
import { mint } from '../vectors/index.ts';
import { testKeySet, testKeys } from '../vectors/keys.ts';

/** The API behind the gateway: records what reached it. */
const received: http.IncomingHttpHeaders[] = [];
const upstream = http.createServer((req, res) => {
  received.push(req.headers);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ path: req.url }));
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const dir = await mkdtemp(path.join(os.tmpdir(), 'proxy-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const jwksFile = path.join(dir, 'jwks.json');
await writeFile(jwksFile, JSON.stringify(testKeySet));
const template = await extendedTemplate(dir, {
  server: `location /api/admin/ {
      set $jwt_required_claims "scope=admin";
      include jwt-authorize.conf;
      proxy_set_header X-Jwt-Sub $jwt_claim_sub;
      proxy_set_header X-Jwt-Kid $jwt_header_kid;
      proxy_set_header X-Jwt-Aud $jwt_claim_aud;
      proxy_pass http://127.0.0.1:${(upstream.address() as AddressInfo).port};
  }`,
});

describe('proxying authenticated requests', () => {
  const gateway = useGateway({ jwksFile, template, upstream: `127.0.0.1:${(upstream.address() as AddressInfo).port}` });
  beforeEach(() => {
    received.length = 0;
  });

  const call = async (pathname: string, headers: Record<string, string>) => {
    const response = await request(`${gateway().url}${pathname}`, { headers });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  };

  it('forwards a verified request with the subject and scope, without the token', async () => {
    const token = await mint({ sub: 'alice', scope: 'read write' }, {}, testKeys.ec256);
    const reply = await call('/api/orders?id=7', { authorization: `Bearer ${token}` });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ path: '/api/orders?id=7' });
    expect(received).toHaveLength(1);
    expect(received[0]['x-jwt-sub']).toBe('alice');
    expect(received[0]['x-jwt-scope']).toBe('read write');
    expect(received[0].authorization).toBeUndefined();
  });

  it('replaces a spoofed claim header, and drops it when the token has no such claim', async () => {
    await call('/api/x', { authorization: `Bearer ${await mint({ sub: 'bob' })}`, 'x-jwt-sub': 'admin', 'x-jwt-scope': 'admin' });
    expect(received[0]['x-jwt-sub']).toBe('bob');
    expect(received[0]['x-jwt-scope']).toBeUndefined();
  });

  it('JSON-encodes claims that are not plain strings, so no claim adds a header', async () => {
    const token = await mint({ sub: 'eve\r\nX-Injected: 1', aud: ['a', 'b'], scope: 'admin' });
    await call('/api/admin/', { authorization: `Bearer ${token}` });
    expect(received[0]['x-jwt-sub']).toBe('"eve\\r\\nX-Injected: 1"');
    expect(received[0]['x-jwt-aud']).toBe('["a","b"]');
    expect(received[0]['x-jwt-kid']).toBe('sign');
    expect(received[0]['x-injected']).toBeUndefined();
  });

  it('answers a request without a token itself, with the challenge and JSON body', async () => {
    const reply = await call('/api/x', {});
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ response: 'unauthorized', authorized: false });
    expect(received).toHaveLength(0);
  });

  it('answers a bad token 401 invalid_token and a malformed request 400 invalid_request', async () => {
    const forged = await call('/api/x', { authorization: `Bearer ${(await mint({ sub: 'a' })).slice(0, -3)}AAA` });
    expect(forged.status).toBe(401);
    expect(forged.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    const empty = await call('/api/x', { authorization: 'Bearer' });
    expect(empty.status).toBe(400);
    expect(empty.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
    expect(JSON.parse(empty.body)).toEqual({ response: 'bad request', authorized: false, error: 'invalid_request' });
    expect(received).toHaveLength(0);
  });

  it('answers 403 insufficient_scope where a location requires a claim the token lacks', async () => {
    const reply = await call('/api/admin/', { authorization: `Bearer ${await mint({ sub: 'a', scope: 'read' })}` });
    expect(reply.status).toBe(403);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="api", error="insufficient_scope"');
    expect(JSON.parse(reply.body)).toEqual({ response: 'forbidden', authorized: false, error: 'insufficient_scope' });
    expect(received).toHaveLength(0);
  });

  it('left no crash, error or njs warning in the error log', async () => {
    expect(await gateway().troubles()).toEqual([]);
  });
});
