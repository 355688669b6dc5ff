import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { claimVariables } from '../../njs/src/claim-variables.ts';
import { DEFAULT_SETTINGS, readForwardedSettings, readSettings, SETTING_VARIABLES, type Variables } from '../../njs/src/settings.ts';

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
  const claims = Object.keys(claimVariables({ header: {}, claims: {} })).sort();

  it('forward every setting, in the order readForwardedSettings reads them, and key the cache by them', async () => {
    const jwtConf = await snippet('jwt.conf');
    const forwarded = /map "" \$jwt_settings \{\s*default "([^"]*)";/.exec(jwtConf)?.[1] ?? '';
    expect(forwarded.split('\\t')).toEqual(['jwt', ...SETTING_VARIABLES.map((name) => `$${name}`), 'jwt']);
    const key = /map "" \$jwt_cache_key \{\s*default "([^"]*)";/.exec(jwtConf)?.[1] ?? '';
    expect(key.split('\\t')).toEqual(['$jwt_trust_generation', '$jwt_settings', '$http_authorization']);
    expect(await snippet('jwt-verifier-proxy.conf')).toMatch(/^proxy_set_header X-Jwt-Settings \$jwt_settings;$/m);
    expect(await snippet('jwt-verifier.conf')).toMatch(/^set \$jwt_forwarded_settings \$http_x_jwt_settings;$/m);
  });

  it('read forwarded settings as the location set them, and refuse a garbled header', () => {
    const fields = SETTING_VARIABLES.map((name) => (name === 'jwt_audience' ? 'orders billing' : name === 'jwt_leeway' ? '30' : ''));
    expect(readForwardedSettings(['jwt', ...fields, 'jwt'].join('\t'))).toEqual({ ...DEFAULT_SETTINGS, audiences: ['orders', 'billing'], leeway: 30 });
    const refusal = (forwarded: string) => {
      try {
        readForwardedSettings(forwarded);
        return 'read';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    const withTab = fields.map((value, index) => (index === 0 ? 'api\t30' : value));
    expect(refusal(['jwt', ...withTab, 'jwt'].join('\t'))).toBe('ERR_SETTING_INVALID');
    expect(refusal(fields.join('\t'))).toBe('ERR_SETTING_INVALID');
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
