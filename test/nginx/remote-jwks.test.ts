/**
 * Remote key sets ($jwt_jwks_uri) on the real NGINX, against a local key server
 * that counts its requests and can be switched to a new set, errors, garbage or
 * silence. Each scenario uses its own key-set URL, so caches and refetch limits
 * do not mix.
 */
import { createPrivateKey, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { extendedTemplate, useGateway } from '../support/gateway.ts';
import { send } from '../support/http.ts';
import { mint } from '../vectors/index.ts';
import { testKeySet, type TestKey } from '../vectors/keys.ts';

async function ecKey(kid: string): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = createPrivateKey({ key: (await exportJWK(privateKey)) as JWK & { kty: string }, format: 'jwk' });
  return { jwk: { ...(await exportJWK(publicKey)), kid }, signingKey, alg: 'ES256' };
}
const keyA = await ecKey('remote-a');
const keyB = await ecKey('remote-b');
/** Never published by the key server. */
const stranger = await ecKey('stranger');

type Mode = { keys: TestKey[] } | 'error' | 'not-json' | 'deep-nesting' | 'too-big' | 'not-a-key-set' | 'weak-key' | 'hang';

/** The key server: one mode and one request count per path. */
const modes: Record<string, Mode> = {};
const fetches: Record<string, number> = {};
const hanging = new Set<http.ServerResponse>();
const keyServer = http.createServer((req, res) => {
  const name = req.url ?? '';
  if (name.startsWith('/upstream/')) {
    // Also the API behind /remote-api/: echoes the subject the gateway forwarded.
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: req.headers['x-jwt-sub'] }));
    return;
  }
  fetches[name] = (fetches[name] ?? 0) + 1;
  const mode = modes[name] ?? 'error';
  if (mode === 'hang') {
    hanging.add(res);
    return;
  }
  if (mode === 'error') {
    res.writeHead(500).end('{"keys":[]}');
    return;
  }
  const body = mode === 'not-json' ? '<html>maintenance</html>'
    : mode === 'deep-nesting' ? '['.repeat(60_000)
      : mode === 'too-big' ? JSON.stringify({ keys: [keyA.jwk, stranger.jwk], padding: 'x'.repeat(70_000) })
        : mode === 'not-a-key-set' ? '{"issuer":"https://example.test"}'
          : mode === 'weak-key' ? '{"keys":[{"kty":"oct","kid":"remote-a","k":"AAAA"}]}'
            : JSON.stringify({ keys: mode.keys.map((key) => key.jwk) });
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
afterAll(() => {
  hanging.forEach((res) => res.destroy());
  return new Promise<void>((resolve) => keyServer.close(() => resolve()));
});
const keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;

/** One location per scenario: /remote/<name>/ takes keys from <key server>/<name>, fresh for the given seconds. */
const SCENARIOS: Record<string, number> = { cached: 60, outage: 1, rotation: 60, flood: 60, never: 60 };
const locations = Object.entries(SCENARIOS)
  .map(([name, cacheTime]) => `location /remote/${name}/ {
      set $jwt_jwks_uri "${keyServerUrl}/${name}";
      set $jwt_jwks_cache_time ${cacheTime};
      js_content jwt.tutorial;
  }`)
  .join('\n');

const dir = await mkdtemp(path.join(os.tmpdir(), 'remote-jwks-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const jwksFile = path.join(dir, 'jwks.json');
await writeFile(jwksFile, JSON.stringify(testKeySet));
const template = await extendedTemplate(dir, {
  server: `${locations}
  location /remote-api/ {
      set $jwt_jwks_uri "${keyServerUrl}/cached";
      include jwt-authorize.conf;
      proxy_set_header X-Jwt-Sub $jwt_claim_sub;
      proxy_pass ${keyServerUrl}/upstream/;
  }`,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** NGINX counts cache freshness in whole seconds: a copy fresh for 1 s may stay fresh for nearly 2. */
const pastOneSecondFreshness = () => sleep(2100);

describe('remote key sets on NGINX', () => {
  const gateway = useGateway({ jwksFile, template });
  const at = (scenario: string) => `${gateway().url}/remote/${scenario}/`;
  const token = (key: TestKey, header: Record<string, string> = {}) => mint({ sub: `sub-${key.jwk.kid}` }, header, key);
  const expectAccepted = async (url: string, key: TestKey) => {
    const reply = await send(url, [`Bearer ${await token(key)}`]);
    expect(reply.status).toBe(200);
    expect(reply.header('x-message')).toBe(`Success sub-${key.jwk.kid}`);
  };
  const expectRefused = async (url: string, key: TestKey, header: Record<string, string> = {}) => {
    const reply = await send(url, [`Bearer ${await token(key, header)}`]);
    expect(reply.status).toBe(401);
    expect(reply.header('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
  };

  it('verifies tokens with the remote keys and fetches the set once while it is fresh', async () => {
    modes['/cached'] = { keys: [keyA] };
    await expectAccepted(at('cached'), keyA);
    await Promise.all(Array.from({ length: 30 }, () => expectAccepted(at('cached'), keyA)));
    await expectRefused(at('cached'), stranger, { kid: 'remote-a' });
    expect(fetches['/cached']).toBe(1);
    // The cache location is internal: a client cannot make NGINX fetch, or read, a key set.
    const direct = await send(`${gateway().url}/_jwt_jwks?uri=${encodeURIComponent(`${keyServerUrl}/cached`)}&refetch=1`, []);
    expect(direct.status).toBe(404);
    expect(fetches['/cached']).toBe(1);
  });

  it('works from the auth_request subrequest of a proxied location, sharing the cached set', async () => {
    modes['/cached'] = { keys: [keyA] };
    const reply = await send(`${gateway().url}/remote-api/orders`, [`Bearer ${await token(keyA)}`]);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ sub: 'sub-remote-a' });
    // A known kid with a wrong signature: refused from the cached set, no refetch (an unknown kid would earn one).
    await expectRefused(`${gateway().url}/remote-api/orders`, stranger, { kid: 'remote-a' });
    expect(fetches['/cached']).toBe(1);
  });

  it('keeps the last good keys while the key server fails or serves garbage, and never fails open', { timeout: 60_000 }, async () => {
    modes['/outage'] = { keys: [keyA] };
    await expectAccepted(at('outage'), keyA);
    expect(fetches['/outage']).toBe(1);
    const failures: Mode[] = ['error', 'not-json', 'deep-nesting', 'too-big', 'not-a-key-set', 'weak-key'];
    for (const failure of failures) {
      modes['/outage'] = failure;
      const before = fetches['/outage'];
      await pastOneSecondFreshness();
      await expectAccepted(at('outage'), keyA);
      // The expired copy was fetched again, and whatever came back, the last good keys verify.
      expect(fetches['/outage'], `${failure}: the key server was asked again`).toBe(before + 1);
      await expectRefused(at('outage'), stranger);
      await expectRefused(at('outage'), stranger, { kid: 'remote-a' });
    }
    // The next good set replaces the last one: A retired, B in.
    modes['/outage'] = { keys: [keyB] };
    await pastOneSecondFreshness();
    await expectAccepted(at('outage'), keyB);
    await expectRefused(at('outage'), keyA);
  });

  it('answers from the last good copy while a key server hangs, with one fetch', { timeout: 30_000 }, async () => {
    modes['/outage'] = 'hang';
    const before = fetches['/outage'];
    await pastOneSecondFreshness();
    const waiting = send(at('outage'), [`Bearer ${await token(keyB)}`]);
    await sleep(200);
    // The others are answered from the stale copy while the fetch hangs (how fast is a benchmark's question, not a test's).
    await Promise.all(Array.from({ length: 10 }, () => expectAccepted(at('outage'), keyB)));
    // The request that found the copy expired waits for the fetch timeout (js_fetch_timeout 5s), then gets the last good copy.
    expect((await waiting).status).toBe(200);
    expect(fetches['/outage']).toBe(before + 1);
    hanging.forEach((res) => res.destroy());
  });

  it('picks up a rotated-in key through one refetch for its unknown kid', async () => {
    modes['/rotation'] = { keys: [keyA] };
    await expectAccepted(at('rotation'), keyA);
    // A key server sees at most one fetch a second per URL.
    await sleep(1100);
    modes['/rotation'] = { keys: [keyA, keyB] };
    await expectAccepted(at('rotation'), keyB);
    expect(fetches['/rotation']).toBe(2);
    // The refetched set replaced the cached one: no further fetches for either key.
    await expectAccepted(at('rotation'), keyB);
    await expectAccepted(at('rotation'), keyA);
    expect(fetches['/rotation']).toBe(2);
  });

  it('lets a flood of unknown kids cost the key server at most one refetch per interval', async () => {
    modes['/flood'] = { keys: [keyA] };
    await expectAccepted(at('flood'), keyA);
    await sleep(1100);
    const flood = Array.from({ length: 200 }, () => token(stranger, { kid: randomUUID() }));
    for (let i = 0; i < flood.length; i += 20) {
      const replies = await Promise.all((await Promise.all(flood.slice(i, i + 20))).map((t) => send(at('flood'), [`Bearer ${t}`])));
      replies.forEach((reply) => expect(reply.status).toBe(401));
    }
    expect(fetches['/flood']).toBe(2);
    // Genuine tokens go on verifying from the cache throughout.
    await expectAccepted(at('flood'), keyA);
    expect(fetches['/flood']).toBe(2);
  });

  it('answers 500, never 200, when no good copy of the set was ever fetched', async () => {
    for (const failure of ['error', 'not-json', 'weak-key'] as Mode[]) {
      modes['/never'] = failure;
      const reply = await send(at('never'), [`Bearer ${await token(keyA)}`]);
      expect(reply.status).toBe(500);
      expect(reply.header('www-authenticate')).toBeUndefined();
    }
  });

  it('left no crash, error or njs warning in the error log beyond the reported missing set', async () => {
    const troubles = await gateway().troubles();
    expect(troubles.filter((line) => !/jwt: ERR_JWKS_UNAVAILABLE: no checked copy of the remote key set ".*\/never"/.test(line))).toEqual([]);
    expect(troubles.length).toBe(3);
  });
});
