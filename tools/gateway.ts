/**
 * `npm run gateway`: the real NGINX with the gateway configuration, in the
 * foreground on 127.0.0.1:${GATEWAY_PORT:-8080}, proxying /api/ to
 * ${UPSTREAM:-127.0.0.1:8081}. Keys come from the JWK Set file
 * named by JWKS_FILE; without one, a development key set is created under
 * .gateway/dev (gitignored; GATEWAY_STATE_DIR moves .gateway) with a token for it.
 * SIGHUP reloads (after checking the key set, and renewing the token cache's trust
 * generation); Ctrl-C stops NGINX gracefully.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { startNginx } from './lib/nginx-process.ts';

const STATE_DIR = path.resolve(process.env.GATEWAY_STATE_DIR ?? path.join(import.meta.dirname, '../.gateway'));
const DEV_DIR = path.join(STATE_DIR, 'dev');
const DEFAULT_UPSTREAM = '127.0.0.1:8081';

async function main(): Promise<void> {
  const port = Number(process.env.GATEWAY_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`GATEWAY_PORT must be a port number, not '${process.env.GATEWAY_PORT}'`);
  }
  const jwksFile = process.env.JWKS_FILE || (await createDevelopmentKeys());

  const prefix = path.join(STATE_DIR, 'run');
  const gateway = await startNginx({
    prefix,
    host: '127.0.0.1',
    port,
    jwksFile,
    njsDir: path.resolve(import.meta.dirname, '../dist/njs'),
    accessLog: path.join(prefix, 'access.log'),
    upstream: process.env.UPSTREAM ?? DEFAULT_UPSTREAM,
    inheritStdio: true,
  });
  console.log(gateway.keySet);
  console.log(`gateway listening on ${gateway.url}/ (logs: ${path.relative(process.cwd(), prefix)}/error.log, access.log); kill -HUP ${process.pid} reloads, Ctrl-C stops it`);
  if (!process.env.JWKS_FILE) {
    const tokenFile = path.relative(process.cwd(), path.join(DEV_DIR, 'token.jwt'));
    console.log(`try: curl -i -H "Authorization: Bearer $(cat ${tokenFile})" ${gateway.url}/`);
  }
  const stop = () => void gateway.stop().then(() => process.exit(0));
  // A reload through the runner re-checks the key set and renews the token cache's
  // trust generation; a bare `nginx -s reload` would do neither.
  process.on('SIGHUP', () => {
    gateway.reload().then(
      () => console.log('reloaded: new workers run the current key set and configuration'),
      (error: unknown) => console.error(`reload refused, the running configuration stays: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // However NGINX ends (Ctrl-C reaches it too), stop() also removes the token cache.
  gateway.process.once('exit', (code) => void gateway.stop().then(() => process.exit(code ?? 0)));
}

/**
 * A fresh HS256 key set for local development, and a token for it valid for a day.
 * Both live in .gateway/dev, readable by the owner only; the token is written to a
 * file rather than printed, so it never lands in a terminal log.
 */
async function createDevelopmentKeys(): Promise<string> {
  const jwksFile = path.join(DEV_DIR, 'jwks.json');
  if (!existsSync(jwksFile)) {
    await mkdir(DEV_DIR, { recursive: true, mode: 0o700 });
    const key = { kty: 'oct', kid: 'dev', use: 'sig', alg: 'HS256', k: randomBytes(32).toString('base64url') };
    await writeFile(jwksFile, `${JSON.stringify({ keys: [key] }, null, 2)}\n`, { mode: 0o600 });
  }
  const { keys } = JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: Array<{ kid: string; k: string }> };
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: keys[0].kid })
    .setSubject('developer')
    .setIssuedAt()
    .setExpirationTime('1d')
    .sign(Buffer.from(keys[0].k, 'base64url'));
  const tokenFile = path.join(DEV_DIR, 'token.jwt');
  await writeFile(tokenFile, token, { mode: 0o600 });
  await chmod(tokenFile, 0o600);
  console.log(`no JWKS_FILE given: using the development key set ${path.relative(process.cwd(), jwksFile)}`);
  return jwksFile;
}

main().catch((error: unknown) => {
  console.error(`gateway: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
