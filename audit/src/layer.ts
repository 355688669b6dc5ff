/**
 * Scans one filesystem tar (an image layer, or a container export): every regular file's
 * content through the detectors, streaming; records whiteouts and paths so the image scan can
 * tell which files later layers delete or replace.
 */
import { openBlob } from './decompress.ts';
import { type Detection, type Match, Scanner } from './scanner.ts';
import { normalizePath, readTar } from './tar.ts';

export interface FileMatch extends Match {
  path: string;
}

export interface FsScan {
  compression: 'none' | 'gzip' | 'zstd';
  /** False when the data could not be decompressed (zstd on a Node without zstd). */
  scanned: boolean;
  files: number;
  bytes: number;
  matches: FileMatch[];
  /** Paths deleted from lower layers by `.wh.<name>` entries. */
  whiteouts: Set<string>;
  /** Directories made opaque (`.wh..wh..opq`): lower layers' contents hidden. */
  opaque: Set<string>;
  /** Every non-whiteout path in this tar. */
  paths: Set<string>;
  /** Regular files of size 0 (mount points in an export show up like this). */
  emptyFiles: Set<string>;
  /** Matches beyond the per-file cap, per path. */
  dropped: Map<string, number>;
  /**
   * Heuristic key matches (PEM private key, JWK) inside ELF executables and libraries, kept
   * apart: crypto libraries embed public self-test keys (libgnutls has half a dozen), so these
   * are reported as notes unless the audit is strict. Given secrets and JWTs are never kept apart.
   */
  binaryKeys: FileMatch[];
}

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';

function split(p: string): [string, string] {
  const k = p.lastIndexOf('/');
  return k === -1 ? ['', p] : [p.slice(0, k), p.slice(k + 1)];
}

export async function scanFilesystemTar(source: AsyncIterable<Uint8Array>, detection: Detection): Promise<FsScan> {
  const opened = await openBlob(source);
  const scan: FsScan = {
    compression: opened.compression, scanned: opened.stream !== undefined, files: 0, bytes: 0, matches: [],
    whiteouts: new Set(), opaque: new Set(), paths: new Set(), emptyFiles: new Set(), dropped: new Map(), binaryKeys: [],
  };
  if (!opened.stream) return scan;
  for await (const entry of readTar(opened.stream)) {
    const path = normalizePath(entry.path);
    const [dir, base] = split(path);
    if (base === OPAQUE) { scan.opaque.add(dir); continue; }
    if (base.startsWith(WH)) { scan.whiteouts.add(dir ? `${dir}/${base.slice(WH.length)}` : base.slice(WH.length)); continue; }
    if (path) scan.paths.add(path);
    if (entry.type !== 'file') continue;
    scan.files++;
    if (entry.size === 0) { scan.emptyFiles.add(path); continue; }
    const scanner = new Scanner(detection);
    let head = Buffer.alloc(0);
    for await (const chunk of entry.body) {
      if (head.length < ELF.length) head = Buffer.concat([head, chunk.subarray(0, ELF.length - head.length)]);
      scanner.push(chunk);
    }
    scan.bytes += scanner.bytes;
    const elf = head.equals(ELF);
    for (const m of scanner.end()) {
      if (elf && !detection.strict && (m.kind === 'private-key' || m.kind === 'jwk')) scan.binaryKeys.push({ ...m, path });
      else scan.matches.push({ ...m, path });
    }
    if (scanner.dropped) scan.dropped.set(path, scanner.dropped);
  }
  return scan;
}

/** Whether a path, or a directory above it, is in `set`. */
export function coveredBy(path: string, set: ReadonlySet<string>): boolean {
  let p = path;
  for (;;) {
    if (set.has(p)) return true;
    const k = p.lastIndexOf('/');
    if (k === -1) return false;
    p = p.slice(0, k);
  }
}

/** Whether `path` lies strictly inside one of the directories in `dirs`. */
export function insideOneOf(path: string, dirs: ReadonlySet<string>): boolean {
  let p = path;
  for (;;) {
    const k = p.lastIndexOf('/');
    const parent = k === -1 ? '' : p.slice(0, k);
    if (dirs.has(parent)) return true;
    if (k === -1) return false;
    p = parent;
  }
}

/** One note per binary holding heuristic key matches (see FsScan.binaryKeys). */
export function binaryKeyNotes(scan: FsScan, where: string): { path: string; message: string }[] {
  const byPath = new Map<string, string[]>();
  for (const m of scan.binaryKeys) {
    const labels = byPath.get(m.path) ?? [];
    labels.push(m.detail['label'] ?? `JWK ${m.detail['kty'] ?? ''}`.trim());
    byPath.set(m.path, labels);
  }
  return [...byPath].map(([path, labels]) => ({
    path,
    message: `/${path}${where}: ${labels.length} private key${labels.length === 1 ? '' : 's'} embedded in an ELF binary (${[...new Set(labels)].join(', ')}); usually a crypto library's self-test keys, not counted as a leak (--strict counts them)`,
  }));
}
