import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HELP, main, parseCommandLine } from '../../client/src/cli.ts';
import { UsageError } from '../../client/src/errors.ts';
import { ExitCode } from '../../client/src/run.ts';
import { TOKEN1, captureStream, startStubGateway, tempDir, type StubGateway } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tutorialGateway(): Promise<StubGateway> {
  const gateway = await startStubGateway({ accepted: new Map([[TOKEN1, 'apiKey1']]) });
  cleanups.push(() => gateway.close());
  return gateway;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, env, { stdout: stdout.stream, stderr: stderr.stream }, signal);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCommandLine(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
}

describe('parseCommandLine', () => {
  it('reads every option', () => {
    const parsed = parseCommandLine(
      ['--mode', 'file', '--url', 'http://127.0.0.1:9000/api', '--secret-file', '/tmp/jot', '--interval=0.5'],
      {},
    );
    expect(parsed).toEqual({
      help: false,
      config: { mode: 'file', url: new URL('http://127.0.0.1:9000/api'), secretFile: '/tmp/jot', intervalSeconds: 0.5 },
    });
  });

  it('falls back to APICLIENT_* variables, then to defaults; options win over variables', () => {
    const env = {
      APICLIENT_MODE: 'manager',
      APICLIENT_URL: 'http://127.0.0.1:9001/',
      APICLIENT_SECRET_FILE: '/run/secrets/other',
      APICLIENT_INTERVAL: '5',
    };
    expect(parseCommandLine([], env)).toEqual({
      help: false,
      config: { mode: 'manager', url: new URL('http://127.0.0.1:9001/'), secretFile: '/run/secrets/other', intervalSeconds: 5 },
    });
    expect(parseCommandLine(['--mode', 'file', '--url', 'http://127.0.0.1:9002/'], env)).toMatchObject({
      config: { mode: 'file', url: new URL('http://127.0.0.1:9002/') },
    });
    expect(parseCommandLine(['--mode', 'env'], {})).toEqual({
      help: false,
      config: { mode: 'env', url: new URL('http://127.0.0.1:8080/'), secretFile: undefined, intervalSeconds: undefined },
    });
  });

  it('recognises --help and -h', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ help: true });
    expect(parseCommandLine(['-h', '--mode', 'nonsense'], {})).toEqual({ help: true });
  });

  it('requires a known mode', () => {
    expect(usageError([])).toBe('--mode is required: one of hardcode, env, file, manager (see --help)');
    expect(usageError(['--mode', 'vault'])).toBe('unknown mode "vault": expected one of hardcode, env, file, manager');
  });

  it('rejects a URL that is not http(s), or that carries credentials, without echoing them', () => {
    expect(usageError(['--mode', 'env', '--url', 'not a url'])).toBe('--url "not a url" is not a URL');
    expect(usageError(['--mode', 'env', '--url', 'ftp://127.0.0.1/'])).toBe('--url must be http or https, not ftp');
    const message = usageError(['--mode', 'env', '--url', 'http://user:hunter2@127.0.0.1/']);
    expect(message).toBe('--url must not contain credentials');
  });

  it.each([['0'], ['-1'], ['abc'], ['5s'], [''], ['Infinity'], ['86401']])('rejects --interval %j', (interval) => {
    expect(usageError(['--mode', 'env', `--interval=${interval}`])).toMatch(/^--interval ".*" is not a number of seconds in \(0, 86400\]$/);
  });

  it('allows --secret-file only where a file is read', () => {
    expect(usageError(['--mode', 'env', '--secret-file', '/x'])).toBe(
      '--secret-file applies to the file and manager modes, not env; to read the token from a file in env mode, set JWT_FILE',
    );
    expect(usageError(['--mode', 'hardcode'], { APICLIENT_SECRET_FILE: '/x' })).toBe(
      '--secret-file applies to the file and manager modes, not hardcode',
    );
    expect(usageError(['--mode', 'file', '--secret-file', ''])).toBe('--secret-file is empty; expected a path');
  });

  it('rejects unknown options and positional arguments', () => {
    expect(usageError(['--mode', 'env', '--token', 'x'])).toMatch(/^Unknown option '--token'.* \(see --help\)$/);
    expect(usageError(['--mode', 'env', 'extra'])).toMatch(/^Unexpected argument 'extra'/);
  });
});

describe('apiclient --help', () => {
  it('documents every option, environment variable, mode and exit code', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(HELP);
    for (const word of [
      '--mode', '--url', '--secret-file', '--interval', '--help',
      'APICLIENT_MODE', 'APICLIENT_URL', 'APICLIENT_SECRET_FILE', 'APICLIENT_INTERVAL', 'JWT', 'JWT_FILE',
      'hardcode', 'env', 'file', 'manager', '/run/secrets/jot', 'http://127.0.0.1:8080/',
      '0 the gateway answered 2xx', '1 it answered anything else', '2 usage error', '3 the secret', '4 the gateway did not answer', '70', '130',
    ]) {
      expect(stdout).toContain(word);
    }
  });
});

describe('apiclient (in process)', () => {
  it.each([
    ['env', 'JWT', [], { JWT: TOKEN1 }],
    ['env', 'JWT_FILE', [], { JWT_FILE: 'TOKEN_FILE' }],
    ['file', '--secret-file', ['--secret-file', 'TOKEN_FILE'], {}],
    ['manager', '--secret-file', ['--secret-file', 'TOKEN_FILE'], {}],
  ] as const)('mode %s with %s prints 200 Success apiKey1 and exits 0', async (mode, _via, extra, env) => {
    const gateway = await tutorialGateway();
    const path = join(await tempDir(), 'jot');
    await writeFile(path, `${TOKEN1}\n`);
    const withPath = (value: string) => (value === 'TOKEN_FILE' ? path : value);
    const result = await run(
      ['--mode', mode, '--url', gateway.url.href, ...extra.map(withPath)],
      Object.fromEntries(Object.entries(env).map(([name, value]) => [name, withPath(value)])),
    );
    expect(result).toEqual({ code: 0, stdout: '200 Success apiKey1\n', stderr: '' });
  });

  it('hardcode mode without a compiled-in token exits 3 with a clear error', async () => {
    const gateway = await tutorialGateway();
    const result = await run(['--mode', 'hardcode', '--url', gateway.url.href]);
    expect(result.code).toBe(ExitCode.Secret);
    expect(result.stderr).toMatch(/^error ERR_SECRET_NOT_FOUND: hardcoded token is not compiled into this build/);
    expect(gateway.authorizations).toHaveLength(0);
  });

  it('a bad token prints 401 Unauthorized and exits 1', async () => {
    const gateway = await tutorialGateway();
    const [header, payload] = TOKEN1.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    const result = await run(['--mode', 'env', '--url', gateway.url.href], { JWT: forged });
    expect(result).toEqual({ code: 1, stdout: '401 Unauthorized\n', stderr: '' });
  });

  it('a usage error exits 2 and never prints a token passed by mistake', async () => {
    const result = await run(['--mode', 'env', TOKEN1]);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toMatch(/^error ERR_USAGE: Unexpected argument '\[REDACTED\]'/);
    expect(result.stderr).not.toContain(TOKEN1.split('.')[2]);
  });

  it('JWT and JWT_FILE together are a usage error', async () => {
    const result = await run(['--mode', 'env'], { JWT: TOKEN1, JWT_FILE: '/x' });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error ERR_USAGE: environment variables JWT and JWT_FILE are both set; set one\n' });
  });

  it('with --interval, logs every line to stderr until aborted, then exits 0', async () => {
    const gateway = await tutorialGateway();
    const stop = new AbortController();
    const stderr = captureStream();
    const stdout = captureStream();
    const running = main(['--mode', 'env', '--url', gateway.url.href, '--interval', '0.02'], { JWT: TOKEN1 }, {
      stdout: stdout.stream,
      stderr: stderr.stream,
    }, stop.signal);
    while (stderr.text().split('\n').length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort();
    expect(await running).toBe(0);
    expect(stdout.text()).toBe('');
    expect(new Set(stderr.text().trimEnd().split('\n'))).toEqual(new Set(['200 Success apiKey1']));
  });

  it('never prints the token, even when the gateway echoes it back in X-MESSAGE', async () => {
    const gateway = await startStubGateway({
      handler: (request, response) => response.writeHead(200, { 'X-MESSAGE': `you sent ${request.headers.authorization}` }).end(),
    });
    cleanups.push(() => gateway.close());
    const result = await run(['--mode', 'env', '--url', gateway.url.href], { JWT: TOKEN1 });
    expect(result.stdout).toBe('200 you sent Bearer [REDACTED]\n');
    expect(result.stdout + result.stderr).not.toContain(TOKEN1.split('.')[2]);
  });
});
