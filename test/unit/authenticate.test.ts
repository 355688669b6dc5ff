import { describe, expect, it } from 'vitest';
import { authenticate } from '../../njs/src/authenticate.ts';
import { denialFor } from '../../njs/src/responses.ts';
import { DEFAULT_SETTINGS } from '../../njs/src/settings.ts';
import { requestVectors, mint } from '../vectors/index.ts';
import { testKeySet, testKeys } from '../vectors/keys.ts';
import { answerTo } from '../vectors/answer.ts';

const vectors = await requestVectors();
const trust = { keySet: testKeySet, revoked: undefined };
const credentials = (token: string, now: number) => ({ presented: { authorization: [`Bearer ${token}`], cookie: undefined, queryArg: [] }, now });

describe('authenticate, in Node', () => {
  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_, vector) => {
    const answer = await answerTo(authenticate, vector.authorization, testKeySet, Date.now() / 1000);
    expect(answer).toEqual({ ...vector.expect, subject: vector.expect.subject ?? null });
  });

  it('tolerates clock skew on exp up to the configured leeway, and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mint({ sub: 'skewed', exp: now - 30 });
    const withLeeway = (leeway: number) => authenticate(credentials(token, now), { ...DEFAULT_SETTINGS, leeway }, trust);
    expect((await withLeeway(60)).identity?.claims.sub).toBe('skewed');
    expect((await withLeeway(30)).failure).toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('returns the verified header and claims', async () => {
    const token = await mint({ sub: 'claims', scope: 'read' }, { alg: 'HS512' }, testKeys.wide);
    const outcome = await authenticate(credentials(token, Date.now() / 1000), DEFAULT_SETTINGS, trust);
    expect(outcome.identity).toEqual({ header: { alg: 'HS512', kid: 'wide', typ: 'JWT' }, claims: { sub: 'claims', scope: 'read' } });
  });

  it('reports a bug as a server fault, not as a bad token', () => {
    expect(denialFor(new TypeError('x is undefined'), 'api')).toMatchObject({ status: 500, challenge: undefined, serverFault: true });
  });
});
