import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readSettings, SETTING_VARIABLES, type Variables } from '../../njs/src/settings.ts';

describe('settings', () => {
  it('lists exactly the nginx variables readSettings reads', () => {
    const read: string[] = [];
    readSettings(new Proxy({} as Variables, { get: (_, name) => void read.push(String(name)) }));
    expect([...read].sort()).toEqual([...SETTING_VARIABLES].sort());
  });
});

describe('nginx/jwt.conf', () => {
  it('declares every setting, so that reading an unset one is not an uninitialized variable', async () => {
    const snippet = await readFile(new URL('../../nginx/jwt.conf', import.meta.url), 'utf8');
    const declared = [...snippet.matchAll(/^js_var \$(jwt_\w+);/gm)].map((match) => match[1]);
    expect(declared).toEqual(expect.arrayContaining([...SETTING_VARIABLES]));
  });
});
