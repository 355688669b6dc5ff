/**
 * The tutorial's four challenges on a real Docker engine: builds the images, starts the
 * gateway container, runs the client per mode through the very Compose and stack files users
 * run (docker/challenges/), and checks through the Docker Engine API where the secret can and
 * cannot be found. Needs an engine; fails (never skips) without one. Host networking and
 * 127.0.0.1 only. Everything it makes (containers, Compose projects, services, secrets, the
 * swarm if it started one, images, temp files) is removed in afterAll, also after a failure.
 */
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { GenericContainer, Wait, getContainerRuntimeClient, type ContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT, stageContext } from '../../tools/containers/context.ts';
import { engine } from '../../tools/containers/engine-api.ts';
import { CLIENT_VARIANTS, DEFAULT_NGINX_IMAGE, DEFAULT_NODE_IMAGE, type ClientMode } from '../../tools/containers/names.ts';
import { docker, run } from '../../tools/containers/proc.ts';
import { redact } from '../../tools/containers/redact.ts';
import { searchContainer, searchImage } from '../../tools/containers/secret-search.ts';
import {
  Cleanup,
  JWKS_FIXTURE,
  compose,
  demux,
  ensureNjsBuilt,
  fixtureKeys,
  freePort,
  keyMaterial,
  mintToken,
  randomOctKey,
  removeDir,
  requireEngine,
  serviceLines,
  serviceLogs,
  swarmState,
  tempDir,
  testNames,
  waitFor,
  writeSecretFile,
} from './support.ts';

// Builds, exports and Swarm updates take seconds each, more on a busy 2-core CI host.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

const names = testNames();
const GATEWAY = `${names.gatewayImage}:latest`;
const client = (mode: ClientMode): string => `${names.clientImage}:${mode}`;
const NGINX_IMAGE = process.env['NGINX_IMAGE'] || DEFAULT_NGINX_IMAGE;
const NODE_IMAGE = process.env['NODE_IMAGE'] || DEFAULT_NODE_IMAGE;

const cleanup = new Cleanup();
/** values that must never show up in an assertion message */
const secrets: string[] = [...keyMaterial()];

let runtime: ContainerRuntimeClient;
let work: string;
let token1: string; // apiKey1, minted now with the fixture's `sign` key
let token2: string; // apiKey2, the rotation target
let gateway: StartedTestContainer;
let gatewayPort: number;
let gatewayKeyDir: string;
let token1File: string;
const timings: Record<string, number> = {};

const url = (): string => `http://127.0.0.1:${gatewayPort}/`;

async function get(token?: string): Promise<Response> {
  return fetch(url(), { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

/** One request on a new connection (no keep-alive): its status, or -1 if it failed. */
function getOnNewConnection(token: string): Promise<number> {
  return new Promise((resolvePromise) => {
    const req = httpGet(url(), { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode ?? -1));
      res.on('error', () => resolvePromise(-1));
    });
    req.on('error', () => resolvePromise(-1));
  });
}

/** The env every Compose run gets: the test images and the test gateway's port. */
function composeEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_IMAGE: names.gatewayImage,
    APICLIENT_IMAGE: names.clientImage,
    JWT: undefined,
    ...extra,
  };
}

/** Runs a challenge's Compose file once (`up`, attached, until the client exits). */
async function runChallenge(n: number, file: string, env: Record<string, string | undefined>) {
  const project = `${names.stack}c${n}`;
  cleanup.add(`compose project ${project}`, () => compose(project, file, ['down', '--volumes', '--remove-orphans'], env, { timeoutMs: 60_000 }));
  const result = await compose(project, file, ['up', '--no-build', '--exit-code-from', 'apiclient'], env, { allowFailure: true, timeoutMs: 120_000 });
  const containers = await runtime.container.dockerode.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=apiclient'] },
  });
  expect(containers, `compose project ${project} made no apiclient container:\n${redact(result.stderr, secrets)}`).toHaveLength(1);
  const output = `${result.stdout}\n${result.stderr}`;
  return { code: result.code, lines: serviceLines(result.stdout), output, containerId: containers[0]!.Id };
}

/**
 * secret-audit (audit/, issue 6) on an object of this suite: its exit status (0 clean, 1 leak,
 * 2 could not audit). Its output must never hold the secret.
 */
async function secretAudit(kind: 'image' | 'container', ref: string, secretFile: string): Promise<number> {
  const result = await run('npx', ['tsx', 'audit/src/cli.ts', kind, ref, '--secret-file', secretFile], {
    cwd: REPO_ROOT,
    allowFailure: true,
    timeoutMs: 120_000,
  });
  for (const secret of secrets) expect(result.stdout.includes(secret) || result.stderr.includes(secret), 'secret-audit printed a secret').toBe(false);
  expect(result.code, `secret-audit ${kind} ${ref}: ${result.stderr.trim()}`).not.toBe(2);
  return result.code;
}

async function buildImage(dockerfile: string, tag: string, buildArgs: Record<string, string>, contextDir: string): Promise<void> {
  const started = Date.now();
  await GenericContainer.fromDockerfile(contextDir, dockerfile).withBuildArgs(buildArgs).build(tag, { deleteOnExit: false });
  timings[tag] = (Date.now() - started) / 1000;
  // fromDockerfile does not fail on every broken build: the image must exist, and be new.
  const inspect = await engine.inspectImage(tag);
  expect(inspect.Id).toMatch(/^sha256:/);
}

beforeAll(async () => {
  await requireEngine();
  runtime = await getContainerRuntimeClient();
  work = await tempDir('containers');
  cleanup.add('temp dir', () => removeDir(work));
  token1 = await mintToken('apiKey1');
  token2 = await mintToken('apiKey2');
  secrets.push(token1, token2);

  // Bundles: the njs build of the repository, the client built into our own folder with
  // token1 compiled into the hardcode variant (Challenge 1).
  await ensureNjsBuilt();
  const hardcodeTokenFile = await writeSecretFile(work, 'hardcode.jwt', token1);
  token1File = hardcodeTokenFile;
  await run('npx', ['tsx', 'tools/build-client.ts', '--hardcode-token-file', hardcodeTokenFile, '--out-dir', join(work, 'dist')], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
  });
  const context = await stageContext({ clientOutDir: join(work, 'dist'), hardcode: true });
  cleanup.add('build context', () => context.remove());

  const images = [GATEWAY, ...CLIENT_VARIANTS.map((v) => client(v.tag))];
  cleanup.add('test images', async () => {
    for (const image of images) await docker(['rmi', '--force', image], { allowFailure: true });
  });
  await buildImage('docker/gateway.Dockerfile', GATEWAY, { NGINX_IMAGE }, context.dir);
  for (const variant of CLIENT_VARIANTS) {
    await buildImage('docker/client.Dockerfile', client(variant.tag), { NODE_IMAGE, CLIENT_BUILD: variant.build, APICLIENT_MODE: variant.mode }, context.dir);
  }
  console.log(`container suite: images built in ${Object.values(timings).reduce((a, b) => a + b, 0).toFixed(1)}s (${Object.entries(timings).map(([t, s]) => `${t} ${s.toFixed(1)}s`).join(', ')})`);

  // The gateway, its key set a read-only bind mount of a folder (so a test can swap the file).
  gatewayKeyDir = join(work, 'gateway-secrets');
  await mkdir(gatewayKeyDir);
  await copyFile(JWKS_FIXTURE, join(gatewayKeyDir, 'jwks'));
  gatewayPort = await freePort();
  const started = Date.now();
  const gatewayName = `${names.gatewayImage}-gateway`;
  const gatewayLog: string[] = [];
  cleanup.add('gateway container', async () => {
    if (gateway !== undefined) await gateway.stop({ timeout: 5_000 });
    else await docker(['rm', '--force', gatewayName], { allowFailure: true });
  });
  try {
    gateway = await new GenericContainer(GATEWAY)
      .withName(gatewayName)
      .withNetworkMode('host')
      .withEnvironment({ GATEWAY_LISTEN: `127.0.0.1:${gatewayPort}` })
      .withBindMounts([{ source: gatewayKeyDir, target: '/run/secrets', mode: 'ro' }])
      .withLogConsumer((stream) => stream.on('data', (line: Buffer | string) => gatewayLog.push(String(line))))
      // the image's own check, run every second instead of every 30 s
      .withHealthCheck({ test: ['CMD', 'gateway-healthcheck'], interval: 1_000, timeout: 3_000, retries: 3, startPeriod: 1_000 })
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(60_000)
      .start();
  } catch (error) {
    const state = await docker(['inspect', '--format', '{{json .State}}', gatewayName], { allowFailure: true });
    throw new Error(
      `gateway container did not become healthy: ${error instanceof Error ? error.message : String(error)}\n` +
        `state: ${state.stdout.trim()}\nlog:\n${redact(gatewayLog.join(''), secrets)}`,
    );
  }
  timings['gateway healthy'] = (Date.now() - started) / 1000;
}, 300_000);

afterAll(async () => {
  await cleanup.run(secrets);
  // Nothing of ours may be left behind.
  const dockerode = runtime?.container.dockerode;
  if (dockerode === undefined) return;
  const leftContainers = (await dockerode.listContainers({ all: true })).filter((c) =>
    [c.Image, ...c.Names].some((n) => n.includes(names.run)),
  );
  const leftImages = (await dockerode.listImages()).filter((i) => (i.RepoTags ?? []).some((t) => t.includes(names.run)));
  const leftSecrets = (await docker(['secret', 'ls', '--format', '{{.Name}}'], { allowFailure: true })).stdout
    .split('\n')
    .filter((s) => s.includes(names.run));
  expect({ leftContainers: leftContainers.map((c) => c.Names), leftImages: leftImages.map((i) => i.RepoTags), leftSecrets }).toEqual({
    leftContainers: [],
    leftImages: [],
    leftSecrets: [],
  });
}, 180_000);

describe('images', () => {
  it('gateway image: health check, key set expected at /run/secrets/jwks, and no key material anywhere in it', async () => {
    const inspect = await engine.inspectImage(GATEWAY);
    expect(inspect.Config.Healthcheck?.Test).toEqual(['CMD', 'gateway-healthcheck']);
    expect(inspect.Config.Entrypoint).toEqual(['gateway-entrypoint']);
    expect(inspect.Config.Env).toContain('JWKS_FILE=/run/secrets/jwks');
    for (const k of keyMaterial()) {
      const report = await searchImage(GATEWAY, k);
      expect(report.findings, 'key material found in the gateway image').toEqual([]);
    }
    const jwksFile = await writeSecretFile(work, 'jwks.json', JSON.stringify({ keys: fixtureKeys() }));
    expect(await secretAudit('image', GATEWAY, jwksFile)).toBe(0);
  });

  it('client images without the hardcode variant hold no token', async () => {
    for (const mode of ['env', 'file', 'manager'] as const) {
      const report = await searchImage(client(mode), token1);
      expect(report.findings, `token found in ${client(mode)}`).toEqual([]);
      const inspect = await engine.inspectImage(client(mode));
      expect(inspect.Config.Env).toContain(`APICLIENT_MODE=${mode}`);
      expect(inspect.Config.User).toBe('node');
    }
  });
});

describe('gateway container', () => {
  it("answers the tutorial's contract on 127.0.0.1 with the key set from /run/secrets/jwks", async () => {
    const ok = await get(token1);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-message')).toBe('Success apiKey1');
    expect(await ok.json()).toEqual({ response: 'success', authorized: true, value: '999' });
    expect((await get(token2)).headers.get('x-message')).toBe('Success apiKey2');

    const none = await get();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const forged = await get(await mintToken('apiKey1', randomOctKey('sign')));
    expect(forged.status).toBe(401);
  });

  it('is healthy by its own HEALTHCHECK and runs on the host network', async () => {
    const inspect = await engine.inspectContainer(gateway.getId());
    expect(inspect.State.Health?.Status).toBe('healthy');
    expect(inspect.HostConfig.NetworkMode).toBe('host');
    expect(inspect.Mounts).toEqual([expect.objectContaining({ Destination: '/run/secrets', RW: false })]);
  });

  it('runs the master as root and the workers as the unprivileged nginx user', async () => {
    const { output, exitCode } = await gateway.exec([
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do c=$(tr "\\0" " " < $p/cmdline 2>/dev/null); case $c in nginx:*) echo "$(awk \'/^Uid:/{print $2}\' $p/status) $c";; esac; done',
    ]);
    expect(exitCode).toBe(0);
    const processes = output.trim().split('\n').map((line) => ({ uid: line.split(' ')[0], role: /master|worker/.exec(line)?.[0] }));
    expect(processes.filter((p) => p.role === 'master')).toEqual([{ uid: '0', role: 'master' }]);
    const workers = processes.filter((p) => p.role === 'worker');
    expect(workers.length).toBeGreaterThan(0);
    const nginxUid = (await gateway.exec(['id', '-u', 'nginx'])).output.trim();
    expect(nginxUid).not.toBe('0');
    for (const worker of workers) expect(worker.uid).toBe(nginxUid);
  });

  it('logs requests to stdout and its own messages to stderr, with no token or key in them', async () => {
    await get(token1);
    const container = runtime.container.dockerode.getContainer(gateway.getId());
    const logs = demux((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
    expect(logs.stdout).toMatch(/"GET \/ HTTP\/1\.1" 200 /);
    expect(logs.stderr).toContain(`gateway: listening on 127.0.0.1:${gatewayPort}`);
    expect(logs.stderr).toContain('gateway: key set /run/secrets/jwks: 2 verification key(s)');
    for (const secret of secrets) {
      expect(logs.stdout.includes(secret) || logs.stderr.includes(secret), 'a secret in the gateway logs').toBe(false);
    }
  });

  // New connections: an idle keep-alive connection is closed by the old workers on reload,
  // and a client that sends on it at that very moment sees "other side closed" (a client-side
  // race every NGINX reload has; clients retry idempotent requests on a new connection).
  it('reloads gracefully: same master, every new connection answered while reloading', async () => {
    const startTime = async () => (await gateway.exec(['sh', '-c', 'cut -d " " -f 22 /proc/1/stat'])).output.trim();
    const before = await startTime();
    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      while (!stop) statuses.push(await getOnNewConnection(token1));
    })();
    for (let i = 0; i < 3; i++) {
      const reload = await gateway.exec(['gateway-entrypoint', 'reload']);
      expect(reload.exitCode, reload.output).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
    }
    stop = true;
    await load;
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await startTime()).toBe(before);
  });

  it('takes a rotated key set on reload, and refuses a broken one while it keeps serving', async () => {
    const jwksPath = join(gatewayKeyDir, 'jwks');
    const swap = async (content: string) => {
      await writeFile(`${jwksPath}.new`, content);
      await rename(`${jwksPath}.new`, jwksPath);
    };
    const next = randomOctKey('sign2');
    secrets.push(next.k!);
    const nextToken = await mintToken('apiKey3', next);
    try {
      expect((await get(nextToken)).status).toBe(401);
      await swap(JSON.stringify({ keys: [next] }));
      const reload = await gateway.exec(['gateway-entrypoint', 'reload']);
      expect(reload.exitCode, reload.output).toBe(0);
      await waitFor('the new key set', async () => ((await get(nextToken)).status === 200 ? true : undefined), 10_000, 200);
      expect((await get(nextToken)).headers.get('x-message')).toBe('Success apiKey3');
      await waitFor('the old key to be gone', async () => ((await get(token1)).status === 401 ? true : undefined), 10_000, 200);

      await swap('{"keys": [');
      const broken = await gateway.exec(['gateway-entrypoint', 'reload']);
      expect(broken.exitCode).not.toBe(0);
      expect(broken.output).toContain('key set /run/secrets/jwks is not JSON');
      expect((await get(nextToken)).status).toBe(200);
    } finally {
      await copyFile(JWKS_FIXTURE, `${jwksPath}.new`);
      await rename(`${jwksPath}.new`, jwksPath);
      expect((await gateway.exec(['gateway-entrypoint', 'reload'])).exitCode).toBe(0);
      await waitFor('the fixture key set back', async () => ((await get(token1)).status === 200 ? true : undefined), 10_000, 200);
    }
  });

  it('refuses to start without a key set, or with a malformed one, naming the file', async () => {
    const dockerode = runtime.container.dockerode;
    const bad = await writeSecretFile(work, 'empty-jwks.json', '{"keys":[]}');
    const cases = [
      { binds: [] as string[], expected: 'key set /run/secrets/jwks does not exist' },
      { binds: [`${bad}:/run/secrets/jwks:ro`], expected: 'key set /run/secrets/jwks is invalid' },
    ];
    for (const [i, c] of cases.entries()) {
      const container = await dockerode.createContainer({
        name: `${names.gatewayImage}-nokeys${i}`,
        Image: GATEWAY,
        Env: [`GATEWAY_LISTEN=127.0.0.1:${await freePort()}`],
        HostConfig: { NetworkMode: 'host', Binds: c.binds },
      });
      cleanup.add(`container ${container.id}`, () => container.remove({ force: true }));
      await container.start();
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      const logs = demux((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
      expect(StatusCode).not.toBe(0);
      expect(logs.stderr).toContain(c.expected);
    }
  });
});

describe('Challenge 1: hardcoded secret (docker/challenges/1-hardcode.compose.yml)', () => {
  it('gets 200 Success apiKey1, and the token can be read from the image layers', async () => {
    const result = await runChallenge(1, '1-hardcode.compose.yml', composeEnv());
    expect(result.lines).toContain('200 Success apiKey1');
    expect(result.code).toBe(0);
    expect(result.output.includes(token1)).toBe(false);

    const image = await searchImage(client('hardcode'), token1);
    expect(image.findings.map((f) => f.kind)).toContain('layer-file');
    expect(image.findings.find((f) => f.kind === 'layer-file')?.where).toMatch(/layer.*: usr\/app\/apiclient\.mjs$/);
    // docker history names the step that put it there
    expect(image.historySteps.some((step) => step.includes('in ./apiclient.mjs'))).toBe(true);
    // and `docker export` of the container, the tutorial's way, shows it too
    const container = await searchContainer(result.containerId, token1);
    expect(container.findings).toContainEqual({ where: 'container filesystem: usr/app/apiclient.mjs', kind: 'export-file' });
    expect(await secretAudit('image', client('hardcode'), token1File)).toBe(1);
  });
});

describe('Challenge 2: secret in an environment variable (docker/challenges/2-env.compose.yml)', () => {
  it('without JWT set the client sends nothing and says the secret is missing', async () => {
    const result = await runChallenge(2, '2-env.compose.yml', composeEnv({ JWT: undefined }));
    expect(result.code).toBe(3);
    expect(result.lines.join('\n')).toMatch(/error ERR_SECRET_NOT_FOUND: .*JWT/);
    expect(result.lines.some((line) => line.startsWith('200 '))).toBe(false);
  });

  it('with JWT set gets 200 Success apiKey1, and docker inspect shows the token in Env', async () => {
    const result = await runChallenge(3, '2-env.compose.yml', composeEnv({ JWT: token1 }));
    expect(result.lines).toContain('200 Success apiKey1');
    expect(result.code).toBe(0);

    const inspect = await runtime.container.dockerode.getContainer(result.containerId).inspect();
    expect(inspect.Config.Env).toContain(`JWT=${token1}`);
    const report = await searchContainer(result.containerId, token1);
    expect(report.findings).toEqual([{ where: 'container Env: JWT', kind: 'env' }]);
    expect((await searchImage(client('env'), token1)).findings).toEqual([]);
    expect(await secretAudit('container', result.containerId, token1File)).toBe(1);
  });
});

describe('Challenge 3: local file secret (docker/challenges/3-file-secret.compose.yml)', () => {
  it('gets 200 Success apiKey1; the token is not in Env, and /run/secrets/jot is empty in an export', async () => {
    const tokenFile = await writeSecretFile(work, 'token1.jwt', token1);
    const result = await runChallenge(4, '3-file-secret.compose.yml', composeEnv({ TOKEN_FILE: tokenFile }));
    expect(result.lines).toContain('200 Success apiKey1');
    expect(result.code).toBe(0);

    const report = await searchContainer(result.containerId, token1);
    expect(report.findings).toEqual([]);
    expect(report.envKeys).not.toContain('JWT');
    expect(report.exported).toEqual([{ path: 'run/secrets/jot', size: 0 }]);
    expect(report.mounts).toContainEqual({ type: 'bind', destination: '/run/secrets/jot', rw: false });
    expect((await searchImage(client('file'), token1)).findings).toEqual([]);
    expect(await secretAudit('container', result.containerId, token1File)).toBe(0);
  });
});

describe('Challenge 4: secrets manager, Docker Swarm (docker/challenges/4-secrets-manager.stack.yml)', () => {
  const stack = names.stack;
  const secret = (name: string, version: number) => `${name}-${names.run}-v${version}`;
  let stackPort: number;
  let clientService: string;

  async function runningTask(service: string): Promise<string> {
    return waitFor(
      `a running task of ${service}`,
      async () => {
        const list = await runtime.container.dockerode.listContainers({
          filters: { label: [`com.docker.swarm.service.name=${service}`], status: ['running'] },
        });
        return list[0]?.Id;
      },
      60_000,
    );
  }

  beforeAll(async () => {
    if ((await swarmState()) !== 'active') {
      const hadGwbridge = (await docker(['network', 'inspect', 'docker_gwbridge'], { allowFailure: true })).code === 0;
      await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377', '--default-addr-pool', '198.19.0.0/16']);
      cleanup.add('swarm', async () => {
        await docker(['swarm', 'leave', '--force']);
        if (!hadGwbridge) await docker(['network', 'rm', 'docker_gwbridge'], { allowFailure: true });
      });
    }
    const created: [string, string][] = [
      [secret('jwks', 1), JSON.stringify({ keys: fixtureKeys() })],
      [secret('jot', 1), token1],
    ];
    for (const [name, value] of created) {
      await docker(['secret', 'create', name, '-'], { input: value });
      cleanup.add(`secret ${name}`, () => docker(['secret', 'rm', name], { allowFailure: true }));
    }
    cleanup.add(`secret ${secret('jot', 2)}`, () => docker(['secret', 'rm', secret('jot', 2)], { allowFailure: true }));

    stackPort = await freePort();
    clientService = `${stack}_apiclient`;
    const env = {
      ...process.env,
      GATEWAY_PORT: String(stackPort),
      GATEWAY_IMAGE: names.gatewayImage,
      APICLIENT_IMAGE: names.clientImage,
      JWKS_SECRET: secret('jwks', 1),
      JOT_SECRET: secret('jot', 1),
      APICLIENT_INTERVAL: '0.5',
    };
    const detach = (await docker(['stack', 'deploy', '--help'])).stdout.includes('--detach') ? ['--detach=true'] : [];
    cleanup.add(`stack ${stack}`, async () => {
      await docker(['stack', 'rm', stack], { allowFailure: true });
      const ours = { filters: { label: [`com.docker.stack.namespace=${stack}`] } };
      await waitFor('the stack to stop', async () => ((await runtime.container.dockerode.listContainers(ours)).length === 0 ? true : undefined), 60_000).catch(() => undefined);
      for (const c of await runtime.container.dockerode.listContainers({ all: true, ...ours })) {
        await runtime.container.dockerode.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      }
    });
    await docker(['stack', 'deploy', ...detach, '--resolve-image', 'never', '--compose-file', join(REPO_ROOT, 'docker/challenges/4-secrets-manager.stack.yml'), stack], { env });
  }, 120_000);

  it('the looping client logs 200 Success apiKey1', async () => {
    await waitFor('200 Success apiKey1 in the service logs', async () => ((await serviceLogs(clientService)).some((l) => l.text === '200 Success apiKey1') ? true : undefined), 90_000, 1_000);
  }, 120_000);

  it('the token is not in Env, not in an export (empty mount point on tmpfs), not in the image', async () => {
    const id = await runningTask(clientService);
    const report = await searchContainer(id, token1);
    expect(report.findings).toEqual([]);
    expect(report.exported).toEqual([{ path: 'run/secrets/jot', size: 0 }]);
    const mounts = await docker(['exec', id, 'cat', '/proc/mounts']);
    expect(mounts.stdout).toMatch(/^tmpfs \/run\/secrets\/jot tmpfs ro/m);
    expect((await searchImage(client('manager'), token1)).findings).toEqual([]);
    expect(await secretAudit('container', id, token1File)).toBe(0);

    // The gateway's key set arrives the same way.
    const gatewayTask = await runningTask(`${stack}_gateway`);
    for (const k of keyMaterial()) expect((await searchContainer(gatewayTask, k, ['run/secrets/jwks'])).findings).toEqual([]);
    expect((await docker(['exec', gatewayTask, 'cat', '/proc/mounts'])).stdout).toMatch(/^tmpfs \/run\/secrets\/jwks tmpfs ro/m);
  }, 120_000);

  it('rotates apiKey1 -> apiKey2 with versioned secrets and a rolling update, no failed request', async () => {
    await docker(['secret', 'create', secret('jot', 2), '-'], { input: token2 });
    await docker(
      ['service', 'update', '--detach=false', '--secret-rm', secret('jot', 1), '--secret-add', `source=${secret('jot', 2)},target=jot`, clientService],
      { timeoutMs: 120_000 },
    );
    await waitFor(
      'the old task to stop and the new one to log apiKey2',
      async () => {
        const lines = await serviceLogs(clientService);
        const tail = lines.slice(-3);
        return tail.length === 3 && tail.every((l) => l.text === '200 Success apiKey2') ? lines : undefined;
      },
      60_000,
      1_000,
    );
    const lines = await serviceLogs(clientService);
    const first = lines.findIndex((l) => l.text === '200 Success apiKey1');
    const firstKey2 = lines.findIndex((l) => l.text === '200 Success apiKey2');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(firstKey2).toBeGreaterThan(first);
    // From the first success on, every request of every task succeeded.
    const failed = lines.slice(first).filter((l) => !/^200 Success apiKey[12]$/.test(l.text));
    expect(failed.map((l) => redact(l.text, secrets))).toEqual([]);
    expect(new Set(lines.slice(first).map((l) => l.task)).size).toBe(2);
    // The old version is no longer used by any service, so it can go.
    await docker(['secret', 'rm', secret('jot', 1)]);
  }, 180_000);
});
