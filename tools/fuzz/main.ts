/**
 * `npm run fuzz -- --count N --seed S [--duration SECONDS] [--concurrency C]`:
 * sends N mutated tokens to the real gateway and prints the counts that must be
 * zero. Exit 0 when all are and every request was answered in time, 1 when a
 * target is missed, 2 on a usage error. Needs `npm run build:njs` first.
 */
import { parseArgs } from 'node:util';
import { formatReport, missedTargets, runFuzz } from './fuzz-run.ts';

const USAGE = 'usage: npm run fuzz -- [--count N (100000)] [--seed S (random)] [--duration SECONDS (1800)] [--concurrency C (16)]';

function positiveInteger(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) === 0) throw new Error(`--${name} must be a positive integer, not "${value}"`);
  return Number(value);
}

let options: Parameters<typeof runFuzz>[0];
try {
  const { values } = parseArgs({
    options: { count: { type: 'string' }, seed: { type: 'string' }, duration: { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  options = {
    count: positiveInteger(values.count, 100_000, 'count'),
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : positiveInteger(values.seed, 0, 'seed') >>> 0,
    durationSeconds: positiveInteger(values.duration, 1800, 'duration'),
    concurrency: positiveInteger(values.concurrency, 16, 'concurrency'),
    onProgress: (answered) => console.error(`fuzz: ${answered} answered`),
  };
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

console.error(`fuzz: seed ${options.seed} (pass --seed ${options.seed} to replay this sequence of mutations)`);
const report = await runFuzz(options);
console.log(formatReport(report));
const missed = missedTargets(report);
console.log(missed.length === 0 ? 'fuzz: every target met' : `fuzz: FAILED: ${missed.join('; ')}`);
process.exitCode = missed.length === 0 ? 0 : 1;
