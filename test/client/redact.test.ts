import { describe, expect, it } from 'vitest';
import { lineSink } from '../../client/src/output.ts';
import { REDACTED, Redactor } from '../../client/src/redact.ts';
import { TOKEN1, captureStream, mintToken } from './helpers.ts';

describe('Redactor', () => {
  it('removes a remembered secret wherever it appears, whatever its shape', () => {
    const redactor = new Redactor();
    redactor.remember('opaque-secret-value');
    expect(redactor.redact('got opaque-secret-value twice: opaque-secret-value')).toBe(`got ${REDACTED} twice: ${REDACTED}`);
  });

  it('removes tokens it was never told about, by their shape', async () => {
    const redactor = new Redactor();
    const token2 = await mintToken('apiKey2');
    expect(redactor.redact(`first ${TOKEN1} then "${token2}".`)).toBe(`first ${REDACTED} then "${REDACTED}".`);
  });

  it('removes bearer credentials of any shape', () => {
    expect(new Redactor().redact('authorization: Bearer s3cr3t, other')).toBe(`authorization: Bearer ${REDACTED}, other`);
    expect(new Redactor().redact('Authorization: bearer abc.def')).toBe(`Authorization: bearer ${REDACTED}`);
  });

  it('leaves ordinary output alone', () => {
    const text = [
      '200 Success apiKey1',
      '401 Unauthorized',
      'error ERR_GATEWAY_UNREACHABLE: gateway http://127.0.0.1:8080/ did not answer: connection refused (ECONNREFUSED)',
      'gateway https://api.example.com/v1/ at node v20.19.0, host eu-west-1.compute.internal.example.org',
    ].join('\n');
    expect(new Redactor().redact(text)).toBe(text);
  });

  it('forgets the oldest secrets beyond a bound, keeping the recent ones', () => {
    const redactor = new Redactor();
    const secrets = Array.from({ length: 9 }, (_, index) => `opaque-secret-${index}`);
    for (const secret of secrets) redactor.remember(secret);
    expect(redactor.redact(secrets[0]!)).toBe(secrets[0]);
    for (const secret of secrets.slice(1)) expect(redactor.redact(secret)).toBe(REDACTED);
  });
});

describe('lineSink', () => {
  it('writes each line redacted, with control characters flattened so one line stays one line', () => {
    const { stream, text } = captureStream();
    const redactor = new Redactor();
    redactor.remember('opaque-secret');
    const sink = lineSink(stream, redactor);
    sink('200 Success opaque-secret');
    sink('200 forged\r\n401 line\u001b[2J');
    expect(text()).toBe(`200 Success ${REDACTED}\n200 forged 401 line [2J\n`);
  });
});
