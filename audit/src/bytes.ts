/**
 * A pull-based byte reader over an async iterable of chunks: exact reads for headers,
 * bounded streaming for entry bodies. Holds at most one upstream chunk plus what a caller
 * asked to read exactly, never the whole stream.
 */

const EMPTY = Buffer.alloc(0);

export class ByteReader {
  readonly #it: AsyncIterator<Uint8Array>;
  #buf: Buffer = EMPTY;
  #ended = false;
  /** Bytes handed out so far (absolute position in the stream). */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#it = source[Symbol.asyncIterator]();
  }

  async #pull(): Promise<boolean> {
    if (this.#ended) return false;
    const r = await this.#it.next();
    if (r.done) {
      this.#ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    return true;
  }

  /** Reads exactly n bytes; returns the bytes read so far (shorter) at end of stream. */
  async readUpTo(n: number): Promise<Buffer> {
    while (this.#buf.length < n) {
      if (!(await this.#pull())) break;
    }
    const out = this.#buf.subarray(0, Math.min(n, this.#buf.length));
    this.#buf = this.#buf.subarray(out.length);
    this.position += out.length;
    return out;
  }

  /** Returns the next chunk of at most n bytes (n > 0), or an empty buffer at end of stream. */
  async next(n: number): Promise<Buffer> {
    if (this.#buf.length === 0 && !(await this.#pull())) return EMPTY;
    const out = this.#buf.subarray(0, Math.min(n, this.#buf.length));
    this.#buf = this.#buf.subarray(out.length);
    this.position += out.length;
    return out;
  }

  /** Skips n bytes; returns how many could be skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const c = await this.next(left);
      if (c.length === 0) break;
      left -= c.length;
    }
    return n - left;
  }

  async close(): Promise<void> {
    this.#buf = EMPTY;
    if (!this.#ended) {
      this.#ended = true;
      await this.#it.return?.();
    }
  }
}

/** Collects a small stream into memory, failing beyond `limit` bytes. */
export async function collect(source: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const c of source) {
    total += c.byteLength;
    if (total > limit) throw new RangeError(`more than ${limit} bytes`);
    parts.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  }
  return Buffer.concat(parts, total);
}
