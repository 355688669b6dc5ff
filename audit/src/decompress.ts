/**
 * Layer blobs may be plain tar, gzip or zstd. Detect by magic bytes, never by name or media
 * type (legacy `docker save` names every layer `layer.tar` whatever it holds).
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

export type Compression = 'none' | 'gzip' | 'zstd';

export interface Opened {
  compression: Compression;
  /** Decompressed bytes; undefined when the compression is not supported by this Node. */
  stream: AsyncIterable<Buffer> | undefined;
}

/** Reads the first bytes of a stream, returning them with an iterable that replays them. */
export async function peek(source: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Buffer; stream: AsyncIterable<Buffer>; close: () => Promise<void> }> {
  const it = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    const b = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    first.push(b);
    have += b.length;
  }
  const head = Buffer.concat(first, have);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield head;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      }
    } finally {
      if (!done) await it.return?.();
    }
  }
  const close = async (): Promise<void> => {
    if (!done) { done = true; await it.return?.(); }
  };
  return { head: head.subarray(0, n), stream: replay(), close };
}

export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

type ZstdFactory = () => import('node:stream').Transform;
function zstdFactory(): ZstdFactory | undefined {
  // zlib.createZstdDecompress exists from Node 22.15 / 23.8; absent on Node 20.
  const f = (zlib as unknown as Record<string, unknown>)['createZstdDecompress'];
  return typeof f === 'function' ? (f as ZstdFactory) : undefined;
}

async function* through(source: AsyncIterable<Buffer>, transform: import('node:stream').Transform): AsyncGenerator<Buffer> {
  const input = Readable.from(source, { objectMode: false });
  input.on('error', (e) => transform.destroy(e));
  input.pipe(transform);
  try {
    for await (const chunk of transform) yield chunk as Buffer;
  } finally {
    input.destroy();
    transform.destroy();
  }
}

/** Detects the compression of a blob and returns its decompressed stream. */
export async function openBlob(source: AsyncIterable<Uint8Array>): Promise<Opened> {
  const { head, stream, close } = await peek(source, 4);
  const compression = sniffCompression(head);
  if (compression === 'gzip') return { compression, stream: through(stream, zlib.createGunzip()) };
  if (compression === 'zstd') {
    const f = zstdFactory();
    if (f) return { compression, stream: through(stream, f()) };
    await close(); // not readable here: release the source (aborts an HTTP body)
    return { compression, stream: undefined };
  }
  return { compression, stream };
}
