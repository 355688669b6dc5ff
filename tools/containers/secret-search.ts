/**
 * Where a secret can be found, looked up the way the tutorial does by hand (`docker history`,
 * `docker export` + tar, `docker inspect`), through the Docker Engine API. Used by the demo
 * to show it and by the tests to assert it. Findings never carry the secret itself.
 */
import { engine } from './engine-api.ts';
import { scanTar, type TarEntryInfo } from './tar-scan.ts';

export interface Finding {
  /** e.g. "image layer 5357…/layer.tar: usr/app/apiclient.mjs", "container Env: JWT" */
  readonly where: string;
  readonly kind: 'layer-file' | 'image-config' | 'history' | 'env' | 'export-file';
}

export interface ImageReport {
  readonly findings: Finding[];
  readonly historySteps: string[];
}

export interface ContainerReport {
  readonly findings: Finding[];
  /** the container's Env keys (never values) */
  readonly envKeys: string[];
  readonly mounts: { type: string; destination: string; rw: boolean }[];
  /** watched paths in the exported filesystem with their size there (0: an empty mount point) */
  readonly exported: { path: string; size: number }[];
}

function shortLayer(path: string): string {
  return path.replace(/[0-9a-f]{64}/, (hex) => `${hex.slice(0, 12)}…`);
}

function describe(entry: TarEntryInfo): Finding {
  if (entry.path.length > 1) {
    return { where: `image layer ${shortLayer(entry.path[0]!)}: ${entry.path.slice(1).join(' > ')}`, kind: 'layer-file' };
  }
  return { where: `image archive ${shortLayer(entry.path[0]!)} (config/metadata)`, kind: 'image-config' };
}

/** Looks through an image's layers (docker save), its configuration and its history. */
export async function searchImage(ref: string, secret: string): Promise<ImageReport> {
  const scan = await scanTar(await engine.saveImage(ref), { needles: [secret] });
  const findings = scan.findings.map(describe);
  const history = await engine.history(ref);
  for (const step of history) {
    if (step.CreatedBy.includes(secret)) findings.push({ where: `image history step ${step.Id.slice(0, 19)}`, kind: 'history' });
  }
  const inspect = await engine.inspectImage(ref);
  for (const env of inspect.Config.Env ?? []) {
    if (env.includes(secret)) findings.push({ where: `image config Env: ${env.split('=')[0]}`, kind: 'image-config' });
  }
  return { findings, historySteps: history.map((step) => step.CreatedBy.replace(/\s+/g, ' ').trim()) };
}

/** Looks through a container's configuration and its exported filesystem. */
export async function searchContainer(id: string, secret: string, watch: readonly string[] = ['run/secrets/jot']): Promise<ContainerReport> {
  const inspect = await engine.inspectContainer(id);
  const findings: Finding[] = [];
  const env = inspect.Config.Env ?? [];
  for (const entry of env) {
    if (entry.includes(secret)) findings.push({ where: `container Env: ${entry.split('=')[0]}`, kind: 'env' });
  }
  const scan = await scanTar(await engine.exportContainer(id), { needles: [secret], watch, nested: () => false });
  for (const found of scan.findings) findings.push({ where: `container filesystem: ${found.path.join(' > ')}`, kind: 'export-file' });
  return {
    findings,
    envKeys: env.map((entry) => entry.split('=')[0]!),
    mounts: inspect.Mounts.map((m) => ({ type: m.Type, destination: m.Destination, rw: m.RW })),
    exported: scan.watched.map((w) => ({ path: w.path.join(' > '), size: w.size })),
  };
}
