import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayClient } from '../../client/src/http.ts';
import { REDACTED, Redactor } from '../../client/src/redact.ts';
import { ExitCode, backoffDelay, callGateway, formatResponse, runLoop, runOnce, type Client } from '../../client/src/run.ts';
import type { SecretSource } from '../../client/src/secret-source.ts';
import { FileSecretSource } from '../../client/src/sources/file.ts';
import { FixedSecretSource } from '../../client/src/sources/fixed.ts';
import { Lines, TOKEN1, closedPort, mintToken, startStubGateway, tempDir, type StubGateway } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function stub(accepted: Record<string, string>): Promise<StubGateway> {
  const gateway = await startStubGateway({ accepted: new Map(Object.entries(accepted)) });
  cleanups.push(() => gateway.close());
  return gateway;
}

function clientFor(url: URL, source: SecretSource): Client {
  const gateway = new GatewayClient({ connectMs: 1_000, headersMs: 1_000, bodyMs: 1_000 });
  cleanups.push(() => gateway.close());
  return { url, source, gateway, redactor: new Redactor() };
}

/** A source whose cheap check misses a rotation that only a reload sees. */
function staleUntilReloaded(stale: string, fresh: string): SecretSource & { reloads: number } {
  return {
    description: 'test source',
    reloads: 0,
    async token() {
      return stale;
    },
    async reload() {
      this.reloads += 1;
      return fresh;
    },
  };
}

describe('formatResponse', () => {
  it('prints what the tutorial prints', () => {
    expect(formatResponse({ status: 200, reason: 'OK', message: 'Success apiKey1' })).toBe('200 Success apiKey1');
    expect(formatResponse({ status: 401, reason: 'Unauthorized', message: undefined })).toBe('401 Unauthorized');
    // X-MESSAGE only speaks for a success; a failure is described by its reason.
    expect(formatResponse({ status: 403, reason: 'Forbidden', message: 'Success apiKey1' })).toBe('403 Forbidden');
    expect(formatResponse({ status: 204, reason: 'No Content', message: undefined })).toBe('204 No Content');
  });
});

describe('callGateway', () => {
  it('after a 401, re-reads the secret and retries once with the rotated token', async () => {
    const token2 = await mintToken('apiKey2');
    const gateway = await stub({ [token2]: 'apiKey2' });
    const source = staleUntilReloaded(TOKEN1, token2);
    expect(formatResponse(await callGateway(clientFor(gateway.url, source)))).toBe('200 Success apiKey2');
    expect(source.reloads).toBe(1);
    expect(gateway.authorizations).toEqual([`Bearer ${TOKEN1}`, `Bearer ${token2}`]);
  });

  it('does not retry when the re-read secret is the same token', async () => {
    const gateway = await stub({});
    const source = staleUntilReloaded(TOKEN1, TOKEN1);
    expect(formatResponse(await callGateway(clientFor(gateway.url, source)))).toBe('401 Unauthorized');
    expect(source.reloads).toBe(1);
    expect(gateway.authorizations).toHaveLength(1);
  });

  it('re-reads only after a 401', async () => {
    const gateway = await stub({ [TOKEN1]: 'apiKey1' });
    const source = staleUntilReloaded(TOKEN1, 'unused');
    await callGateway(clientFor(gateway.url, source));
    expect(source.reloads).toBe(0);
  });
});

describe('runOnce', () => {
  it('prints the success line to stdout and exits 0', async () => {
    const gateway = await stub({ [TOKEN1]: 'apiKey1' });
    const out = new Lines();
    const err = new Lines();
    const code = await runOnce(clientFor(gateway.url, new FixedSecretSource('test', TOKEN1, 'unset')), out.sink, err.sink);
    expect([code, out.lines, err.lines]).toEqual([ExitCode.Success, ['200 Success apiKey1'], []]);
  });

  it('prints 401 Unauthorized to stdout and exits 1', async () => {
    const gateway = await stub({});
    const out = new Lines();
    const code = await runOnce(clientFor(gateway.url, new FixedSecretSource('test', TOKEN1, 'unset')), out.sink, new Lines().sink);
    expect([code, out.lines]).toEqual([ExitCode.Rejected, ['401 Unauthorized']]);
  });

  it('reports a secret error on stderr, exits 3, and sends nothing', async () => {
    const gateway = await stub({});
    const out = new Lines();
    const err = new Lines();
    const code = await runOnce(clientFor(gateway.url, new FileSecretSource('/nonexistent/jot')), out.sink, err.sink);
    expect([code, out.lines, err.lines]).toEqual([
      ExitCode.Secret,
      [],
      ['error ERR_SECRET_NOT_FOUND: file "/nonexistent/jot" does not exist'],
    ]);
    expect(gateway.authorizations).toHaveLength(0);
  });

  it('reports an unreachable gateway on stderr and exits 4', async () => {
    const url = new URL(`http://127.0.0.1:${await closedPort()}/`);
    const err = new Lines();
    const code = await runOnce(clientFor(url, new FixedSecretSource('test', TOKEN1, 'unset')), new Lines().sink, err.sink);
    expect(code).toBe(ExitCode.Unreachable);
    expect(err.lines).toEqual([`error ERR_GATEWAY_UNREACHABLE: gateway ${url.href} did not answer: connection refused (ECONNREFUSED)`]);
  });

  it('returns 130 without a line when stopped while waiting for the gateway', async () => {
    const gateway = await startStubGateway({ handler: () => {} });
    cleanups.push(() => gateway.close());
    const out = new Lines();
    const err = new Lines();
    const stop = new AbortController();
    const running = runOnce(clientFor(gateway.url, new FixedSecretSource('test', TOKEN1, 'unset')), out.sink, err.sink, stop.signal);
    while (gateway.authorizations.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    expect(await running).toBe(ExitCode.Interrupted);
    expect([...out.lines, ...err.lines]).toEqual([]);
  });

  it('remembers the token so that output can never show it, even when the gateway echoes it', async () => {
    const gateway = await startStubGateway({
      handler: (request, response) => response.writeHead(200, { 'X-MESSAGE': `echo ${request.headers.authorization?.slice(7)}` }).end(),
    });
    cleanups.push(() => gateway.close());
    const client = clientFor(gateway.url, new FixedSecretSource('test', TOKEN1, 'unset'));
    const out = new Lines();
    await runOnce(client, out.sink, new Lines().sink);
    expect(out.lines).toEqual([`200 echo ${TOKEN1}`]); // raw, as the sink receives it
    expect(client.redactor.redact(out.lines[0]!)).toBe(`200 echo ${REDACTED}`);
  });
});

describe('runLoop', () => {
  it('logs a line per interval and follows a rotation of the secret file without a restart', async () => {
    const token2 = await mintToken('apiKey2');
    const gateway = await stub({ [TOKEN1]: 'apiKey1', [token2]: 'apiKey2' });
    const dir = await tempDir();
    const path = join(dir, 'jot');
    await writeFile(path, `${TOKEN1}\n`);
    const log = new Lines();
    const stop = new AbortController();
    const loop = runLoop(clientFor(gateway.url, new FileSecretSource(path)), log.sink, { intervalMs: 20, signal: stop.signal });

    await log.waitFor((line) => line === '200 Success apiKey1');
    await writeFile(join(dir, 'next'), `${token2}\n`);
    await rename(join(dir, 'next'), path);
    await log.waitFor((line) => line === '200 Success apiKey2');
    stop.abort();
    await loop;

    const firstNew = log.lines.indexOf('200 Success apiKey2');
    expect(log.lines.slice(0, firstNew).every((line) => line === '200 Success apiKey1')).toBe(true);
    expect(log.lines.slice(firstNew).every((line) => line === '200 Success apiKey2')).toBe(true);
  });

  it('keeps going through a rejected token and a missing secret', async () => {
    const gateway = await stub({ [TOKEN1]: 'apiKey1' });
    const dir = await tempDir();
    const path = join(dir, 'jot');
    await writeFile(path, await mintToken('revoked'));
    const log = new Lines();
    const stop = new AbortController();
    const loop = runLoop(clientFor(gateway.url, new FileSecretSource(path)), log.sink, { intervalMs: 20, signal: stop.signal });

    await log.waitFor((line) => line === '401 Unauthorized');
    await rm(path);
    await log.waitFor((line) => line.startsWith('error ERR_SECRET_NOT_FOUND'));
    await writeFile(path, TOKEN1);
    await log.waitFor((line) => line === '200 Success apiKey1');
    stop.abort();
    await loop;
  });

  it('backs off while the gateway is unreachable, saying when it retries', async () => {
    const url = new URL(`http://127.0.0.1:${await closedPort()}/`);
    const log = new Lines();
    const stop = new AbortController();
    const loop = runLoop(clientFor(url, new FixedSecretSource('test', TOKEN1, 'unset')), log.sink, {
      intervalMs: 10,
      maxBackoffMs: 40,
      signal: stop.signal,
    });
    await log.waitFor((_line) => log.lines.length >= 5, 5_000);
    stop.abort();
    await loop;
    const delays = log.lines.slice(0, 5).map((line) => /; retrying in ([\d.]+)s$/.exec(line)?.[1]);
    expect(delays).toEqual(['0.01', '0.02', '0.04', '0.04', '0.04']);
    expect(log.lines[0]).toMatch(/^error ERR_GATEWAY_UNREACHABLE: gateway .* connection refused/);
  });

  it('stops promptly when aborted during the wait', async () => {
    const gateway = await stub({ [TOKEN1]: 'apiKey1' });
    const log = new Lines();
    const stop = new AbortController();
    const started = Date.now();
    const loop = runLoop(clientFor(gateway.url, new FixedSecretSource('test', TOKEN1, 'unset')), log.sink, {
      intervalMs: 60_000,
      signal: stop.signal,
    });
    await log.waitFor((line) => line === '200 Success apiKey1');
    stop.abort();
    await loop;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(log.lines).toEqual(['200 Success apiKey1']);
  });
});

describe('backoffDelay', () => {
  it('starts at the interval, doubles, and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((failures) => backoffDelay(5_000, failures, 60_000))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
  });

  it('never waits less than the interval', () => {
    expect(backoffDelay(120_000, 3, 60_000)).toBe(120_000);
  });
});
