/** `npm run bench -- [--duration S | --quick | --smoke] [--families HS256,RS256] [--out FILE]`. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAMILIES, type Family } from './matrix.ts';

export interface BenchOptions {
  /** Whole seconds per cell and round: wrk takes no fractions. */
  seconds: number;
  /** Rounds over every cell; each cell reports its median round, so a burst of load from elsewhere on the machine moves no figure. */
  rounds: number;
  families: Family[];
  /** The JSON results; the SVG chart goes next to it. */
  outFile: string;
}

export const USAGE = `usage: npm run bench -- [options]
  --duration S        seconds per cell and round, a whole number (default 2)
  --rounds N          rounds over every cell; each reports its median (default 3)
  --quick             1 round
  --smoke             1 round of 1 s per cell, HS256 only (what the smoke test runs)
  --families LIST     comma-separated, from ${FAMILIES.join(',')} (default all)
  --out FILE          results as JSON (default .bench/results.json); the chart is FILE with .svg`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      families: { type: 'string' },
      out: { type: 'string', default: '.bench/results.json' },
    },
  });
  const seconds = Number(values.duration ?? (values.smoke ? 1 : 2));
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`--duration must be a whole number of seconds, at least 1\n${USAGE}`);
  }
  const rounds = Number(values.rounds ?? (values.smoke || values.quick ? 1 : 3));
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 9) {
    throw new Error(`--rounds must be a whole number from 1 to 9\n${USAGE}`);
  }
  const families = (values.families ?? (values.smoke ? 'HS256' : FAMILIES.join(','))).split(',').map((name) => name.trim().toUpperCase());
  const unknown = families.filter((name) => !(FAMILIES as readonly string[]).includes(name));
  if (unknown.length > 0 || families.length === 0) {
    throw new Error(`unknown family ${unknown.join(', ')}\n${USAGE}`);
  }
  return { seconds, rounds, families: families as Family[], outFile: path.resolve(values.out) };
}
