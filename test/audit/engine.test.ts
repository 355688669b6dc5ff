import { mkdtempSync, rmSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditContainer, auditImage } from '../../audit/src/audit.ts';
import { CLIENT_API_VERSION, EngineClient, parseDockerHost } from '../../audit/src/engine.ts';
import { DockerHostUnsupported, EngineApiError, EngineUnreachable, NoSuchContainer, NoSuchImage } from '../../audit/src/errors.ts';
import { exitCodeFor } from '../../audit/src/report.ts';
import { collect } from '../../audit/src/bytes.ts';
import { type FakeEngine, type FakeEngineOptions, startFakeEngine } from './helpers/fake-engine.ts';
import { legacySave, ociSave, tar } from './helpers/tar.ts';
import { readFileSync } from 'node:fs';
import { givenSecret } from '../../audit/src/secrets.ts';

const TOKEN = readFileSync(new URL('../fixtures/tutorial/token1.jwt', import.meta.url), 'utf8');

let engine: FakeEngine | undefined;
let client: EngineClient | undefined;
afterEach(async () => {
  await client?.close();
  await engine?.close();
  client = engine = undefined;
});

async function start(opts: FakeEngineOptions, clientOpts: { apiVersion?: string } = {}): Promise<EngineClient> {
  engine = await startFakeEngine(opts);
  client = new EngineClient({ host: engine.host, ...clientOpts });
  return client;
}

const hardcoded = tar([{ name: 'usr/app/src/app.py', data: `jwt = "${TOKEN}"\n` }]);
const clean = tar([{ name: 'usr/app/src/app.py', data: 'jwt = open("/run/secrets/jot").read()\n' }]);

describe('EngineClient', () => {
  it('negotiates the API version: the engine\'s when older than ours', async () => {
    const c = await start({ apiVersion: '1.41', images: { 'app:1': { inspect: { Id: 'sha256:abc' }, archive: Buffer.alloc(0) } } });
    expect(await c.apiVersion()).toBe('1.41');
    expect((await c.inspectImage('app:1')).Id).toBe('sha256:abc');
    expect(engine!.requests).toEqual(['GET /_ping', 'GET /v1.41/images/app:1/json']);
  });

  it('negotiates the API version: ours when the engine is newer', async () => {
    const c = await start({ apiVersion: '1.99', images: { 'local/app:1': { inspect: { Id: 'sha256:abc' }, archive: Buffer.alloc(0) } } });
    await c.inspectImage('local/app:1');
    expect(engine!.requests).toEqual(['GET /_ping', `GET /v${CLIENT_API_VERSION}/images/local/app:1/json`]);
  });

  it('falls back to GET /version when /_ping has no Api-Version header', async () => {
    const c = await start({ apiVersion: null, versionEndpoint: '1.44' });
    expect(await c.apiVersion()).toBe('1.44');
    expect(engine!.requests).toEqual(['GET /_ping', 'GET /version']);
  });

  it('honours DOCKER_HOST from the environment', async () => {
    engine = await startFakeEngine({ images: { x: { inspect: { Id: 'sha256:1' }, archive: Buffer.alloc(0) } } });
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = engine.host;
    try {
      client = new EngineClient();
      expect(client.host).toBe(engine.host);
      expect((await client.inspectImage('x')).Id).toBe('sha256:1');
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST']; else process.env['DOCKER_HOST'] = saved;
    }
  });

  it('streams an image archive', async () => {
    const { archive } = legacySave({ layers: [hardcoded] });
    const c = await start({ images: { app: { inspect: { Id: 'sha256:1' }, archive } } });
    const body = await collect(await c.exportImage('app'), 10 * 1024 * 1024);
    expect(body.equals(archive)).toBe(true);
  });

  it('maps 404 to NoSuchImage / NoSuchContainer and other statuses to EngineApiError', async () => {
    const c = await start({});
    await expect(c.inspectImage('nope:1')).rejects.toBeInstanceOf(NoSuchImage);
    await expect(c.inspectImage('nope:1')).rejects.toThrow('no such image: nope:1');
    await expect(c.inspectContainer('ghost')).rejects.toBeInstanceOf(NoSuchContainer);
    await c.close();
    await engine!.close();
    const c2 = await start({ failWith: { status: 500, message: 'disk on fire\nsecond line' } });
    const err = await c2.inspectImage('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineApiError);
    expect((err as EngineApiError).status).toBe(500);
    expect((err as Error).message).toBe('GET /images/x/json answered 500: disk on fire');
  });

  it('reports an engine that is not there as EngineUnreachable, naming the host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-engine-'));
    try {
      client = new EngineClient({ host: `unix://${dir}/docker.sock` });
      const err = await client.inspectImage('x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineUnreachable);
      expect((err as EngineUnreachable).code).toBe('ERR_ENGINE_UNREACHABLE');
      expect((err as Error).message).toMatch(new RegExp(`^cannot reach the Docker engine at unix://${dir}/docker.sock: ENOENT`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses DOCKER_HOST values', () => {
    expect(parseDockerHost('unix:///var/run/docker.sock')).toEqual({ socketPath: '/var/run/docker.sock', origin: 'http://localhost' });
    expect(parseDockerHost('tcp://127.0.0.1:2375')).toEqual({ origin: 'http://127.0.0.1:2375' });
    expect(() => parseDockerHost('npipe:////./pipe/docker_engine')).toThrow(DockerHostUnsupported);
    expect(() => parseDockerHost('unix://relative.sock')).toThrow(DockerHostUnsupported);
  });
});

describe('auditImage over the Engine API', () => {
  it('finds the hardcoded token in a layer (OCI layout) and exits 1', async () => {
    const { archive, diffIds } = ociSave({ layers: [clean, hardcoded], gzip: true });
    const c = await start({ apiVersion: '1.52', images: { 'njs-jwt-apiclient:hardcode': { inspect: { Id: 'sha256:feed' }, archive } } });
    const report = await auditImage(c, 'njs-jwt-apiclient:hardcode', { secrets: [givenSecret('file token1.jwt', TOKEN)] });
    expect(report.target).toEqual({ type: 'image', ref: 'njs-jwt-apiclient:hardcode', id: 'sha256:feed' });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.where).toMatchObject({ type: 'layer', layer: 2, digest: diffIds[1], path: 'usr/app/src/app.py' });
    expect(exitCodeFor(report)).toBe(1);
    expect(engine!.requests).toEqual(['GET /_ping', 'GET /v1.52/images/njs-jwt-apiclient:hardcode/json', 'GET /v1.52/images/njs-jwt-apiclient:hardcode/get']);
  });

  it('a corrupt archive fails with TarInvalid and the client still closes at once (the stream is aborted)', async () => {
    const { archive } = legacySave({ layers: [clean] });
    const corrupt = Buffer.from(archive.subarray(0, 4096));
    corrupt[5] ^= 0xff; // first header's checksum no longer matches
    const c = await start({ images: { bad: { inspect: { Id: 'sha256:1' }, archive: corrupt, stall: true } } });
    await expect(auditImage(c, 'bad')).rejects.toMatchObject({ code: 'ERR_TAR_INVALID' });
    const closed = await Promise.race([c.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 2000))]);
    expect(closed).toBe('closed');
  });

  it('a clean image exits 0; a missing image is NoSuchImage before any export', async () => {
    const { archive } = legacySave({ layers: [clean] });
    const c = await start({ images: { gw: { inspect: { Id: 'sha256:1' }, archive } } });
    const report = await auditImage(c, 'gw');
    expect(report.findings).toEqual([]);
    expect(exitCodeFor(report)).toBe(0);
    await expect(auditImage(c, 'missing')).rejects.toBeInstanceOf(NoSuchImage);
    expect(engine!.requests.filter((r) => r.includes('missing'))).toEqual(['GET /v1.41/images/missing/json']);
  });
});

function containerInspect(over: Record<string, unknown>): Record<string, unknown> {
  return {
    Id: 'c0ffee'.padEnd(64, '0'), Name: '/apiclient-1', Image: 'sha256:img', Path: 'node', Args: ['client.mjs'],
    Config: { Image: 'njs-jwt-apiclient', Env: ['PATH=/usr/bin'], Cmd: ['node', 'client.mjs'], Labels: {} },
    Mounts: [], HostConfig: {},
    ...over,
  };
}

describe('auditContainer over the Engine API', () => {
  it('env mode: the token is in Config.Env', async () => {
    const inspect = containerInspect({ Config: { Image: 'njs-jwt-apiclient', Env: ['PATH=/usr/bin', `JWT=${TOKEN}`], Cmd: ['node', 'client.mjs'] } });
    const c = await start({ containers: { env: { inspect, export: tar([{ name: 'usr/app/client.mjs', data: 'fetch()' }]) } } });
    const report = await auditContainer(c, 'env', { secrets: [givenSecret('env JWT', TOKEN)] });
    expect(report.findings.map((f) => [f.kind, f.where])).toEqual([['secret', { type: 'container-config', field: 'Env', key: 'JWT' }]]);
    expect(report.findings[0]!.preview).toBe('JWT=‹secret raw›');
    expect(report.target).toMatchObject({ type: 'container', name: 'apiclient-1', image: 'sha256:img' });
    expect(exitCodeFor(report)).toBe(1);
  });

  it('file-secret mode: clean, and the empty mount point is noted', async () => {
    const inspect = containerInspect({ Mounts: [{ Type: 'bind', Source: '/home/u/token1.jwt', Destination: '/run/secrets/jot', RW: false }] });
    const fs = tar([{ name: 'run/', type: '5' }, { name: 'run/secrets/', type: '5' }, { name: 'run/secrets/jot', data: '' }, { name: 'usr/app/client.mjs', data: 'read("/run/secrets/jot")' }]);
    const c = await start({ containers: { file: { inspect, export: fs } } });
    const report = await auditContainer(c, 'file', { secrets: [givenSecret('file token1.jwt', TOKEN)] });
    expect(report.findings).toEqual([]);
    expect(exitCodeFor(report)).toBe(0);
    expect(report.notes.map((n) => [n.kind, n.path])).toEqual([
      ['mount', 'run/secrets/jot'], ['empty-mount-point', 'run/secrets/jot'], ['image-not-audited', undefined],
    ]);
    expect(report.notes[1]!.message).toBe('/run/secrets/jot is an empty file in the export: a mount point, the secret lives only in the mount');
    expect(report.stats.files).toBe(2);
  });

  it('an export that cannot be read makes the audit incomplete (exit 2) and releases the stream', async () => {
    const zstdLike = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(8192, 3)]);
    const c = await start({ containers: { odd: { inspect: containerInspect({}), export: zstdLike, stall: true } } });
    const hasZstd = typeof (zlib as unknown as Record<string, unknown>)['createZstdDecompress'] === 'function';
    const outcome = await auditContainer(c, 'odd').then((r) => r, (e: unknown) => e);
    if (hasZstd) {
      expect(outcome).toBeInstanceOf(Error); // not valid zstd data
    } else {
      const report = outcome as Awaited<ReturnType<typeof auditContainer>>;
      expect(report.incomplete).toEqual(['the container export is zstd-compressed and this Node cannot decompress it']);
      expect(exitCodeFor(report)).toBe(2);
    }
    const closed = await Promise.race([c.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 2000))]);
    expect(closed).toBe('closed');
  });

  it('Swarm mode: no Mounts entry, the empty /run/secrets file is still noted; a token written to the fs is found', async () => {
    const fs = tar([{ name: 'run/secrets/jot', data: '' }, { name: 'tmp/cache.json', data: `{"token":"${TOKEN}"}` }]);
    const c = await start({ containers: { swarm: { inspect: containerInspect({}), export: fs } } });
    const report = await auditContainer(c, 'swarm');
    expect(report.notes.map((n) => n.kind)).toContain('empty-mount-point');
    expect(report.findings.map((f) => [f.kind, f.where])).toEqual([['jwt', { type: 'container-fs', path: 'tmp/cache.json', offset: 10 }]]);
  });
});
