import type { SecretSource } from '../secret-source.ts';
import { FixedSecretSource } from './fixed.ts';

/**
 * Replaced by `tools/build-client.ts` (esbuild `define`) with the token, in the hardcode build
 * only. Anywhere else the identifier is never defined, and `typeof` keeps that from throwing.
 */
declare const __APICLIENT_HARDCODED_TOKEN__: string | undefined;

const BUILT_IN_TOKEN = typeof __APICLIENT_HARDCODED_TOKEN__ === 'string' ? __APICLIENT_HARDCODED_TOKEN__ : undefined;

/**
 * The tutorial's Challenge 1, kept deliberately: the token is part of the program, so anyone
 * who can read the image can read the token. `token` defaults to the one compiled in.
 */
export function hardcodedSecret(token: string | undefined = BUILT_IN_TOKEN): SecretSource {
  return new FixedSecretSource(
    'hardcoded token',
    token,
    'is not compiled into this build (build it with: npm run build:client -- --hardcode-token-file PATH)',
  );
}
