/**
 * Renders nginx/nginx.conf for a local run: the placeholders documented at the
 * top of that file, and no other `${...}` (nginx variables stay as they are).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheSalt, trustGenerationConf, type TrustFiles } from '../../njs/src/trust-generation.ts';

const NGINX_DIR = path.resolve(import.meta.dirname, '../../nginx');

export interface GatewayConfig {
  GATEWAY_LISTEN: string;
  JWKS_FILE: string;
  NJS_DIR: string;
  RUNTIME_DIR: string;
  ERROR_LOG: string;
  ACCESS_LOG: string;
  UPSTREAM: string;
  TOKEN_CACHE_DIR: string;
}

/** Where nothing listens: the default upstream of a gateway with no API behind it. */
export const NO_UPSTREAM = '127.0.0.1:9';

function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (placeholder, name: string) => (Object.hasOwn(values, name) ? values[name] : placeholder));
}

/** What a caller adds to nginx/nginx.conf: `http` directives after the key set, `server` ones after the JWT server snippet, and another worker count. */
export interface TemplateExtension {
  http?: string;
  server?: string;
  workerProcesses?: number;
}

/**
 * nginx/nginx.conf with additions at fixed anchors, written to `dir`: tests and the
 * benchmark run the real configuration, not a copy of it. Throws when an anchor a
 * requested addition needs is gone. Returns the template's path.
 */
export async function extendedTemplate(dir: string, extension: TemplateExtension): Promise<string> {
  const anchors: Array<[string | number | undefined, RegExp, (line: string) => string]> = [
    [extension.http, /^( *js_preload_object jwks from .*)$/m, (line) => `${line}\n${extension.http}`],
    [extension.server, /^( *include jwt-server\.conf;)$/m, (line) => `${line}\n${extension.server}`],
    [extension.workerProcesses, /^worker_processes .*;$/m, () => `worker_processes ${extension.workerProcesses};`],
  ];
  let template = await readFile(path.join(NGINX_DIR, 'nginx.conf'), 'utf8');
  for (const [addition, anchor, replace] of anchors) {
    if (addition === undefined || addition === '') {
      continue;
    }
    if (!anchor.test(template)) {
      throw new Error(`nginx/nginx.conf no longer has the line ${anchor} that extendedTemplate extends`);
    }
    template = template.replace(anchor, replace);
  }
  const file = path.join(dir, 'nginx.conf.template');
  await writeFile(file, template);
  return file;
}

/**
 * Writes the rendered template (nginx/nginx.conf unless another is given, with any
 * extra placeholders it has), the snippets it includes, and the trust generation
 * into `confDir`, and creates the runtime folder; returns the nginx.conf path.
 */
export async function writeGatewayConfig(
  confDir: string,
  values: GatewayConfig & Record<string, string>,
  templateFile = path.join(NGINX_DIR, 'nginx.conf'),
): Promise<string> {
  await mkdir(confDir, { recursive: true });
  await mkdir(values.RUNTIME_DIR, { recursive: true });
  const confFile = path.join(confDir, 'nginx.conf');
  await writeFile(confFile, renderTemplate(await readFile(templateFile, 'utf8'), values));
  for (const snippet of await snippetNames()) {
    await copyFile(path.join(NGINX_DIR, snippet), path.join(confDir, snippet));
  }
  await writeTrustGeneration(confFile, values.RUNTIME_DIR);
  return confFile;
}

/** The jwt-*.conf files nginx.conf includes. */
async function snippetNames(): Promise<string[]> {
  return (await readdir(NGINX_DIR)).filter((name) => name.endsWith('.conf') && name !== 'nginx.conf');
}

const TRUST_FILES: TrustFiles = {
  readText: readFileSync,
  writePrivate: (file, text) => writeFileSync(file, text, { mode: 0o600 }),
};

/**
 * (Re)writes `runtimeDir`/jwt-trust-generation.conf from the files the rendered
 * configuration has njs load, salted from `runtimeDir`/jwt-cache-salt: before
 * every start and reload, so that one with other keys, revocations or code never
 * answers from the old token cache.
 */
export async function writeTrustGeneration(confFile: string, runtimeDir: string): Promise<void> {
  const confDir = path.dirname(confFile);
  const confs = [confFile, ...(await snippetNames()).map((name) => path.join(confDir, name))];
  const salt = cacheSalt(path.join(runtimeDir, 'jwt-cache-salt'), TRUST_FILES, (bytes) => randomBytes(bytes).toString('hex'));
  const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
  TRUST_FILES.writePrivate(path.join(runtimeDir, 'jwt-trust-generation.conf'), trustGenerationConf(confs, salt, readFileSync, sha256Hex));
}
