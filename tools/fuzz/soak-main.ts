/**
 * `npm run soak -- [--requests N] [--tokens N] [--max-growth-mib M] [--paths /,/api/] [--duration SECONDS]`:
 * worker RSS before and after N verified requests per family (HS256, RS256,
 * ES256). Exit 0 when every request got 2xx and no family grew past the
 * threshold, 1 when a target is missed, 2 on a usage error. Needs wrk and
 * `npm run build:njs`.
 */
import { parseArgs } from 'node:util';
import { missedSoakTargets, runSoak, type SoakOptions } from './soak.ts';

const USAGE =
  'usage: npm run soak -- [--requests N (1000000)] [--tokens N distinct per family, a prime (251)] [--max-growth-mib M (4)] [--paths /[,/api/] (/)] [--duration SECONDS per family (3600)]';

let options: SoakOptions;
try {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '1000000' },
      tokens: { type: 'string', default: '251' },
      'max-growth-mib': { type: 'string', default: '4' },
      paths: { type: 'string', default: '/' },
      duration: { type: 'string', default: '3600' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name: 'requests' | 'tokens' | 'max-growth-mib' | 'duration') => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not "${values[name]}"`);
    return value;
  };
  const paths = values.paths.split(',');
  if (!paths.every((path) => path === '/' || path === '/api/')) throw new Error(`--paths takes / and /api/, not "${values.paths}"`);
  options = {
    requestsPerFamily: Math.round(number('requests')),
    maxGrowthKiB: number('max-growth-mib') * 1024,
    maxSecondsPerFamily: Math.round(number('duration')),
    paths,
    tokensPerFamily: Math.round(number('tokens')),
    onProgress: (line) => console.log(line),
  };
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

const started = Date.now();
const report = await runSoak(options);
const missed = missedSoakTargets(report);
console.log(`soak: ${((Date.now() - started) / 1000).toFixed(0)}s in all; threshold ${options.maxGrowthKiB / 1024} MiB of growth per family, all workers together`);
console.log(missed.length === 0 ? 'soak: every target met' : `soak: FAILED: ${missed.join('; ')}`);
process.exitCode = missed.length === 0 ? 0 : 1;
