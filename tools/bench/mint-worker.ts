/** A worker thread of mintTokens: signs its share of a pool and sends it back as one string. */
import { parentPort, workerData } from 'node:worker_threads';
import { mintToken } from './jwt-minting.ts';
import type { MintShare } from './token-pool.ts';

const share = workerData as MintShare;
const tokens: string[] = [];
for (let i = share.start; i < share.start + share.count; i++) {
  tokens.push(mintToken(share.key.family, share.key.kid, share.key.signingKey, `${share.subjectPrefix}${i}`));
}
parentPort?.postMessage(tokens.join('\n'));
