/**
 * Runs the real NGINX in the foreground with the gateway configuration rendered
 * into a private prefix. Used by `npm run gateway`, the integration tests and the
 * benchmark, so there is one way to start the gateway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { checkConfigFile, checkJwksFile } from '../../njs/src/jwks-file.ts';
import { NO_UPSTREAM, writeGatewayConfig, writeTrustGeneration } from './nginx-config.ts';
import { NGINX_BINARY } from './njs-load-check.ts';

export interface NginxOptions {
  /** Folder for the rendered configuration, pid, temp files and logs. */
  prefix: string;
  host: string;
  port: number;
  jwksFile: string;
  njsDir: string;
  /** Where the access log goes; 'off' by default. */
  accessLog?: string;
  /** host:port of the HTTP API behind /api/; nothing by default. */
  upstream?: string;
  /** Another configuration template, and values for its extra placeholders. */
  template?: string;
  extraValues?: Record<string, string>;
  /** Inherit stdio (interactive use) instead of capturing it. */
  inheritStdio?: boolean;
  /** The token cache's folder; by default a fresh one in TOKEN_CACHE_ROOT, removed on stop. */
  tokenCacheDir?: string;
}

/** tmpfs: NGINX writes each cached token into its cache entry, and none may rest on disk. */
export const TOKEN_CACHE_ROOT = '/dev/shm';

export interface RunningNginx {
  url: string;
  /** What the key-set check found, e.g. `key set F: 2 verification key(s): ...`. */
  keySet: string;
  errorLogFile: string;
  /** The token cache's folder (tmpfs). */
  tokenCacheDir: string;
  process: ChildProcess;
  errorLog(): Promise<string>;
  /** Pids of the worker processes now running (old ones still draining included). */
  workerPids(): number[];
  /**
   * Checks the key set, then reloads the configuration (SIGHUP) and waits for new
   * workers. NGINX keeps the old configuration when the new one fails; so does
   * this, and then it throws with NGINX's reason.
   */
  reload(): Promise<void>;
  /** Graceful shutdown (SIGQUIT), waiting for the master to exit. */
  stop(): Promise<void>;
}

export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const njsBundle = path.join(options.njsDir, 'jwt-gateway.js');
  if (!existsSync(njsBundle)) {
    throw new Error(`${njsBundle} is missing: run \`npm run build:njs\` first`);
  }
  // NGINX (njs 0.7.9) refuses a missing or malformed js_preload_object file without
  // saying why, and cannot check settings before a request: this names the file
  // and the problem before NGINX starts.
  const keySet = checkJwksFile(options.jwksFile, readFileSync);
  checkWorkersCanReach(options.prefix);
  if (options.upstream !== undefined && !/^[^\s/;{}]+:[0-9]+$/.test(options.upstream)) {
    throw new Error(`the upstream is the API's host:port (HTTP), e.g. 127.0.0.1:8081, not ${JSON.stringify(options.upstream)}`);
  }
  const errorLogFile = path.join(options.prefix, 'error.log');
  const tokenCacheDir = options.tokenCacheDir ?? (await mkdtemp(path.join(TOKEN_CACHE_ROOT, 'njs-jwt-gateway-tokens-')));
  const removeTokenCache = () => (options.tokenCacheDir === undefined ? rm(tokenCacheDir, { recursive: true, force: true }) : Promise.resolve());
  let conf: string;
  try {
    conf = await writeGatewayConfig(
      options.prefix,
      {
        ...options.extraValues,
        GATEWAY_LISTEN: `${options.host}:${options.port}`,
        JWKS_FILE: path.resolve(options.jwksFile),
        NJS_DIR: path.resolve(options.njsDir),
        RUNTIME_DIR: options.prefix,
        ERROR_LOG: errorLogFile,
        ACCESS_LOG: options.accessLog ?? 'off',
        UPSTREAM: options.upstream ?? NO_UPSTREAM,
        TOKEN_CACHE_DIR: tokenCacheDir,
      },
      options.template,
    );
    checkConfigFile(conf, readFileSync);
  } catch (error) {
    await removeTokenCache();
    throw error;
  }
  const child = spawn(NGINX_BINARY, ['-p', options.prefix, '-c', conf, '-e', errorLogFile, '-g', 'daemon off;'], {
    stdio: options.inheritStdio ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  // 'close', not 'exit': only then has all of NGINX's output arrived.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  const errorLog = () => readFile(errorLogFile, 'utf8').catch(() => '');

  const ready = await Promise.race([
    waitForPort(options.host, options.port).then(() => true),
    exited.then(() => false),
    spawnFailed,
  ]);
  if (!ready) {
    await removeTokenCache();
    throw new Error(`nginx did not start:\n${output}${await errorLog()}`);
  }
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`,
    keySet,
    errorLogFile,
    tokenCacheDir,
    process: child,
    errorLog,
    workerPids: () => childPids(child.pid as number),
    async reload() {
      checkJwksFile(options.jwksFile, readFileSync);
      await writeTrustGeneration(conf, options.prefix);
      const before = childPids(child.pid as number);
      const logBefore = (await errorLog()).length;
      child.kill('SIGHUP');
      try {
        await waitFor(async () => childPids(child.pid as number).some((pid) => !before.includes(pid)), 5_000);
      } catch {
        throw new Error(`nginx kept its old configuration:\n${(await errorLog()).slice(logBefore)}`);
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGQUIT');
        await exited;
      }
      await removeTokenCache();
    },
  };
}

/**
 * Under a root master NGINX's workers run as an unprivileged user, and connect to
 * the verifier's socket in `prefix`: every folder above it must let others through.
 */
function checkWorkersCanReach(prefix: string): void {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(path.resolve(prefix)); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(`NGINX's workers cannot reach ${prefix}: ${dir} does not let others through (chmod o+x ${dir}, or choose another folder)`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** Children of a process, from /proc (Linux): NGINX's workers are its master's children. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for nginx');
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function waitForPort(host: string, port: number): Promise<void> {
  return waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect({ host, port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
  );
}

/** A port the kernel considers free right now on this host. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
