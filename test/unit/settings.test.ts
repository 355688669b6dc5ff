import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { claimVariables } from '../../njs/src/claim-variables.ts';
import { readSettings, SETTING_VARIABLES, type Variables } from '../../njs/src/settings.ts';

const snippet = (name: string) => readFile(new URL(`../../nginx/${name}`, import.meta.url), 'utf8');
/** `jwt_foo_bar` as the header that carries it to or from the verifier: X-Jwt-Foo-Bar. */
const headerFor = (variable: string) => variable.split('_').map((word) => word[0].toUpperCase() + word.slice(1)).join('-').replace(/^Jwt/, 'X-Jwt');

describe('settings', () => {
  it('lists exactly the nginx variables readSettings reads', () => {
    const read: string[] = [];
    readSettings(new Proxy({} as Variables, { get: (_, name) => void read.push(String(name)) }));
    expect([...read].sort()).toEqual([...SETTING_VARIABLES].sort());
  });
});

describe('nginx/jwt.conf', () => {
  it('declares every setting, so that reading an unset one is not an uninitialized variable', async () => {
    const declared = [...(await snippet('jwt.conf')).matchAll(/^js_var \$(jwt_\w+);/gm)].map((match) => match[1]);
    expect(declared).toEqual(expect.arrayContaining([...SETTING_VARIABLES]));
  });
});

describe('the token cache and the verifier', () => {
  const settings = [...SETTING_VARIABLES].sort();
  const claims = Object.keys(claimVariables({ header: {}, claims: {} })).sort();

  it('key the cache by every setting', async () => {
    const key = /map "" \$jwt_cache_key \{\s*default "([^"]*)";/.exec(await snippet('jwt.conf'));
    const variables = (key?.[1] ?? '').split('|').map((part) => part.replace(/^\$/, ''));
    expect(variables.filter((name) => SETTING_VARIABLES.includes(name)).sort()).toEqual(settings);
    expect(variables[0]).toBe('jwt_trust_generation');
    expect(variables.at(-1)).toBe('http_authorization');
  });

  it('hand the verifier every setting, each in its own header', async () => {
    const sent = [...(await snippet('jwt-cache.conf')).matchAll(/^proxy_set_header (X-Jwt-[\w-]+) \$(jwt_\w+);/gm)];
    expect(sent.map((match) => match[2]).sort()).toEqual(settings);
    sent.forEach((match) => expect(match[1]).toBe(headerFor(match[2])));
    const received = [...(await snippet('jwt-verifier.conf')).matchAll(/^set \$(jwt_\w+) \$http_(x_jwt_\w+);/gm)];
    expect(received.map((match) => match[1]).sort()).toEqual(settings);
    received.forEach((match) => expect(match[2]).toBe(match[1].replace(/^jwt_/, 'x_jwt_')));
  });

  it('bring every claim variable back from the verifier to the authorized request', async () => {
    const sent = [...(await snippet('jwt-verifier.conf')).matchAll(/^ *add_header (X-Jwt-[\w-]+) \$(jwt_\w+);/gm)];
    expect(sent.map((match) => match[2]).sort()).toEqual(claims);
    sent.forEach((match) => expect(match[1]).toBe(headerFor(match[2])));
    const copied = [...(await snippet('jwt-authorize.conf')).matchAll(/^auth_request_set \$(jwt_\w+) \$upstream_http_(x_jwt_\w+);/gm)];
    expect(copied.map((match) => match[1]).sort()).toEqual([...claims, 'jwt_denial'].sort());
    copied.forEach((match) => expect(match[2]).toBe(match[1].replace(/^jwt_/, 'x_jwt_')));
  });
});
