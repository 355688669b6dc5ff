/**
 * Build contexts that hold exactly the files an image needs. `docker build` from the
 * repository root relies on the root .dockerignore for that; `npm run images` and the test
 * suite stage a fresh folder instead, so nothing else (development keys in .gateway/, tokens,
 * node_modules) can reach the daemon even if .dockerignore were wrong, and so that their
 * client bundles (built with --out-dir) never collide with dist/ of a concurrent build.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CONTEXT_FILES } from './names.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface ContextSources {
  /** folder with jwt-gateway.js and check-config.js [REPO_ROOT/dist/njs] */
  readonly njsDir?: string;
  /** the --out-dir of build:client, holding client/ and maybe client-hardcode/ [REPO_ROOT/dist] */
  readonly clientOutDir?: string;
  /** include the hardcode client build (must exist then) */
  readonly hardcode?: boolean;
}

export interface StagedContext {
  readonly dir: string;
  remove(): Promise<void>;
}

function sourceOf(file: string, sources: ContextSources): string {
  if (file.startsWith('dist/njs/')) return join(sources.njsDir ?? join(REPO_ROOT, 'dist/njs'), file.slice('dist/njs/'.length));
  if (file.startsWith('dist/')) return join(sources.clientOutDir ?? join(REPO_ROOT, 'dist'), file.slice('dist/'.length));
  return join(REPO_ROOT, file);
}

export async function stageContext(sources: ContextSources = {}): Promise<StagedContext> {
  const dir = await mkdtemp(join(tmpdir(), 'njs-jwt-context-'));
  const nginxConfigs = (await readdir(join(REPO_ROOT, 'nginx'))).filter((f) => f.endsWith('.conf')).map((f) => `nginx/${f}`);
  const files: string[] = [...CONTEXT_FILES.gateway, ...nginxConfigs, ...CONTEXT_FILES.client];
  if (sources.hardcode === true) files.push(...CONTEXT_FILES.clientHardcode);
  try {
    for (const file of files) {
      const target = join(dir, file);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(sourceOf(file, sources), target).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`build context: cannot copy ${sourceOf(file, sources)} (${error.code ?? error.message}); was it built?`);
      });
    }
    await copyFile(join(REPO_ROOT, '.dockerignore'), join(dir, '.dockerignore'));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
