/**
 * `npm run bench` in its quickest form (--smoke: HS256, 1 s cells): every cell is
 * measured and no answer was wrong. Speed is never asserted here: it depends on
 * the machine and on whatever else runs on it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, WORKLOADS } from '../../tools/bench/matrix.ts';
import type { BenchResults } from '../../tools/bench/results.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('npm run bench -- --smoke', () => {
  const dirReady = mkdtemp(path.join(os.tmpdir(), 'bench-smoke-'));
  afterAll(async () => rm(await dirReady, { recursive: true, force: true }));

  it('measures the ceiling and every HS256 endpoint warm and cold, with no wrong answer and no cold token sent twice', { timeout: 180_000 }, async () => {
    const outFile = path.join(await dirReady, 'results.json');
    await run(process.execPath, ['--import', 'tsx', 'tools/bench/main.ts', '--smoke', '--out', outFile], { cwd: REPO_ROOT, maxBuffer: 1 << 22 });
    const results = JSON.parse(await readFile(outFile, 'utf8')) as BenchResults;

    const name = (cell: BenchResults['cells'][number]) => `${cell.endpoint} ${cell.family} ${cell.workload}`;
    const expected = ['ceiling HS256 warm', 'proxy-ceiling HS256 warm', ...ENDPOINTS.flatMap((endpoint) => WORKLOADS.map((workload) => `${endpoint.id} HS256 ${workload}`))];
    expect(results.cells.map(name).sort()).toEqual(expected.sort());
    for (const cell of results.cells) {
      expect(cell.wrongAnswers, name(cell)).toBe(0);
      expect(cell.socketErrors, name(cell)).toBe(0);
      expect(cell.requestsPerSecond, name(cell)).toBeGreaterThan(0);
      expect(cell.rounds, name(cell)).toEqual([cell.requestsPerSecond]);
      if (cell.workload === 'cold') {
        expect(cell.tokens.sent, `${name(cell)}: a token sent twice`).toBeLessThanOrEqual(cell.tokens.distinct);
      }
    }
    expect(results.passed).toBe(true);
    expect(results.ratios.length).toBeGreaterThan(0);
    expect(existsSync(outFile.replace(/\.json$/, '.svg'))).toBe(true);
  });
});
