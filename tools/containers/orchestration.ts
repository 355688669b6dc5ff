/**
 * Compose and Swarm from TypeScript, for the demo and the tests: run a challenge's Compose
 * file with Compose v2 or docker-compose v1, read a service's logs in time order, wait.
 */
import { join } from 'node:path';
import { REPO_ROOT } from './context.ts';
import { docker, run, type RunOptions, type RunResult } from './proc.ts';

export const CHALLENGES = join(REPO_ROOT, 'docker/challenges');

let composeCommand: string[] | undefined;

/** Compose v2 (`docker compose`) when the plugin exists, else docker-compose v1 (Debian 12). */
export async function compose(
  project: string,
  file: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  options: RunOptions = {},
): Promise<RunResult> {
  if (composeCommand === undefined) {
    const v2 = await docker(['compose', 'version'], { allowFailure: true });
    composeCommand = v2.code === 0 ? ['docker', 'compose'] : ['docker-compose'];
  }
  const [command, ...prefix] = composeCommand as [string, ...string[]];
  // undefined unsets a variable (JWT in Challenge 2 must be absent, not empty)
  const merged: NodeJS.ProcessEnv = { ...process.env, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return run(command, [...prefix, '--project-name', project, '--file', join(CHALLENGES, file), ...args], { ...options, env: merged });
}

/** The lines a Compose service printed, without the `name_1  | ` prefix and colours. */
export function serviceLines(output: string): string[] {
  return output
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => /^\S+\s+\|\s?(.*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined)
    .map((line) => line.trim());
}

export interface ServiceLogLine {
  readonly time: string;
  readonly task: string;
  readonly text: string;
}

/** `docker service logs --timestamps`, parsed and in time order. */
export async function serviceLogs(service: string): Promise<ServiceLogLine[]> {
  const { stdout, stderr } = await docker(['service', 'logs', '--timestamps', '--no-trunc', service]);
  return `${stdout}\n${stderr}`
    .split('\n')
    .map((line) => /^(\S+)\s+(\S+)\s+\|\s?(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ time: m[1]!, task: m[2]!, text: m[3]!.trim() }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

export async function swarmState(): Promise<string> {
  return (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim();
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
