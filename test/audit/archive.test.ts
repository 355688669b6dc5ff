import { readFileSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanImageArchive } from '../../audit/src/archive.ts';
import { ArchiveInvalid } from '../../audit/src/errors.ts';
import type { Finding } from '../../audit/src/report.ts';
import { compileDetection } from '../../audit/src/scanner.ts';
import { givenSecret } from '../../audit/src/secrets.ts';
import { chunks, legacySave, ociSave, tar } from './helpers/tar.ts';

const TOKEN = readFileSync(new URL('../fixtures/tutorial/token1.jwt', import.meta.url), 'utf8');
const withSecret = compileDetection({ secrets: [givenSecret('file token1.jwt', TOKEN)] });
const heuristicsOnly = compileDetection({});

const app = `import urllib.request\njwt = "${TOKEN}"\nreq.add_header("Authorization", "Bearer " + jwt)\n`;
const base = tar([{ name: 'usr/', type: '5' }, { name: 'usr/bin/', type: '5' }, { name: 'usr/bin/tool', data: 'binary-ish content' }]);
const addsSecret = tar([{ name: 'usr/app/src/', type: '5' }, { name: 'usr/app/src/app.py', data: app }]);
const deletesSecret = tar([{ name: 'usr/app/src/', type: '5' }, { name: 'usr/app/src/.wh.app.py', data: '' }]);

function where(f: Finding): string {
  const w = f.where;
  if (w.type === 'layer') return `layer ${w.layer}/${w.layers} /${w.path}`;
  if (w.type === 'image-config' || w.type === 'container-config') return `${w.field} ${w.key ?? ''}`.trim();
  if (w.type === 'history') return `history ${w.step}`;
  return `${w.type} ${w.path}`;
}

describe.each([
  ['legacy layout', (img: Parameters<typeof legacySave>[0]) => legacySave(img)],
  ['OCI layout, gzip layers', (img: Parameters<typeof legacySave>[0]) => ociSave({ ...img, gzip: true })],
  ['OCI layout without manifest.json', (img: Parameters<typeof legacySave>[0]) => ociSave(img, { dockerManifest: false })],
  ['legacy layout, gzip layers', (img: Parameters<typeof legacySave>[0]) => legacySave({ ...img, gzip: true })],
])('docker save archive: %s', (_name, save) => {
  it('reports a secret added in one layer and deleted in the next as still leaked', async () => {
    const { archive, diffIds } = save({ layers: [base, addsSecret, deletesSecret] });
    for (const size of [777, 64 * 1024]) {
      const scan = await scanImageArchive(chunks(archive, size), withSecret);
      expect(scan.findings.map(where)).toEqual(['layer 2/3 /usr/app/src/app.py']);
      const f = scan.findings[0]!;
      expect(f).toMatchObject({ kind: 'secret', form: 'raw', detail: { alg: 'HS256', kid: 'sign', sub: 'apiKey1' } });
      expect(f.where).toMatchObject({ digest: diffIds[1], offset: app.indexOf(TOKEN) });
      expect(f.hidden).toEqual({ by: 'whiteout', layer: 3, digest: diffIds[2] });
      expect(f.preview).toBe('jwt = "‹secret raw›"');
      expect(scan.stats).toMatchObject({ layers: 3, files: 2 });
      expect(scan.incomplete).toEqual([]);
    }
  });

  it('finds the token in Env, Labels, Cmd and history (a build arg), with no given secret', async () => {
    const { archive } = save({
      layers: [base],
      env: ['PATH=/usr/bin', `JWT=${TOKEN}`],
      labels: { 'org.example.token': TOKEN, maintainer: 'me' },
      cmd: ['python', 'app.py', '--token', TOKEN],
      history: [{ created_by: `|1 TOKEN=${TOKEN} /bin/sh -c echo building` }, { created_by: '/bin/sh -c #(nop) ENV A=b', empty_layer: true }],
    });
    const scan = await scanImageArchive(chunks(archive), heuristicsOnly);
    expect(scan.findings.map(where)).toEqual(['Env JWT', 'Labels org.example.token', 'Cmd', 'history 1']);
    expect(scan.findings.every((f) => f.kind === 'jwt' && f.detail['sub'] === 'apiKey1')).toBe(true);
    const history = scan.findings[3]!.where;
    expect(history.type === 'history' && history.createdBy).toBe('|1 TOKEN=‹jwt› /bin/sh -c echo building');
    expect(scan.stats.historySteps).toBe(2);
    expect(JSON.stringify(scan)).not.toContain(TOKEN);
  });

  it('reports a clean image as clean', async () => {
    const { archive } = save({ layers: [base, tar([{ name: 'etc/nginx/nginx.conf', data: 'events {}\nhttp { js_import main.js; }\n' }])] });
    const scan = await scanImageArchive(chunks(archive), withSecret);
    expect(scan.findings).toEqual([]);
    expect(scan.notes).toEqual([]);
    expect(scan.stats).toMatchObject({ layers: 2, files: 2 });
  });
});

describe('layer semantics', () => {
  it('opaque directories and overwritten files hide lower files; the leak is still reported', async () => {
    const l1 = tar([
      { name: 'app/', type: '5' }, { name: 'app/conf/', type: '5' },
      { name: 'app/conf/token', data: TOKEN }, { name: 'app/old.env', data: `JWT=${TOKEN}\n` }, { name: 'app/kept', data: TOKEN },
    ]);
    const l2 = tar([{ name: 'app/conf/', type: '5' }, { name: 'app/conf/.wh..wh..opq', data: '' }, { name: 'app/old.env', data: 'JWT=\n' }]);
    const { archive, diffIds } = ociSave({ layers: [l1, l2], gzip: true });
    const scan = await scanImageArchive(chunks(archive), withSecret);
    expect(scan.findings.map((f) => [where(f), f.hidden?.by ?? 'visible'])).toEqual([
      ['layer 1/2 /app/conf/token', 'opaque-directory'],
      ['layer 1/2 /app/old.env', 'overwritten'],
      ['layer 1/2 /app/kept', 'visible'],
    ]);
    expect(scan.findings[0]!.hidden?.digest).toBe(diffIds[1]);
  });

  it('finds secrets in files with GNU and PAX long names, and in base64 form', async () => {
    const dir = `opt/${'very-long-directory-name/'.repeat(6)}`;
    const layer = tar([
      { name: `${dir}gnu.txt`, data: `x${TOKEN}`, long: 'gnu' },
      { name: `${dir}pax.b64`, data: Buffer.from(`{"token":"${TOKEN}"}`).toString('base64'), long: 'pax' },
    ]);
    const scan = await scanImageArchive(chunks(legacySave({ layers: [layer] }).archive, 1000), withSecret);
    expect(scan.findings.map((f) => [where(f), f.form])).toEqual([
      [`layer 1/1 /${dir}gnu.txt`, 'raw'],
      [`layer 1/1 /${dir}pax.b64`, 'base64'],
    ]);
  });

  it('a layer named through a symlinked directory in a legacy archive is resolved', async () => {
    const { archive, diffIds } = legacySave({ layers: [addsSecret, base] }, { aliasFirstLayer: true });
    const scan = await scanImageArchive(chunks(archive), withSecret);
    expect(scan.findings.map(where)).toEqual(['layer 1/2 /usr/app/src/app.py']);
    expect(scan.findings[0]!.where).toMatchObject({ digest: diffIds[0] });
  });

  it('reports private keys inside ELF binaries as a note, and as a leak with strict', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(100), Buffer.from(`\0${pem}\0`)]);
    const layer = tar([{ name: 'usr/lib/libcrypto-selftest.so', data: elf }, { name: 'etc/ssl/private/server.key', data: pem }]);
    const { archive } = legacySave({ layers: [layer] });
    const normal = await scanImageArchive(chunks(archive), heuristicsOnly);
    expect(normal.findings.map(where)).toEqual(['layer 1/1 /etc/ssl/private/server.key']);
    expect(normal.notes.map((n) => [n.kind, n.path])).toEqual([['key-in-binary', 'usr/lib/libcrypto-selftest.so']]);
    const strict = await scanImageArchive(chunks(archive), compileDetection({ strict: true }));
    expect(strict.findings.map(where)).toEqual(['layer 1/1 /usr/lib/libcrypto-selftest.so', 'layer 1/1 /etc/ssl/private/server.key']);
  });

  it('scans other JSON documents in the archive (e.g. build attestations)', async () => {
    const { archive } = ociSave({ layers: [base] });
    const extra = tar([{ name: 'blobs/sha256/' + 'a'.repeat(64), data: JSON.stringify({ predicate: { args: { 'build-arg:TOKEN': TOKEN } } }) }]);
    const scan = await scanImageArchive(chunks(Buffer.concat([extra.subarray(0, extra.length - 1024), archive])), heuristicsOnly);
    expect(scan.findings.map(where)).toEqual([`archive-file blobs/sha256/${'a'.repeat(64)}`]);
  });

  it('a zstd layer is decompressed when Node can, otherwise the audit says it is incomplete', async () => {
    const zstd = (zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;
    // Node 20 has no zstd: a blob with zstd's magic number stands in for one.
    const compress = zstd ?? ((l: Buffer) => Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), l]));
    const { archive } = ociSave({ layers: [addsSecret], compress });
    const scan = await scanImageArchive(chunks(archive), withSecret);
    if (zstd) {
      expect(scan.findings.map(where)).toEqual(['layer 1/1 /usr/app/src/app.py']);
    } else {
      expect(scan.findings).toEqual([]);
      expect(scan.incomplete).toHaveLength(1);
      expect(scan.incomplete[0]).toMatch(/^layer blobs\/sha256\/[0-9a-f]{64} is zstd-compressed .*Node >= 22\.15/);
    }
  });

  it('rejects an archive with neither manifest.json nor index.json', async () => {
    await expect(scanImageArchive(chunks(tar([{ name: 'x', data: 'y' }])), withSecret)).rejects.toBeInstanceOf(ArchiveInvalid);
  });
});
