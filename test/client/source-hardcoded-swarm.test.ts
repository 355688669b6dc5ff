import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretNotFound } from '../../client/src/errors.ts';
import { hardcodedSecret } from '../../client/src/sources/hardcoded.ts';
import { DEFAULT_SECRET_FILE } from '../../client/src/sources/file.ts';
import { swarmSecret } from '../../client/src/sources/swarm.ts';
import { TOKEN1, tempDir } from './helpers.ts';

// The compiled-in token itself is proved in build.test.ts, on the real bundle.
describe('hardcodedSecret', () => {
  it('serves the token it was given', async () => {
    const source = hardcodedSecret(TOKEN1);
    expect(source.description).toBe('hardcoded token');
    expect(await source.token()).toBe(TOKEN1);
    expect(await source.reload()).toBe(TOKEN1);
  });

  it('without a compiled-in token, says how to build one', async () => {
    const error = await hardcodedSecret().token().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretNotFound);
    expect((error as Error).message).toBe(
      'hardcoded token is not compiled into this build (build it with: npm run build:client -- --hardcode-token-file PATH)',
    );
  });

  it('validates a compiled-in value like any other secret', async () => {
    await expect(hardcodedSecret(`${TOKEN1}\n\n`).token()).rejects.toThrow(/^hardcoded token has 2 lines/);
  });
});

describe('swarmSecret', () => {
  it('reads a Docker Swarm secret file, by default the tutorial\'s /run/secrets/jot', async () => {
    expect(DEFAULT_SECRET_FILE).toBe('/run/secrets/jot');
    expect(swarmSecret().description).toBe('Docker Swarm secret "/run/secrets/jot"');
    const path = join(await tempDir(), 'jot');
    await writeFile(path, TOKEN1);
    expect(await swarmSecret(path).token()).toBe(TOKEN1);
  });

  it('names itself in errors', async () => {
    const path = join(await tempDir(), 'jot');
    await expect(swarmSecret(path).token()).rejects.toThrow(`Docker Swarm secret ${JSON.stringify(path)} does not exist`);
  });
});
