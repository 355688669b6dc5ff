import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayUnreachable, SecretMalformed, SecretNotFound, SecretUnreadable, UsageError, formatError } from './errors.ts';
import type { GatewayClient, GatewayResponse } from './http.ts';
import type { LineSink } from './output.ts';
import type { Redactor } from './redact.ts';
import type { SecretSource } from './secret-source.ts';

/** Process exit codes of a one-shot run, part of the command's contract. */
export const ExitCode = {
  Success: 0,
  /** The gateway answered with a status other than 2xx (401, 403, 5xx, ...). */
  Rejected: 1,
  Usage: 2,
  /** The secret is missing, unreadable or malformed. */
  Secret: 3,
  /** No answer from the gateway. */
  Unreachable: 4,
  /** A bug: anything not covered above. */
  Internal: 70,
  /** Stopped by SIGINT or SIGTERM before the answer came (128 + SIGINT, as shells report it). */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Client {
  url: URL;
  source: SecretSource;
  gateway: GatewayClient;
  /** Learns every token the source hands out, so that output can never show one. */
  redactor: Redactor;
}

/**
 * One authenticated request. After a 401 the secret is read again from its origin, and if it
 * changed (rotated since it was last read), the request is retried once with the new token.
 * Retrying with the same token would only repeat the 401.
 */
export async function callGateway(client: Client, signal?: AbortSignal): Promise<GatewayResponse> {
  const token = await client.source.token();
  client.redactor.remember(token);
  const response = await client.gateway.get(client.url, token, signal);
  if (response.status !== 401) return response;
  const reloaded = await client.source.reload();
  client.redactor.remember(reloaded);
  return reloaded === token ? response : client.gateway.get(client.url, reloaded, signal);
}

/** `200 Success apiKey1` on success, `401 Unauthorized` on failure, as the tutorial prints. */
export function formatResponse(response: GatewayResponse): string {
  const succeeded = response.status >= 200 && response.status < 300;
  const detail = succeeded && response.message !== undefined ? response.message : response.reason;
  return `${response.status} ${detail}`.trimEnd();
}

/** The tutorial's one-shot client: prints the outcome to `out`, errors to `err`, returns the exit code. */
export async function runOnce(client: Client, out: LineSink, err: LineSink, signal?: AbortSignal): Promise<ExitCode> {
  try {
    const response = await callGateway(client, signal);
    out(formatResponse(response));
    return response.status >= 200 && response.status < 300 ? ExitCode.Success : ExitCode.Rejected;
  } catch (error) {
    if (signal?.aborted) return ExitCode.Interrupted;
    err(formatError(error));
    return exitCodeFor(error);
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.Usage;
  if (error instanceof SecretNotFound || error instanceof SecretUnreadable || error instanceof SecretMalformed) {
    return ExitCode.Secret;
  }
  if (error instanceof GatewayUnreachable) return ExitCode.Unreachable;
  return ExitCode.Internal;
}

export interface LoopOptions {
  intervalMs: number;
  /** Upper bound of the wait after repeated connection failures; never below `intervalMs`. */
  maxBackoffMs?: number;
  /** Ends the loop (SIGTERM, SIGINT); the loop then resolves. */
  signal?: AbortSignal;
}

export const DEFAULT_MAX_BACKOFF_MS = 60_000;

/**
 * The tutorial's Challenge 4 client: a request every interval, each outcome logged as one line,
 * going on through rejections, secret errors and an unreachable gateway, so that a rotation or
 * a gateway restart needs no client restart. Only connection failures back off, since only
 * they suggest that asking more often is pointless.
 */
export async function runLoop(client: Client, log: LineSink, options: LoopOptions): Promise<void> {
  const { intervalMs, maxBackoffMs = DEFAULT_MAX_BACKOFF_MS, signal } = options;
  let consecutiveUnreachable = 0;
  while (!signal?.aborted) {
    let delayMs = intervalMs;
    try {
      log(formatResponse(await callGateway(client, signal)));
      consecutiveUnreachable = 0;
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof GatewayUnreachable) {
        consecutiveUnreachable += 1;
        delayMs = backoffDelay(intervalMs, consecutiveUnreachable, maxBackoffMs);
        log(`${formatError(error)}; retrying in ${delayMs / 1000}s`);
      } else {
        consecutiveUnreachable = 0;
        log(formatError(error));
      }
    }
    try {
      await sleep(delayMs, undefined, { signal });
    } catch {
      return; // aborted while waiting
    }
  }
}

/** The wait after the n-th consecutive connection failure: the interval, doubling, capped. */
export function backoffDelay(intervalMs: number, consecutiveFailures: number, maxBackoffMs: number): number {
  const cap = Math.max(intervalMs, maxBackoffMs);
  return Math.min(intervalMs * 2 ** Math.max(0, consecutiveFailures - 1), cap);
}
