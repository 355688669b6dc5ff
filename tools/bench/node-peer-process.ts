/** Runs node-peer.ts as a child process on the server's CPU, and stops it by its pid. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { CpuPlan } from './cpu-plan.ts';
import { freePort } from '../lib/nginx-process.ts';

const PEER = path.join(import.meta.dirname, 'node-peer.ts');

export interface NodePeer {
  url: string;
  stop(): Promise<void>;
}

export async function startNodePeer(jwksFile: string, cpus: CpuPlan): Promise<NodePeer> {
  const port = await freePort();
  // taskset execs node, so the child's pid is the peer's own.
  const [command, args] = cpus.onServerCpu(process.execPath, ['--import', import.meta.resolve('tsx'), PEER, jwksFile, String(port)]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('listening')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the Node peer exited with ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
