/**
 * Claim policies and token locations on the real NGINX: each location sets its
 * policy with nginx variables, as a user would, and is answered like `/`, through
 * the token cache and the verifier, so every setting is proved to reach the checks.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { extendedTemplate, tutorialLocation, useGateway } from '../support/gateway.ts';
import { send } from '../support/http.ts';
import { mint } from '../vectors/index.ts';
import { testKeySet, testKeys } from '../vectors/keys.ts';

const POLICIES: Record<string, Record<string, string>> = {
  issuer: { jwt_issuer: 'https://issuer.example https://other.example' },
  audience: { jwt_audience: 'apiService' },
  'exp-required': { jwt_require_exp: 'on' },
  scope: { jwt_required_claims: 'scope=read role=admin|owner' },
  typ: { jwt_typ: 'at+jwt' },
  cookie: { jwt_token_cookie: 'access_token' },
  arg: { jwt_token_arg: 'access_token' },
  leeway: { jwt_leeway: '60' },
  realm: { jwt_realm: 'orders' },
  // A value from another variable: only a request can find it bad.
  'bad-setting': { jwt_leeway: '$arg_leeway' },
};

const locations = Object.entries(POLICIES)
  .map(([name, variables]) => {
    const sets = Object.entries(variables).map(([variable, value]) => `set $${variable} "${value}";`).join(' ');
    return tutorialLocation(`/policy/${name}/`, sets);
  })
  .join('\n');

const dir = await mkdtemp(path.join(os.tmpdir(), 'policy-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const jwksFile = path.join(dir, 'jwks.json');
const revocationFile = path.join(dir, 'revoked.json');
await writeFile(jwksFile, JSON.stringify(testKeySet));
await writeFile(revocationFile, JSON.stringify({ jti: ['revoked-jti'], sub: ['revoked-sub'], kid: ['ec384'] }));
const template = await extendedTemplate(dir, { http: `js_preload_object revoked from ${revocationFile};`, server: locations });

const now = () => Math.floor(Date.now() / 1000);

describe('claim policies on NGINX', () => {
  const gateway = useGateway({ jwksFile, template });
  const at = (policy: string) => `${gateway().url}/policy/${policy}/`;
  const expectAnswer = async (url: string, token: string, status: number, error?: string) => {
    const reply = await send(url, [`Bearer ${token}`]);
    expect(reply.status).toBe(status);
    if (status === 200) {
      expect(reply.header('x-message')).toMatch(/^Success /);
    } else {
      expect(reply.header('www-authenticate')).toBe(`Bearer realm="api", error="${error}"`);
      expect(JSON.parse(reply.body)).toMatchObject({ authorized: false, error });
    }
  };

  it('accepts only the configured issuers', async () => {
    await expectAnswer(at('issuer'), await mint({ sub: 'a', iss: 'https://other.example' }), 200);
    await expectAnswer(at('issuer'), await mint({ sub: 'a', iss: 'https://evil.example' }), 401, 'invalid_token');
    await expectAnswer(at('issuer'), await mint({ sub: 'a' }), 401, 'invalid_token');
  });

  it('accepts aud as a string or an array naming the audience, and nothing else', async () => {
    await expectAnswer(at('audience'), await mint({ sub: 'a', aud: 'apiService' }), 200);
    await expectAnswer(at('audience'), await mint({ sub: 'a', aud: ['web', 'apiService'] }), 200);
    await expectAnswer(at('audience'), await mint({ sub: 'a', aud: [] }), 401, 'invalid_token');
    await expectAnswer(at('audience'), await mint({ sub: 'a', aud: 'web' }), 401, 'invalid_token');
    await expectAnswer(at('audience'), await mint({ sub: 'a' }), 401, 'invalid_token');
  });

  it('requires exp where configured', async () => {
    await expectAnswer(at('exp-required'), await mint({ sub: 'a', exp: now() + 60 }), 200);
    await expectAnswer(at('exp-required'), await mint({ sub: 'a' }), 401, 'invalid_token');
  });

  it('answers 403 insufficient_scope when a genuine token lacks a required claim', async () => {
    await expectAnswer(at('scope'), await mint({ sub: 'a', scope: 'write read', role: 'owner' }), 200);
    await expectAnswer(at('scope'), await mint({ sub: 'a', scope: 'write', role: 'owner' }), 403, 'insufficient_scope');
    await expectAnswer(at('scope'), await mint({ sub: 'a', scope: 'read' }), 403, 'insufficient_scope');
  });

  it('answers 401, not 403, when the token is not genuine, whatever its claims', async () => {
    const token = await mint({ sub: 'a', scope: 'write', role: 'owner' });
    await expectAnswer(at('scope'), `${token.slice(0, -4)}AAAA`, 401, 'invalid_token');
  });

  it('enforces typ where configured (RFC 8725 explicit typing)', async () => {
    await expectAnswer(at('typ'), await mint({ sub: 'a' }, { typ: 'at+jwt' }), 200);
    await expectAnswer(at('typ'), await mint({ sub: 'a' }, { typ: 'application/AT+JWT' }), 200);
    await expectAnswer(at('typ'), await mint({ sub: 'a' }, { typ: 'JWT' }), 401, 'invalid_token');
  });

  it('tolerates the configured leeway on exp and nbf', async () => {
    await expectAnswer(at('leeway'), await mint({ sub: 'a', exp: now() - 30 }), 200);
    await expectAnswer(at('leeway'), await mint({ sub: 'a', nbf: now() + 30 }), 200);
    await expectAnswer(at('leeway'), await mint({ sub: 'a', exp: now() - 120 }), 401, 'invalid_token');
    await expectAnswer(`${gateway().url}/`, await mint({ sub: 'a', exp: now() - 30 }), 401, 'invalid_token');
  });

  it('refuses revoked jti, sub and kid', async () => {
    await expectAnswer(`${gateway().url}/`, await mint({ sub: 'a', jti: 'revoked-jti' }), 401, 'invalid_token');
    await expectAnswer(`${gateway().url}/`, await mint({ sub: 'revoked-sub' }), 401, 'invalid_token');
    await expectAnswer(`${gateway().url}/`, await mint({ sub: 'a' }, {}, testKeys.ec384), 401, 'invalid_token');
    await expectAnswer(`${gateway().url}/`, await mint({ sub: 'a', jti: 'fine' }, {}, testKeys.ec256), 200);
  });

  it('names its realm in the challenge', async () => {
    const reply = await send(at('realm'), []);
    expect(reply.header('www-authenticate')).toBe('Bearer realm="orders"');
  });

  it('answers 500 on a bad setting and names the variable in the error log', async () => {
    const reply = await send(`${at('bad-setting')}?leeway=soon`, [`Bearer ${await mint({ sub: 'a' })}`]);
    expect(reply.status).toBe(500);
    expect(reply.header('www-authenticate')).toBeUndefined();
    expect(await gateway().errorLog()).toContain('ERR_SETTING_INVALID: $jwt_leeway must be a whole number');
  });

  describe('token locations', () => {
    const get = async (url: string, headers: Record<string, string>) => {
      const response = await request(url, { headers });
      await response.body.dump();
      return response.statusCode;
    };

    it('takes the token from the configured cookie', async () => {
      const token = await mint({ sub: 'cookie' });
      expect(await get(at('cookie'), { cookie: `theme=dark; access_token=${token}` })).toBe(200);
      expect(await get(at('cookie'), { cookie: `access_token=${token}`, authorization: `Bearer ${token}` })).toBe(400);
      expect(await get(at('cookie'), {})).toBe(401);
      expect(await get(`${gateway().url}/`, { cookie: `access_token=${token}` })).toBe(401);
    });

    it('takes the token from the configured query argument, once', async () => {
      const token = await mint({ sub: 'arg' });
      expect(await get(`${at('arg')}?x=1&access_token=${token}`, {})).toBe(200);
      expect(await get(`${at('arg')}?access_token=${token}&access_token=${token}`, {})).toBe(400);
      expect(await get(`${at('arg')}?access_token=${token}`, { authorization: `Bearer ${token}` })).toBe(400);
      expect(await get(`${gateway().url}/?access_token=${token}`, {})).toBe(401);
    });
  });
});
