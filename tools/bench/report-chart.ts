/**
 * The run as an SVG bar chart, written by hand (no charting dependency): req/s of
 * every cell, grouped by family and workload; each family's ceiling leads its warm group.
 */
import type { EndpointId } from './matrix.ts';
import type { BenchResults, CellResult } from './results.ts';

const COLORS: Record<EndpointId, string> = {
  ceiling: '#9e9e9e',
  'proxy-ceiling': '#c4c4c4',
  'decode-only': '#f4a261',
  naive: '#e76f51',
  'ours-tutorial': '#2a9d8f',
  'ours-uncached': '#8ab17d',
  'ours-proxied': '#264653',
  'node-peer': '#8e7dbe',
};

const WIDTH = 960;
const LABEL_WIDTH = 250;
const VALUE_WIDTH = 130;
const BAR_HEIGHT = 16;
const ROW_GAP = 4;
const GROUP_GAP = 26;
const TOP = 56;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(results: BenchResults): string {
  const groups: Array<{ title: string; cells: CellResult[] }> = [];
  for (const cell of results.cells) {
    const title = `${cell.family}, ${cell.workload}`;
    const group = groups.find((candidate) => candidate.title === title);
    if (group === undefined) groups.push({ title, cells: [cell] });
    else group.cells.push(cell);
  }
  const maximum = Math.max(...results.cells.map((cell) => cell.requestsPerSecond));
  const scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / maximum;
  const parts: string[] = [];
  let y = TOP;
  for (const group of groups) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escape(group.title)}</text>`);
    y += 8;
    for (const cell of group.cells) {
      const width = Math.max(1, cell.requestsPerSecond * scale);
      const value = `${Math.round(cell.requestsPerSecond)} req/s (${cell.ratioToCeiling.toFixed(2)})${cell.passed ? '' : ' FAILED'}`;
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 4}" text-anchor="end">${escape(cell.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[cell.endpoint]}"/>`,
        `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 4}">${value}</text>`,
      );
      y += BAR_HEIGHT + ROW_GAP;
    }
    y += GROUP_GAP;
  }
  const title = `req/s per core (wrk -t${results.settings.wrkThreads} -c${results.settings.connections}, median of ${results.settings.rounds} round(s) of ${results.settings.secondsPerCell} s per cell); in brackets: ratio to that family's NGINX ceiling`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="40" fill="#555">${escape(`${results.machine.cpuModel}; ${results.machine.pinning}; ${results.startedAt}`)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
