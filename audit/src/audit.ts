/**
 * The two audits, as functions a test or another program can call with its own client:
 *   auditImage(client, ref, options)      image config, history, every layer (deleted files too)
 *   auditContainer(client, ref, options)  container config, mounts, exported filesystem
 */
import { scanConfig, scanImageArchive, toFinding } from './archive.ts';
import type { EngineClient, MountPoint } from './engine.ts';
import { binaryKeyNotes, scanFilesystemTar } from './layer.ts';
import type { AuditReport, Finding, Note } from './report.ts';
import { emptyStats } from './report.ts';
import { type DetectOptions, compileDetection, scanText } from './scanner.ts';

export type AuditOptions = DetectOptions;

export async function auditImage(client: EngineClient, ref: string, options: AuditOptions = {}): Promise<AuditReport> {
  const detection = compileDetection(options);
  const inspect = await client.inspectImage(ref); // fails early and clearly for a missing image
  const stream = await client.exportImage(ref);
  const scan = await scanImageArchive(stream, detection);
  return {
    target: { type: 'image', ref, id: inspect.Id },
    findings: scan.findings,
    notes: scan.notes,
    incomplete: scan.incomplete,
    stats: scan.stats,
  };
}

function toList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.map(String) : [];
}

function isSecretMount(dest: string): boolean {
  return /^\/?run\/secrets(\/|$)/.test(dest);
}

export async function auditContainer(client: EngineClient, ref: string, options: AuditOptions = {}): Promise<AuditReport> {
  const detection = compileDetection(options);
  const inspect = await client.inspectContainer(ref);
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const stats = emptyStats();

  const cfg = (inspect.Config ?? {}) as Record<string, unknown>;
  scanConfig(detection, cfg, 'container-config', findings, stats);
  // Path + Args is what actually runs (Cmd/Entrypoint after overrides).
  const configured = [...toList(cfg['Entrypoint']), ...toList(cfg['Cmd'])].join(' ');
  const running = inspect.Path ? [inspect.Path, ...(inspect.Args ?? [])].join(' ') : '';
  if (running && running !== configured) {
    stats.configEntries++;
    for (const m of scanText(detection, running)) findings.push(toFinding(m, { type: 'container-config', field: 'Path+Args' }));
  }

  const mounts: MountPoint[] = inspect.Mounts ?? [];
  const destinations = new Map<string, MountPoint>();
  for (const m of mounts) {
    const dest = m.Destination.replace(/^\/+/, '');
    destinations.set(dest, m);
    const src = m.Type === 'volume' ? `volume ${m.Name ?? '?'}` : m.Source ? m.Source : (m.Type ?? 'mount');
    notes.push({ kind: 'mount', path: dest, message: `${m.Type ?? 'mount'} mount ${src} -> /${dest} (${m.RW === false ? 'ro' : 'rw'}); its content is not in the export and was not scanned` });
  }
  for (const dest of Object.keys(inspect.HostConfig?.Tmpfs ?? {})) {
    const d = dest.replace(/^\/+/, '');
    if (!destinations.has(d)) notes.push({ kind: 'mount', path: d, message: `tmpfs mount -> /${d}; its content is not in the export and was not scanned` });
  }

  const fs = await scanFilesystemTar(await client.exportContainer(inspect.Id || ref), detection);
  const incomplete: string[] = [];
  if (!fs.scanned) incomplete.push(`the container export is ${fs.compression}-compressed and this Node cannot decompress it`);
  stats.files = fs.files;
  stats.bytes = fs.bytes;
  for (const m of fs.matches) findings.push(toFinding(m, { type: 'container-fs', path: m.path, offset: m.offset }));
  for (const [p, n] of fs.dropped) notes.push({ kind: 'truncated', path: p, message: `${n} more matches in /${p} not listed` });
  for (const n of binaryKeyNotes(fs, '')) notes.push({ kind: 'key-in-binary', ...n });
  for (const p of [...fs.emptyFiles].sort()) {
    if (destinations.has(p) || isSecretMount(p)) {
      notes.push({ kind: 'empty-mount-point', path: p, message: `/${p} is an empty file in the export: a mount point, the secret lives only in the mount` });
    }
  }

  const image = inspect.Image ?? (typeof cfg['Image'] === 'string' ? (cfg['Image'] as string) : undefined);
  notes.push({
    kind: 'image-not-audited',
    message: `files deleted by image layers and the image history are not part of a container audit: run \`secret-audit image ${typeof cfg['Image'] === 'string' ? cfg['Image'] : image ?? '<image>'}\``,
  });

  const target: AuditReport['target'] = { type: 'container', ref, id: inspect.Id };
  if (inspect.Name) target.name = inspect.Name.replace(/^\//, '');
  if (image) target.image = image;
  return { target, findings, notes, incomplete, stats };
}
