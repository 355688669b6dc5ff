/**
 * `npm run build:audit`: bundles secret-audit, undici included, into one file that runs with
 * nothing but Node (>= 20.19), for CI jobs that audit images:
 *   dist/audit/secret-audit.mjs
 * `--out-dir DIR` writes DIR/audit/secret-audit.mjs instead.
 */
import { chmod } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'audit/src/cli.ts');

// undici is CommonJS and requires Node built-ins; an ES module bundle needs a real `require`.
const BANNER = [
  '#!/usr/bin/env node',
  "import { createRequire as __secretAuditCreateRequire } from 'node:module';",
  'const require = __secretAuditCreateRequire(import.meta.url);',
].join('\n');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const outfile = join(resolve(ROOT, values['out-dir'] ?? 'dist'), 'audit/secret-audit.mjs');
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    format: 'esm',
    banner: { js: BANNER },
    logLevel: 'warning',
  });
  await chmod(outfile, 0o755);
  console.log(`built ${outfile}`);
}

main().catch((error: unknown) => {
  console.error(`build:audit failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
