/**
 * Building the gateway and client images from a staged context with the classic builder.
 * Used by `npm run images` (tools/images.ts) and the demo.
 */
import { CLIENT_IMAGE, CLIENT_LATEST_VARIANT, CLIENT_VARIANTS, DEFAULT_NGINX_IMAGE, DEFAULT_NODE_IMAGE, GATEWAY_IMAGE } from './names.ts';
import { CommandError, docker, imageExists } from './proc.ts';

export interface BuildImagesOptions {
  /** staged context (see context.ts) holding the gateway files, client/ and client-hardcode/ */
  readonly contextDir: string;
  readonly nginxImage?: string;
  readonly nodeImage?: string;
  readonly gatewayImage?: string;
  readonly clientImage?: string;
  /** called with a line per finished image */
  readonly log?: (line: string) => void;
}

export interface BuiltImage {
  readonly ref: string;
  readonly id: string;
  readonly seconds: number;
}

function baseHint(base: string): string {
  return `base image ${base} is not available locally and could not be pulled: on a host without a registry run docker/base-images.sh (builds stand-ins), or set NGINX_IMAGE/NODE_IMAGE`;
}

async function build(ref: string, dockerfile: string, buildArgs: Record<string, string>, contextDir: string, base: string): Promise<BuiltImage> {
  const started = Date.now();
  const previous = (await docker(['image', 'inspect', '--format', '{{.Id}}', ref], { allowFailure: true })).stdout.trim();
  const args = ['build', '--force-rm', '-f', dockerfile, '-t', ref];
  for (const [name, value] of Object.entries(buildArgs)) args.push('--build-arg', `${name}=${value}`);
  args.push(contextDir);
  try {
    await docker(args);
  } catch (error) {
    if (error instanceof CommandError && !(await imageExists(base))) throw new Error(`${baseHint(base)}\n${error.message}`);
    throw error;
  }
  const id = (await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim();
  // The image this tag named before is now untagged: remove it unless something still uses it.
  if (previous !== '' && previous !== id) {
    const tags = (await docker(['image', 'inspect', '--format', '{{len .RepoTags}}', previous], { allowFailure: true })).stdout.trim();
    if (tags === '0') await docker(['rmi', previous], { allowFailure: true });
  }
  return { ref, id, seconds: (Date.now() - started) / 1000 };
}

export async function buildImages(options: BuildImagesOptions): Promise<BuiltImage[]> {
  const nginxImage = options.nginxImage ?? DEFAULT_NGINX_IMAGE;
  const nodeImage = options.nodeImage ?? DEFAULT_NODE_IMAGE;
  const gatewayImage = options.gatewayImage ?? GATEWAY_IMAGE;
  const clientImage = options.clientImage ?? CLIENT_IMAGE;
  const log = options.log ?? (() => {});
  const built: BuiltImage[] = [];

  const gateway = await build(`${gatewayImage}:latest`, 'docker/gateway.Dockerfile', { NGINX_IMAGE: nginxImage }, options.contextDir, nginxImage);
  log(`${gateway.ref}  (FROM ${nginxImage}) ${gateway.seconds.toFixed(1)}s`);
  built.push(gateway);

  for (const variant of CLIENT_VARIANTS) {
    const image = await build(
      `${clientImage}:${variant.tag}`,
      'docker/client.Dockerfile',
      { NODE_IMAGE: nodeImage, CLIENT_BUILD: variant.build, APICLIENT_MODE: variant.mode },
      options.contextDir,
      nodeImage,
    );
    log(`${image.ref}  (FROM ${nodeImage}, ${variant.build}, mode ${variant.mode}) ${image.seconds.toFixed(1)}s`);
    built.push(image);
  }
  await docker(['tag', `${clientImage}:${CLIENT_LATEST_VARIANT}`, `${clientImage}:latest`]);
  log(`${clientImage}:latest = ${clientImage}:${CLIENT_LATEST_VARIANT}`);
  return built;
}
