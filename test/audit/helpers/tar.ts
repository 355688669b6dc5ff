/** Builds tar archives and `docker save` archives in memory for the scanner tests. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface Spec {
  name: string;
  data?: string | Buffer;
  type?: '0' | '1' | '2' | '5' | 'x' | 'L' | 'K';
  linkname?: string;
  /** How to store a name longer than 100 bytes. */
  long?: 'gnu' | 'pax' | 'ustar-prefix';
}

function header(name: string, size: number, type: string, linkname = '', prefix = '', magic: 'ustar' | 'gnu' = 'ustar'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write(linkname, 157, 100, 'utf8');
  if (magic === 'ustar') h.write('ustar\u000000', 257, 'latin1');
  else h.write('ustar  \0', 257, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  setChecksum(h);
  return h;
}

/** Recomputes the checksum of the 512-byte header at the start of `h`. */
export function setChecksum(h: Buffer): void {
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h.subarray(0, 512)) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

function record(data: Buffer): Buffer[] {
  return [data, pad(data.length)];
}

export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

export function entry(spec: Spec): Buffer {
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data) : spec.data ?? Buffer.alloc(0);
  const type = spec.type ?? '0';
  const size = type === '0' ? data.length : 0;
  const parts: Buffer[] = [];
  let name = spec.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const long = spec.long ?? 'gnu';
    if (long === 'gnu') {
      const n = Buffer.from(`${name}\0`);
      parts.push(header('././@LongLink', n.length, 'L', '', '', 'gnu'), ...record(n));
      name = name.slice(0, 100);
    } else if (long === 'pax') {
      const p = Buffer.from(paxRecord('path', name));
      parts.push(header('PaxHeader/x', p.length, 'x'), ...record(p));
      name = name.slice(0, 100);
    } else {
      const k = name.lastIndexOf('/', 155);
      prefix = name.slice(0, k);
      name = name.slice(k + 1);
    }
  }
  parts.push(header(name, size, type, spec.linkname ?? '', prefix), ...record(data.subarray(0, size)));
  return Buffer.concat(parts);
}

export function tar(specs: Spec[]): Buffer {
  return Buffer.concat([...specs.map(entry), Buffer.alloc(1024)]);
}

/** Yields `buf` in chunks of `size` bytes (the last may be shorter). */
export async function* chunks(buf: Buffer, size = 4096): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export interface ImageSpec {
  layers: Buffer[]; // uncompressed layer tars, lowest first
  env?: string[];
  labels?: Record<string, string>;
  cmd?: string[];
  history?: { created_by: string; empty_layer?: boolean }[];
  gzip?: boolean;
  /** Custom blob encoding (e.g. zstd); wins over `gzip`. */
  compress?: (layer: Buffer) => Buffer;
  tag?: string;
}

function configOf(img: ImageSpec): Buffer {
  const history = img.history ?? img.layers.map((_, i) => ({ created_by: `/bin/sh -c #(nop) COPY file:${i} in / ` }));
  return Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux',
    config: { Env: img.env ?? ['PATH=/usr/bin:/bin'], Labels: img.labels ?? null, Cmd: img.cmd ?? ['node', 'app.js'] },
    rootfs: { type: 'layers', diff_ids: img.layers.map((l) => `sha256:${sha256(l)}`) },
    history,
  }));
}

/**
 * `docker save` as Docker ≤ 24 writes it: layer dirs first, then config, manifest.json last.
 * With `aliasFirstLayer`, the manifest names the first layer through a symlinked directory,
 * as Docker does when two image layers have the same content.
 */
export function legacySave(img: ImageSpec, opts: { aliasFirstLayer?: boolean } = {}): { archive: Buffer; diffIds: string[] } {
  const config = configOf(img);
  const configHex = sha256(config);
  const ids = img.layers.map((l, i) => sha256(Buffer.concat([l, Buffer.from(String(i))])));
  const specs: Spec[] = [];
  img.layers.forEach((l, i) => {
    specs.push({ name: `${ids[i]}/`, type: '5' });
    specs.push({ name: `${ids[i]}/VERSION`, data: '1.0' });
    specs.push({ name: `${ids[i]}/json`, data: JSON.stringify({ id: ids[i] }) });
    specs.push({ name: `${ids[i]}/layer.tar`, data: img.gzip ? gzipSync(l) : l });
  });
  specs.push({ name: `${configHex}.json`, data: config });
  const layerPaths = ids.map((id) => `${id}/layer.tar`);
  if (opts.aliasFirstLayer) {
    specs.unshift({ name: 'alias/', type: '5' }, { name: 'alias/layer.tar', type: '2', linkname: `../${ids[0]}/layer.tar` });
    layerPaths[0] = 'alias/layer.tar';
  }
  specs.push({ name: 'manifest.json', data: JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [img.tag ?? 'test:latest'], Layers: layerPaths }]) });
  specs.push({ name: 'repositories', data: JSON.stringify({ test: { latest: ids[ids.length - 1] } }) });
  return { archive: tar(specs), diffIds: img.layers.map((l) => `sha256:${sha256(l)}`) };
}

/** `docker save` as Docker ≥ 25 writes it: OCI blobs first, then index.json, manifest.json, oci-layout. */
export function ociSave(img: ImageSpec, opts: { dockerManifest?: boolean } = {}): { archive: Buffer; diffIds: string[]; blobDigests: string[] } {
  const config = configOf(img);
  const blobs = img.layers.map((l) => (img.compress ? img.compress(l) : img.gzip ? gzipSync(l) : l));
  const blobDigests = blobs.map((b) => `sha256:${sha256(b)}`);
  const configDigest = `sha256:${sha256(config)}`;
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: blobs.map((b, i) => ({ mediaType: img.gzip ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar', digest: blobDigests[i], size: b.length })),
  }));
  const manifestDigest = `sha256:${sha256(manifest)}`;
  const index = {
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'io.containerd.image.name': `docker.io/library/${img.tag ?? 'test:latest'}` } }],
  };
  const specs: Spec[] = [{ name: 'blobs/', type: '5' }, { name: 'blobs/sha256/', type: '5' }];
  blobs.forEach((b, i) => specs.push({ name: `blobs/sha256/${blobDigests[i]!.slice(7)}`, data: b }));
  specs.push({ name: `blobs/sha256/${configDigest.slice(7)}`, data: config });
  specs.push({ name: `blobs/sha256/${manifestDigest.slice(7)}`, data: manifest });
  specs.push({ name: 'index.json', data: JSON.stringify(index) });
  if (opts.dockerManifest ?? true) {
    specs.push({ name: 'manifest.json', data: JSON.stringify([{ Config: `blobs/sha256/${configDigest.slice(7)}`, RepoTags: [img.tag ?? 'test:latest'], Layers: blobDigests.map((d) => `blobs/sha256/${d.slice(7)}`) }]) });
  }
  specs.push({ name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' });
  return { archive: tar(specs), diffIds: img.layers.map((l) => `sha256:${sha256(l)}`), blobDigests };
}
