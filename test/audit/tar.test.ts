import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TarInvalid } from '../../audit/src/errors.ts';
import { normalizePath, parsePax, readTar } from '../../audit/src/tar.ts';
import { chunks, entry, paxRecord, setChecksum, tar } from './helpers/tar.ts';

async function list(source: AsyncIterable<Uint8Array>, read = true): Promise<{ path: string; type: string; linkpath: string; data: string }[]> {
  const out = [];
  for await (const e of readTar(source)) {
    let data = '';
    if (read) for await (const c of e.body) data += c.toString('latin1');
    out.push({ path: e.path, type: e.type, linkpath: e.linkpath, data });
  }
  return out;
}

const longPath = `${'deep/'.repeat(30)}file-with-a-long-name.txt`; // 175 bytes

describe('readTar', () => {
  it('reads ustar files, directories and symlinks, in any chunking', async () => {
    const archive = tar([
      { name: 'etc/', type: '5' },
      { name: 'etc/hello.txt', data: 'hello world\n' },
      { name: 'etc/link', type: '2', linkname: 'hello.txt' },
      { name: 'empty', data: '' },
      { name: 'big.bin', data: Buffer.alloc(70_000, 0x61) },
    ]);
    for (const size of [1, 7, 511, 512, 513, 65536, archive.length]) {
      const entries = await list(chunks(archive, size));
      expect(entries.map((e) => [e.path, e.type])).toEqual([
        ['etc/', 'directory'], ['etc/hello.txt', 'file'], ['etc/link', 'symlink'], ['empty', 'file'], ['big.bin', 'file'],
      ]);
      expect(entries[1]!.data).toBe('hello world\n');
      expect(entries[2]!.linkpath).toBe('hello.txt');
      expect(entries[4]!.data.length).toBe(70_000);
    }
  });

  it('skips bodies the consumer does not read', async () => {
    const archive = tar([{ name: 'a', data: 'x'.repeat(1500) }, { name: 'b', data: 'second' }]);
    const seen: string[] = [];
    for await (const e of readTar(chunks(archive, 100))) {
      if (e.path === 'b') for await (const c of e.body) seen.push(c.toString());
    }
    expect(seen.join('')).toBe('second');
  });

  it('resolves GNU long names, PAX paths and ustar prefixes', async () => {
    const archive = tar([
      { name: longPath, data: 'gnu', long: 'gnu' },
      { name: `pax/${longPath}`, data: 'pax', long: 'pax' },
      { name: `pre/${longPath}`, data: 'prefix', long: 'ustar-prefix' },
    ]);
    const entries = await list(chunks(archive, 333));
    expect(entries.map((e) => [e.path, e.data])).toEqual([
      [longPath, 'gnu'], [`pax/${longPath}`, 'pax'], [`pre/${longPath}`, 'prefix'],
    ]);
  });

  it('honours a PAX size and GNU base-256 sizes', async () => {
    const pax = Buffer.from(paxRecord('size', '5') + paxRecord('linkpath', 'ignored-for-files'));
    const h = entry({ name: 'sized', data: 'abcde' });
    h.write('00000000000\0', 124, 'latin1'); // header says 0; PAX says 5
    setChecksum(h);
    const b256 = entry({ name: 'b256', data: 'xyz' });
    b256.fill(0, 124, 136);
    b256[124] = 0x80;
    b256[135] = 3;
    setChecksum(b256);
    const archive = Buffer.concat([entry({ name: 'PaxHeader', type: 'x', data: pax }).subarray(0, 512), pax, Buffer.alloc(512 - pax.length), h, b256, Buffer.alloc(1024)]);
    // entry() writes size 0 for type 'x'; fix that header to the record length
    archive.write(`${pax.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    setChecksum(archive.subarray(0, 512));
    const entries = await list(chunks(archive, 100));
    expect(entries.map((e) => [e.path, e.data])).toEqual([['sized', 'abcde'], ['b256', 'xyz']]);
  });

  it('parses PAX records with multi-byte values', () => {
    const rec = Buffer.from(paxRecord('path', 'ünïcødé/ファイル') + paxRecord('mtime', '1.5'));
    expect(parsePax(rec).get('path')).toBe('ünïcødé/ファイル');
    expect(parsePax(rec).get('mtime')).toBe('1.5');
  });

  it('rejects a corrupted header and a truncated entry with TarInvalid', async () => {
    const archive = tar([{ name: 'a', data: 'hello' }]);
    const bad = Buffer.from(archive);
    bad[10] = 0x41;
    await expect(list(chunks(bad))).rejects.toMatchObject({ code: 'ERR_TAR_INVALID' });
    await expect(list(chunks(archive.subarray(0, 600)))).rejects.toBeInstanceOf(TarInvalid);
  });

  it('streams: the first body chunk arrives before the source has produced much more than it', async () => {
    const size = 64 * 1024 * 1024;
    let produced = 0;
    async function* source(): AsyncGenerator<Buffer> {
      const h = entry({ name: 'huge', data: '' });
      h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
      setChecksum(h);
      produced += 512;
      yield h;
      const block = Buffer.alloc(64 * 1024, 0x62);
      for (let i = 0; i < size / block.length; i++) { produced += block.length; yield block; }
      produced += 1024;
      yield Buffer.alloc(1024);
    }
    let maxAhead = 0;
    let consumed = 0;
    for await (const e of readTar(source())) {
      for await (const c of e.body) {
        consumed += c.length;
        maxAhead = Math.max(maxAhead, produced - consumed);
      }
    }
    expect(consumed).toBe(size);
    expect(maxAhead).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it('normalises archive paths', () => {
    expect(normalizePath('./usr/app/')).toBe('usr/app');
    expect(normalizePath('/run//secrets/jot')).toBe('run/secrets/jot');
    expect(normalizePath('./')).toBe('');
  });
});

describe('readTar against GNU tar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-tar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'src');
  mkdirSync(join(src, ...longPath.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(src, longPath), 'long\n');
  writeFileSync(join(src, 'short.txt'), 'short\n');

  for (const format of ['gnu', 'pax', 'ustar', 'oldgnu'] as const) {
    it(`reads --format=${format} written by tar(1)`, async () => {
      const out = join(dir, `${format}.tar`);
      execFileSync('tar', ['-cf', out, `--format=${format}`, '-C', src, '--sort=name', longPath, 'short.txt']);
      const { createReadStream } = await import('node:fs');
      const entries = await list(createReadStream(out, { highWaterMark: 1000 }));
      expect(entries.find((e) => e.path === longPath)?.data).toBe('long\n');
      expect(entries.find((e) => e.path === 'short.txt')?.data).toBe('short\n');
    });
  }
});
