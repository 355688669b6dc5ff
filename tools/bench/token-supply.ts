/**
 * The token files cells send from. Warm: 32 tokens per family, as many as
 * connections, reused by every warm cell. Cold: each cold cell gets its own
 * distinct tokens, minted just before it runs, and sends each at most once. A cold
 * cell should not outrun the same endpoint warm, so the warm cell's rate times the
 * duration, with room for noise, sizes its tokens. Minting is capped per family
 * (RS256 signs about 1,000 tokens/s per core): a cell whose tokens run out stops
 * early, measured over the time it ran, and the report says so.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchKey } from './bench-keys.ts';
import type { Family } from './matrix.ts';
import { forgeToken, mintToken } from './jwt-minting.ts';
import type { ProbeTokens } from './probe.ts';
import { mintTokens } from './token-pool.ts';
import { CONNECTIONS } from './wrk-load.ts';

/** Most cold tokens minted per second of a cell, per family: about what two cores sign in a few seconds. */
const MAX_COLD_TOKENS_PER_SECOND: Record<Family, number> = { HS256: 100_000, RS256: 3_000, ES256: 20_000 };
/** Cold cells run a little faster or slower than their warm ones from noise alone. */
const HEADROOM = 1.5;

export interface TokenFile {
  file: string;
  distinct: number;
}

export interface TokenSupply {
  warm(family: Family): Promise<TokenFile>;
  /** Distinct tokens for one cold cell (`cell` names it, round included), enough for `expectedRate` req/s over `seconds` unless capped. */
  cold(family: Family, cell: string, expectedRate: number, seconds: number): Promise<TokenFile>;
  probe(family: Family): ProbeTokens;
  /** Tokens minted so far per family, and the seconds spent signing them. */
  minting: Record<string, { tokens: number; seconds: number }>;
}

export function createTokenSupply(dir: string, keys: Record<Family, BenchKey>): TokenSupply {
  const minting: Record<string, { tokens: number; seconds: number }> = {};
  const warmFiles: Partial<Record<Family, TokenFile>> = {};

  async function writeTokens(family: Family, name: string, subjectPrefix: string, count: number): Promise<TokenFile> {
    const started = performance.now();
    const tokens = await mintTokens(keys[family], subjectPrefix, count);
    const record = (minting[family] ??= { tokens: 0, seconds: 0 });
    record.tokens += tokens.length;
    record.seconds += (performance.now() - started) / 1000;
    const file = path.join(dir, `${family}-${name}.tokens`);
    await writeFile(file, `${tokens.join('\n')}\n`);
    return { file, distinct: tokens.length };
  }

  return {
    minting,
    async warm(family) {
      return (warmFiles[family] ??= await writeTokens(family, 'warm', 'warm-client-', CONNECTIONS));
    },
    cold(family, cell, expectedRate, seconds) {
      const count = Math.ceil(Math.min(expectedRate * HEADROOM, MAX_COLD_TOKENS_PER_SECOND[family]) * seconds);
      // send-tokens.lua keeps one token per connection back for requests started while it stops.
      return writeTokens(family, `cold-${cell}`, `cold-${cell}-`, Math.max(count, 2 * CONNECTIONS));
    },
    probe(family) {
      const key = keys[family];
      const good = mintToken(family, key.kid, key.signingKey, 'probe');
      return { good, subject: 'probe', forged: forgeToken(good, 'forged') };
    },
  };
}
