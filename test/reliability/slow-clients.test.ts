/**
 * Slow and broken clients against the real gateway: slowloris connections that
 * dribble header bytes forever, and connections dropped mid-headers, mid-body
 * and before the answer, while a normal client keeps asking. NGINX must keep
 * answering it, and cut each slowloris connection at client_header_timeout
 * (nginx/nginx.conf): that timer bounds the whole header, not each byte.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { NJS_CLIENT_RESET_QUIRK } from '../../tools/fuzz/error-log.ts';
import { REPO_ROOT, useGateway } from '../support/gateway.ts';
import { TUTORIAL_JWKS_FILE } from '../vectors/keys.ts';
import { TUTORIAL_TOKEN } from '../vectors/keys.ts';

const SLOWLORIS_CONNECTIONS = 200;
const DRIBBLE_EVERY_MS = 500;
/** Much longer than a loopback answer takes, much shorter than any NGINX timeout. */
const ANSWER_BOUND_MS = 5_000;
const HEADER_TIMEOUT_MS = configuredSeconds('client_header_timeout') * 1000;

function configuredSeconds(directive: string): number {
  const conf = readFileSync(path.join(REPO_ROOT, 'nginx/nginx.conf'), 'utf8');
  const match = new RegExp(`^\\s*${directive} (\\d+)s;`, 'm').exec(conf);
  if (match === null) throw new Error(`nginx/nginx.conf sets no ${directive} in seconds`);
  return Number(match[1]);
}

interface Slowloris {
  openedAt: number;
  /** When NGINX closed it, if it did. */
  closedAt?: number;
  socket: net.Socket;
}

/** Sends a request line and then one more header line every DRIBBLE_EVERY_MS, never the blank line that ends the headers. */
function openSlowloris(port: number, index: number): Slowloris {
  const socket = net.connect({ host: '127.0.0.1', port });
  const slowloris: Slowloris = { openedAt: Date.now(), socket };
  socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
  socket.on('data', () => {});
  socket.on('error', () => {});
  socket.on('close', () => (slowloris.closedAt ??= Date.now()));
  const dribble = setInterval(() => {
    if (socket.destroyed) clearInterval(dribble);
    else socket.write(`X-Slow-${index}: ${Date.now()}\r\n`);
  }, DRIBBLE_EVERY_MS);
  socket.on('close', () => clearInterval(dribble));
  return slowloris;
}

const ABRUPT_ENDINGS: Record<string, (socket: net.Socket) => void> = {
  'reset right after connecting': (socket) => socket.resetAndDestroy(),
  'closed mid request line': (socket) => socket.end('GET /ap'),
  'reset mid headers': (socket) => socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TUTORIAL_TOKEN.slice(0, 40)}`, () => socket.resetAndDestroy()),
  'closed mid body': (socket) => socket.end(`POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TUTORIAL_TOKEN}\r\nContent-Length: 1000\r\n\r\n{"partial":`),
  'reset before reading the answer': (socket) => socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TUTORIAL_TOKEN}\r\n\r\n`, () => socket.resetAndDestroy()),
};

/** One abrupt disconnect of the given kind; resolves once the socket is gone. */
function abruptDisconnect(port: number, ending: (socket: net.Socket) => void): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('connect', () => ending(socket));
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });
}

describe('slow and broken clients', () => {
  const gateway = useGateway({ jwksFile: TUTORIAL_JWKS_FILE });

  it('keep a normal client answered, and slowloris connections are cut at client_header_timeout', { timeout: HEADER_TIMEOUT_MS + 60_000 }, async () => {
    const { port } = new URL(gateway().url);
    const slowloris = Array.from({ length: SLOWLORIS_CONNECTIONS }, (_, index) => openSlowloris(Number(port), index));
    const runUntil = Date.now() + HEADER_TIMEOUT_MS + 3_000;

    const abrupt: Record<string, number> = {};
    const disconnecting = (async () => {
      for (let round = 0; round < 1_000 && Date.now() < runUntil; round++) {
        await Promise.all(Object.entries(ABRUPT_ENDINGS).map(async ([kind, ending]) => {
          await abruptDisconnect(Number(port), ending);
          abrupt[kind] = (abrupt[kind] ?? 0) + 1;
        }));
        await sleep(20);
      }
    })();

    const answers: Array<{ status: number; message: unknown; ms: number }> = [];
    for (let i = 0; i < 1_000 && Date.now() < runUntil; i++) {
      const started = Date.now();
      const response = await request(`${gateway().url}/`, { headers: { authorization: `Bearer ${TUTORIAL_TOKEN}` } });
      await response.body.dump();
      answers.push({ status: response.statusCode, message: response.headers['x-message'], ms: Date.now() - started });
      await sleep(100);
    }
    await disconnecting;

    const slowest = Math.max(...answers.map(({ ms }) => ms));
    const lifetimes = slowloris.map(({ openedAt, closedAt }) => (closedAt === undefined ? Infinity : closedAt - openedAt));
    console.log(
      `slow clients: ${answers.length} normal answers (slowest ${slowest} ms) beside ${SLOWLORIS_CONNECTIONS} slowloris connections ` +
        `(closed by NGINX after ${Math.min(...lifetimes)}-${Math.max(...lifetimes)} ms) and abrupt disconnects ${JSON.stringify(abrupt)}`,
    );
    slowloris.forEach(({ socket }) => socket.destroy());

    expect(answers.length).toBeGreaterThan(20);
    expect(answers.filter(({ status, message }) => status !== 200 || message !== 'Success apiKey1')).toEqual([]);
    expect(answers.filter(({ ms }) => ms > ANSWER_BOUND_MS)).toEqual([]);
    // Cut at the timeout, give or take a second of timer and scheduling slack: never kept alive by dribbling.
    expect(lifetimes.filter((ms) => ms < HEADER_TIMEOUT_MS - 1_000 || ms > HEADER_TIMEOUT_MS + 2_000)).toEqual([]);
    expect(Object.keys(abrupt).sort()).toEqual(Object.keys(ABRUPT_ENDINGS).sort());
    // The njs client-reset quirk (NJS_CLIENT_RESET_QUIRK) is allowed; anything else in the log is trouble.
    const troubles = await gateway().troubles();
    expect(troubles.filter((line) => !NJS_CLIENT_RESET_QUIRK.test(line))).toEqual([]);
    expect(troubles.length).toBeLessThanOrEqual(2 * gateway().workerPids().length);
  });
});
