/** A fake Docker Engine API on a unix socket in a temp dir: just the endpoints secret-audit uses. */
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** With `stall`, the archive is sent and the response is then held open, never ended. */
export interface FakeImage { inspect: Record<string, unknown>; archive: Buffer; stall?: boolean }
export interface FakeContainer { inspect: Record<string, unknown>; export: Buffer; stall?: boolean }

export interface FakeEngineOptions {
  /** Api-Version header on /_ping; null omits it (then /version answers `versionEndpoint`). */
  apiVersion?: string | null;
  versionEndpoint?: string;
  images?: Record<string, FakeImage>;
  containers?: Record<string, FakeContainer>;
  /** Answer every versioned request with this status and message. */
  failWith?: { status: number; message: string };
}

export interface FakeEngine {
  socket: string;
  host: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeEngine(opts: FakeEngineOptions = {}): Promise<FakeEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-engine-'));
  const socket = join(dir, 'docker.sock');
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const stream = (data: Buffer, stall = false): void => {
      res.writeHead(200, { 'content-type': 'application/x-tar' });
      let i = 0;
      const step = (): void => {
        while (i < data.length) {
          const ok = res.write(data.subarray(i, i + 3000));
          i += 3000;
          if (!ok) { res.once('drain', step); return; }
        }
        if (!stall) res.end();
      };
      step();
    };
    if (url === '/_ping') {
      if (opts.apiVersion !== null) res.setHeader('Api-Version', opts.apiVersion ?? '1.41');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
      return;
    }
    if (url === '/version') return json(200, { ApiVersion: opts.versionEndpoint ?? '1.41', Version: '20.10.24' });
    const m = /^\/v(\d+\.\d+)\/(images|containers)\/(.+)\/(json|get|export)$/.exec(url);
    if (!m) return json(404, { message: `page not found: ${url}` });
    if (opts.failWith) return json(opts.failWith.status, { message: opts.failWith.message });
    const [, , kind, rawName, op] = m;
    const name = decodeURIComponent(rawName!);
    if (kind === 'images') {
      const img = opts.images?.[name];
      if (!img) return json(404, { message: `No such image: ${name}` });
      return op === 'json' ? json(200, img.inspect) : stream(img.archive, img.stall);
    }
    const c = opts.containers?.[name] ?? Object.values(opts.containers ?? {}).find((x) => x.inspect['Id'] === name);
    if (!c) return json(404, { message: `No such container: ${name}` });
    return op === 'json' ? json(200, c.inspect) : stream(c.export, c.stall);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, resolve);
  });
  return {
    socket,
    host: `unix://${socket}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
