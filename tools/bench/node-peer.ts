/**
 * The Node peer: node:http + jose in one process, with the tutorial's contract.
 * Every key of the set is imported once at startup; each request runs jwtVerify.
 *   node --import tsx tools/bench/node-peer.ts <JWK Set file> <port>
 * Prints `listening` once it accepts connections.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { importJWK, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { TUTORIAL_BODY } from '../../njs/src/tutorial.ts';

async function main(): Promise<void> {
  const [jwksFile, port] = process.argv.slice(2);
  const { keys } = JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: Array<JWK & { kid: string; alg: string }> };
  const imported = await Promise.all(keys.map(async (jwk) => ({ jwk, key: await importJWK(jwk, jwk.alg) })));
  const keyFor: JWTVerifyGetKey = (header) => {
    const match = imported.find((entry) => entry.jwk.kid === header.kid && entry.jwk.alg === header.alg);
    if (match === undefined) throw new Error('no key for this token');
    return match.key;
  };

  const server = http.createServer((request, response) => {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const verified = token === undefined ? Promise.reject(new Error('no token')) : jwtVerify(token, keyFor);
    verified.then(
      ({ payload }) => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'X-MESSAGE': `Success ${payload.sub}` });
        response.end(TUTORIAL_BODY);
      },
      () => {
        response.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' });
        response.end('{"response":"unauthorized","authorized":false}\n');
      },
    );
  });
  // wrk keeps its connections for the whole cell.
  server.keepAliveTimeout = 60_000;
  server.listen(Number(port), '127.0.0.1', () => console.log('listening'));
}

main().catch((error: unknown) => {
  console.error(`node-peer: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
