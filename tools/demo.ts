/**
 * `npm run demo`: the tutorial's four challenges on the local Docker engine, with the files a
 * user runs (docker/challenges/), printing per mode what the client got and where the secret
 * could be found, and ending with a zero-downtime rotation apiKey1 -> apiKey2 in Swarm.
 *
 *   npm run demo                 build the images (npm run images), then walk the challenges
 *   npm run demo -- --no-build   use the images already built
 *   npm run demo -- --keep       leave the gateway, the stack and the swarm running
 *
 * Needs a Docker engine (docker/engine.sh start on a host without one) and the base images
 * (docker/base-images.sh on a host without a registry). Host networking, 127.0.0.1 only; the
 * gateway port is GATEWAY_PORT, or 8080 when free, or any free port. Tokens and keys are the
 * tutorial's public test data (test/fixtures/tutorial) plus an apiKey2 token minted here with
 * the same key; none of them is ever printed, only a redacted preview.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT, importJWK, type JWK } from 'jose';
import { buildImages } from './containers/build-images.ts';
import { REPO_ROOT, stageContext } from './containers/context.ts';
import { engine } from './containers/engine-api.ts';
import { CLIENT_IMAGE, DEFAULT_NGINX_IMAGE, DEFAULT_NODE_IMAGE, GATEWAY_IMAGE } from './containers/names.ts';
import { compose, serviceLines, serviceLogs, swarmState, waitFor } from './containers/orchestration.ts';
import { docker, engineAnswers, run } from './containers/proc.ts';
import { preview, redact } from './containers/redact.ts';
import { searchContainer, searchImage, type Finding } from './containers/secret-search.ts';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/tutorial');
const JWKS_FILE = join(FIXTURES, 'secret.jwk');
const TOKEN1_FILE = join(FIXTURES, 'token1.jwt');
const STACK = 'secretstack';
const PROJECT = 'njsjwtdemo';

const secrets: string[] = [];
const say = (text = ''): void => console.log(redact(text, secrets));
const undo: { what: string; run: () => Promise<unknown> }[] = [];
const summary: { mode: string; result: string; where: string }[] = [];

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

async function choosePort(): Promise<number> {
  const wanted = process.env['GATEWAY_PORT'];
  if (wanted !== undefined && wanted !== '') return Number(wanted);
  if (await portFree(8080)) return 8080;
  for (let port = 18080; port < 18180; port++) if (await portFree(port)) return port;
  throw new Error('no free port in 18080-18179 on 127.0.0.1; set GATEWAY_PORT');
}

async function mintToken(sub: string): Promise<string> {
  const { keys } = JSON.parse(readFileSync(JWKS_FILE, 'utf8')) as { keys: JWK[] };
  const key = keys.find((k) => k.kid === 'sign');
  if (key === undefined) throw new Error(`${JWKS_FILE} has no "sign" key`);
  return new SignJWT({ iss: sub, aud: 'apiService' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'sign' })
    .setSubject(sub)
    .setIssuedAt()
    .sign(await importJWK({ ...key, alg: 'HS256' }, 'HS256'));
}

function heading(text: string): void {
  say();
  say(`== ${text}`);
}

function showFindings(findings: readonly Finding[], none: string): string {
  if (findings.length === 0) {
    say(`   secret found: nowhere (${none})`);
    return `nowhere (${none})`;
  }
  say('   secret found in:');
  for (const f of findings) say(`     - ${f.where}`);
  const short = (f: Finding): string => {
    const path = f.where.split(': ').slice(1).join(': ');
    switch (f.kind) {
      case 'layer-file':
        return `image layer (${path})`;
      case 'export-file':
        return 'docker export';
      case 'env':
        return `docker inspect Env (${path})`;
      case 'history':
        return 'docker history';
      case 'image-config':
        return 'image config';
    }
  };
  return [...new Set(findings.map(short))].join(', ');
}

/** secret-audit (issue 6) on the same object, when it is there: its verdict line. */
async function audit(kind: 'image' | 'container', ref: string, secretFile: string): Promise<void> {
  const result = await run('npx', ['tsx', 'audit/src/cli.ts', kind, ref, '--secret-file', secretFile], {
    cwd: REPO_ROOT,
    allowFailure: true,
    timeoutMs: 120_000,
  }).catch(() => undefined);
  if (result === undefined || result.code === 2) {
    say(`   secret-audit ${kind}: could not audit${result === undefined ? '' : `: ${result.stderr.trim().split('\n')[0] ?? ''}`}`);
    return;
  }
  const lines = result.stdout.trim().split('\n').filter((l) => l.trim() !== '');
  say(`   secret-audit ${kind} ${ref}: ${result.code === 0 ? 'clean' : 'LEAK'} (${lines[lines.length - 1]?.trim() ?? ''})`);
}

async function clientContainer(project: string): Promise<string> {
  const { stdout } = await docker(['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=apiclient']);
  const id = stdout.trim().split('\n')[0];
  if (id === undefined || id === '') throw new Error(`no apiclient container in compose project ${project}`);
  return id;
}

async function runClient(n: number, file: string, env: Record<string, string | undefined>): Promise<{ result: string; id: string }> {
  const project = `${PROJECT}${n}`;
  undo.push({ what: `compose project ${project}`, run: () => compose(project, file, ['down', '--remove-orphans'], env, { allowFailure: true }) });
  say(`   $ docker-compose -f docker/challenges/${file} up`);
  const out = await compose(project, file, ['up', '--no-build', '--exit-code-from', 'apiclient'], env, { allowFailure: true, timeoutMs: 120_000 });
  const lines = serviceLines(out.stdout).filter((l) => l !== '');
  const result = lines.find((l) => /^\d{3} /.test(l) || l.startsWith('error ')) ?? `(no output; exit ${out.code})`;
  say(`   client: ${result}   (exit ${out.code})`);
  return { result, id: await clientContainer(project) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'no-build': { type: 'boolean' }, keep: { type: 'boolean' } } });
  const started = Date.now();
  if (!(await engineAnswers())) throw new Error('no Docker engine answers: start one (docker/engine.sh start on a host without a daemon)');

  const token1 = readFileSync(TOKEN1_FILE, 'utf8').trim();
  const token2 = await mintToken('apiKey2');
  const keys = (JSON.parse(readFileSync(JWKS_FILE, 'utf8')) as { keys: JWK[] }).keys.map((k) => k.k ?? '');
  secrets.push(token1, token2, ...keys);
  const work = await mkdtemp(join(tmpdir(), 'njs-jwt-demo-'));
  undo.push({ what: 'temp dir', run: () => rm(work, { recursive: true, force: true }) });
  const token2File = join(work, 'token2.jwt');
  await writeFile(token2File, token2, { mode: 0o600 });

  say('njs-jwt-gateway demo: the four challenges of "How to Securely Manage Secrets in Containers"');
  say(`tokens: token1.jwt ${preview(token1)} (apiKey1), token2 ${preview(token2)} (apiKey2, minted now)`);

  if (values['no-build'] !== true) {
    heading('Images (npm run images)');
    await run('npm', ['run', '--silent', 'build:njs'], { cwd: REPO_ROOT });
    await run('npm', ['run', '--silent', 'build:client', '--', '--hardcode-token-file', TOKEN1_FILE], { cwd: REPO_ROOT });
    const context = await stageContext({ hardcode: true });
    try {
      await buildImages({
        contextDir: context.dir,
        nginxImage: process.env['NGINX_IMAGE'] || DEFAULT_NGINX_IMAGE,
        nodeImage: process.env['NODE_IMAGE'] || DEFAULT_NODE_IMAGE,
        log: (line) => say(`   built ${line}`),
      });
    } finally {
      await context.remove();
    }
  }

  const port = await choosePort();
  const env = { GATEWAY_PORT: String(port), GATEWAY_IMAGE, APICLIENT_IMAGE: CLIENT_IMAGE, JWT: undefined, JWKS_FILE };

  heading(`The API server: njs-jwt-gateway on 127.0.0.1:${port}, key set as a file secret`);
  say('   $ docker-compose -f docker/challenges/gateway.compose.yml up -d');
  undo.push({ what: 'gateway', run: () => compose(PROJECT, 'gateway.compose.yml', ['down', '--remove-orphans'], env, { allowFailure: true }) });
  await compose(PROJECT, 'gateway.compose.yml', ['up', '-d', '--no-build'], env);
  const gatewayId = (await docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--filter', 'label=com.docker.compose.service=gateway'])).stdout.trim();
  await waitFor('the gateway to be healthy', async () => ((await engine.inspectContainer(gatewayId)).State.Health?.Status === 'healthy' ? true : undefined), 60_000);
  say('   healthy (its HEALTHCHECK gets 401 with a Bearer challenge without a token)');
  let gwFindings: Finding[] = [];
  for (const k of keys) gwFindings = gwFindings.concat((await searchImage(GATEWAY_IMAGE, k)).findings);
  say(`   key material in the gateway image: ${gwFindings.length === 0 ? 'none' : gwFindings.map((f) => f.where).join('; ')}`);

  // Challenge 1
  heading('Challenge 1: hardcode the secret in the app (docker/challenges/1-hardcode.compose.yml)');
  const c1 = await runClient(1, '1-hardcode.compose.yml', env);
  const image1 = await searchImage(`${CLIENT_IMAGE}:hardcode`, token1);
  const cont1 = await searchContainer(c1.id, token1);
  const where1 = showFindings([...image1.findings, ...cont1.findings], '');
  say('   lesson: anyone with the image has the token (docker save / docker export + tar)');
  await audit('image', `${CLIENT_IMAGE}:hardcode`, TOKEN1_FILE);
  summary.push({ mode: 'hardcode', result: c1.result, where: where1 });

  // Challenge 2
  heading('Challenge 2: pass the secret as an environment variable (docker/challenges/2-env.compose.yml)');
  say('   without JWT set:');
  const c2a = await runClient(2, '2-env.compose.yml', env);
  say('   with JWT="$(cat token1.jwt)":');
  const c2 = await runClient(3, '2-env.compose.yml', { ...env, JWT: token1 });
  const cont2 = await searchContainer(c2.id, token1);
  const image2 = await searchImage(`${CLIENT_IMAGE}:env`, token1);
  const where2 = showFindings([...image2.findings, ...cont2.findings], '');
  say('   lesson: the image is clean, but docker inspect shows JWT=<token> to anyone who may talk to the engine');
  await audit('container', c2.id, TOKEN1_FILE);
  summary.push({ mode: 'env', result: `${c2.result} (unset: ${c2a.result.split(':')[0]!.replace('error ', '')})`, where: where2 });

  // Challenge 3
  heading('Challenge 3: a local file secret (docker/challenges/3-file-secret.compose.yml)');
  const c3 = await runClient(4, '3-file-secret.compose.yml', { ...env, TOKEN_FILE: TOKEN1_FILE });
  const cont3 = await searchContainer(c3.id, token1);
  const image3 = await searchImage(`${CLIENT_IMAGE}:file`, token1);
  const jot3 = cont3.exported.find((e) => e.path === 'run/secrets/jot');
  const where3 = showFindings([...image3.findings, ...cont3.findings], 'image, Env and export are clean');
  say(`   docker export: run/secrets/jot is ${jot3 === undefined ? 'absent' : `${jot3.size} bytes`} (the content lives only in the read-only bind mount)`);
  say(`   lesson: safe inside the container, but the token sits in a plain file on the host (${TOKEN1_FILE.replace(REPO_ROOT + '/', '')})`);
  await audit('container', c3.id, TOKEN1_FILE);
  summary.push({ mode: 'file', result: c3.result, where: `${where3}; plain file on the host` });

  // Challenge 4
  heading('Challenge 4: a secrets manager, Docker Swarm (docker/challenges/4-secrets-manager.stack.yml)');
  say('   the Compose gateway steps aside: the stack brings its own, its key set a Swarm secret too');
  await compose(PROJECT, 'gateway.compose.yml', ['down', '--remove-orphans'], env, { allowFailure: true });
  if ((await swarmState()) !== 'active') {
    say('   $ docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 --default-addr-pool 198.19.0.0/16');
    const hadGwbridge = (await docker(['network', 'inspect', 'docker_gwbridge'], { allowFailure: true })).code === 0;
    await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377', '--default-addr-pool', '198.19.0.0/16']);
    undo.push({
      what: 'swarm',
      run: async () => {
        await docker(['swarm', 'leave', '--force']);
        if (!hadGwbridge) await docker(['network', 'rm', 'docker_gwbridge'], { allowFailure: true });
      },
    });
  }
  for (const [name, file] of [['jwks-v1', JWKS_FILE], ['jot-v1', TOKEN1_FILE], ['jot-v2', token2File]] as const) {
    if (name !== 'jot-v2') {
      say(`   $ docker secret create ${name} ${file.replace(REPO_ROOT + '/', '')}`);
      await docker(['secret', 'create', name, file]);
    }
    undo.push({ what: `secret ${name}`, run: () => docker(['secret', 'rm', name], { allowFailure: true }) });
  }
  const stackEnv = { ...process.env, GATEWAY_PORT: String(port), JWKS_SECRET: 'jwks-v1', JOT_SECRET: 'jot-v1', APICLIENT_INTERVAL: '1' };
  say(`   $ docker stack deploy --resolve-image never -c docker/challenges/4-secrets-manager.stack.yml ${STACK}`);
  undo.push({
    what: `stack ${STACK}`,
    run: async () => {
      await docker(['stack', 'rm', STACK], { allowFailure: true });
      const ours = ['ps', '-a', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`];
      await waitFor('the stack to stop', async () => ((await docker(['ps', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`])).stdout.trim() === '' ? true : undefined), 60_000).catch(() => undefined);
      const left = (await docker(ours)).stdout.trim().split('\n').filter((id) => id !== '');
      if (left.length > 0) await docker(['rm', '--force', ...left], { allowFailure: true });
    },
  });
  const detach = (await docker(['stack', 'deploy', '--help'])).stdout.includes('--detach') ? ['--detach=true'] : [];
  await docker(['stack', 'deploy', ...detach, '--resolve-image', 'never', '--compose-file', join(REPO_ROOT, 'docker/challenges/4-secrets-manager.stack.yml'), STACK], { env: stackEnv });
  const service = `${STACK}_apiclient`;
  await waitFor('200 Success apiKey1 in the client logs', async () => ((await serviceLogs(service)).some((l) => l.text === '200 Success apiKey1') ? true : undefined), 90_000, 1_000);
  say(`   $ docker service logs ${service}`);
  for (const line of (await serviceLogs(service)).slice(-3)) say(`     ${line.text}`);
  const taskId = (await docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`])).stdout.trim().split('\n')[0]!;
  const cont4 = await searchContainer(taskId, token1);
  const image4 = await searchImage(`${CLIENT_IMAGE}:manager`, token1);
  const jot4 = cont4.exported.find((e) => e.path === 'run/secrets/jot');
  const where4 = showFindings([...image4.findings, ...cont4.findings], 'image, Env and export are clean');
  say(`   docker export: run/secrets/jot is ${jot4 === undefined ? 'absent' : `${jot4.size} bytes`}; the secret is a read-only tmpfs mount, kept encrypted by the swarm`);
  await audit('container', taskId, TOKEN1_FILE);

  heading('Rotation apiKey1 -> apiKey2, zero downtime (versioned secrets, rolling update, start-first)');
  say('   $ docker secret create jot-v2 token2.jwt');
  await docker(['secret', 'create', 'jot-v2', token2File]);
  say(`   $ docker service update --secret-rm jot-v1 --secret-add source=jot-v2,target=jot ${service}`);
  await docker(['service', 'update', '--detach=false', '--secret-rm', 'jot-v1', '--secret-add', 'source=jot-v2,target=jot', service], { timeoutMs: 120_000 });
  await waitFor('apiKey2 only', async () => {
    const tail = (await serviceLogs(service)).slice(-3);
    return tail.length === 3 && tail.every((l) => l.text === '200 Success apiKey2') ? true : undefined;
  }, 60_000, 1_000);
  say('   $ docker secret rm jot-v1');
  await docker(['secret', 'rm', 'jot-v1']);
  const lines = await serviceLogs(service);
  const from = lines.findIndex((l) => l.text === '200 Success apiKey1');
  const after = lines.slice(Math.max(0, from));
  const failed = after.filter((l) => !/^200 Success apiKey[12]$/.test(l.text));
  const count = (key: string) => after.filter((l) => l.text === `200 Success ${key}`).length;
  say(`   $ docker service logs ${service}   (both tasks, in time order, around the switch)`);
  const switchAt = after.findIndex((l) => l.text === '200 Success apiKey2');
  for (const line of after.slice(Math.max(0, switchAt - 2), switchAt + 3)) say(`     ${line.task.split('.').slice(0, 3).join('.').slice(0, 40).padEnd(40)} ${line.text}`);
  say(`   requests: ${count('apiKey1')} x apiKey1, then ${count('apiKey2')} x apiKey2, ${failed.length} failed`);
  say("   (the tutorial's way instead: docker service rm, docker secret rm jot, docker secret create jot token2.jwt, redeploy: the client is down in between)");
  summary.push({ mode: 'manager', result: `200 Success apiKey1 -> apiKey2, ${failed.length} failed`, where: where4 });

  heading('Summary');
  say(`   ${'mode'.padEnd(9)} ${'client'.padEnd(50)} where the secret could be found`);
  for (const row of summary) say(`   ${row.mode.padEnd(9)} ${row.result.padEnd(50)} ${row.where}`);
  say();
  if (values.keep === true) {
    say(`kept running: stack ${STACK} (docker stack rm ${STACK}), secrets jwks-v1, jot-v2, and the swarm`);
    undo.splice(0, undo.length, ...undo.filter((u) => u.what.startsWith('compose') || u.what === 'temp dir'));
  }
  say(`demo finished in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  if (failed.length > 0) process.exitCode = 1;
}

async function cleanUp(): Promise<void> {
  while (undo.length > 0) {
    const step = undo.pop()!;
    try {
      await step.run();
    } catch (error) {
      console.error(redact(`cleanup of ${step.what} failed: ${error instanceof Error ? error.message : String(error)}`, secrets));
    }
  }
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    console.error(redact(`demo failed: ${error instanceof Error ? error.message : String(error)}`, secrets));
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
