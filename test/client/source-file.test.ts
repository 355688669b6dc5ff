import { mkdir, open, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretNotFound, SecretUnreadable } from '../../client/src/errors.ts';
import { FileSecretSource } from '../../client/src/sources/file.ts';
import { TOKEN1, mintToken, tempDir } from './helpers.ts';

// Count how often the source opens the file, to prove that an unchanged file is not re-read.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open) };
});
const opens = () => vi.mocked(open).mock.calls.length;

beforeEach(() => {
  vi.mocked(open).mockClear();
});

/** Lays out a secret volume the way the kubelet does: jot -> ..data/jot, ..data -> ..<version>. */
async function kubernetesVolume(dir: string, token: string): Promise<{ path: string; swapTo(token: string): Promise<void> }> {
  let version = 0;
  const publish = async (value: string) => {
    version += 1;
    const versionDir = `..2025_01_01_00_00_0${version}`;
    await mkdir(join(dir, versionDir));
    await writeFile(join(dir, versionDir, 'jot'), value);
    // Atomic swap: a new symlink under a temporary name, renamed over ..data.
    await symlink(versionDir, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  };
  await publish(token);
  await symlink('..data/jot', join(dir, 'jot'));
  return { path: join(dir, 'jot'), swapTo: publish };
}

describe('FileSecretSource', () => {
  it('reads the token, trimming the trailing newline', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, `${TOKEN1}\n`);
    expect(await new FileSecretSource(path).token()).toBe(TOKEN1);
  });

  it('does not read the file again while it is unchanged', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, TOKEN1);
    const source = new FileSecretSource(path);
    expect(await source.token()).toBe(TOKEN1);
    expect(opens()).toBe(1);
    for (let i = 0; i < 5; i++) expect(await source.token()).toBe(TOKEN1);
    expect(opens()).toBe(1);
  });

  it('reload() reads the file even when it looks unchanged', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, TOKEN1);
    const source = new FileSecretSource(path);
    await source.token();
    expect(await source.reload()).toBe(TOKEN1);
    expect(opens()).toBe(2);
  });

  it('follows a rewrite in place, even of the same size with the same mtime', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, TOKEN1);
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const source = new FileSecretSource(path);
    expect(await source.token()).toBe(TOKEN1);

    const token2 = await mintToken('apiKey2');
    expect(token2.length).toBe(TOKEN1.length);
    await writeFile(path, token2, { flag: 'r+' }); // same inode, as `cat new > jot` would
    await utimes(path, 1_700_000_000, 1_700_000_000);
    expect((await stat(path)).mtimeMs).toBe(1_700_000_000_000);

    expect(await source.token()).toBe(token2);
    expect(opens()).toBe(2);
  });

  it('follows a replacement by rename (a new inode)', async () => {
    const dir = await tempDir();
    const path = join(dir, 'jot');
    await writeFile(path, TOKEN1);
    const source = new FileSecretSource(path);
    expect(await source.token()).toBe(TOKEN1);
    const token2 = await mintToken('apiKey2');
    await writeFile(join(dir, 'jot.new'), `${token2}\n`);
    await rename(join(dir, 'jot.new'), path);
    expect(await source.token()).toBe(token2);
  });

  it('follows a Kubernetes-style atomic swap of the ..data symlink', async () => {
    const volume = await kubernetesVolume(await tempDir(), TOKEN1);
    const source = new FileSecretSource(volume.path);
    expect(await source.token()).toBe(TOKEN1);
    expect(await source.token()).toBe(TOKEN1);
    expect(opens()).toBe(1);

    const token2 = await mintToken('apiKey2');
    await volume.swapTo(token2);
    expect(await source.token()).toBe(token2);
    expect(opens()).toBe(2);
    const token3 = await mintToken('apiKey3');
    await volume.swapTo(token3);
    expect(await source.token()).toBe(token3);
  });

  it('reports a missing file, and picks the file up once it appears', async () => {
    const path = join(await tempDir(), 'jot');
    const source = new FileSecretSource(path);
    const error = await source.token().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretNotFound);
    expect((error as SecretNotFound).message).toBe(`file ${JSON.stringify(path)} does not exist`);
    await writeFile(path, TOKEN1);
    expect(await source.token()).toBe(TOKEN1);
  });

  it('stops serving the token once the file is gone', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, TOKEN1);
    const source = new FileSecretSource(path);
    await source.token();
    await rm(path);
    await expect(source.token()).rejects.toBeInstanceOf(SecretNotFound);
    await expect(source.reload()).rejects.toBeInstanceOf(SecretNotFound);
  });

  it('does not serve the old token after the file became malformed', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, TOKEN1);
    const source = new FileSecretSource(path);
    await source.token();
    await writeFile(path, `${TOKEN1}\n${TOKEN1}\n`);
    await expect(source.token()).rejects.toMatchObject({ code: 'ERR_SECRET_MALFORMED', reason: 'multiline' });
    await expect(source.token()).rejects.toMatchObject({ reason: 'multiline' });
  });

  it('names the file in errors about its content, without the content', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, '');
    await expect(new FileSecretSource(path).token()).rejects.toThrow(`file ${JSON.stringify(path)} is empty`);
    await writeFile(path, ` ${TOKEN1}`);
    const error = await new FileSecretSource(path, 'Docker Swarm secret "x"').token().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^Docker Swarm secret "x" has whitespace around the token/);
    expect((error as Error).message).not.toContain(TOKEN1.slice(0, 20));
  });

  it('rejects a huge file without reading all of it', async () => {
    const path = join(await tempDir(), 'jot');
    await writeFile(path, Buffer.alloc(4 * 1024 * 1024, 'a'));
    await expect(new FileSecretSource(path).token()).rejects.toMatchObject({ reason: 'too-large' });
  });

  it('reports a directory and a symlink loop as unreadable', async () => {
    const dir = await tempDir();
    await expect(new FileSecretSource(dir).token()).rejects.toThrow(`file ${JSON.stringify(dir)} is not a regular file`);
    await symlink('loop', join(dir, 'loop'));
    const error = await new FileSecretSource(join(dir, 'loop')).token().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretUnreadable);
    expect((error as SecretUnreadable).code).toBe('ERR_SECRET_UNREADABLE');
  });
});
