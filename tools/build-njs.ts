/**
 * `npm run build:njs`: bundles njs/src into the scripts NGINX and the njs CLI run,
 * then proves they load in the real engine when it is installed:
 *   dist/njs/jwt-gateway.js  the module for `js_import`
 *   dist/njs/check-jwks.js   `njs check-jwks.js FILE`, the startup check of a key set
 */
import { bundleForNjs, formatBuildError } from './lib/njs-bundle.ts';
import { checkLoadsInNginx, checkLoadsInNjsCli } from './lib/njs-load-check.ts';

export const NJS_OUT_DIR = 'dist/njs';

async function main(): Promise<void> {
  await bundleForNjs({ entry: 'njs/src/gateway.ts', outfile: `${NJS_OUT_DIR}/jwt-gateway.js`, kind: 'module' });
  await bundleForNjs({ entry: 'njs/src/check-jwks.ts', outfile: `${NJS_OUT_DIR}/check-jwks.js`, kind: 'script' });
  for (const check of [checkLoadsInNjsCli, checkLoadsInNginx]) {
    console.log(await check(NJS_OUT_DIR));
  }
}

main().catch((error: unknown) => {
  console.error(`build:njs failed:\n${formatBuildError(error)}`);
  process.exit(1);
});
