/** The run as text: the cells table, the issue's ratios, and what failed. */
import type { BenchResults, CellResult } from './results.ts';

const thousands = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0));

function cellRow(cell: CellResult): string[] {
  const rss = cell.workerRssKb === undefined ? '' : `${(cell.workerRssKb.before / 1024).toFixed(1)} -> ${(cell.workerRssKb.after / 1024).toFixed(1)} MB`;
  const tokens = `${cell.tokens.distinct}${cell.tokens.ranOut ? ` (ran out at ${cell.seconds.toFixed(1)} s)` : ''}`;
  const verdict = cell.passed
    ? ''
    : cell.requests === 0
      ? `FAILED: no answer in ${cell.seconds.toFixed(0)} s`
      : `FAILED: ${cell.wrongAnswers} wrong, ${cell.socketErrors} socket errors`;
  return [
    cell.family,
    cell.workload,
    cell.label,
    thousands(cell.requestsPerSecond),
    cell.p50Ms.toFixed(2),
    cell.p99Ms.toFixed(2),
    cell.ratioToCeiling.toFixed(2),
    cell.rounds.map(thousands).join(' '),
    tokens,
    rss,
    verdict,
  ];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((value, column) => value.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatReport(results: BenchResults): string {
  const cells = table(
    ['family', 'load', 'endpoint', 'req/s (median)', 'p50 ms', 'p99 ms', 'x ceiling', 'every round', 'distinct tokens', 'worker RSS', ''],
    results.cells.map(cellRow),
  );
  const ratios = table(
    ['ratio (same run)', 'value', 'target', ''],
    results.ratios.map((ratio) => [ratio.name, ratio.value.toFixed(2), ratio.atLeast === undefined ? '(context)' : `>= ${ratio.atLeast}`, ratio.met === undefined ? '' : ratio.met ? 'met' : 'not met']),
  );
  const minting = Object.entries(results.minting)
    .map(([family, { tokens, seconds }]) => `${family} ${tokens} in ${seconds.toFixed(1)} s`)
    .join(', ');
  return [
    `${results.machine.cpuModel}, ${results.machine.pinning}`,
    `load average before ${results.machine.loadAverage.before}, after ${results.machine.loadAverage.after}`,
    `wrk -t${results.settings.wrkThreads} -c${results.settings.connections}, ${results.settings.rounds} round(s) of ${results.settings.secondsPerCell} s per cell, each cell its median round; tokens minted: ${minting}`,
    '',
    cells,
    '',
    ratios,
    '',
    results.passed ? 'every cell: zero wrong answers' : 'FAILED: some cell had wrong answers, socket errors or no answer at all',
  ].join('\n');
}
