/**
 * Streaming tar reader: ustar, GNU (long names `L`, long link names `K`, base-256 sizes) and
 * PAX (`x` records for path, linkpath, size). Entries are yielded one at a time with a body
 * that streams straight from the source; a body left unread is skipped when the next entry is
 * requested. Nothing but headers and (bounded) metadata records is held in memory.
 *
 * Written here rather than taken from npm: the audit must never buffer an image, must nest
 * (a layer tar inside a `docker save` tar), and needs only the read side — about 200 lines.
 */
import { ByteReader } from './bytes.ts';
import { TarInvalid } from './errors.ts';

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'directory' | 'char' | 'block' | 'fifo' | 'other';

export interface TarEntry {
  /** Path as stored (after PAX / GNU long-name resolution), not normalised. */
  readonly path: string;
  readonly linkpath: string;
  readonly type: TarEntryType;
  readonly typeflag: string;
  readonly size: number;
  readonly mode: number;
  /** The entry's data. Iterate at most once, before asking for the next entry. */
  readonly body: AsyncIterable<Buffer>;
}

const BLOCK = 512;
/** Upper bound for GNU long-name and PAX records held in memory. */
const MAX_META = 1024 * 1024;
const READ_CHUNK = 64 * 1024;

function cstring(b: Buffer, start: number, len: number): string {
  const field = b.subarray(start, start + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? field.length : nul).toString('utf8');
}

function numeric(b: Buffer, start: number, len: number, what: string): number {
  const field = b.subarray(start, start + len);
  if (field.length > 0 && (field[0]! & 0x80) !== 0) {
    // GNU base-256: big-endian two's complement, first byte's top bit is the marker.
    if ((field[0]! & 0x40) !== 0) throw new TarInvalid(`negative ${what}`);
    let v = field[0]! & 0x3f;
    for (let i = 1; i < field.length; i++) {
      v = v * 256 + field[i]!;
      if (v > Number.MAX_SAFE_INTEGER) throw new TarInvalid(`${what} too large`);
    }
    return v;
  }
  const s = field.toString('latin1').replace(/[\0 ]+$/, '').replace(/^[\0 ]+/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarInvalid(`bad ${what} field`);
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = numeric(h, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function isZeroBlock(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Parses PAX extended header records: "<len> <key>=<value>\n". */
export function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number.parseInt(data.toString('latin1', pos, space), 10);
    if (!Number.isSafeInteger(len) || len <= 0 || pos + len > data.length) throw new TarInvalid('bad PAX record');
    const record = data.subarray(space + 1, pos + len - 1); // drop trailing "\n"
    const eq = record.indexOf(0x3d);
    if (eq === -1) throw new TarInvalid('bad PAX record');
    out.set(record.toString('utf8', 0, eq), record.toString('utf8', eq + 1));
    pos += len;
  }
  return out;
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0': case '\0': case '': case '7': return 'file';
    case '1': return 'hardlink';
    case '2': return 'symlink';
    case '3': return 'char';
    case '4': return 'block';
    case '5': return 'directory';
    case '6': return 'fifo';
    default: return 'other';
  }
}

/** Types whose header size is not followed by data (as Go's archive/tar, which Docker uses). */
const HEADER_ONLY = new Set<TarEntryType>(['hardlink', 'symlink', 'char', 'block', 'directory', 'fifo']);

export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry, void, undefined> {
  const reader = new ByteReader(source);
  try {
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Map<string, string> | undefined;

    const readMeta = async (size: number, what: string): Promise<Buffer> => {
      if (size > MAX_META) throw new TarInvalid(`${what} larger than ${MAX_META} bytes`);
      const data = await reader.readUpTo(size);
      if (data.length < size) throw new TarInvalid(`truncated ${what}`);
      await skipPadding(size);
      return Buffer.from(data); // copy: the reader's buffer is reused
    };
    const skipPadding = async (size: number): Promise<void> => {
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad && (await reader.skip(pad)) < pad) throw new TarInvalid('truncated padding');
    };

    for (;;) {
      const header = await reader.readUpTo(BLOCK);
      if (header.length === 0) return; // no end-of-archive marker; accept as Go does not
      if (header.length < BLOCK) throw new TarInvalid('truncated header');
      if (isZeroBlock(header)) return; // end of archive
      if (!checksumOk(header)) throw new TarInvalid(`bad header checksum at byte ${reader.position - BLOCK}`);

      const typeflag = String.fromCharCode(header[156]!);
      const headerSize = numeric(header, 124, 12, 'size');

      if (typeflag === 'L') { longName = cstring(await readMeta(headerSize, 'GNU long name'), 0, headerSize); continue; }
      if (typeflag === 'K') { longLink = cstring(await readMeta(headerSize, 'GNU long link'), 0, headerSize); continue; }
      if (typeflag === 'x' || typeflag === 'X') { pax = parsePax(await readMeta(headerSize, 'PAX header')); continue; }
      if (typeflag === 'g') { await readMeta(headerSize, 'PAX global header'); continue; } // ignored, as Go does

      const magic = header.toString('latin1', 257, 263);
      let path = cstring(header, 0, 100);
      if (magic === 'ustar\0') {
        const prefix = cstring(header, 345, 155);
        if (prefix) path = `${prefix}/${path}`;
      }
      let linkpath = cstring(header, 157, 100);
      let size = headerSize;
      if (longName !== undefined) path = longName;
      if (longLink !== undefined) linkpath = longLink;
      if (pax) {
        path = pax.get('path') ?? path;
        linkpath = pax.get('linkpath') ?? linkpath;
        const paxSize = pax.get('size');
        if (paxSize !== undefined) {
          size = Number(paxSize);
          if (!Number.isSafeInteger(size) || size < 0) throw new TarInvalid('bad PAX size');
        }
      }
      longName = longLink = pax = undefined;

      const type = typeOf(typeflag);
      const dataSize = HEADER_ONLY.has(type) ? 0 : size;
      let remaining = dataSize;
      let used = false;
      const body: AsyncIterable<Buffer> = {
        [Symbol.asyncIterator]: async function* () {
          if (used) throw new Error('tar entry body can be read only once');
          used = true;
          while (remaining > 0) {
            const chunk = await reader.next(Math.min(remaining, READ_CHUNK));
            if (chunk.length === 0) throw new TarInvalid(`truncated entry ${JSON.stringify(path)}`);
            remaining -= chunk.length;
            yield chunk;
          }
        },
      };

      yield { path, linkpath, type, typeflag, size: dataSize, mode: numeric(header, 100, 8, 'mode'), body };

      used = true;
      if (remaining > 0 && (await reader.skip(remaining)) < remaining) throw new TarInvalid(`truncated entry ${JSON.stringify(path)}`);
      remaining = 0;
      await skipPadding(dataSize);
    }
  } finally {
    await reader.close();
  }
}

/** Normalises an archive path for comparisons: no leading "./" or "/", no trailing "/". */
export function normalizePath(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\/{2,}/g, '/');
  return s === '.' ? '' : s;
}
