/**
 * Key rotation under load: add the new key and reload, sign with it, retire the
 * old key and reload, while clients keep sending requests. Nothing may fail.
 *
 * On reload, old workers finish every request they received and close their idle
 * keep-alive connections; a request a client sends on such a connection at that
 * instant never reaches NGINX. HTTP lets clients retry an idempotent request then
 * (RFC 9112 section 9.3.1), so these clients do, once, and the test counts it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway.ts';
import { mint } from '../vectors/index.ts';
import { octKey } from '../vectors/keys.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'rotation-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const jwksFile = path.join(dir, 'jwks.json');
const oldKey = octKey({ kty: 'oct', kid: '2026-11', use: 'sig', k: randomBytes(32).toString('base64url') });
const newKey = octKey({ kty: 'oct', kid: '2026-12', use: 'sig', k: randomBytes(32).toString('base64url') });
const publish = (...keys: Array<typeof oldKey>) => writeFile(jwksFile, JSON.stringify({ keys: keys.map((key) => key.jwk) }));
await publish(oldKey);

const CLIENTS = 8;
/** How undici reports a keep-alive connection the server closed as the request went out. */
const CLOSED_CONNECTION = ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'];
const MAX_REQUESTS = 50_000;

describe('key rotation under load', () => {
  const gateway = useGateway({ jwksFile });

  it('adds, switches to and retires a key across two reloads without a failed request', async () => {
    const tokens = { old: await mint({ sub: 'old' }, {}, oldKey), new: await mint({ sub: 'new' }, {}, newKey) };
    let signing: keyof typeof tokens = 'old';
    let running = true;
    const outcomes = { ok: 0, retried: 0, failed: [] as string[] };
    const agent = new Agent({ connections: CLIENTS });
    const send = (token: keyof typeof tokens) =>
      request(`${gateway().url}/`, { dispatcher: agent, headers: { authorization: `Bearer ${tokens[token]}` } });
    const sendRetryingClosedConnection = async (token: keyof typeof tokens) => {
      try {
        return await send(token);
      } catch (error) {
        if (!CLOSED_CONNECTION.includes((error as { code?: string }).code ?? '')) throw error;
        outcomes.retried++;
        return send(token);
      }
    };
    const client = async () => {
      while (running && outcomes.ok + outcomes.failed.length < MAX_REQUESTS) {
        const token = signing;
        try {
          const response = await sendRetryingClosedConnection(token);
          const message = response.headers['x-message'];
          await response.body.dump();
          if (response.statusCode === 200 && message === `Success ${token}`) outcomes.ok++;
          else outcomes.failed.push(`${response.statusCode} for the ${token} key`);
        } catch (error) {
          outcomes.failed.push(String(error));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, client));

    await sleep(500);
    await publish(oldKey, newKey);
    await gateway().reload();
    await sleep(300);
    signing = 'new';
    await sleep(500);
    await publish(newKey);
    await gateway().reload();
    await sleep(500);
    running = false;
    await load;
    await agent.close();

    console.log(`rotation under load: ${outcomes.ok} requests answered right, ${outcomes.retried} retried after a keep-alive close, ${outcomes.failed.length} failed`);
    expect(outcomes.failed).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.retried).toBeLessThanOrEqual(2 * CLIENTS);
  });

  it('refuses the retired key afterwards', async () => {
    const response = await request(`${gateway().url}/`, { headers: { authorization: `Bearer ${await mint({ sub: 'old' }, {}, oldKey)}` } });
    await response.body.dump();
    expect(response.statusCode).toBe(401);
  });

  it('keeps serving with the current keys when a reload brings a bad key set', async () => {
    await writeFile(jwksFile, '{"keys": [');
    await expect(gateway().reload()).rejects.toThrow(`key set ${jwksFile} is not JSON`);
    const response = await request(`${gateway().url}/`, { headers: { authorization: `Bearer ${await mint({ sub: 'new' }, {}, newKey)}` } });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
  });
});
