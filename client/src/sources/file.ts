import type { BigIntStats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { ApiClientError, SecretNotFound, SecretUnreadable } from '../errors.ts';
import type { SecretSource } from '../secret-source.ts';
import { MAX_TOKEN_BYTES, parseToken } from '../token-format.ts';

/** Where Docker Compose and Swarm mount a secret named `jot`, the tutorial's name. */
export const DEFAULT_SECRET_FILE = '/run/secrets/jot';

/**
 * What identifies one version of the file without reading it. Inode and device catch a file
 * replaced by rename (editors, `mv`, a Kubernetes volume swapping its `..data` symlink to a
 * new directory); size, mtime and ctime catch a rewrite in place (ctime cannot be set back,
 * so a same-size rewrite that restores mtime is still seen). `realPath` catches the symlink
 * swap even where the others cannot: on a filesystem with coarse timestamps that reuses the
 * freed inode for a same-size token, the new version still lives in a new directory.
 */
interface Fingerprint {
  realPath: string;
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/**
 * A token in a file (the tutorial's Challenge 3, and `JWT_FILE`). The file may be replaced at
 * any time; each `token()` costs a `stat` and a `realpath`, and the file is read only when
 * they show a new version.
 */
export class FileSecretSource implements SecretSource {
  readonly description: string;
  readonly #path: string;
  #current: { fingerprint: Fingerprint; token: string } | undefined;

  constructor(path: string, description = `file ${JSON.stringify(path)}`) {
    this.#path = path;
    this.description = description;
  }

  async token(): Promise<string> {
    const current = this.#current;
    if (current !== undefined) {
      const latest = await this.#attempt(async () => fingerprint(await realpath(this.#path), await stat(this.#path, { bigint: true })));
      if (sameVersion(current.fingerprint, latest)) return current.token;
    }
    return this.reload();
  }

  async reload(): Promise<string> {
    // Forget the old version first: if this read fails, the next call must not serve it.
    this.#current = undefined;
    const { fingerprint: version, raw } = await this.#attempt(() => readVersion(this.#path, this.description));
    const token = parseToken(raw, this.description);
    this.#current = { fingerprint: version, token };
    return token;
  }

  async #attempt<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw describeFsError(error, this.description);
    }
  }
}

/**
 * Reads the file with the fingerprint of exactly what was read: the `fstat` of the open
 * descriptor, taken before reading, so a write racing the read makes the next `token()` see a
 * newer version instead of caching old content under a new fingerprint. The path is resolved
 * before opening for the same reason: if a symlink swap lands in between, the recorded path is
 * the older one, which only costs one more read. (Opening the resolved path instead would fail
 * when the kubelet deletes the old directory right after the swap.)
 */
async function readVersion(path: string, description: string): Promise<{ fingerprint: Fingerprint; raw: string }> {
  const realPath = await realpath(path);
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new SecretUnreadable(`${description} is not a regular file`);
    // One byte past the limit is enough to tell parseToken the file is too large.
    const buffer = Buffer.alloc(Math.min(Number(stats.size), MAX_TOKEN_BYTES) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { fingerprint: fingerprint(realPath, stats), raw: buffer.toString('utf8', 0, bytesRead) };
  } finally {
    await handle.close();
  }
}

function fingerprint(realPath: string, stats: BigIntStats): Fingerprint {
  return { realPath, dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
}

function sameVersion(a: Fingerprint, b: Fingerprint): boolean {
  return (
    a.realPath === b.realPath &&
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs
  );
}

function describeFsError(error: unknown, description: string): unknown {
  if (error instanceof ApiClientError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new SecretNotFound(`${description} does not exist`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new SecretUnreadable(`${description} is not readable by this process (${code})`, { cause: error });
    case 'ELOOP':
      return new SecretUnreadable(`${description} is a symlink loop (${code})`, { cause: error });
    case undefined:
      return error;
    default:
      return new SecretUnreadable(`${description} could not be read (${code})`, { cause: error });
  }
}
