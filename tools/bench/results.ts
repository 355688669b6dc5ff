/**
 * What a run produces: every cell's numbers, and the ratios issue 7 sets targets
 * for, each computed from cells of the same run.
 */
import type { EndpointId, Family, Workload } from './matrix.ts';

export interface CellResult {
  endpoint: EndpointId;
  label: string;
  /** The ceiling checks no token: its family says which cells its rate is the ceiling for. */
  family: Family;
  workload: Workload;
  url: string;
  requests: number;
  /** How long load ran: less than the cell's duration when a cold cell's tokens ran out. */
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ratioToCeiling: number;
  /** Answers other than 200: any fails the cell. */
  wrongAnswers: number;
  /** Refused or broken connections and timeouts: any fails the cell. */
  socketErrors: number;
  passed: boolean;
  tokens: {
    /** Distinct tokens in the file the cell sent from. */
    distinct: number;
    /** Requests wrk started (warm cells cycle through their tokens; cold cells never send one twice). */
    sent: number;
    /** A cold cell used all its tokens before its time was up, and stopped there. */
    ranOut: boolean;
  };
  /** Our gateway's cells: the NGINX worker's VmRSS, in kB (before the first round, after the last). */
  workerRssKb?: { before: number; after: number };
  /** req/s of every round, in order; the cell reports the median round. */
  rounds: number[];
}

export interface DerivedRatio {
  name: string;
  value: number;
  /** The target, when it sets one: value must be at least this. */
  atLeast?: number;
  met?: boolean;
}

export interface BenchResults {
  startedAt: string;
  machine: {
    cores: number;
    cpuModel: string;
    pinning: string;
    /** /proc/loadavg before and after: other processes on the machine share its cores. */
    loadAverage: { before: string; after: string };
    versions: Record<string, string>;
  };
  settings: { secondsPerCell: number; rounds: number; wrkThreads: number; connections: number; families: Family[] };
  /** Tokens minted per family (warm sets and every cold cell's own), and how long signing took. */
  minting: Record<string, { tokens: number; seconds: number }>;
  cells: CellResult[];
  ratios: DerivedRatio[];
  passed: boolean;
}

/**
 * One cell per endpoint, family and workload from several rounds of all of them:
 * the median round's figures, with every round's wrong answers and socket errors
 * (any fails the cell), and the ratio to the median ceiling of its family.
 */
export function medianCells(rounds: CellResult[][]): CellResult[] {
  const median = (cells: CellResult[]) => [...cells].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor((cells.length - 1) / 2)];
  const combined = rounds[0].map((first) => {
    const runs = rounds.map((round) => round.find((cell) => cell.endpoint === first.endpoint && cell.family === first.family && cell.workload === first.workload) as CellResult);
    const last = runs[runs.length - 1];
    return {
      ...median(runs),
      wrongAnswers: runs.reduce((sum, cell) => sum + cell.wrongAnswers, 0),
      socketErrors: runs.reduce((sum, cell) => sum + cell.socketErrors, 0),
      passed: runs.every((cell) => cell.passed),
      ...(first.workerRssKb && last.workerRssKb ? { workerRssKb: { before: first.workerRssKb.before, after: last.workerRssKb.after } } : {}),
      rounds: runs.map((cell) => cell.requestsPerSecond),
    };
  });
  return combined.map((cell) => {
    const ceiling = findCell(combined, 'ceiling', cell.family, 'warm') as CellResult;
    return { ...cell, ratioToCeiling: cell.requestsPerSecond / ceiling.requestsPerSecond };
  });
}

export function findCell(cells: CellResult[], endpoint: EndpointId, family: Family, workload: Workload): CellResult | undefined {
  return cells.find((cell) => cell.endpoint === endpoint && cell.family === family && cell.workload === workload);
}

/** The targets, for whichever cells this run measured. */
export function derivedRatios(cells: CellResult[], families: Family[]): DerivedRatio[] {
  const ratios: DerivedRatio[] = [];
  const add = (name: string, numerator: CellResult | undefined, denominator: CellResult | undefined, atLeast?: number) => {
    if (numerator !== undefined && denominator !== undefined) {
      const value = numerator.requestsPerSecond / denominator.requestsPerSecond;
      ratios.push(atLeast === undefined ? { name, value } : { name, value, atLeast, met: value >= atLeast });
    }
  };
  for (const family of families) {
    const ceiling = findCell(cells, 'ceiling', family, 'warm');
    add(`${family} warm, ours / vs ceiling`, findCell(cells, 'ours-tutorial', family, 'warm'), ceiling, 0.35);
    add(`${family} warm, ours /api/ vs ceiling`, findCell(cells, 'ours-proxied', family, 'warm'), ceiling, 0.35);
    add(`${family} warm, ours /api/ vs the same proxy without auth`, findCell(cells, 'ours-proxied', family, 'warm'), findCell(cells, 'proxy-ceiling', family, 'warm'));
    if (family === 'HS256') {
      add(`${family} cold, ours / vs decode-only`, findCell(cells, 'ours-tutorial', family, 'cold'), findCell(cells, 'decode-only', family, 'cold'), 0.9);
    } else {
      add(`${family} cold, ours / vs naive njs`, findCell(cells, 'ours-tutorial', family, 'cold'), findCell(cells, 'naive', family, 'cold'), 1.3);
    }
    add(`${family} warm, ours / vs Node peer`, findCell(cells, 'ours-tutorial', family, 'warm'), findCell(cells, 'node-peer', family, 'warm'), 2);
  }
  return ratios;
}
