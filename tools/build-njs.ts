/**
 * `npm run build:njs`: bundles njs/src into the scripts NGINX and the njs CLI run,
 * then proves they load in the real engine when it is installed:
 *   dist/njs/jwt-gateway.js  the module for `js_import`
 *   dist/njs/check-config.js  `njs check-config.js JWKS_FILE [NGINX_CONF ...]`, the startup check
 *                            of the key set and of the settings a configuration sets
 */
import { bundleForNjs, formatBuildError } from './lib/njs-bundle.ts';
import { checkLoadsInNginx, checkLoadsInNjsCli } from './lib/njs-load-check.ts';

export const NJS_OUT_DIR = 'dist/njs';

async function main(): Promise<void> {
  await bundleForNjs({ entry: 'njs/src/gateway.ts', outfile: `${NJS_OUT_DIR}/jwt-gateway.js`, kind: 'module' });
  await bundleForNjs({ entry: 'njs/src/check-config.ts', outfile: `${NJS_OUT_DIR}/check-config.js`, kind: 'script' });
  for (const check of [checkLoadsInNjsCli, checkLoadsInNginx]) {
    console.log(await check(NJS_OUT_DIR));
  }
}

main().catch((error: unknown) => {
  console.error(`build:njs failed:\n${formatBuildError(error)}`);
  process.exit(1);
});
