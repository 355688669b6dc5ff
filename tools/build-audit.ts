/**
 * `npm run build:audit`: bundles secret-audit, undici included, into one file that runs with
 * nothing but Node (>= 20.19), for CI jobs that audit images:
 *   dist/audit/secret-audit.mjs
 * `--out-dir DIR` writes DIR/audit/secret-audit.mjs instead.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleForNode } from './lib/node-bundle.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'audit/src/cli.ts');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const outfile = join(resolve(ROOT, values['out-dir'] ?? 'dist'), 'audit/secret-audit.mjs');
  await bundleForNode(ENTRY, outfile);
  console.log(`built ${outfile}`);
}

main().catch((error: unknown) => {
  console.error(`build:audit failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
