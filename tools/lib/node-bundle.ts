/**
 * Bundles a Node command, undici included, into one ES module file that runs with
 * nothing but Node (>= 20.19): for `npx`, CI jobs and container images.
 */
import { chmod } from 'node:fs/promises';
import { build } from 'esbuild';

// undici is CommonJS and requires Node built-ins; an ES module bundle needs a real `require`.
const BANNER = [
  '#!/usr/bin/env node',
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  'const require = __bundleCreateRequire(import.meta.url);',
].join('\n');

export async function bundleForNode(entry: string, outfile: string, define: Record<string, string> = {}): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    format: 'esm',
    banner: { js: BANNER },
    define,
    logLevel: 'warning',
  });
  await chmod(outfile, 0o755);
}
