import { parseArgs } from 'node:util';
import { UsageError, formatError } from './errors.ts';
import { GatewayClient } from './http.ts';
import { lineSink } from './output.ts';
import { Redactor } from './redact.ts';
import { ExitCode, exitCodeFor, runLoop, runOnce } from './run.ts';
import type { SecretSource } from './secret-source.ts';
import { TOKEN_FILE_VARIABLE, TOKEN_VARIABLE, envSecret } from './sources/env.ts';
import { DEFAULT_SECRET_FILE, FileSecretSource } from './sources/file.ts';
import { hardcodedSecret } from './sources/hardcoded.ts';
import { swarmSecret } from './sources/swarm.ts';

export const MODES = ['hardcode', 'env', 'file', 'manager'] as const;
export type Mode = (typeof MODES)[number];

export const DEFAULT_URL = 'http://127.0.0.1:8080/';
/** A day: anything longer is more likely a unit mistake (milliseconds) than intended. */
const MAX_INTERVAL_SECONDS = 86_400;

export interface Config {
  mode: Mode;
  url: URL;
  /** Only for the `file` and `manager` modes. */
  secretFile: string | undefined;
  /** Loop every this many seconds; one request when undefined. */
  intervalSeconds: number | undefined;
}

export const HELP = `Usage: apiclient --mode hardcode|env|file|manager [--url URL] [--secret-file PATH] [--interval SECONDS]

Sends GET URL with "Authorization: Bearer <JWT>" and prints the outcome as the tutorial's
client does: "200 Success apiKey1" (status and X-MESSAGE header) or "401 Unauthorized" (status
and reason). The modes differ only in where the JWT comes from.

Options (each falls back to the environment variable shown, then to the default):
  --mode MODE           APICLIENT_MODE         required; where the JWT comes from:
                          hardcode  compiled into this build (deliberately unsafe; see
                                    npm run build:client -- --hardcode-token-file PATH)
                          env       the ${TOKEN_VARIABLE} variable, or the file named by ${TOKEN_FILE_VARIABLE}
                          file      a file, e.g. a Docker Compose secret
                          manager   a Docker Swarm secret (a file under /run/secrets)
  --url URL             APICLIENT_URL          http(s) URL of the gateway; default ${DEFAULT_URL}
  --secret-file PATH    APICLIENT_SECRET_FILE  file and manager modes; default ${DEFAULT_SECRET_FILE}
  --interval SECONDS    APICLIENT_INTERVAL     repeat every SECONDS (decimals allowed) and log each
                                               line to stderr, through failures, until SIGINT or
                                               SIGTERM; without it, one request, printed to stdout
  -h, --help                                   show this help

Secret variables (env mode; set exactly one):
  ${TOKEN_VARIABLE}                   the token itself (visible to anyone who can inspect the container)
  ${TOKEN_FILE_VARIABLE}              path of a file holding the token

A secret must be one compact JWS on one line; a trailing newline is ignored. Files are re-read
when they change (including a Kubernetes-style symlink swap), and after a 401 the secret is
re-read and the request retried once if it changed. Tokens never appear in the output.

Exit status of a single request: 0 the gateway answered 2xx; 1 it answered anything else;
2 usage error; 3 the secret is missing, unreadable or malformed; 4 the gateway did not answer
(refused, timed out); 70 internal error; 130 stopped by SIGINT or SIGTERM. With --interval:
0 after SIGINT or SIGTERM.
`;

type Parsed = { help: true } | { help: false; config: Config };

/** Options first, then `APICLIENT_*` variables, then defaults. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        mode: { type: 'string' },
        url: { type: 'string' },
        'secret-file': { type: 'string' },
        interval: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
  if (values.help === true) return { help: true };

  const mode = values.mode ?? env.APICLIENT_MODE;
  if (mode === undefined) throw new UsageError(`--mode is required: one of ${MODES.join(', ')} (see --help)`);
  if (!isMode(mode)) throw new UsageError(`unknown mode ${JSON.stringify(mode)}: expected one of ${MODES.join(', ')}`);

  const secretFile = values['secret-file'] ?? env.APICLIENT_SECRET_FILE;
  if (secretFile !== undefined && mode !== 'file' && mode !== 'manager') {
    const hint = mode === 'env' ? `; to read the token from a file in env mode, set ${TOKEN_FILE_VARIABLE}` : '';
    throw new UsageError(`--secret-file applies to the file and manager modes, not ${mode}${hint}`);
  }
  if (secretFile === '') throw new UsageError('--secret-file is empty; expected a path');

  const interval = values.interval ?? env.APICLIENT_INTERVAL;
  return {
    help: false,
    config: {
      mode,
      url: parseUrl(values.url ?? env.APICLIENT_URL ?? DEFAULT_URL),
      secretFile,
      intervalSeconds: interval === undefined ? undefined : parseInterval(interval),
    },
  };
}

function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url ${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be http or https, not ${url.protocol.slice(0, -1)}`);
  }
  // Not echoed: the point is that this part may be a secret.
  if (url.username !== '' || url.password !== '') throw new UsageError('--url must not contain credentials');
  return url;
}

function parseInterval(text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_INTERVAL_SECONDS) {
    throw new UsageError(`--interval ${JSON.stringify(text)} is not a number of seconds in (0, ${MAX_INTERVAL_SECONDS}]`);
  }
  return seconds;
}

export function secretSourceFor(config: Config, env: NodeJS.ProcessEnv): SecretSource {
  switch (config.mode) {
    case 'hardcode':
      return hardcodedSecret();
    case 'env':
      return envSecret(env);
    case 'file':
      return new FileSecretSource(config.secretFile ?? DEFAULT_SECRET_FILE);
    case 'manager':
      return swarmSecret(config.secretFile);
  }
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The whole command, minus the process: returns the exit code. `signal` ends a loop. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io, signal?: AbortSignal): Promise<ExitCode> {
  const redactor = new Redactor();
  const out = lineSink(io.stdout, redactor);
  const err = lineSink(io.stderr, redactor);

  let config: Config;
  let source: SecretSource;
  try {
    const parsed = parseCommandLine(argv, env);
    if (parsed.help) {
      io.stdout.write(HELP);
      return ExitCode.Success;
    }
    config = parsed.config;
    source = secretSourceFor(config, env);
  } catch (error) {
    err(formatError(error));
    return exitCodeFor(error);
  }

  const gateway = new GatewayClient();
  const client = { url: config.url, source, gateway, redactor };
  try {
    if (config.intervalSeconds === undefined) return await runOnce(client, out, err, signal);
    await runLoop(client, err, { intervalMs: config.intervalSeconds * 1000, signal });
    return ExitCode.Success;
  } finally {
    await gateway.close();
  }
}
