/**
 * Renders nginx/nginx.conf for a local run: the placeholders documented at the
 * top of that file, and no other `${...}` (nginx variables stay as they are).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const NGINX_DIR = path.resolve(import.meta.dirname, '../../nginx');

export interface GatewayConfig {
  GATEWAY_LISTEN: string;
  JWKS_FILE: string;
  NJS_DIR: string;
  RUNTIME_DIR: string;
  ERROR_LOG: string;
  ACCESS_LOG: string;
  UPSTREAM: string;
}

/** Where nothing listens: the default upstream of a gateway with no API behind it. */
export const NO_UPSTREAM = 'http://127.0.0.1:9';

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
 * extra placeholders it has) and the snippets it includes into `confDir`, and
 * creates the runtime folder; returns the nginx.conf path.
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
  for (const snippet of ['jwt.conf', 'jwt-server.conf']) {
    await copyFile(path.join(NGINX_DIR, snippet), path.join(confDir, snippet));
  }
  return confFile;
}
