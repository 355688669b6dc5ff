import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretMalformed, SecretNotFound, UsageError } from '../../client/src/errors.ts';
import { envSecret } from '../../client/src/sources/env.ts';
import { TOKEN1, mintToken, tempDir } from './helpers.ts';

describe('envSecret', () => {
  it('takes the token from JWT, trimming a trailing newline', async () => {
    expect(await envSecret({ JWT: TOKEN1 }).token()).toBe(TOKEN1);
    expect(await envSecret({ JWT: `${TOKEN1}\n` }).reload()).toBe(TOKEN1);
  });

  it('reports an unset variable, naming both ways to set it', async () => {
    const source = envSecret({});
    expect(source.description).toBe('environment variable JWT');
    const error = await source.token().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretNotFound);
    expect((error as Error).message).toBe(
      'environment variable JWT is not set (set JWT to the token, or JWT_FILE to a file holding it)',
    );
  });

  it('reports an empty or malformed value without echoing it', async () => {
    await expect(envSecret({ JWT: '' }).token()).rejects.toMatchObject({ reason: 'empty' });
    const error = await envSecret({ JWT: `Bearer ${TOKEN1}` }).token().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretMalformed);
    expect((error as Error).message).toMatch(/^environment variable JWT is not a compact JWS/);
    expect((error as Error).message).not.toContain(TOKEN1.slice(0, 20));
  });

  it('reads the file named by JWT_FILE, and follows it when it changes', async () => {
    const dir = await tempDir();
    const path = join(dir, 'jwt');
    await writeFile(path, `${TOKEN1}\n`);
    const source = envSecret({ JWT_FILE: path });
    expect(source.description).toBe(`file ${JSON.stringify(path)} (from JWT_FILE)`);
    expect(await source.token()).toBe(TOKEN1);
    const token2 = await mintToken('apiKey2');
    await writeFile(join(dir, 'next'), token2);
    await rename(join(dir, 'next'), path);
    expect(await source.token()).toBe(token2);
  });

  it('names JWT_FILE when its file is missing', async () => {
    await expect(envSecret({ JWT_FILE: '/nonexistent/jwt' }).token()).rejects.toThrow(
      'file "/nonexistent/jwt" (from JWT_FILE) does not exist',
    );
  });

  it('refuses JWT and JWT_FILE together, and an empty JWT_FILE', () => {
    expect(() => envSecret({ JWT: TOKEN1, JWT_FILE: '/run/secrets/jot' })).toThrow(UsageError);
    expect(() => envSecret({ JWT: TOKEN1, JWT_FILE: '/run/secrets/jot' })).toThrow('JWT and JWT_FILE are both set; set one');
    expect(() => envSecret({ JWT_FILE: '' })).toThrow('environment variable JWT_FILE is empty; expected a path');
  });

  it('reads process.env by default', async () => {
    const saved = { JWT: process.env.JWT, JWT_FILE: process.env.JWT_FILE };
    try {
      process.env.JWT = TOKEN1;
      delete process.env.JWT_FILE;
      expect(await envSecret().token()).toBe(TOKEN1);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
