/**
 * One cell's load: `wrk -t1 -c32` on loopback for whole seconds (wrk takes no
 * fractions), sending the tokens of a file with send-tokens.lua, which counts
 * every answer that is not 200. `cycle` reuses the file's tokens; `once` sends
 * each at most once and ends the load early when they run out.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CpuPlan } from './cpu-plan.ts';

const run = promisify(execFile);
const SCRIPT = path.join(import.meta.dirname, 'send-tokens.lua');
export const CONNECTIONS = 32;

export type TokenUse = 'cycle' | 'once';

export interface LoadResult {
  requests: number;
  /** How long load ran: less than asked when a `once` file ran out. */
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 200. */
  wrongAnswers: number;
  /** Connections refused or broken, and requests that timed out. */
  socketErrors: number;
  /** Requests handed to wrk, including those still in flight when it stopped. */
  tokensSent: number;
}

interface WrkReport {
  requests: number;
  activeMicros: number;
  p50Micros: number;
  p99Micros: number;
  wrongAnswers: number;
  tokensSent: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
}

export async function runLoad(url: string, tokenFile: string, tokenUse: TokenUse, seconds: number, cpus: CpuPlan): Promise<LoadResult> {
  const wrkArgs = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', '-s', SCRIPT, url, '--', tokenFile, tokenUse, String(CONNECTIONS)];
  const [command, args] = cpus.onLoadCpu('wrk', wrkArgs);
  const { stdout } = await run(command, args, { maxBuffer: 1 << 20 });
  const line = /^BENCH_RESULT (.*)$/m.exec(stdout);
  if (line === null) {
    throw new Error(`wrk printed no result for ${url}:\n${stdout}`);
  }
  const report = JSON.parse(line[1]) as WrkReport;
  const socketErrors = Object.values(report.socketErrors).reduce((sum, count) => sum + count, 0);
  return {
    requests: report.requests,
    seconds: report.activeMicros / 1e6,
    requestsPerSecond: report.requests / (report.activeMicros / 1e6),
    p50Ms: report.p50Micros / 1000,
    p99Ms: report.p99Micros / 1000,
    wrongAnswers: report.wrongAnswers,
    socketErrors,
    tokensSent: report.tokensSent,
  };
}
