/**
 * Where each side of a cell runs: on a machine with two or more cores and
 * `taskset`, wrk on CPU 0 and the server (the NGINX worker or the Node peer) on
 * CPU 1, so the load generator never takes the server's core; elsewhere unpinned.
 * Other processes on the machine are not moved: the run records the load average.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

export interface CpuPlan {
  pinned: boolean;
  description: string;
  /** The command line that runs `command` on the load generator's CPU. */
  onLoadCpu(command: string, args: string[]): [string, string[]];
  /** The command line that runs `command` on the server's CPU. */
  onServerCpu(command: string, args: string[]): [string, string[]];
  /** Moves a running process (all its threads) to the server's CPU. */
  moveToServerCpu(pid: number): void;
}

const LOAD_CPU = '0';
const SERVER_CPU = '1';

export function planCpus(): CpuPlan {
  const cores = os.availableParallelism();
  const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
  if (cores < 2 || !hasTaskset) {
    const unpinned = (command: string, args: string[]): [string, string[]] => [command, args];
    return {
      pinned: false,
      description: `${cores} core(s), ${hasTaskset ? '' : 'no taskset, '}nothing pinned: wrk and the server share the CPUs`,
      onLoadCpu: unpinned,
      onServerCpu: unpinned,
      moveToServerCpu: () => undefined,
    };
  }
  return {
    pinned: true,
    description: `${cores} cores: wrk pinned to CPU ${LOAD_CPU}, the server (NGINX master and worker, Node peer) to CPU ${SERVER_CPU}, with taskset`,
    onLoadCpu: (command, args) => ['taskset', ['-c', LOAD_CPU, command, ...args]],
    onServerCpu: (command, args) => ['taskset', ['-c', SERVER_CPU, command, ...args]],
    moveToServerCpu: (pid) => {
      execFileSync('taskset', ['-a', '-p', '-c', SERVER_CPU, String(pid)], { stdio: 'ignore' });
    },
  };
}
