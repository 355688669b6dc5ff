/**
 * The memory soak: NGINX workers' resident memory before and after N verified
 * requests per algorithm family, driven by wrk (tools/fuzz/soak.lua) with a pool
 * of genuine tokens. A warm-up for every family comes first, so the baseline
 * already holds what a worker allocates once (pools, njs code, OpenSSL state):
 * what grows after it grows with the number of requests.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { troublesBeyondResetQuirk, troublesIn } from './error-log.ts';
import { mintFor, SOAK_FAMILIES, type SoakFamily } from './fuzz-keys.ts';
import { startGatewayUnderTest } from './gateway-under-test.ts';
import { workerMemory, type WorkerMemory } from './rss.ts';

export interface SoakOptions {
  requestsPerFamily: number;
  /** Growth of private memory (RssAnon) allowed per family, summed over all workers. */
  maxGrowthKiB: number;
  /** wrk's own bound on each family's run. */
  maxSecondsPerFamily: number;
  /** Paths requests cycle through: `/` (js_content) and/or `/api/` (auth_request and proxy). */
  paths: string[];
  /**
   * Distinct tokens per family (a prime, so cycling through them and the paths sends
   * every token everywhere). Far more than the token cache's key zone holds makes
   * NGINX evict and re-verify all along.
   */
  tokensPerFamily: number;
  warmupRequestsPerFamily?: number;
  onProgress?: (line: string) => void;
}

export interface WrkResult {
  requests: number;
  connect: number;
  read: number;
  write: number;
  /** Answers other than 2xx or 3xx. */
  status: number;
  timeout: number;
}

export interface FamilySoak {
  family: SoakFamily;
  result: WrkResult;
  seconds: number;
  before: WorkerMemory;
  after: WorkerMemory;
}

export interface SoakReport {
  options: SoakOptions;
  families: FamilySoak[];
  /** Workers that exited during the run (a crash, or a reload nobody asked for). */
  workersGone: number[];
  logTroubles: string[];
}

const WRK_THREADS = 2;
const WRK_CONNECTIONS = 16;
const SOAK_SCRIPT = path.join(import.meta.dirname, 'soak.lua');

function runWrk(url: string, tokensFile: string, paths: string[], requests: number, maxSeconds: number): Promise<WrkResult> {
  const child = spawn('wrk', [`-t${WRK_THREADS}`, `-c${WRK_CONNECTIONS}`, `-d${maxSeconds}s`, '-s', SOAK_SCRIPT, url], {
    env: { ...process.env, SOAK_TOKENS: tokensFile, SOAK_PATHS: paths.join(','), SOAK_REQUESTS_PER_THREAD: String(Math.ceil(requests / WRK_THREADS)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let threadsDone = 0;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk;
    threadsDone += chunk.toString().split('SOAK_THREAD_DONE').length - 1;
    if (threadsDone === WRK_THREADS) child.kill('SIGINT');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const result = /^SOAK_RESULT (.*)$/m.exec(output);
      if (code !== 0 || result === null) reject(new Error(`wrk failed (exit ${code}):\n${output}`));
      else resolve(JSON.parse(result[1]) as WrkResult);
    });
  });
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'njs-jwt-gateway-soak-'));
  const gateway = await startGatewayUnderTest();
  try {
    const tokenFiles = {} as Record<SoakFamily, string>;
    for (const [family, key] of Object.entries(SOAK_FAMILIES) as Array<[SoakFamily, (typeof SOAK_FAMILIES)[SoakFamily]]>) {
      const tokens = await Promise.all(Array.from({ length: options.tokensPerFamily }, (_, i) => mintFor(key, family, `soak-${family}-${i}`)));
      tokenFiles[family] = path.join(dir, `${family}.tokens`);
      await writeFile(tokenFiles[family], `${tokens.join('\n')}\n`);
    }
    const families = Object.keys(tokenFiles) as SoakFamily[];
    const workers = gateway.workers();
    for (const family of families) {
      await runWrk(gateway.nginx.url, tokenFiles[family], options.paths, options.warmupRequestsPerFamily ?? 2_000, options.maxSecondsPerFamily);
    }
    const report: SoakReport = { options, families: [], workersGone: [], logTroubles: [] };
    let before = workerMemory(workers);
    for (const family of families) {
      const started = Date.now();
      const result = await runWrk(gateway.nginx.url, tokenFiles[family], options.paths, options.requestsPerFamily, options.maxSecondsPerFamily);
      const after = workerMemory(workers);
      const soak: FamilySoak = { family, result, seconds: (Date.now() - started) / 1000, before, after };
      report.families.push(soak);
      options.onProgress?.(formatFamily(soak));
      before = after;
    }
    const workersNow = gateway.workers();
    report.workersGone = workers.filter((pid) => !workersNow.includes(pid));
    const troubles = troublesIn(await gateway.nginx.errorLog());
    // The harness cuts wrk off at the end of each family, mid-request for some.
    report.logTroubles = troublesBeyondResetQuirk(troubles, workers.length);
    return report;
  } finally {
    await gateway.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Growth of the workers' private memory (RssAnon): a leak shows here; shared zones are bounded by their size. */
export function growthKiB(soak: FamilySoak): number {
  return soak.after.privateKiB - soak.before.privateKiB;
}

const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

export function formatFamily(soak: FamilySoak): string {
  const { result } = soak;
  const perWorker = Object.entries(soak.after.perWorker).map(
    ([pid, memory]) => `${pid}: ${mib(soak.before.perWorker[Number(pid)].privateKiB)} -> ${mib(memory.privateKiB)}`,
  );
  return [
    `soak ${soak.family}: ${result.requests} requests in ${soak.seconds.toFixed(1)}s (${Math.round(result.requests / soak.seconds)}/s),`,
    `${result.status} not 2xx, ${result.connect + result.read + result.write + result.timeout} socket errors;`,
    `workers' private memory ${mib(soak.before.privateKiB)} -> ${mib(soak.after.privateKiB)} (growth ${mib(growthKiB(soak))}; ${perWorker.join(', ')});`,
    `RSS with shared memory ${mib(soak.before.residentKiB)} -> ${mib(soak.after.residentKiB)}`,
  ].join(' ');
}

/** Each target the soak missed, as a line. */
export function missedSoakTargets(report: SoakReport): string[] {
  const missed: string[] = [];
  for (const soak of report.families) {
    const { result } = soak;
    if (result.requests < report.options.requestsPerFamily) missed.push(`${soak.family}: only ${result.requests} of ${report.options.requestsPerFamily} requests answered`);
    if (result.status > 0) missed.push(`${soak.family}: ${result.status} answers were not 2xx`);
    const socketErrors = result.connect + result.read + result.write + result.timeout;
    if (socketErrors > 0) missed.push(`${soak.family}: ${socketErrors} socket errors`);
    if (growthKiB(soak) > report.options.maxGrowthKiB) missed.push(`${soak.family}: the workers' private memory grew ${mib(growthKiB(soak))}, more than ${mib(report.options.maxGrowthKiB)}`);
  }
  if (report.workersGone.length > 0) missed.push(`workers gone during the soak: ${report.workersGone.join(', ')}`);
  if (report.logTroubles.length > 0) missed.push(`${report.logTroubles.length} error log troubles, first: ${report.logTroubles[0]}`);
  return missed;
}
