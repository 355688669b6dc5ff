/**
 * secret-audit: find where a secret leaks from a Docker image or container.
 *
 *   secret-audit image <ref>         [options]
 *   secret-audit container <id|name> [options]
 *   secret-audit archive <file.tar>  [options]   (a `docker save` archive, no engine needed)
 *
 * Exit codes: 0 clean, 1 leak found, 2 could not audit (a single-line reason on stderr).
 */
import { createReadStream, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { scanImageArchive } from './archive.ts';
import { auditContainer, auditImage } from './audit.ts';
import { EngineClient } from './engine.ts';
import { AuditError, UsageError } from './errors.ts';
import { formatHuman, formatJson, guard } from './format.ts';
import type { AuditReport } from './report.ts';
import { EXIT_ERROR, exitCodeFor } from './report.ts';
import { compileDetection } from './scanner.ts';
import { type GivenSecret, secretFromEnv, secretFromFile, secretPatterns } from './secrets.ts';

export const USAGE = `Usage: secret-audit image <ref> [options]
       secret-audit container <id|name> [options]
       secret-audit archive <docker-save.tar> [options]

Finds secrets in an image (config, history, every layer's files, also files deleted by a
later layer) or a container (config, mounts, exported filesystem), over the Docker Engine
API ($DOCKER_HOST, default unix:///var/run/docker.sock).

Options:
  --secret-file PATH   look for the secret in PATH (raw, base64, base64url); repeatable
  --secret-env NAME    look for the secret in environment variable NAME; repeatable
  --no-heuristics      only look for given secrets, not for any JWT or private key
  --strict             count private keys embedded in ELF binaries as leaks (by default a
                       note: crypto libraries ship public self-test keys)
  --json               print the report as JSON
  --host URL           Docker host, overrides $DOCKER_HOST (unix:///path or tcp://host:port)
  -h, --help           show this help

Exit status: 0 clean, 1 leak found, 2 could not audit.
`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let json = argv.includes('--json');
  let secrets: GivenSecret[] = [];
  let client: EngineClient | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          'secret-file': { type: 'string', multiple: true },
          'secret-env': { type: 'string', multiple: true },
          'no-heuristics': { type: 'boolean' },
          strict: { type: 'boolean' },
          json: { type: 'boolean' },
          host: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split('\n')[0]} (see --help)`);
    }
    const { values, positionals } = parsed;
    json = values.json === true;
    if (values.help) { io.stdout(USAGE); return 0; }
    const [mode, ref, ...rest] = positionals;
    if (!mode || !['image', 'container', 'archive'].includes(mode)) throw new UsageError('expected `image <ref>`, `container <id|name>` or `archive <file>` (see --help)');
    if (!ref) throw new UsageError(`${mode}: missing ${mode === 'container' ? 'container id or name' : mode === 'image' ? 'image reference' : 'archive path'}`);
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);

    for (const f of values['secret-file'] ?? []) secrets.push(await secretFromFile(f));
    for (const n of values['secret-env'] ?? []) secrets.push(secretFromEnv(n, io.env));
    const options = { secrets, heuristics: values['no-heuristics'] !== true, strict: values.strict === true };

    let report: AuditReport;
    if (mode === 'archive') {
      const scan = await scanImageArchive(ref === '-' ? process.stdin : createReadStream(ref), compileDetection(options)).catch((e: unknown) => {
        const code = (e as NodeJS.ErrnoException).code;
        if (code && !(e instanceof AuditError)) throw new AuditError('ERR_USAGE', `cannot read archive ${ref}: ${code}`);
        throw e;
      });
      report = { target: { type: 'image', ref }, findings: scan.findings, notes: scan.notes, incomplete: scan.incomplete, stats: scan.stats };
    } else {
      const host = values.host ?? io.env['DOCKER_HOST'];
      client = new EngineClient(host ? { host } : {});
      report = mode === 'image' ? await auditImage(client, ref, options) : await auditContainer(client, ref, options);
    }
    const patterns = secretPatterns(secrets);
    io.stdout(guard(json ? formatJson(report) : formatHuman(report), patterns));
    return exitCodeFor(report);
  } catch (e) {
    const err = e instanceof AuditError ? e : undefined;
    const message = err ? err.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    const code = err ? err.code : 'ERR_INTERNAL';
    const patterns = secretPatterns(secrets);
    const line = guard(message.replace(/\s*\n\s*/g, ' '), patterns);
    io.stderr(`secret-audit: ${line}\n`);
    if (json) io.stdout(`${JSON.stringify({ error: { code, message: line }, exitCode: EXIT_ERROR })}\n`);
    return EXIT_ERROR;
  } finally {
    secrets = [];
    await client?.close().catch(() => {});
  }
}

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await main(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  });
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntry()) await run();
