/**
 * Pools of distinct tokens, minted before any load runs so minting never competes
 * with the server for a core. Signing is spread over worker threads, one per core:
 * RS256 signing (about 1,000 tokens/s per core) is the slow part of a run.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BenchKey } from './bench-keys.ts';

const MINT_WORKER = new URL('./mint-worker.ts', import.meta.url).href;

export interface MintShare {
  key: BenchKey;
  subjectPrefix: string;
  start: number;
  count: number;
}

/** `count` tokens with subjects `${subjectPrefix}0`, `${subjectPrefix}1`, ...: distinct by construction. */
export async function mintTokens(key: BenchKey, subjectPrefix: string, count: number): Promise<string[]> {
  const workers = Math.min(os.availableParallelism(), Math.ceil(count / 1000));
  const perWorker = Math.ceil(count / workers);
  const shares: MintShare[] = [];
  for (let start = 0; start < count; start += perWorker) {
    shares.push({ key, subjectPrefix, start, count: Math.min(perWorker, count - start) });
  }
  const minted = await Promise.all(shares.map(runShare));
  return minted.flatMap((tokens) => tokens.split('\n'));
}

function runShare(share: MintShare): Promise<string> {
  return new Promise((resolve, reject) => {
    // tsx hooks only the thread that registered it (Node 20): the worker registers it before loading its TypeScript entry.
    const entry = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(MINT_WORKER)}); })`;
    const worker = new Worker(entry, { eval: true, workerData: share });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`token minting worker exited with ${code}`)));
  });
}
