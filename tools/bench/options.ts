/** `npm run bench -- [--duration S | --quick | --smoke] [--families HS256,RS256] [--out FILE]`. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAMILIES, type Family } from './matrix.ts';

export interface BenchOptions {
  /** Whole seconds per cell: wrk takes no fractions. */
  seconds: number;
  families: Family[];
  /** The JSON results; the SVG chart goes next to it. */
  outFile: string;
}

export const USAGE = `usage: npm run bench -- [options]
  --duration S        seconds per cell, a whole number (default 5)
  --quick             2 s per cell
  --smoke             1 s per cell, HS256 only (what the smoke test runs)
  --families LIST     comma-separated, from ${FAMILIES.join(',')} (default all)
  --out FILE          results as JSON (default .bench/results.json); the chart is FILE with .svg`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      families: { type: 'string' },
      out: { type: 'string', default: '.bench/results.json' },
    },
  });
  const seconds = Number(values.duration ?? (values.smoke ? 1 : values.quick ? 2 : 5));
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`--duration must be a whole number of seconds, at least 1\n${USAGE}`);
  }
  const families = (values.families ?? (values.smoke ? 'HS256' : FAMILIES.join(','))).split(',').map((name) => name.trim().toUpperCase());
  const unknown = families.filter((name) => !(FAMILIES as readonly string[]).includes(name));
  if (unknown.length > 0 || families.length === 0) {
    throw new Error(`unknown family ${unknown.join(', ')}\n${USAGE}`);
  }
  return { seconds, families: families as Family[], outFile: path.resolve(values.out) };
}
