/**
 * The real gateway a harness runs against: NGINX with nginx/nginx.conf and the
 * built njs bundle on a free loopback port, a private prefix, the configured key
 * set of test/vectors/keys.ts, and a trivial API behind /api/.
 */
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, startNginx, type RunningNginx } from '../lib/nginx-process.ts';
import { writeConfiguredKeySet } from './fuzz-keys.ts';

const NJS_DIR = path.resolve(import.meta.dirname, '../../dist/njs');

export interface GatewayUnderTest {
  nginx: RunningNginx;
  /** Pids of the worker processes, without the cache manager and loader NGINX also runs. */
  workers(): number[];
  /** Stops NGINX and the API, and removes the prefix. */
  stop(): Promise<void>;
}

export async function startGatewayUnderTest(): Promise<GatewayUnderTest> {
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'njs-jwt-gateway-fuzz-'));
  // Under a root master the workers run as nobody and must read in here.
  await chmod(prefix, 0o755);
  const api = await startTrivialApi();
  try {
    const jwksFile = path.join(prefix, 'jwks.json');
    await writeConfiguredKeySet(jwksFile);
    const nginx = await startNginx({
      prefix,
      host: '127.0.0.1',
      port: await freePort(),
      jwksFile,
      njsDir: NJS_DIR,
      upstream: `127.0.0.1:${(api.address() as AddressInfo).port}`,
    });
    return {
      nginx,
      workers: () => nginx.workerPids().filter(isWorkerProcess),
      async stop() {
        await nginx.stop();
        await new Promise((resolve) => api.close(resolve));
        await rm(prefix, { recursive: true, force: true });
      },
    };
  } catch (error) {
    api.close();
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
}

function isWorkerProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('nginx: worker process');
  } catch {
    return false;
  }
}

/** Answers 200 to anything: whatever reaches it passed the gateway. */
function startTrivialApi(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"api":true}');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
