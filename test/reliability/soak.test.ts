/**
 * The memory soak (tools/fuzz/soak.ts, `npm run soak`) in a quick configuration:
 * 7,000 verified requests per family through `/` and `/api/`, after a warm-up,
 * with 3,001 distinct tokens, so most are verified by njs rather than answered
 * from the token cache. Counts and private memory growth, not speed.
 */
import { describe, expect, it } from 'vitest';
import { formatFamily, growthKiB, missedSoakTargets, runSoak } from '../../tools/fuzz/soak.ts';

const MAX_GROWTH_KIB = 4 * 1024;

describe('memory soak: 7,000 verified requests per family', () => {
  it('answers every request 2xx and keeps the workers\' private memory within 4 MiB per family', { timeout: 300_000 }, async () => {
    const report = await runSoak({ requestsPerFamily: 7_000, tokensPerFamily: 3_001, maxGrowthKiB: MAX_GROWTH_KIB, maxSecondsPerFamily: 90, paths: ['/', '/api/'] });
    report.families.forEach((soak) => console.log(formatFamily(soak)));
    expect(report.families.map(({ family }) => family)).toEqual(['HS256', 'RS256', 'ES256']);
    for (const soak of report.families) {
      expect(soak.result.requests).toBeGreaterThanOrEqual(7_000);
      expect(growthKiB(soak)).toBeLessThanOrEqual(MAX_GROWTH_KIB);
    }
    expect(missedSoakTargets(report)).toEqual([]);
  });
});
