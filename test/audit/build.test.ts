import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeEngine } from './helpers/fake-engine.ts';
import { legacySave, tar } from './helpers/tar.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const TOKEN = readFileSync(new URL('../fixtures/tutorial/token1.jwt', import.meta.url), 'utf8');

describe('build:audit', () => {
  const out = mkdtempSync(join(tmpdir(), 'audit-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles one executable file that audits through a unix socket with nothing but Node', async () => {
    await run(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/build-audit.ts'), '--out-dir', out], { cwd: ROOT });
    const bundle = join(out, 'audit/secret-audit.mjs');
    expect(statSync(bundle).mode & 0o111).not.toBe(0);
    expect(readFileSync(bundle, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);

    const { archive } = legacySave({ layers: [tar([{ name: 'app/token', data: TOKEN }])] });
    const engine = await startFakeEngine({ images: { leaky: { inspect: { Id: 'sha256:1' }, archive } } });
    try {
      const result = await run(process.execPath, [bundle, 'image', 'leaky', '--json'], { cwd: out, env: { PATH: process.env['PATH'] ?? '', DOCKER_HOST: engine.host } })
        .then(() => ({ code: 0, stdout: '' }), (e: { code: number; stdout: string }) => e);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { findings: { kind: string; where: { path: string } }[] };
      expect(report.findings.map((f) => [f.kind, f.where.path])).toEqual([['jwt', 'app/token']]);
      expect(result.stdout).not.toContain(TOKEN);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
