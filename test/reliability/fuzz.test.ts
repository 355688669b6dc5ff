/**
 * The fuzz harness (tools/fuzz, `npm run fuzz`) in a quick configuration: 2,000
 * mutated tokens from a fixed seed against the real gateway. Counts, not speed.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { formatReport, runFuzz } from '../../tools/fuzz/fuzz-run.ts';
import { startGatewayUnderTest } from '../../tools/fuzz/gateway-under-test.ts';
import { headerSafe } from '../../tools/fuzz/header-value.ts';

describe('fuzz: 2,000 mutated tokens, seed 20261204', () => {
  it('accepts no forgery, answers no 5xx, crashes no worker, logs no njs trouble', { timeout: 180_000 }, async () => {
    const report = await runFuzz({ count: 2_000, seed: 20261204, durationSeconds: 150, concurrency: 8 });
    console.log(formatReport(report));
    expect(report.answered).toBe(2_000);
    expect(report.controls).toBeGreaterThan(0);
    expect(Object.keys(report.perMutation).length).toBeGreaterThan(10);
    expect({
      forgeries: report.forgeries.length,
      serverErrors: report.serverErrors.length,
      crashes: report.crashes,
      njsTroubles: report.njsTroubles,
      logErrors: report.logErrors,
      genuineRefused: report.genuineRefused.length,
      unanswered: report.unanswered.length,
    }).toEqual({ forgeries: 0, serverErrors: 0, crashes: [], njsTroubles: [], logErrors: [], genuineRefused: 0, unanswered: 0 });
  });

  // Found by the fuzz: bytes 0x80-0xFF (obs-text, legal in a header value) that are
  // not UTF-8 make njs's regular expressions throw (pcre2_match: UTF-8 error), and
  // the gateway answers 500, the status it reserves for its own broken configuration.
  it('answers an Authorization header that is not UTF-8 as a client error, not 500', async () => {
    const gateway = await startGatewayUnderTest();
    try {
      const statusFor = async (authorization: string) => {
        const response = await request(`${gateway.nginx.url}/`, { headers: { authorization } });
        await response.body.dump();
        return response.statusCode;
      };
      const notUtf8 = headerSafe(Buffer.from([0xff, 0xc3]));
      expect({
        'token with a non-UTF-8 byte (not a b64token)': await statusFor(`Bearer abc${notUtf8}.def.ghi`),
        'scheme with a non-UTF-8 byte (malformed credentials)': await statusFor(`Bearer${notUtf8} abc.def.ghi`),
      }).toEqual({
        'token with a non-UTF-8 byte (not a b64token)': 400,
        'scheme with a non-UTF-8 byte (malformed credentials)': 400,
      });
    } finally {
      await gateway.stop();
    }
  });
});
