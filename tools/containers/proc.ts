/** Running the docker CLI (and npm) from TypeScript, with output captured or streamed. */
import { spawn } from 'node:child_process';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** written to stdin, then closed */
  readonly input?: string;
  /** stream output to this process's stdout/stderr as it comes (captured as well) */
  readonly echo?: boolean;
  /** resolve instead of rejecting on a non-zero exit */
  readonly allowFailure?: boolean;
  /** kill the command after this many milliseconds */
  readonly timeoutMs?: number;
  /** applied to echoed output and to error messages */
  readonly redact?: (text: string) => string;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
  ) {
    super(`${command} exited with ${result.code}${result.stderr.trim() === '' ? '' : `:\n${result.stderr.trim()}`}`);
    this.name = 'CommandError';
  }
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const redact = options.redact ?? ((text: string) => text);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.echo === true) process.stdout.write(redact(chunk));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echo === true) process.stderr.write(redact(chunk));
    });
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      if (timer !== undefined) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      const result = { code: code ?? (signal === null ? 1 : 128), stdout, stderr };
      const shown = [command, ...args].join(' ');
      if (result.code !== 0 && options.allowFailure !== true) {
        const safe = { ...result, stderr: redact(result.stderr) };
        reject(new CommandError(redact(shown), safe));
      } else {
        resolvePromise(result);
      }
    });
    child.stdin.end(options.input ?? '');
  });
}

/** `docker ...` with the classic builder, as on hosts without buildx (Debian's docker.io). */
export function docker(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('docker', args, { ...options, env: { ...process.env, DOCKER_BUILDKIT: '0', ...options.env } });
}

/** True when a Docker engine answers. */
export async function engineAnswers(): Promise<boolean> {
  try {
    const result = await docker(['info', '--format', '{{.ServerVersion}}'], { allowFailure: true, timeoutMs: 15_000 });
    return result.code === 0 && result.stdout.trim() !== '';
  } catch {
    return false;
  }
}

export async function imageExists(ref: string): Promise<boolean> {
  const result = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], { allowFailure: true });
  return result.code === 0;
}
