import { describe, expect, it } from 'vitest';
import { readSettings, SETTING_VARIABLES, type Variables } from '../../njs/src/settings.ts';

describe('settings', () => {
  it('lists exactly the nginx variables readSettings reads', () => {
    const read: string[] = [];
    readSettings(new Proxy({} as Variables, { get: (_, name) => void read.push(String(name)) }));
    expect([...read].sort()).toEqual([...SETTING_VARIABLES].sort());
  });
});
