/**
 * One cell: load an endpoint with one token file, check every answer, and for our
 * gateway read the worker's resident memory before and after.
 */
import { readFileSync } from 'node:fs';
import type { CpuPlan } from './cpu-plan.ts';
import type { Endpoint, Family, Workload } from './matrix.ts';
import type { CellResult } from './results.ts';
import type { TokenFile } from './token-supply.ts';
import { runLoad } from './wrk-load.ts';

export interface CellSpec {
  endpoint: Endpoint;
  family: Family;
  workload: Workload;
  url: string;
  tokens: TokenFile;
}

export interface CellContext {
  seconds: number;
  cpus: CpuPlan;
  /** The NGINX worker, whose memory our gateway's cells report. */
  workerPid: number;
  /** req/s of the ceiling measured for this family; undefined while the ceiling itself is measured. */
  ceilingRate?: number;
}

/** VmRSS of a process, in kB (Linux). */
function residentKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

export async function measureCell(spec: CellSpec, context: CellContext): Promise<CellResult> {
  const rssBefore = spec.endpoint.ours ? residentKb(context.workerPid) : undefined;
  const load = await runLoad(spec.url, spec.tokens.file, spec.workload === 'cold' ? 'once' : 'cycle', context.seconds, context.cpus);
  const ceilingRate = context.ceilingRate ?? load.requestsPerSecond;
  return {
    endpoint: spec.endpoint.id,
    label: spec.endpoint.label,
    family: spec.family,
    workload: spec.workload,
    url: spec.url,
    requests: load.requests,
    seconds: load.seconds,
    requestsPerSecond: load.requestsPerSecond,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    ratioToCeiling: load.requestsPerSecond / ceilingRate,
    wrongAnswers: load.wrongAnswers,
    socketErrors: load.socketErrors,
    passed: load.wrongAnswers === 0 && load.socketErrors === 0 && load.requests > 0,
    tokens: { distinct: spec.tokens.distinct, sent: load.tokensSent, ranOut: load.seconds < context.seconds * 0.99 },
    ...(rssBefore === undefined ? {} : { workerRssKb: { before: rssBefore, after: residentKb(context.workerPid) } }),
    rounds: [load.requestsPerSecond],
  };
}
