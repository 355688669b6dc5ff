import { describe, expect, it } from 'vitest';
import {
  ApiClientError,
  GatewayUnreachable,
  SecretMalformed,
  SecretNotFound,
  SecretUnreadable,
  UsageError,
  formatError,
} from '../../client/src/errors.ts';
import { ExitCode, exitCodeFor } from '../../client/src/run.ts';

describe('errors', () => {
  it.each([
    [ApiClientError, 'ERR_APICLIENT', ExitCode.Internal],
    [UsageError, 'ERR_USAGE', ExitCode.Usage],
    [SecretNotFound, 'ERR_SECRET_NOT_FOUND', ExitCode.Secret],
    [SecretUnreadable, 'ERR_SECRET_UNREADABLE', ExitCode.Secret],
    [GatewayUnreachable, 'ERR_GATEWAY_UNREACHABLE', ExitCode.Unreachable],
  ])('%o has the stable code %s on the class and the instance, and maps to exit %d', (ErrorClass, code, exitCode) => {
    const error = new ErrorClass('file "/x" does not exist');
    expect(ErrorClass.code).toBe(code);
    expect(error.code).toBe(code);
    expect(error.name).toBe(ErrorClass.name);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(exitCodeFor(error)).toBe(exitCode);
  });

  it('SecretMalformed carries its reason', () => {
    const error = new SecretMalformed('environment variable JWT is empty', 'empty');
    expect([SecretMalformed.code, error.code, error.reason, exitCodeFor(error)]).toEqual(['ERR_SECRET_MALFORMED', 'ERR_SECRET_MALFORMED', 'empty', 3]);
  });

  it('keeps every message on one line, whatever went into it', () => {
    const path = '/tmp/evil\nerror ERR_FAKE: forged line';
    expect(new SecretNotFound(`file ${path} does not exist`).message).toBe('file /tmp/evil error ERR_FAKE: forged line does not exist');
  });

  it('formats a log line with the code, and marks anything else as unexpected', () => {
    expect(formatError(new UsageError('--mode is required'))).toBe('error ERR_USAGE: --mode is required');
    expect(formatError(new TypeError('boom'))).toBe('error ERR_UNEXPECTED: boom');
    expect(formatError('thrown string')).toBe('error ERR_UNEXPECTED: thrown string');
    expect(exitCodeFor(new TypeError('boom'))).toBe(ExitCode.Internal);
  });
});
