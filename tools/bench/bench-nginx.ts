/**
 * The real NGINX for a run: nginx/nginx.conf with one worker, plus the references
 * the benchmark builds itself (the ceiling, the decode-only and naive njs
 * endpoints) and the API behind /api/, an NGINX `return 200` on another loopback
 * port, so the upstream is never the bottleneck. It shares the single worker, so
 * /api/ pays for the upstream's answer too (over kept-alive connections).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchKeyFiles } from './bench-keys.ts';
import type { CpuPlan } from './cpu-plan.ts';
import { TUTORIAL_BODY } from '../../njs/src/tutorial.ts';
import { extendedTemplate } from '../lib/nginx-config.ts';
import { freePort, startNginx, type RunningNginx } from '../lib/nginx-process.ts';

export const REFERENCES_BUNDLE = 'bench-references.js';

export interface BenchNginx extends RunningNginx {
  /** The one worker's pid. */
  workerPid(): number;
}

/** `njsDir` holds the gateway's bundle and REFERENCES_BUNDLE. */
export async function startBenchNginx(dir: string, njsDir: string, keyFiles: BenchKeyFiles, cpus: CpuPlan): Promise<BenchNginx> {
  const upstreamPort = await freePort();
  const template = await extendedTemplate(dir, {
    workerProcesses: 1,
    http: `
    js_import bench from ${path.join(njsDir, REFERENCES_BUNDLE)};
    js_preload_object bench_keys from ${keyFiles.naiveKeysFile};
    # The API behind /api/ for the benchmark: echoes the subject the gateway forwards.
    server {
        listen 127.0.0.1:${upstreamPort};
        location / {
            add_header X-MESSAGE "Success $http_x_jwt_sub";
            return 200 ${JSON.stringify(TUTORIAL_BODY)};
        }
    }`,
    server: `
        location = /bench/ceiling { return 200; }
        location = /bench/proxy-ceiling {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://jwt_gateway_api;
        }
        location = /bench/decode-only { js_content bench.decodeOnly; }
        location = /bench/ours-uncached { js_content jwt.tutorial; }
        location = /bench/naive/hs256 { js_content bench.naiveHs256; }
        location = /bench/naive/rs256 { js_content bench.naiveRs256; }
        location = /bench/naive/es256 { js_content bench.naiveEs256; }`,
  });
  const nginx = await startNginx({
    prefix: path.join(dir, 'nginx'),
    host: '127.0.0.1',
    port: await freePort(),
    jwksFile: keyFiles.jwksFile,
    njsDir,
    template,
    upstream: `127.0.0.1:${upstreamPort}`,
  });
  let worker: number;
  try {
    worker = await soleWorker(nginx);
  } catch (error) {
    await nginx.stop();
    throw error;
  }
  for (const pid of [nginx.process.pid as number, ...nginx.workerPids()]) {
    cpus.moveToServerCpu(pid);
  }
  return { ...nginx, workerPid: () => worker };
}

/**
 * The one worker process, once the master has forked it (it listens first, so a
 * connection can succeed before the worker exists); the cache manager and loader
 * are the master's children too, but not workers.
 */
async function soleWorker(nginx: RunningNginx): Promise<number> {
  const isWorker = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('nginx: worker process');
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 5_000;
  for (;;) {
    const workers = nginx.workerPids().filter(isWorker);
    if (workers.length === 1) return workers[0];
    if (Date.now() > deadline) throw new Error(`expected one NGINX worker, found ${workers.length}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
