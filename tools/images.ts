/**
 * `npm run images`: builds the container images.
 *   njs-jwt-gateway                 NGINX + njs + our bundle and config (no key material)
 *   njs-jwt-apiclient:hardcode      the client with the token compiled in (Challenge 1, on purpose)
 *   njs-jwt-apiclient:env|file|manager   the client without a token, defaulting to that mode
 *   njs-jwt-apiclient(:latest)      = :file, the recommended way
 *
 * Runs `npm run build:njs` and `npm run build:client` first (skip with --no-js-build), stages
 * a build context with exactly the files the images need, and builds with the classic
 * builder (DOCKER_BUILDKIT=0; Debian's docker.io has no buildx).
 *
 * Environment:
 *   NGINX_IMAGE, NODE_IMAGE  base images [nginx:1.27, node:20-slim]; on a host without a
 *                            registry, docker/base-images.sh builds stand-ins under those names
 *   HARDCODE_TOKEN_FILE      the token baked into the hardcode variant
 *                            [test/fixtures/tutorial/token1.jwt, the tutorial's public token]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildImages } from './containers/build-images.ts';
import { REPO_ROOT, stageContext } from './containers/context.ts';
import { DEFAULT_NGINX_IMAGE, DEFAULT_NODE_IMAGE } from './containers/names.ts';
import { engineAnswers, run } from './containers/proc.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'no-js-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help === true) {
    console.log('usage: npm run images [-- --no-js-build]   (env NGINX_IMAGE, NODE_IMAGE, HARDCODE_TOKEN_FILE)');
    return;
  }
  const started = Date.now();
  if (!(await engineAnswers())) {
    throw new Error('no Docker engine answers (docker info failed): start one, e.g. docker/engine.sh start');
  }
  const nginxImage = process.env['NGINX_IMAGE'] || DEFAULT_NGINX_IMAGE;
  const nodeImage = process.env['NODE_IMAGE'] || DEFAULT_NODE_IMAGE;
  const tokenFile = process.env['HARDCODE_TOKEN_FILE'] || join(REPO_ROOT, 'test/fixtures/tutorial/token1.jwt');

  if (values['no-js-build'] !== true) {
    await run('npm', ['run', '--silent', 'build:njs'], { cwd: REPO_ROOT, echo: true });
    await run('npm', ['run', '--silent', 'build:client', '--', '--hardcode-token-file', tokenFile], { cwd: REPO_ROOT, echo: true });
  }
  const context = await stageContext({ hardcode: true });
  try {
    console.log(`images: building (NGINX_IMAGE=${nginxImage}, NODE_IMAGE=${nodeImage}, classic builder)`);
    await buildImages({ contextDir: context.dir, nginxImage, nodeImage, log: (line) => console.log(`  built ${line}`) });
  } finally {
    await context.remove();
  }
  console.log(`images: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

main().catch((error: unknown) => {
  console.error(`images failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
