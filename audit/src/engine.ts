/**
 * A small Docker Engine API client over undici: only what the audit needs. Honours
 * DOCKER_HOST (`unix://` by default at /var/run/docker.sock, or plain `tcp://`), and
 * negotiates the API version the way the docker CLI does: the lower of the engine's
 * `Api-Version` and the newest version this client knows. Works from Docker 20.10 (1.41) to
 * current engines, whose minimum API version rules out a fixed old version.
 */
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { DockerHostUnsupported, EngineApiError, EngineUnreachable, NoSuchContainer, NoSuchImage } from './errors.ts';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
/** Newest Engine API version this client has been written against. */
export const CLIENT_API_VERSION = '1.52';

export interface EngineOptions {
  /** A DOCKER_HOST value; defaults to $DOCKER_HOST, then the default socket. */
  host?: string;
  /** Skip negotiation and use this API version. */
  apiVersion?: string;
}

export interface ImageInspect {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Config?: ContainerConfig | null;
  RootFS?: { Type: string; Layers?: string[] };
}

export interface ContainerConfig {
  Env?: string[] | null;
  Labels?: Record<string, string> | null;
  Cmd?: string[] | string | null;
  Entrypoint?: string[] | string | null;
  Healthcheck?: { Test?: string[] | null } | null;
  OnBuild?: string[] | null;
  Image?: string;
}

export interface MountPoint {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination: string;
  RW?: boolean;
}

export interface ContainerInspect {
  Id: string;
  Name?: string;
  Image?: string;
  Path?: string;
  Args?: string[] | null;
  Config?: ContainerConfig | null;
  Mounts?: MountPoint[] | null;
  HostConfig?: { Binds?: string[] | null; Tmpfs?: Record<string, string> | null } | null;
}

interface Endpoint {
  origin: string;
  dispatcher: Dispatcher;
  display: string;
}

export function parseDockerHost(host: string): { socketPath?: string; origin: string } {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new DockerHostUnsupported(`DOCKER_HOST ${host}: unix socket path must be absolute`);
    return { socketPath, origin: 'http://localhost' };
  }
  if (host.startsWith('tcp://') || host.startsWith('http://')) {
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return { origin: `http://${u.host}` };
  }
  throw new DockerHostUnsupported(`DOCKER_HOST ${host} is not supported (use unix:///path or tcp://host:port)`);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Image refs keep '/', ':' and '@' readable in the path, as the docker CLI sends them. */
function refPath(ref: string): string {
  return encodeURIComponent(ref).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/g, '@');
}

export class EngineClient {
  readonly host: string;
  readonly #endpoint: Endpoint;
  #version: Promise<string> | undefined;

  constructor(options: EngineOptions = {}) {
    this.host = options.host || process.env['DOCKER_HOST'] || DEFAULT_DOCKER_HOST;
    const { socketPath, origin } = parseDockerHost(this.host);
    const dispatcher = socketPath ? new Agent({ connect: { socketPath } }) : new Agent();
    this.#endpoint = { origin, dispatcher, display: this.host };
    if (options.apiVersion) this.#version = Promise.resolve(options.apiVersion);
  }

  #closed = false;

  /** Releases the connection pool; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#endpoint.dispatcher.close();
  }

  async #raw(path: string): Promise<Dispatcher.ResponseData> {
    try {
      return await request(`${this.#endpoint.origin}${path}`, { dispatcher: this.#endpoint.dispatcher, method: 'GET' });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const code = err.code ?? err.name;
      throw new EngineUnreachable(`cannot reach the Docker engine at ${this.#endpoint.display}: ${code} (is dockerd running, and may this user use its socket?)`, { cause: e });
    }
  }

  /** The API version used for requests, negotiated once. */
  apiVersion(): Promise<string> {
    this.#version ??= this.#negotiate();
    return this.#version;
  }

  async #negotiate(): Promise<string> {
    const ping = await this.#raw('/_ping');
    await ping.body.dump();
    let server = ping.headers['api-version'];
    if (Array.isArray(server)) server = server[0];
    if (!server) {
      const v = await this.#raw('/version');
      if (v.statusCode !== 200) { await v.body.dump(); throw new EngineApiError(v.statusCode, `GET /version answered ${v.statusCode}`); }
      server = ((await v.body.json()) as { ApiVersion?: string }).ApiVersion;
    }
    if (!server || !/^\d+\.\d+$/.test(server)) throw new EngineApiError(ping.statusCode, 'the engine did not report its API version');
    return compareVersions(server, CLIENT_API_VERSION) < 0 ? server : CLIENT_API_VERSION;
  }

  async #get(path: string, notFound: () => Error): Promise<Dispatcher.ResponseData> {
    const version = await this.apiVersion();
    const res = await this.#raw(`/v${version}${path}`);
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    let message = '';
    try {
      const text = await res.body.text();
      try { message = String((JSON.parse(text) as { message?: unknown }).message ?? text); } catch { message = text; }
    } catch { /* body unreadable */ }
    if (res.statusCode === 404) throw notFound();
    throw new EngineApiError(res.statusCode, `GET ${path.split('?')[0]} answered ${res.statusCode}: ${message.trim().split('\n')[0]}`);
  }

  async #json<T>(path: string, notFound: () => Error): Promise<T> {
    const res = await this.#get(path, notFound);
    return (await res.body.json()) as T;
  }

  inspectImage(ref: string): Promise<ImageInspect> {
    return this.#json(`/images/${refPath(ref)}/json`, () => new NoSuchImage(ref));
  }

  /** `docker save` of one image as a tar stream (legacy or OCI layout, depending on the engine). */
  async exportImage(ref: string): Promise<AsyncIterable<Buffer>> {
    const res = await this.#get(`/images/${refPath(ref)}/get`, () => new NoSuchImage(ref));
    return res.body;
  }

  inspectContainer(ref: string): Promise<ContainerInspect> {
    return this.#json(`/containers/${encodeURIComponent(ref)}/json`, () => new NoSuchContainer(ref));
  }

  /** `docker export`: the container's flattened filesystem as a tar stream. */
  async exportContainer(ref: string): Promise<AsyncIterable<Buffer>> {
    const res = await this.#get(`/containers/${encodeURIComponent(ref)}/export`, () => new NoSuchContainer(ref));
    return res.body;
  }
}
