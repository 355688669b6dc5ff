/** Resident memory of NGINX's workers, from /proc (Linux). */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** VmRSS, KiB. */
  residentKiB: number;
  /**
   * RssAnon, KiB: the worker's own heap and pools, where a leak would show. The
   * rest of VmRSS is shared: files, and the pages of NGINX's shared memory zones
   * (the token cache's keys) this worker has touched, bounded by their size.
   */
  privateKiB: number;
}

export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (match === null) throw new Error(`/proc/${pid}/status has no ${name}`);
    return Number(match[1]);
  };
  return { residentKiB: field('VmRSS'), privateKiB: field('RssAnon') };
}

export interface WorkerMemory {
  perWorker: Record<number, ProcessMemory>;
  residentKiB: number;
  privateKiB: number;
}

export function workerMemory(pids: readonly number[]): WorkerMemory {
  const perWorker: Record<number, ProcessMemory> = {};
  for (const pid of pids) perWorker[pid] = processMemory(pid);
  const sum = (of: (memory: ProcessMemory) => number) => Object.values(perWorker).reduce((total, memory) => total + of(memory), 0);
  return { perWorker, residentKiB: sum((memory) => memory.residentKiB), privateKiB: sum((memory) => memory.privateKiB) };
}
