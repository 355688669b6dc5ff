/**
 * A minimal Docker Engine API client over the unix socket (DOCKER_HOST=unix://... honoured),
 * for the few calls the demo and the tests make that stream large bodies: `GET
 * /images/{name}/get` (docker save), `GET /containers/{id}/export`, and JSON inspections.
 * API version 1.41 (Docker 20.10, Debian 12's docker.io); newer engines answer it too.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';

const API = '/v1.41';

export function socketPath(): string {
  const host = process.env['DOCKER_HOST'];
  if (host === undefined || host === '') return '/var/run/docker.sock';
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(`DOCKER_HOST=${host}: only unix:// sockets are supported here`);
}

function open(method: string, path: string, body?: unknown): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      {
        socketPath: socketPath(),
        method,
        path: `${API}${path}`,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length },
      },
      resolvePromise,
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class EngineError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

async function check(res: IncomingMessage, what: string): Promise<IncomingMessage> {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return res;
  const text = (await readAll(res)).toString('utf8');
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON
  }
  throw new EngineError(status, `${what}: ${status} ${message.trim()}`);
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await check(await open('GET', path), `GET ${path}`);
  return JSON.parse((await readAll(res)).toString('utf8')) as T;
}

/** A streaming body (a tar archive for save/export). */
export async function getStream(path: string): Promise<AsyncIterable<Buffer>> {
  return check(await open('GET', path), `GET ${path}`);
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Config: { Env: string[] | null; Image: string; Labels: Record<string, string> | null; Cmd: string[] | null };
  Mounts: { Type: string; Source: string; Destination: string; RW: boolean }[];
  State: { Status: string; ExitCode: number; Health?: { Status: string } };
  HostConfig: { NetworkMode: string };
}

export interface ImageInspect {
  Id: string;
  Config: { Env: string[] | null; Labels: Record<string, string> | null; Cmd: string[] | null; Entrypoint: string[] | null; User: string; Healthcheck?: { Test: string[] } };
}

export interface HistoryEntry {
  Id: string;
  CreatedBy: string;
  Size: number;
}

const enc = encodeURIComponent;

export const engine = {
  inspectContainer: (id: string) => getJson<ContainerInspect>(`/containers/${enc(id)}/json`),
  inspectImage: (ref: string) => getJson<ImageInspect>(`/images/${enc(ref)}/json`),
  history: (ref: string) => getJson<HistoryEntry[]>(`/images/${enc(ref)}/history`),
  exportContainer: (id: string) => getStream(`/containers/${enc(id)}/export`),
  saveImage: (ref: string) => getStream(`/images/${enc(ref)}/get`),
};
