/**
 * Renders nginx/nginx.conf for a local run: the placeholders documented at the
 * top of that file, and no other `${...}` (nginx variables stay as they are).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const NGINX_DIR = path.resolve(import.meta.dirname, '../../nginx');

export interface GatewayConfig {
  GATEWAY_LISTEN: string;
  JWKS_FILE: string;
  NJS_DIR: string;
  RUNTIME_DIR: string;
  ERROR_LOG: string;
  ACCESS_LOG: string;
}

export function renderTemplate(template: string, values: GatewayConfig): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? values[name as keyof GatewayConfig] : placeholder,
  );
}

/** Writes nginx.conf and jwt.conf into `confDir` and creates the runtime folders; returns the nginx.conf path. */
export async function writeGatewayConfig(confDir: string, values: GatewayConfig): Promise<string> {
  await mkdir(confDir, { recursive: true });
  await mkdir(values.RUNTIME_DIR, { recursive: true });
  const template = await readFile(path.join(NGINX_DIR, 'nginx.conf'), 'utf8');
  const confFile = path.join(confDir, 'nginx.conf');
  await writeFile(confFile, renderTemplate(template, values));
  await copyFile(path.join(NGINX_DIR, 'jwt.conf'), path.join(confDir, 'jwt.conf'));
  return confFile;
}
