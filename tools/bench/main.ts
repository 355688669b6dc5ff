/**
 * `npm run bench`: issue 7's benchmark. Starts the real NGINX with one worker
 * (our gateway plus the references it builds itself) and the Node peer, probes
 * every endpoint, loads each with wrk per family and workload, and writes the
 * results as JSON and an SVG chart. Exits 1 when any answer was wrong. See
 * tools/bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleForNjs, formatBuildError } from '../lib/njs-bundle.ts';
import { createBenchKeys } from './bench-keys.ts';
import { REFERENCES_BUNDLE, startBenchNginx, type BenchNginx } from './bench-nginx.ts';
import { planCpus } from './cpu-plan.ts';
import { CEILING, ENDPOINTS, PROXY_CEILING, type Endpoint, type Family } from './matrix.ts';
import { measureCell, type CellContext } from './measure-cell.ts';
import { startNodePeer, type NodePeer } from './node-peer-process.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { probeEndpoint } from './probe.ts';
import { renderChart } from './report-chart.ts';
import { formatReport } from './report-table.ts';
import { derivedRatios, medianCells, type BenchResults, type CellResult } from './results.ts';
import { createTokenSupply, type TokenFile, type TokenSupply } from './token-supply.ts';
import { CONNECTIONS, runLoad } from './wrk-load.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cpus = planCpus();
  const startedAt = new Date().toISOString();
  const loadBefore = await loadAverage();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'njs-jwt-gateway-bench-'));
  // NGINX's workers run as nobody under a root master: they read the bundles and keys in here.
  await chmod(dir, 0o755);
  let nginx: BenchNginx | undefined;
  let peer: NodePeer | undefined;
  const cleanUp = async () => {
    await peer?.stop();
    await nginx?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  // Ctrl-C stops what the run started (NGINX, the Node peer, the token cache) too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().then(() => process.exit(130)));
  }
  try {
    const keyFiles = await createBenchKeys(dir);
    const njsDir = path.join(dir, 'njs');
    // Bundled from the sources, so a stale dist/ is never what gets measured.
    await bundleForNjs({ entry: path.join(REPO_ROOT, 'njs/src/gateway.ts'), outfile: path.join(njsDir, 'jwt-gateway.js'), kind: 'module' });
    await bundleForNjs({ entry: path.join(import.meta.dirname, 'njs-references.ts'), outfile: path.join(njsDir, REFERENCES_BUNDLE), kind: 'module' });
    nginx = await startBenchNginx(dir, njsDir, keyFiles, cpus);
    peer = await startNodePeer(keyFiles.jwksFile, cpus);
    const supply = createTokenSupply(dir, keyFiles.keys);
    console.log(`${cpus.description}\nNGINX ${nginx.url} (worker ${nginx.workerPid()}), Node peer ${peer.url}; ${options.rounds} round(s) of ${options.seconds} s per cell`);
    const context = { seconds: options.seconds, cpus, workerPid: nginx.workerPid() };
    const rounds: CellResult[][] = [];
    for (let round = 1; round <= options.rounds; round++) {
      console.log(`round ${round} of ${options.rounds}`);
      rounds.push(await measureRound(round, options, supply, context, nginx.url, peer.url));
    }
    const cells = medianCells(rounds);
    const ratios = derivedRatios(cells, options.families);
    const results: BenchResults = {
      startedAt,
      machine: {
        cores: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
        pinning: cpus.description,
        loadAverage: { before: loadBefore, after: await loadAverage() },
        versions: { node: process.version, nginx: versionOf('nginx', '-v'), njs: versionOf('njs', '-v'), wrk: versionOf('wrk', '-v') },
      },
      settings: { secondsPerCell: options.seconds, rounds: options.rounds, wrkThreads: 1, connections: CONNECTIONS, families: options.families },
      minting: supply.minting,
      cells,
      ratios,
      passed: cells.every((cell) => cell.passed),
    };
    await writeResults(options, results);
    if (!results.passed) process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

/**
 * One round. Per family: the ceiling and the proxy ceiling (warm only), then every
 * endpoint warm and cold; in the first round each endpoint is probed and warmed
 * up before its first load. The ceiling is measured again per family and round,
 * so each ratio is taken against the one measured closest in time: a busy
 * machine drifts.
 */
async function measureRound(round: number, options: BenchOptions, supply: TokenSupply, context: CellContext, nginxUrl: string, peerUrl: string): Promise<CellResult[]> {
  const report = (cell: CellResult) => {
    console.log(`  ${cell.family} ${cell.workload.padEnd(4)} ${cell.label.padEnd(36)} ${Math.round(cell.requestsPerSecond)} req/s${cell.passed ? '' : ' FAILED'}`);
    return cell;
  };
  const prepare = async (url: string, endpoint: Endpoint, family: Family) => {
    if (round === 1) {
      await probeEndpoint(url, endpoint, supply.probe(family));
      await warmUp(url, await supply.warm(family), context);
    }
  };
  const cells: CellResult[] = [];
  for (const family of options.families) {
    const ceilingUrl = nginxUrl + CEILING.path(family);
    await prepare(ceilingUrl, CEILING, family);
    const ceiling = report(await measureCell({ endpoint: CEILING, family, workload: 'warm', url: ceilingUrl, tokens: await supply.warm(family) }, context));
    const measured = { ...context, ceilingRate: ceiling.requestsPerSecond };
    cells.push(ceiling);
    const proxyCeilingUrl = nginxUrl + PROXY_CEILING.path(family);
    await prepare(proxyCeilingUrl, PROXY_CEILING, family);
    cells.push(report(await measureCell({ endpoint: PROXY_CEILING, family, workload: 'warm', url: proxyCeilingUrl, tokens: await supply.warm(family) }, measured)));
    for (const endpoint of ENDPOINTS) {
      const url = (endpoint.onNodePeer ? peerUrl : nginxUrl) + endpoint.path(family);
      await prepare(url, endpoint, family);
      const warm = report(await measureCell({ endpoint, family, workload: 'warm', url, tokens: await supply.warm(family) }, measured));
      const coldTokens = await supply.cold(family, `${endpoint.id}-round${round}`, warm.requestsPerSecond, options.seconds);
      const cold = report(await measureCell({ endpoint, family, workload: 'cold', url, tokens: coldTokens }, measured));
      cells.push(warm, cold);
    }
  }
  return cells;
}

/**
 * A second of the warm workload before an endpoint is measured, not recorded: the
 * Node peer's JIT compiles its hot paths, as it would in a long-running service.
 */
async function warmUp(url: string, tokens: TokenFile, context: CellContext): Promise<void> {
  await runLoad(url, tokens.file, 'cycle', 1, context.cpus);
}

async function writeResults(options: BenchOptions, results: BenchResults): Promise<void> {
  const chartFile = options.outFile.replace(/(\.json)?$/, '.svg');
  await mkdir(path.dirname(options.outFile), { recursive: true });
  await writeFile(options.outFile, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(chartFile, renderChart(results));
  console.log(`\n${formatReport(results)}\n\nresults: ${path.relative(process.cwd(), options.outFile)}, chart: ${path.relative(process.cwd(), chartFile)}`);
}

async function loadAverage(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

/** The first line a tool prints about its version (some print it on stderr, wrk with its usage). */
function versionOf(command: string, flag: string): string {
  const result = spawnSync(command, [flag], { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0].trim() || 'not found';
}

main().catch((error: unknown) => {
  console.error(`bench: ${formatBuildError(error)}`);
  process.exit(1);
});
