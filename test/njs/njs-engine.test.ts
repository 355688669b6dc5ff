/**
 * The njs modules inside the real njs engine (Debian's njs CLI, njs 0.7.9): the
 * same module cases and request vectors as the Node unit tests, bundled by the
 * same build as the gateway. A missing njs CLI fails the suite.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleForNjs } from '../../tools/lib/njs-bundle.ts';
import { NJS_BINARY } from '../../tools/lib/njs-load-check.ts';
import { moduleCases } from '../cases/module-cases.ts';
import { requestVectors } from '../vectors/index.ts';
import { testKeySet } from '../vectors/keys.ts';

interface EngineResults {
  engine: string;
  cases: Array<{ name: string; error: string | null }>;
  vectors: Array<{ name: string; answer: unknown }>;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'njs-engine-tests-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const vectors = await requestVectors();
const script = path.join(dir, 'engine-tests.js');
const input = path.join(dir, 'vectors.json');
await bundleForNjs({ entry: 'test/njs/engine/main.ts', outfile: script, kind: 'script' });
await writeFile(input, JSON.stringify({ keySet: testKeySet, now: Date.now() / 1000, vectors }));
const { stdout } = await promisify(execFile)(NJS_BINARY, [script, input]);
const results: EngineResults = { engine: '', cases: [], vectors: [] };
for (const line of stdout.trim().split('\n')) {
  const result = JSON.parse(line) as { engine?: string; case?: EngineResults['cases'][number]; vector?: EngineResults['vectors'][number] };
  if (result.engine) results.engine = result.engine;
  if (result.case) results.cases.push(result.case);
  if (result.vector) results.vectors.push(result.vector);
}

describe(`njs modules, in the njs CLI (njs ${results.engine})`, () => {
  it('ran every case', () => {
    expect(results.cases.map((result) => result.name)).toEqual(moduleCases.map((testCase) => testCase.name));
  });
  it.each(results.cases.map((result) => [result.name, result] as const))('%s', (_, result) => {
    expect(result.error).toBeNull();
  });
});

describe(`authenticate, in the njs CLI (njs ${results.engine})`, () => {
  it.each(vectors.map((vector, index) => [vector.name, vector, index] as const))('%s', (_, vector, index) => {
    expect(results.vectors[index]).toEqual({ name: vector.name, answer: { ...vector.expect, subject: vector.expect.subject ?? null } });
  });
});
