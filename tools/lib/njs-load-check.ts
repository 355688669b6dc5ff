/**
 * Proves a built bundle loads in the real engines: the njs CLI imports the module,
 * and `nginx -t` parses it inside the gateway's own configuration. On a machine
 * without them the check says so; in CI a missing engine is an error.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NO_UPSTREAM, writeGatewayConfig } from './nginx-config.ts';

const run = promisify(execFile);

export const NGINX_BINARY = process.env.NGINX_BINARY ?? 'nginx';
export const NJS_BINARY = process.env.NJS_BINARY ?? 'njs';

async function which(binary: string): Promise<boolean> {
  try {
    await run(binary, ['-v']);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    return true;
  }
}

async function requireEngine(binary: string, what: string): Promise<string | null> {
  if (await which(binary)) {
    return null;
  }
  const message = `${what}: '${binary}' is not installed (Debian: apt-get install nginx-light libnginx-mod-http-js njs)`;
  if (process.env.CI) {
    throw new Error(message);
  }
  return `${message}; load check skipped`;
}

async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'njs-load-check-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function checkLoadsInNjsCli(njsDir: string): Promise<string> {
  const missing = await requireEngine(NJS_BINARY, 'njs CLI');
  if (missing) return missing;
  return withTempDir(async (dir) => {
    const probe = path.join(dir, 'probe.js');
    await writeFile(probe, "import jwt from 'jwt-gateway.js';\nif (typeof jwt.tutorial !== 'function') { throw new Error('jwt.tutorial is not exported'); }\n");
    await run(NJS_BINARY, ['-p', path.resolve(njsDir), probe]);
    return `njs CLI: ${njsDir}/jwt-gateway.js loads`;
  });
}

export async function checkLoadsInNginx(njsDir: string): Promise<string> {
  const missing = await requireEngine(NGINX_BINARY, 'nginx');
  if (missing) return missing;
  return withTempDir(async (dir) => {
    const jwksFile = path.join(dir, 'jwks.json');
    await writeFile(jwksFile, '{"keys":[]}');
    const errorLog = path.join(dir, 'error.log');
    const conf = await writeGatewayConfig(dir, {
      GATEWAY_LISTEN: '127.0.0.1:1',
      JWKS_FILE: jwksFile,
      NJS_DIR: path.resolve(njsDir),
      RUNTIME_DIR: dir,
      ERROR_LOG: errorLog,
      ACCESS_LOG: 'off',
      UPSTREAM: NO_UPSTREAM,
      TOKEN_CACHE_DIR: path.join(dir, 'tokens'),
    });
    try {
      await run(NGINX_BINARY, ['-t', '-q', '-p', dir, '-c', conf, '-e', errorLog]);
    } catch (error) {
      throw new Error(`nginx -t rejects the bundle:\n${(error as { stderr?: string }).stderr ?? error}`);
    }
    return `nginx -t: nginx/nginx.conf with ${njsDir}/jwt-gateway.js is valid`;
  });
}
