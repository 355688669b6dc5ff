/**
 * A streaming tar reader that looks for byte strings in every entry, also inside tar files
 * held by the archive (the layers of `docker save`), without holding more than one chunk and
 * one header in memory. Enough for the places the tutorial looks: `docker export` of a
 * container and `docker save` of an image (both the Docker 20.10 layout, <id>/layer.tar, and
 * the OCI layout of newer engines, blobs/sha256/<digest>).
 *
 * Not a general tar implementation: ustar, PAX `path`/`size` and GNU long names are read;
 * sparse files and the like are reported as they are stored.
 */

export interface TarEntryInfo {
  /** path inside the archive, and for nested archives the path of each level, outermost first */
  readonly path: readonly string[];
  readonly size: number;
  /** tar type flag: '0' file, '5' directory, '2' symlink, ... */
  readonly type: string;
}

export interface TarFinding extends TarEntryInfo {
  /** index into the needles given to the scanner */
  readonly needle: number;
}

export interface TarScanResult {
  readonly findings: TarFinding[];
  /** entries whose path (last level) matched `watch` */
  readonly watched: TarEntryInfo[];
  readonly entries: number;
}

export interface TarScanOptions {
  readonly needles: readonly (string | Buffer)[];
  /** paths to report whatever their content (e.g. run/secrets/jot), compared without leading ./ or / */
  readonly watch?: readonly string[];
  /** whether an entry may itself be a tar archive to descend into [layer.tar and blobs/sha256/*] */
  readonly nested?: (path: string) => boolean;
}

const BLOCK = 512;

function normalize(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

function defaultNested(path: string): boolean {
  return /(^|\/)layer\.tar$/.test(path) || /^blobs\/sha256\/[0-9a-f]{64}$/.test(path);
}

function readString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function readSize(block: Buffer): number {
  const field = block.subarray(124, 136);
  if ((field[0]! & 0x80) !== 0) {
    // base-256 (GNU) for sizes over 8 GiB
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const text = readString(block, 124, 12).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = parseInt(readString(block, 148, 8).trim(), 8);
  if (Number.isNaN(stored)) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored;
}

function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = parseInt(data.subarray(offset, space).toString('ascii'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq !== -1) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

/** Finds needles in a byte stream, across chunk boundaries. */
class Matcher {
  private tail: Buffer = Buffer.alloc(0);
  private readonly found = new Set<number>();
  private readonly keep: number;

  constructor(private readonly needles: readonly Buffer[]) {
    this.keep = Math.max(0, ...needles.map((n) => n.length - 1));
  }

  write(chunk: Buffer): void {
    if (this.needles.length === 0) return;
    const window = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    this.needles.forEach((needle, index) => {
      if (!this.found.has(index) && needle.length > 0 && window.includes(needle)) this.found.add(index);
    });
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - this.keep)));
  }

  results(): number[] {
    return [...this.found].sort((a, b) => a - b);
  }
}

interface Sink {
  write(chunk: Buffer): void;
  end(): void;
}

/** One level of tar. Entries' contents go to sinks made by `open`. */
class TarLevel {
  private buffer: Buffer = Buffer.alloc(0);
  private remaining = 0; // content bytes of the current entry still to come
  private padding = 0; // padding bytes after it
  private sink: Sink | undefined;
  private collect: Buffer[] | undefined; // content of a PAX or GNU long-name header
  private collectKind: 'pax' | 'longname' | undefined;
  private pending: { path?: string; size?: number } = {};
  private done = false;
  valid = true;

  constructor(private readonly open: (info: TarEntryInfo) => Sink | undefined, private readonly prefix: readonly string[]) {}

  write(chunk: Buffer): void {
    if (this.done || !this.valid) return;
    let data = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.buffer = Buffer.alloc(0);
    while (data.length > 0 && !this.done && this.valid) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        const part = data.subarray(0, take);
        if (this.collect !== undefined) this.collect.push(Buffer.from(part));
        else this.sink?.write(part);
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.finishEntry();
        continue;
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, data.length);
        this.padding -= skip;
        data = data.subarray(skip);
        continue;
      }
      if (data.length < BLOCK) {
        this.buffer = Buffer.from(data);
        return;
      }
      const header = data.subarray(0, BLOCK);
      data = data.subarray(BLOCK);
      this.readHeader(header);
    }
  }

  end(): void {
    if (this.remaining > 0) this.finishEntry();
  }

  private readHeader(header: Buffer): void {
    if (header.every((byte) => byte === 0)) {
      this.done = true; // end-of-archive marker
      return;
    }
    if (!checksumOk(header)) {
      this.valid = false;
      return;
    }
    const type = String.fromCharCode(header[156] || 0x30);
    let size = readSize(header);
    const name = readString(header, 0, 100);
    const prefix = readString(header, 345, 155);
    const magic = readString(header, 257, 6);
    let path = magic.startsWith('ustar') && prefix !== '' ? `${prefix}/${name}` : name;

    if (type === 'x' || type === 'L') {
      this.collect = [];
      this.collectKind = type === 'x' ? 'pax' : 'longname';
      this.startContent(size);
      return;
    }
    if (type === 'g') {
      this.collect = [];
      this.collectKind = undefined; // global header: ignored
      this.startContent(size);
      return;
    }
    if (this.pending.path !== undefined) path = this.pending.path;
    if (this.pending.size !== undefined) size = this.pending.size;
    this.pending = {};
    const info: TarEntryInfo = { path: [...this.prefix, normalize(path)], size, type };
    this.sink = this.open(info);
    this.startContent(type === '5' || type === '2' || type === '1' ? 0 : size);
  }

  private startContent(size: number): void {
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    if (this.collect !== undefined) {
      const data = Buffer.concat(this.collect);
      if (this.collectKind === 'longname') {
        this.pending.path = readString(data, 0, data.length);
      } else if (this.collectKind === 'pax') {
        const records = parsePax(data);
        const path = records.get('path');
        const size = records.get('size');
        if (path !== undefined) this.pending.path = path;
        if (size !== undefined) this.pending.size = parseInt(size, 10);
      }
      this.collect = undefined;
      this.collectKind = undefined;
      return;
    }
    this.sink?.end();
    this.sink = undefined;
  }
}

/**
 * Scans a tar stream. Resolves when the stream ends; rejects if it errors or if the outer
 * archive is not a tar file.
 */
export async function scanTar(stream: AsyncIterable<Buffer | string>, options: TarScanOptions): Promise<TarScanResult> {
  const needles = options.needles.map((n) => (typeof n === 'string' ? Buffer.from(n, 'utf8') : n));
  const watch = new Set((options.watch ?? []).map(normalize));
  const nested = options.nested ?? defaultNested;
  const findings: TarFinding[] = [];
  const watched: TarEntryInfo[] = [];
  let entries = 0;

  const open = (info: TarEntryInfo): Sink => {
    entries++;
    const last = info.path[info.path.length - 1]!;
    if (watch.has(last)) watched.push(info);
    const matcher = new Matcher(needles);
    const child = nested(last) ? new TarLevel(open, info.path) : undefined;
    const before = findings.length;
    return {
      write(chunk) {
        matcher.write(chunk);
        child?.write(chunk);
      },
      end() {
        child?.end();
        // A needle found inside a nested entry is reported there, not again for the archive.
        const inner = new Set(findings.slice(before).map((f) => f.needle));
        for (const needle of matcher.results()) if (!inner.has(needle)) findings.push({ ...info, needle });
      },
    };
  };

  const top = new TarLevel(open, []);
  for await (const chunk of stream) top.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  top.end();
  if (!top.valid) throw new Error('not a tar stream');
  return { findings, watched, entries };
}
