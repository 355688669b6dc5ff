/**
 * The real gateway for integration tests: NGINX with the built njs bundle on a
 * free loopback port, in a private temp prefix. When a test fails, the NGINX
 * error log is printed next to the failure.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, onTestFailed, beforeEach } from 'vitest';
import { freePort, startNginx, type RunningNginx } from '../../tools/lib/nginx-process.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const NJS_DIR = path.join(REPO_ROOT, 'dist/njs');

export interface Gateway extends RunningNginx {
  /** Error log lines that show a worker crash, an internal error or an njs warning. */
  troubles(): Promise<string[]>;
}

export interface GatewayOptions {
  jwksFile: string;
  /** The API behind /api/. */
  upstream?: string;
  /** Where the access log goes; off by default. */
  accessLog?: string;
  /** Another configuration template, and values for its extra placeholders. */
  template?: string;
  extraValues?: Record<string, string>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'njs-jwt-gateway-test-'));
  // Under a root master the workers run as nobody: they must reach the key-set
  // cache and the verifier's and fetcher's sockets in here, which mkdtemp's 0700
  // would forbid.
  await chmod(prefix, 0o755);
  let nginx: RunningNginx;
  try {
    nginx = await startNginx({ ...options, prefix, host: '127.0.0.1', port: await freePort(), njsDir: NJS_DIR });
  } catch (error) {
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
  return {
    ...nginx,
    async troubles() {
      return (await nginx.errorLog()).split('\n').filter((line) => /\[(alert|crit|emerg|error)\]|exited on signal|js exception|deprecated|uninitialized/.test(line));
    },
    async stop() {
      await nginx.stop();
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

/**
 * Starts one gateway for the suite that calls it and stops it afterwards; the
 * returned function gives the running gateway inside tests.
 */
export function useGateway(options: GatewayOptions): () => Gateway {
  let gateway: Gateway | undefined;
  beforeAll(async () => {
    gateway = await startGateway(options);
  });
  afterAll(async () => {
    await gateway?.stop();
  });
  beforeEach(() => {
    onTestFailed(async () => {
      if (gateway) {
        console.error(`--- nginx error log (${gateway.errorLogFile}) ---\n${await gateway.errorLog()}`);
      }
    });
  });
  return () => {
    if (!gateway) throw new Error('the gateway is not running');
    return gateway;
  };
}

/** A location answering like the tutorial's `/` (through the token cache), with these directives first. */
export function tutorialLocation(prefix: string, directives = ''): string {
  return `location ${prefix} { ${directives} include jwt-tutorial.conf; }`;
}

/** nginx/nginx.conf with extra directives, for tests of other locations (see tools/lib/nginx-config.ts). */
export { extendedTemplate } from '../../tools/lib/nginx-config.ts';
