/**
 * Scans a `docker save` archive as it streams: both layouts.
 * - legacy (Docker ≤ 24): `<id>/layer.tar`, `<config-hex>.json`, `manifest.json` (written last);
 * - OCI (Docker ≥ 25, containerd store): `blobs/sha256/<hex>`, `index.json`, `oci-layout`, and a
 *   Docker-compatible `manifest.json`.
 * Layers arrive before the manifest that orders them, so each layer is scanned on arrival and
 * keeps only its findings, whiteouts and path set; ordering, "deleted by a later layer" and
 * history attribution are resolved once the archive has been read.
 */
import { collect } from './bytes.ts';
import { peek } from './decompress.ts';
import { ArchiveInvalid, AuditError } from './errors.ts';
import { type FsScan, binaryKeyNotes, coveredBy, insideOneOf, scanFilesystemTar } from './layer.ts';
import type { AuditStats, Finding, Hidden, Location, Note } from './report.ts';
import { emptyStats } from './report.ts';
import { type Detection, type Match, Scanner, redactText, scanText } from './scanner.ts';
import { normalizePath, readTar } from './tar.ts';
import { truncate } from './redact.ts';

const MAX_JSON = 16 * 1024 * 1024;

export interface ArchiveScan {
  findings: Finding[];
  notes: Note[];
  incomplete: string[];
  stats: AuditStats;
  layout: 'legacy' | 'oci';
  /** Config paths of the images found, with their tags. */
  images: { config: string; repoTags: string[] }[];
}

interface ImageDesc {
  configPath: string;
  layerPaths: string[];
  repoTags: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function blobPath(digest: unknown): string | undefined {
  if (typeof digest !== 'string') return undefined;
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(digest);
  return m ? `blobs/${m[1]}/${m[2]}` : undefined;
}

function looksLikeTar(head: Buffer): boolean {
  if (head.length < 512) return head.length > 0 && head.every((b) => b === 0);
  if (head.subarray(0, 512).every((b) => b === 0)) return true;
  const magic = head.toString('latin1', 257, 262);
  return magic === 'ustar';
}

function startsLikeJson(head: Buffer): boolean {
  const s = head.toString('latin1').trimStart();
  return s.startsWith('{') || s.startsWith('[');
}

export async function scanImageArchive(source: AsyncIterable<Uint8Array>, detection: Detection): Promise<ArchiveScan> {
  const layers = new Map<string, FsScan>();
  const json = new Map<string, unknown>();
  const jsonRaw = new Map<string, Buffer>();
  const links = new Map<string, string>();
  const incomplete: string[] = [];
  const notes: Note[] = [];
  const otherMatches: { path: string; m: Match }[] = [];
  let sawOciLayout = false;

  const keepJson = async (path: string, body: AsyncIterable<Uint8Array>): Promise<boolean> => {
    let buf: Buffer;
    try { buf = await collect(body, MAX_JSON); } catch (e) {
      if (e instanceof AuditError) throw e;
      incomplete.push(`archive file ${path} is larger than ${MAX_JSON} bytes and was not read`);
      return false;
    }
    try { json.set(path, JSON.parse(buf.toString('utf8'))); } catch { /* not JSON after all */ }
    jsonRaw.set(path, buf);
    return true;
  };

  const scanLayer = async (path: string, body: AsyncIterable<Uint8Array>): Promise<void> => {
    const scan = await scanFilesystemTar(body, detection);
    if (!scan.scanned) incomplete.push(`layer ${path} is ${scan.compression}-compressed and this Node cannot decompress it (zstd needs Node >= 22.15)`);
    layers.set(path, scan);
  };

  for await (const entry of readTar(source)) {
    const path = normalizePath(entry.path);
    if (entry.type === 'symlink' || entry.type === 'hardlink') {
      const base = entry.type === 'symlink' && !entry.linkpath.startsWith('/') ? path.split('/').slice(0, -1).join('/') : '';
      const target = normalizePath(base ? `${base}/${entry.linkpath}` : entry.linkpath).split('/').reduce<string[]>((acc, part) => {
        if (part === '..') acc.pop(); else if (part !== '.' && part !== '') acc.push(part);
        return acc;
      }, []).join('/');
      links.set(path, target);
      continue;
    }
    if (entry.type !== 'file') continue;
    if (path === 'oci-layout') sawOciLayout = true;
    if (path === 'manifest.json' || path === 'index.json' || path === 'repositories' || path === 'oci-layout' || /^[^/]+\.json$/.test(path)) {
      await keepJson(path, entry.body);
    } else if (path.endsWith('/layer.tar')) {
      await scanLayer(path, entry.body);
    } else if (path.startsWith('blobs/')) {
      const { head, stream } = await peek(entry.body, 512);
      if (startsLikeJson(head)) await keepJson(path, stream);
      else if (head[0] === 0x1f && head[1] === 0x8b) await scanLayer(path, stream);
      else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) await scanLayer(path, stream);
      else if (looksLikeTar(head)) await scanLayer(path, stream);
      else await scanOther(path, stream);
    }
    // legacy per-layer `json` and `VERSION` files carry nothing the config does not
  }

  async function scanOther(path: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const s = new Scanner(detection);
    for await (const c of body) s.push(c);
    for (const m of s.end()) otherMatches.push({ path, m });
  }

  const resolveLink = (p: string): string => {
    let cur = p;
    for (let i = 0; i < 16 && links.has(cur); i++) cur = links.get(cur)!;
    return cur;
  };

  // ---- which images, which layers in which order
  const images: ImageDesc[] = [];
  const manifest = json.get('manifest.json');
  const layout: 'legacy' | 'oci' = sawOciLayout || json.has('index.json') ? 'oci' : 'legacy';
  if (Array.isArray(manifest)) {
    for (const item of manifest) {
      if (!isRecord(item) || typeof item['Config'] !== 'string') throw new ArchiveInvalid('manifest.json entry without Config');
      images.push({
        configPath: resolveLink(normalizePath(item['Config'])),
        layerPaths: strings(item['Layers']).map((l) => resolveLink(normalizePath(l))),
        repoTags: strings(item['RepoTags']),
      });
    }
  } else if (isRecord(json.get('index.json'))) {
    const walk = (desc: unknown, depth: number): void => {
      if (!isRecord(desc) || depth > 4) return;
      const p = blobPath(desc['digest']);
      const doc = p ? json.get(p) : undefined;
      if (!isRecord(doc)) return; // not in this archive (another platform)
      if (Array.isArray(doc['manifests'])) { for (const d of doc['manifests']) walk(d, depth + 1); return; }
      const cfg = isRecord(doc['config']) ? blobPath(doc['config']['digest']) : undefined;
      if (!cfg || !Array.isArray(doc['layers'])) return;
      const annotations = isRecord(desc['annotations']) ? desc['annotations'] : {};
      const name = annotations['io.containerd.image.name'] ?? annotations['org.opencontainers.image.ref.name'];
      images.push({
        configPath: cfg,
        layerPaths: doc['layers'].map((l) => (isRecord(l) ? blobPath(l['digest']) : undefined)).filter((x): x is string => !!x),
        repoTags: typeof name === 'string' ? [name] : [],
      });
    };
    for (const d of (json.get('index.json') as Record<string, unknown>)['manifests'] as unknown[] ?? []) walk(d, 0);
  } else {
    throw new ArchiveInvalid('neither manifest.json nor index.json found');
  }
  if (images.length === 0) throw new ArchiveInvalid('no image in the archive');

  // ---- findings
  const findings: Finding[] = [];
  const stats = emptyStats();
  const placed = new Set<string>();
  const used = new Set<string>();

  for (const img of images) {
    const config = json.get(img.configPath);
    used.add(img.configPath);
    if (!isRecord(config)) { incomplete.push(`image config ${img.configPath} missing from the archive`); continue; }
    const diffIds = isRecord(config['rootfs']) ? strings(config['rootfs']['diff_ids']) : [];
    const history = Array.isArray(config['history']) ? config['history'].filter(isRecord) : [];
    const layerHistory = history.filter((h) => h['empty_layer'] !== true);

    // config fields
    const cfgFields = isRecord(config['config']) ? config['config'] : {};
    scanConfig(detection, cfgFields, 'image-config', findings, stats);
    if (isRecord(config['container_config'])) {
      const cc = config['container_config'];
      for (const field of ['Cmd', 'Entrypoint'] as const) {
        const v = strings(cc[field]);
        if (v.length) { stats.configEntries++; addMatches(findings, scanText(detection, v.join(' ')), { type: 'image-config', field: `container_config.${field}` }); }
      }
    }
    history.forEach((h, k) => {
      const text = typeof h['created_by'] === 'string' ? h['created_by'] : '';
      stats.historySteps++;
      if (!text) return;
      const ms = scanText(detection, text);
      if (ms.length) addMatches(findings, ms, { type: 'history', step: k + 1, createdBy: truncate(redactText(detection, text), 120) });
    });

    // layers in order
    img.layerPaths.forEach((lp, i) => {
      used.add(lp);
      const scan = layers.get(lp);
      if (!scan) {
        if (!json.has(lp)) incomplete.push(`layer ${lp} is listed by the manifest but missing from the archive`);
        return;
      }
      if (placed.has(lp)) return;
      placed.add(lp);
      const digest = diffIds[i] ?? (lp.startsWith('blobs/') ? lp.slice(6).replace('/', ':') : lp);
      const createdByRaw = layerHistory[i]?.['created_by'];
      for (const m of scan.matches) {
        const where: Location = {
          type: 'layer', layer: i + 1, layers: img.layerPaths.length, digest, blob: lp, path: m.path, offset: m.offset,
        };
        if (typeof createdByRaw === 'string') where.createdBy = truncate(redactText(detection, createdByRaw), 120);
        const f = toFinding(m, where);
        const hidden = hiddenBy(m.path, img.layerPaths.slice(i + 1), layers, diffIds, i + 1);
        if (hidden) f.hidden = hidden;
        findings.push(f);
      }
      for (const [p, n] of scan.dropped) notes.push({ kind: 'truncated', path: p, message: `${n} more matches in /${p} (layer ${i + 1}) not listed` });
      for (const n of binaryKeyNotes(scan, ` (layer ${i + 1})`)) notes.push({ kind: 'key-in-binary', ...n });
    });
  }

  for (const [lp, scan] of layers) {
    stats.layers++;
    stats.files += scan.files;
    stats.bytes += scan.bytes;
    if (placed.has(lp)) continue;
    if (scan.matches.length) notes.push({ kind: 'unreferenced-layer', path: lp, message: `layer ${lp} is in the archive but no manifest lists it` });
    for (const m of scan.matches) {
      findings.push(toFinding(m, { type: 'layer', layer: 0, layers: 0, digest: lp, blob: lp, path: m.path, offset: m.offset }));
    }
  }
  // JSON documents other than the configs and manifests (e.g. build attestations)
  for (const [p, buf] of jsonRaw) {
    if (used.has(p) || p === 'manifest.json' || p === 'index.json' || p === 'repositories' || p === 'oci-layout') continue;
    const doc = json.get(p);
    if (isRecord(doc) && (Array.isArray(doc['manifests']) || (isRecord(doc['config']) && Array.isArray(doc['layers'])))) continue;
    for (const m of scanText(detection, buf)) otherMatches.push({ path: p, m });
  }
  for (const { path, m } of otherMatches) findings.push(toFinding(m, { type: 'archive-file', path, offset: m.offset }));

  return { findings, notes, incomplete, stats, layout, images: images.map((i) => ({ config: i.configPath, repoTags: i.repoTags })) };
}

function hiddenBy(path: string, later: string[], layers: Map<string, FsScan>, diffIds: string[], offset: number): Hidden | undefined {
  for (let j = 0; j < later.length; j++) {
    const s = layers.get(later[j]!);
    if (!s) continue;
    const layer = offset + j + 1;
    const digest = diffIds[offset + j] ?? later[j]!;
    if (coveredBy(path, s.whiteouts)) return { by: 'whiteout', layer, digest };
    if (insideOneOf(path, s.opaque)) return { by: 'opaque-directory', layer, digest };
    if (s.paths.has(path)) return { by: 'overwritten', layer, digest };
  }
  return undefined;
}

export function toFinding(m: Match, where: Location): Finding {
  const f: Finding = { kind: m.kind, where, detail: m.detail, preview: m.preview };
  if (m.secret) f.secret = m.secret;
  if (m.form) f.form = m.form;
  return f;
}

export function addMatches(findings: Finding[], matches: Match[], where: Location): void {
  for (const m of matches) findings.push(toFinding(m, where));
}

/** Env, Labels, Cmd, Entrypoint, Healthcheck and OnBuild of an image or container config. */
export function scanConfig(detection: Detection, cfg: Record<string, unknown>, type: 'image-config' | 'container-config', findings: Finding[], stats: AuditStats): void {
  for (const e of strings(cfg['Env'])) {
    stats.configEntries++;
    const eq = e.indexOf('=');
    const key = eq === -1 ? e : e.slice(0, eq);
    addMatches(findings, scanText(detection, e), { type, field: 'Env', key: truncate(redactText(detection, key), 64) });
  }
  if (isRecord(cfg['Labels'])) {
    for (const [k, v] of Object.entries(cfg['Labels'])) {
      stats.configEntries++;
      addMatches(findings, scanText(detection, `${k}=${String(v)}`), { type, field: 'Labels', key: truncate(redactText(detection, k), 64) });
    }
  }
  for (const field of ['Cmd', 'Entrypoint', 'OnBuild'] as const) {
    const v = strings(cfg[field]);
    if (!v.length) continue;
    stats.configEntries++;
    addMatches(findings, scanText(detection, v.join(' ')), { type, field });
  }
  const hc = cfg['Healthcheck'];
  if (isRecord(hc)) {
    const v = strings(hc['Test']);
    if (v.length) { stats.configEntries++; addMatches(findings, scanText(detection, v.join(' ')), { type, field: 'Healthcheck' }); }
  }
}
