/**
 * The tutorial's API server contract, on the real NGINX with the tutorial's own
 * key set: the same answers as the tutorial, but only for tokens that verify.
 */
import { describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway.ts';
import { send } from '../support/http.ts';
import { mint, signRaw } from '../vectors/index.ts';
import { octKey, TUTORIAL_JWKS_FILE, TUTORIAL_TOKEN } from '../vectors/keys.ts';

describe('the tutorial contract on NGINX', () => {
  const gateway = useGateway({ jwksFile: TUTORIAL_JWKS_FILE });

  it('answers token1.jwt with 200, X-MESSAGE: Success apiKey1 and the JSON body', async () => {
    const reply = await send(`${gateway().url}/`, [`Bearer ${TUTORIAL_TOKEN}`]);
    expect(reply.status).toBe(200);
    expect(reply.header('x-message')).toBe('Success apiKey1');
    expect(reply.header('content-type')).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ response: 'success', authorized: true, value: '999' });
  });

  it('answers a token for apiKey2 signed with the same key with Success apiKey2', async () => {
    const reply = await send(`${gateway().url}/`, [`Bearer ${await mint({ sub: 'apiKey2', iss: 'apiKey2', aud: 'apiService' })}`]);
    expect(reply.status).toBe(200);
    expect(reply.header('x-message')).toBe('Success apiKey2');
  });

  it('answers a request without a token with 401 and a bare Bearer challenge', async () => {
    const reply = await send(`${gateway().url}/`, []);
    expect(reply.status).toBe(401);
    expect(reply.header('www-authenticate')).toBe('Bearer realm="api"');
    expect(reply.header('x-message')).toBeUndefined();
    expect(JSON.parse(reply.body)).toEqual({ response: 'unauthorized', authorized: false });
  });

  it('refuses what the tutorial server let through: a forged signature and alg none', async () => {
    const forged = signRaw('{"alg":"HS256","typ":"JWT","kid":"sign"}', '{"sub":"apiKey1"}', octKey({ kty: 'oct', kid: 'sign', k: 'Zm9yZ2VkLWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE' }));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${TUTORIAL_TOKEN.split('.')[1]}.`;
    for (const token of [forged, unsigned]) {
      const reply = await send(`${gateway().url}/`, [`Bearer ${token}`]);
      expect(reply.status).toBe(401);
      expect(reply.header('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
      expect(JSON.parse(reply.body)).toEqual({ response: 'unauthorized', authorized: false, error: 'invalid_token' });
    }
  });

  it('logs why a token was refused, without the token', async () => {
    const token = `${TUTORIAL_TOKEN.slice(0, -2)}AA`;
    await send(`${gateway().url}/`, [`Bearer ${token}`]);
    const log = await gateway().errorLog();
    expect(log).toContain('ERR_SIGNATURE_INVALID');
    expect(log).not.toContain(token.split('.')[2]);
    expect(log).not.toContain(TUTORIAL_TOKEN.split('.')[1]);
  });
});
