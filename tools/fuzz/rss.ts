/** Resident memory of NGINX's workers, from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** VmRSS of a process in KiB. */
export function residentKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`/proc/${pid}/status has no VmRSS`);
  return Number(match[1]);
}

export interface WorkerMemory {
  /** KiB per worker pid. */
  perWorker: Record<number, number>;
  totalKiB: number;
}

export function workerMemory(pids: readonly number[]): WorkerMemory {
  const perWorker: Record<number, number> = {};
  for (const pid of pids) perWorker[pid] = residentKiB(pid);
  return { perWorker, totalKiB: Object.values(perWorker).reduce((sum, kib) => sum + kib, 0) };
}
