/**
 * Every request vector against the real NGINX: status, challenge, X-MESSAGE and
 * body, and afterwards an error log free of crashes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway.ts';
import { send } from '../support/http.ts';
import { requestVectors, mint } from '../vectors/index.ts';
import { testKeySet } from '../vectors/keys.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'hostile-inputs-'));
const jwksFile = path.join(dir, 'jwks.json');
await writeFile(jwksFile, JSON.stringify(testKeySet));
afterAll(() => rm(dir, { recursive: true, force: true }));

const vectors = await requestVectors();

describe('hostile inputs against NGINX', () => {
  const gateway = useGateway({ jwksFile });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_, vector) => {
    const reply = await send(`${gateway().url}/`, vector.authorization);
    const { status, error, subject } = vector.expect;
    expect(reply.status).toBe(status);
    expect(reply.header('content-type')).toBe('application/json');
    if (status === 200) {
      expect(reply.header('x-message')).toBe(`Success ${subject}`);
      expect(reply.header('www-authenticate')).toBeUndefined();
    } else {
      expect(reply.header('x-message')).toBeUndefined();
      expect(reply.header('www-authenticate')).toBe(`Bearer realm="api"${error ? `, error="${error}"` : ''}`);
      const response = status === 400 ? 'bad request' : 'unauthorized';
      expect(JSON.parse(reply.body)).toEqual(error ? { response, authorized: false, error } : { response, authorized: false });
    }
  });

  it('never lets a claim add a response header', async () => {
    const reply = await send(`${gateway().url}/`, [`Bearer ${await mint({ sub: 'a\r\nX-Injected: 1' })}`]);
    expect(reply.status).toBe(401);
    expect(reply.header('x-injected')).toBeUndefined();
  });

  it('does not exempt CORS preflights: OPTIONS without a token is challenged', async () => {
    const reply = await send(`${gateway().url}/`, [], 'OPTIONS');
    expect(reply.status).toBe(401);
    expect(reply.header('www-authenticate')).toBe('Bearer realm="api"');
  });

  it('left no crash, error or njs warning in the error log', async () => {
    expect(await gateway().troubles()).toEqual([]);
  });
});
