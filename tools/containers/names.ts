/**
 * Names shared by `npm run images`, `npm run demo` and the container test suite: image tags,
 * base images, the client variants and where their files live in a build context.
 */

export const GATEWAY_IMAGE = 'njs-jwt-gateway';
export const CLIENT_IMAGE = 'njs-jwt-apiclient';

/** The Dockerfiles' ARG defaults; docker/base-images.sh builds stand-ins under these names. */
export const DEFAULT_NGINX_IMAGE = 'nginx:1.27';
export const DEFAULT_NODE_IMAGE = 'node:20-slim';

export type ClientMode = 'hardcode' | 'env' | 'file' | 'manager';

export interface ClientVariant {
  /** the tag of the variant image, `njs-jwt-apiclient:<tag>` */
  readonly tag: ClientMode;
  /** the folder under dist/ holding its apiclient.mjs (build arg CLIENT_BUILD) */
  readonly build: 'client' | 'client-hardcode';
  /** the mode the image runs by default (build arg APICLIENT_MODE) */
  readonly mode: ClientMode;
}

export const CLIENT_VARIANTS: readonly ClientVariant[] = [
  { tag: 'hardcode', build: 'client-hardcode', mode: 'hardcode' },
  { tag: 'env', build: 'client', mode: 'env' },
  { tag: 'file', build: 'client', mode: 'file' },
  { tag: 'manager', build: 'client', mode: 'manager' },
];

/** `njs-jwt-apiclient` (latest) is the file variant: the recommended way. */
export const CLIENT_LATEST_VARIANT: ClientMode = 'file';

/**
 * Every file a build context holds, relative to the repository root, besides the NGINX
 * configuration files (every nginx/*.conf). The root .dockerignore lets exactly these
 * through; staged contexts copy exactly these.
 */
export const CONTEXT_FILES = {
  gateway: [
    'docker/gateway.Dockerfile',
    'docker/gateway-entrypoint.sh',
    'docker/gateway-healthcheck.sh',
    'dist/njs/jwt-gateway.js',
    'dist/njs/check-config.js',
  ],
  client: ['docker/client.Dockerfile', 'dist/client/apiclient.mjs'],
  clientHardcode: ['dist/client-hardcode/apiclient.mjs'],
} as const;
