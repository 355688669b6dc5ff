/**
 * The njs build refuses what njs 0.7.9 cannot run, naming the source file and
 * line, and writes the only export form njs accepts.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleForNjs, formatBuildError } from '../../tools/lib/njs-bundle.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'build-njs-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function build(source: string, kind: 'module' | 'script' = 'module'): Promise<string> {
  const entry = path.join(dir, `entry-${Math.random().toString(36).slice(2)}.ts`);
  const outfile = `${entry}.js`;
  await writeFile(entry, source);
  try {
    await bundleForNjs({ entry, outfile, kind });
    return await readFile(outfile, 'utf8');
  } catch (error) {
    throw new Error(formatBuildError(error));
  }
}

describe('npm run build:njs', () => {
  const forbidden: Array<[string, string]> = [
    ['for..of', 'for (const x of [1]) { x; }'],
    ['destructuring', 'const { a } = { a: 1 }; a;'],
    ['a class', 'class A {} new A();'],
    ['a default parameter', 'function f(a = 1) { return a; } f();'],
    ['array spread', 'const a = [1]; [...a];'],
    ['a generator', 'function* g() { yield 1; } g();'],
  ];

  it.each(forbidden)('fails on %s, naming file and line', async (_, statement) => {
    await expect(build(`const ok = 1;\n${statement}\nexport default { ok };\n`)).rejects.toThrow(/entry-\w+\.ts:2:\d+: /);
  });

  const missingApis: Array<[string, string]> = [
    ['Map', 'const m = new Map();'],
    ['Array.from', 'const a = Array.from([1]);'],
    ['Object.fromEntries', 'const o = Object.fromEntries([]);'],
    ['replaceAll', "const s = 'a'.replaceAll('a', 'b');"],
  ];

  it.each(missingApis)('fails on %s, a runtime API njs lacks, naming file and line', async (name, statement) => {
    await expect(build(`const ok = 1;\n${statement}\nexport default { ok };\n`)).rejects.toThrow(new RegExp(`entry-\\w+\\.ts:2: njs has no ${name.replace('.', '\\.')}`));
  });

  it('fails on BigInt, which esbuild would turn into a call njs cannot make', async () => {
    await expect(build('export default { n: 1n };\n')).rejects.toThrow('njs has no BigInt');
  });

  it('fails on a RegExp flag njs lacks', async () => {
    await expect(build("export default { ok: /a.b/s.test('a\\nb') };\n")).rejects.toThrow('RegExp uses a flag njs does not support');
  });

  it('lowers ?. and ?? and writes `export default <name>;`', async () => {
    const code = await build('const o: { a?: { b: number } } = {};\nconst v = o.a?.b ?? 2;\nexport default { v };\n');
    expect(code).not.toMatch(/\?\.|\?\?/);
    expect(code).toMatch(/^export default \w+;$/m);
    expect(code).not.toMatch(/export\s*\{/);
  });

  it('fails on a named export, which njs cannot load', async () => {
    await expect(build('export const a = 1;\nexport default { a };\n')).rejects.toThrow('must export exactly one default object');
  });

  it('fails on a script for the njs CLI that exports', async () => {
    await expect(build('export default {};\n', 'script')).rejects.toThrow('must not export anything');
  });
});
