/**
 * The token cache on the real NGINX: what it answers without njs, and what it
 * must never answer. One worker, so the access log shows each request the
 * verifier saw (the cache's misses) before its answer reaches the client.
 */
import { statfsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { extendedTemplate, tutorialLocation, useGateway } from '../support/gateway.ts';
import { send, type Reply } from '../support/http.ts';
import { planCpus } from '../../tools/bench/cpu-plan.ts';
import { runLoad } from '../../tools/bench/wrk-load.ts';
import { mint, signRaw } from '../vectors/index.ts';
import { now } from '../vectors/tokens.ts';
import { testKeySet, testKeys } from '../vectors/keys.ts';

const TMPFS_MAGIC = 0x01021994;
const NO_REVOCATIONS = { jti: [], sub: [], kid: [] };

const forwarded: IncomingHttpHeaders[] = [];
const upstream = createServer((req, res) => {
  forwarded.push(req.headers);
  res.end('{}');
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));

const dir = await mkdtemp(path.join(os.tmpdir(), 'token-cache-'));
afterAll(async () => {
  upstream.close();
  await rm(dir, { recursive: true, force: true });
});
const jwksFile = path.join(dir, 'jwks.json');
const revocationFile = path.join(dir, 'revoked.json');
const accessLog = path.join(dir, 'access.log');
await writeFile(jwksFile, JSON.stringify(testKeySet));
await writeFile(revocationFile, JSON.stringify(NO_REVOCATIONS));
const template = await extendedTemplate(dir, {
  workerProcesses: 1,
  http: `js_preload_object revoked from ${revocationFile};`,
  server: [
    tutorialLocation('/orders/', 'set $jwt_audience orders;'),
    tutorialLocation('/billing/', 'set $jwt_audience billing;'),
    tutorialLocation('/uncached/', 'set $jwt_cache_time 0;'),
    tutorialLocation('/cookie/', 'set $jwt_token_cookie token;'),
  ].join('\n'),
});

describe('the token cache', () => {
  const gateway = useGateway({ jwksFile, template, accessLog, upstream: `127.0.0.1:${(upstream.address() as AddressInfo).port}` });
  /** Requests the verifier answered for this path of the gateway (its URI there is /tutorial<path> or /authorize<path>). */
  const verified = async (verifierUri: string) => (await readFile(accessLog, 'utf8')).split('\n').filter((line) => line.includes(`"GET ${verifierUri} `)).length;
  const get = (uri: string, token: string) => send(`${gateway().url}${uri}`, [`Bearer ${token}`]);
  /** A reload, and then the old worker gone: until it is, it may still answer a kept-alive connection with the old configuration. */
  const reloadAndDrain = async () => {
    const old = gateway().workerPids();
    await gateway().reload();
    const deadline = Date.now() + 10_000;
    while (gateway().workerPids().some((pid) => old.includes(pid))) {
      if (Date.now() > deadline) throw new Error('the old worker did not exit');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  /** Three requests: the first two verified, the third answered from the cache. */
  const answerTwiceThenFromCache = async (uri: string, token: string, verifierUri = `/tutorial${uri}`) => {
    for (let i = 0; i < 3; i++) {
      expect((await get(uri, token)).status).toBe(200);
    }
    expect(await verified(verifierUri)).toBe(2);
  };

  it('verifies a token twice, then answers it from the cache with the same answer', async () => {
    const token = await mint({ sub: 'repeat', exp: now() + 600 });
    const replies: Reply[] = [];
    for (let i = 0; i < 5; i++) replies.push(await get('/repeat', token));
    expect(replies.map((reply) => [reply.status, reply.header('x-message'), reply.body])).toEqual(
      replies.map(() => [200, 'Success repeat', replies[0].body]),
    );
    expect(await verified('/tutorial/repeat')).toBe(2);
    expect(replies[4].header('x-accel-expires')).toBeUndefined();
  });

  it('never caches a refusal', async () => {
    const forged = `${(await mint({ sub: 'forged' })).slice(0, -4)}AAAA`;
    for (let i = 0; i < 4; i++) {
      const reply = await get('/forged', forged);
      expect(reply.status).toBe(401);
      expect(reply.header('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    }
    expect(await verified('/tutorial/forged')).toBe(4);
  });

  it('refuses an expired token although its success was cached', async () => {
    const exp = now() + 3;
    const token = await mint({ sub: 'expiring', exp });
    await answerTwiceThenFromCache('/expiring', token);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    const reply = await get('/expiring', token);
    expect(reply.status).toBe(401);
    expect(reply.header('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    expect(await verified('/tutorial/expiring')).toBe(3);
  });

  it('keeps answers apart per location settings: a token for one audience stays refused at another', async () => {
    const token = await mint({ sub: 'orders-client', aud: 'orders' });
    await answerTwiceThenFromCache('/orders/x', token);
    for (let i = 0; i < 3; i++) expect((await get('/billing/x', token)).status).toBe(401);
    expect(await verified('/tutorial/billing/x')).toBe(3);
  });

  it('verifies every request where $jwt_cache_time is 0, or where tokens may come from a cookie', async () => {
    const token = await mint({ sub: 'every-time' });
    for (let i = 0; i < 4; i++) expect((await get('/uncached/', token)).status).toBe(200);
    expect(await verified('/tutorial/uncached/')).toBe(4);
    for (let i = 0; i < 3; i++) {
      const response = await request(`${gateway().url}/cookie/`, { headers: { cookie: `token=${token}` } });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    }
    expect(await verified('/tutorial/cookie/')).toBe(3);
  });

  it('gives /api/ the claims of a cached answer', async () => {
    forwarded.length = 0;
    const token = await mint({ sub: 'api-client', scope: 'read' });
    await answerTwiceThenFromCache('/api/claims', token, '/authorize/api/claims');
    expect(forwarded.map((headers) => [headers['x-jwt-sub'], headers['x-jwt-scope'], headers.authorization])).toEqual([
      ['api-client', 'read', undefined],
      ['api-client', 'read', undefined],
      ['api-client', 'read', undefined],
    ]);
  });

  it('keeps cached tokens on tmpfs, in files only the workers can read', async () => {
    await answerTwiceThenFromCache('/files', await mint({ sub: 'files' }));
    const cacheDir = gateway().tokenCacheDir;
    expect(statfsSync(cacheDir).type).toBe(TMPFS_MAGIC);
    expect((await stat(cacheDir)).mode & 0o077).toBe(0);
    const entries = (await readdir(cacheDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect((await stat(path.join(entry.parentPath, entry.name))).mode & 0o077).toBe(0);
    }
  });

  it('refuses a revoked token after the reload that revokes it, although its success was cached', async () => {
    const token = await mint({ sub: 'soon-revoked', jti: 'revoke-me' });
    await answerTwiceThenFromCache('/revoked', token);
    await writeFile(revocationFile, JSON.stringify({ ...NO_REVOCATIONS, jti: ['revoke-me'] }));
    await reloadAndDrain();
    expect((await get('/revoked', token)).status).toBe(401);
    expect(await verified('/tutorial/revoked')).toBe(3);
  });

  it('refuses a token whose key was withdrawn by a reload, although its success was cached', async () => {
    const token = await mint({ sub: 'withdrawn' }, { alg: 'ES256', kid: 'ec256' }, testKeys.ec256);
    await answerTwiceThenFromCache('/withdrawn', token);
    await writeFile(jwksFile, JSON.stringify({ keys: testKeySet.keys.filter((key) => key.kid !== 'ec256') }));
    await reloadAndDrain();
    expect((await get('/withdrawn', token)).status).toBe(401);
    expect(await verified('/tutorial/withdrawn')).toBe(3);
  });

  it('logs no trouble', async () => {
    expect(await gateway().troubles()).toEqual([]);
  });
});

/**
 * A flood of distinct tokens from several workers can leave NGINX unable to take
 * a request into the cache (its keys zone full of entries in use): it then
 * answers 500 itself. Here the zone holds a few hundred keys, so that happens;
 * the uncached fallbacks must leave every answer right.
 */
describe('the token cache under pressure', async () => {
  const pressureDir = await mkdtemp(path.join(os.tmpdir(), 'token-cache-pressure-'));
  afterAll(() => rm(pressureDir, { recursive: true, force: true }));
  const tinyZone = await extendedTemplate(pressureDir, { workerProcesses: 2 });
  await writeFile(tinyZone, (await readFile(tinyZone, 'utf8')).replace(/keys_zone=jwt_tokens:\w+/, 'keys_zone=jwt_tokens:64k'));
  const tokenFile = path.join(pressureDir, 'tokens.txt');
  await writeFile(tokenFile, `${Array.from({ length: 3001 }, (_, i) => signRaw('{"alg":"HS256","typ":"JWT","kid":"sign"}', JSON.stringify({ sub: `flood-${i}` }))).join('\n')}\n`);
  const gateway = useGateway({ jwksFile, template: tinyZone, upstream: `127.0.0.1:${(upstream.address() as AddressInfo).port}` });

  it.each(['/', '/api/flood'])('answers %s right while more distinct tokens arrive than the cache can hold', async (uri) => {
    expect(await readFile(tinyZone, 'utf8')).toContain('keys_zone=jwt_tokens:64k');
    const load = await runLoad(`${gateway().url}${uri}`, tokenFile, 'cycle', 3, planCpus());
    const failures = (await gateway().errorLog()).split('\n').filter((line) => line.includes('could not allocate node in cache keys zone')).length;
    console.log(`${uri}: ${load.requests} requests, ${failures} requests so far the cache could not take`);
    expect(load.requests).toBeGreaterThan(1000);
    expect(load.wrongAnswers).toBe(0);
    expect(load.socketErrors).toBe(0);
  });
});
