import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import { GatewayUnreachable } from './errors.ts';

export interface Timeouts {
  /** Establishing the TCP connection. */
  connectMs: number;
  /** From sending the request to the end of the response headers. */
  headersMs: number;
  /** Longest silence while the response body arrives. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, headersMs: 10_000, bodyMs: 10_000 };

/**
 * Idle connections are closed after this long: well under NGINX's default `keepalive_timeout`
 * (75 s), so the client, not the server, ends an idle connection and a request never races a
 * server-side close.
 */
const KEEP_ALIVE_MS = 30_000;

const MAX_BODY_BYTES = 64 * 1024;

/** What the tutorial's client prints: the status, its reason phrase and the `X-MESSAGE` header. */
export interface GatewayResponse {
  status: number;
  reason: string;
  message: string | undefined;
}

/** Sends authenticated `GET`s over one keep-alive connection pool. */
export class GatewayClient {
  readonly #agent: Agent;
  readonly #timeouts: Timeouts;

  constructor(timeouts: Timeouts = DEFAULT_TIMEOUTS) {
    this.#timeouts = timeouts;
    this.#agent = new Agent({
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
      keepAliveTimeout: KEEP_ALIVE_MS,
    });
  }

  /** Redirects are not followed: the token is only ever sent to the URL it was configured for. */
  async get(url: URL, token: string, signal?: AbortSignal): Promise<GatewayResponse> {
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: this.#agent,
        headers: { authorization: `Bearer ${token}` },
        signal,
      });
      await discardBody(response.body);
      const message = response.headers['x-message'];
      return {
        status: response.statusCode,
        reason: response.statusText || STATUS_CODES[response.statusCode] || '',
        message: Array.isArray(message) ? message.join(', ') : message,
      };
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new GatewayUnreachable(`gateway ${displayUrl(url)} did not answer: ${this.#explain(error)}`, { cause: error });
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  #explain(error: unknown): string {
    const code = (error as { code?: unknown } | undefined)?.code;
    const seconds = (ms: number) => `${ms / 1000}s`;
    switch (code) {
      case 'ECONNREFUSED':
        return 'connection refused (ECONNREFUSED)';
      case 'UND_ERR_CONNECT_TIMEOUT':
        return `no connection within ${seconds(this.#timeouts.connectMs)} (${code})`;
      case 'UND_ERR_HEADERS_TIMEOUT':
        return `no response headers within ${seconds(this.#timeouts.headersMs)} (${code})`;
      case 'UND_ERR_BODY_TIMEOUT':
        return `response body stalled for ${seconds(this.#timeouts.bodyMs)} (${code})`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `host not found (${code})`;
      case 'ECONNRESET':
      case 'UND_ERR_SOCKET':
        return `connection closed before a complete response (${code})`;
      default:
        return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
    }
  }
}

/**
 * The tutorial's body is a few bytes of JSON that nobody prints, but it is read to the end: a
 * complete response returns the connection to the pool, and a body that stalls is an error
 * (bounded by the body timeout) rather than a half-answer taken for success. Past a limit the
 * rest is not worth the transfer; leaving the loop closes that connection.
 */
async function discardBody(body: AsyncIterable<Buffer>): Promise<void> {
  let received = 0;
  for await (const chunk of body) {
    received += chunk.length;
    if (received > MAX_BODY_BYTES) break;
  }
}

/** The URL without credentials or query, either of which may carry secrets of its own. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
