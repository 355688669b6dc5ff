/**
 * `npm run build:client`: bundles the API client, undici included, into one file that runs
 * with nothing but Node (>= 20.19), for `npx apiclient` and for container images:
 *   dist/client/apiclient.mjs            no token inside; `--mode hardcode` reports that
 *   dist/client-hardcode/apiclient.mjs   with --hardcode-token-file PATH: the token compiled
 *                                        in, on purpose, for the tutorial's Challenge 1
 * `--out-dir DIR` puts both under DIR instead of dist/.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatError } from '../client/src/errors.ts';
import { parseToken } from '../client/src/token-format.ts';
import { bundleForNode } from './lib/node-bundle.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'client/bin/apiclient.ts');

async function bundle(outfile: string, hardcodedToken: string | undefined): Promise<void> {
  // The name the hardcoded source reads; only the hardcode build defines it.
  await bundleForNode(ENTRY, outfile, hardcodedToken === undefined ? {} : { __APICLIENT_HARDCODED_TOKEN__: JSON.stringify(hardcodedToken) });
  console.log(`built ${outfile}${hardcodedToken === undefined ? '' : ' (token compiled in)'}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'hardcode-token-file': { type: 'string' }, 'out-dir': { type: 'string' } },
  });
  const outDir = resolve(ROOT, values['out-dir'] ?? 'dist');
  const tokenFile = values['hardcode-token-file'];
  // Validated like any secret, so a wrong file fails here rather than as a 401 at run time.
  const token = tokenFile === undefined ? undefined : parseToken(await readFile(tokenFile, 'utf8'), `file ${JSON.stringify(tokenFile)}`);

  await bundle(join(outDir, 'client/apiclient.mjs'), undefined);
  if (token !== undefined) await bundle(join(outDir, 'client-hardcode/apiclient.mjs'), token);
}

main().catch((error: unknown) => {
  console.error(`build:client failed: ${formatError(error)}`);
  process.exit(1);
});
