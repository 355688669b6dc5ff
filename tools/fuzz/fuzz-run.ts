/**
 * One fuzz run: mutated tokens, generated in a fixed order from the seed, sent to
 * the real gateway (`/` and `/api/`) with bounded concurrency until `count`
 * requests are answered or the time is up; then the counts that must be zero.
 */
import { Agent, request } from 'undici';
import { generateWrongKeys, mintGenuineTokens, type GenuineToken } from './fuzz-keys.ts';
import { groupedByMessage, troublesIn } from './error-log.ts';
import { startGatewayUnderTest } from './gateway-under-test.ts';
import { credentialOf } from './header-value.ts';
import { MUTATION_NAMES, mutate, type MutationContext } from './mutations.ts';
import { Prng } from './prng.ts';

export interface FuzzOptions {
  count: number;
  seed: number;
  /** Wall-clock bound of the sending phase. */
  durationSeconds: number;
  concurrency?: number;
  /** Called with the number of answered requests every `progressEvery` answers. */
  onProgress?: (answered: number) => void;
  progressEvery?: number;
}

export interface FuzzCase {
  index: number;
  /** A mutation name, or `genuine` for an unmodified token (the control group). */
  mutation: string;
  path: string;
  authorization: string[];
}

/** A case that missed a target, with what happened: a status, or the client's error. */
export interface Finding {
  fuzzCase: FuzzCase;
  outcome: number | string;
}

export interface FuzzReport {
  seed: number;
  asked: number;
  answered: number;
  elapsedMs: number;
  /** 200 for a request whose only credential is not byte-identical to a genuine token. */
  forgeries: Finding[];
  serverErrors: Finding[];
  /** The control group: genuine tokens that did not get 200 (the fuzz would be blind without them). */
  genuineRefused: Finding[];
  controls: number;
  /** Requests that got no answer even after one retry on a fresh connection. */
  unanswered: Finding[];
  crashes: string[];
  njsTroubles: string[];
  logErrors: string[];
  statuses: Record<string, number>;
  perMutation: Record<string, number>;
}

const PATHS = ['/', '/api/'] as const;
/** One request in 20 carries a genuine token, proving that the gateway still verifies under the fuzz. */
const CONTROL_SHARE = 0.05;
const GENUINE_TOKENS_PER_ALGORITHM = 3;
const DEFAULT_CONCURRENCY = 16;

function* fuzzCases(count: number, prng: Prng, genuine: readonly GenuineToken[], context: Omit<MutationContext, 'base'>): Generator<FuzzCase> {
  for (let index = 0; index < count; index++) {
    const base = prng.pick(genuine);
    const path = prng.pick(PATHS);
    if (prng.chance(CONTROL_SHARE)) {
      yield { index, mutation: 'genuine', path, authorization: [`Bearer ${base.token}`] };
    } else {
      const mutation: string = prng.pick(MUTATION_NAMES);
      yield { index, mutation, path, authorization: mutate(mutation, { ...context, base }) };
    }
  }
}

/** The status, or the client error of a second attempt: a keep-alive connection NGINX closes at the instant it is reused fails once. */
async function send(agent: Agent, url: string, fuzzCase: FuzzCase): Promise<number | string> {
  const headers = fuzzCase.authorization.flatMap((value) => ['authorization', value]);
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await request(`${url}${fuzzCase.path}`, { dispatcher: agent, headers });
      await response.body.dump();
      return response.statusCode;
    } catch (error) {
      if (attempt === 2 || (error as { code?: string }).code !== 'UND_ERR_SOCKET') {
        return `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`;
      }
    }
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const prng = new Prng(options.seed);
  const genuine = await mintGenuineTokens(GENUINE_TOKENS_PER_ALGORITHM);
  const genuineTokens = new Set(genuine.map(({ token }) => token));
  const cases = fuzzCases(options.count, prng, genuine, { prng, genuine, wrongKeys: generateWrongKeys() });
  const report: FuzzReport = {
    seed: options.seed,
    asked: options.count,
    answered: 0,
    elapsedMs: 0,
    forgeries: [],
    serverErrors: [],
    genuineRefused: [],
    controls: 0,
    unanswered: [],
    crashes: [],
    njsTroubles: [],
    logErrors: [],
    statuses: {},
    perMutation: {},
  };
  const record = (fuzzCase: FuzzCase, outcome: number | string) => {
    report.perMutation[fuzzCase.mutation] = (report.perMutation[fuzzCase.mutation] ?? 0) + 1;
    if (typeof outcome === 'string') {
      report.unanswered.push({ fuzzCase, outcome });
      return;
    }
    report.answered++;
    report.statuses[outcome] = (report.statuses[outcome] ?? 0) + 1;
    const onlyGenuine = fuzzCase.authorization.length === 1 && genuineTokens.has(credentialOf(fuzzCase.authorization[0]));
    if (outcome === 200 && !onlyGenuine) report.forgeries.push({ fuzzCase, outcome });
    if (outcome >= 500) report.serverErrors.push({ fuzzCase, outcome });
    if (fuzzCase.mutation === 'genuine') {
      report.controls++;
      if (outcome !== 200) report.genuineRefused.push({ fuzzCase, outcome });
    }
    if (options.onProgress && report.answered % (options.progressEvery ?? 10_000) === 0) options.onProgress(report.answered);
  };

  const gateway = await startGatewayUnderTest();
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const agent = new Agent({ connections: concurrency });
  const workersBefore = gateway.workers();
  const started = Date.now();
  const deadline = started + options.durationSeconds * 1000;
  try {
    const sender = async () => {
      for (let next = cases.next(); !next.done && Date.now() < deadline; next = cases.next()) {
        record(next.value, await send(agent, gateway.nginx.url, next.value));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    report.elapsedMs = Date.now() - started;
    await agent.close();
    const troubles = troublesIn(await gateway.nginx.errorLog());
    const workersAfter = gateway.workers();
    report.crashes = [...troubles.crashes, ...workersBefore.filter((pid) => !workersAfter.includes(pid)).map((pid) => `worker ${pid} is gone`)];
    report.njsTroubles = troubles.njs;
    report.logErrors = troubles.errors;
  } finally {
    await agent.destroy();
    await gateway.stop();
  }
  return report;
}

/** Each target the run missed, as a line; empty when every count is zero and every request was answered. */
export function missedTargets(report: FuzzReport): string[] {
  const counts: Array<[string, number]> = [
    ['accepted forgeries', report.forgeries.length],
    ['5xx answers', report.serverErrors.length],
    ['worker crashes', report.crashes.length],
    ['njs exceptions/warnings', report.njsTroubles.length],
    ['other error-level log lines', report.logErrors.length],
    ['genuine tokens refused', report.genuineRefused.length],
    ['unanswered requests', report.unanswered.length],
  ];
  const missed = counts.filter(([, count]) => count > 0).map(([what, count]) => `${count} ${what}`);
  if (report.answered < report.asked) missed.push(`only ${report.answered} of ${report.asked} requests answered`);
  return missed;
}

/** How a finding is shown: long and binary header values cut and escaped, so a report stays readable. */
function describe({ fuzzCase, outcome }: Finding): string {
  const shown = fuzzCase.authorization.map((value) => JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}... (${value.length} chars)` : value));
  return `#${fuzzCase.index} ${fuzzCase.mutation} ${fuzzCase.path} -> ${outcome}: ${shown.join(', ')}`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export function formatReport(report: FuzzReport): string {
  const seconds = report.elapsedMs / 1000;
  const row = (what: string, count: number, note = '') => `  ${what.padEnd(28)} ${String(count).padStart(7)}${note}`;
  const lines = [
    `fuzz: seed ${report.seed}, ${report.answered} of ${report.asked} requests answered in ${seconds.toFixed(1)}s (${Math.round(report.answered / Math.max(seconds, 0.001))}/s)`,
    row('accepted forgeries', report.forgeries.length),
    row('5xx answers', report.serverErrors.length),
    row('worker crashes', report.crashes.length, '  (error log: exited on signal, [alert], [crit], [emerg]; workers gone)'),
    row('njs exceptions/warnings', report.njsTroubles.length, '  (error log: js exception, deprecated)'),
    row('other error-level log lines', report.logErrors.length),
    row('genuine tokens refused', report.genuineRefused.length, `  (of ${report.controls} controls)`),
    row('unanswered requests', report.unanswered.length),
    `  statuses: ${Object.entries(report.statuses).map(([status, count]) => `${status} x${count}`).join(', ')}`,
    `  mutations: ${Object.entries(report.perMutation).map(([name, count]) => `${name} x${count}`).join(', ')}`,
    `  5xx by mutation: ${Object.entries(countBy(report.serverErrors, ({ fuzzCase }) => fuzzCase.mutation)).map(([name, count]) => `${name} x${count}`).join(', ') || 'none'}`,
  ];
  const samples: Array<[string, Finding[]]> = [
    ['accepted forgery', report.forgeries],
    ['5xx', report.serverErrors],
    ['genuine refused', report.genuineRefused],
    ['unanswered', report.unanswered],
  ];
  for (const [what, findings] of samples) {
    lines.push(...findings.slice(0, 10).map((finding) => `  ${what}: ${describe(finding)}`));
  }
  const logLines = groupedByMessage([...report.crashes, ...report.njsTroubles, ...report.logErrors]);
  lines.push(...logLines.slice(0, 20).map(([message, count]) => `  error log x${count}: ${message}`));
  return lines.join('\n');
}
