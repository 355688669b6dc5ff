/**
 * What a run's NGINX error log says went wrong. Denials are logged at warn with
 * a stable code (`jwt: denied (401): ERR_...`) and are expected; these are not.
 */
export interface ErrorLogTroubles {
  /** A worker killed by a signal, or NGINX at alert, crit or emerg level. */
  crashes: string[];
  /** An uncaught njs exception, or an njs deprecation warning. */
  njs: string[];
  /** Any other error-level line: the gateway's own 500s and NGINX's internal errors. */
  errors: string[];
}

/**
 * njs 0.7.9 cannot answer a client that reset after the check began without
 * creating an Error in an async continuation, which logs these two deprecation
 * warnings once per worker process (README, "Things njs 0.7.9 taught us"): a
 * known limit where clients are cut off mid-request, not a fault.
 */
export const NJS_CLIENT_RESET_QUIRK = /js: r\.(request|response)Body is deprecated/;

/** The troubles, with the client-reset quirk allowed up to twice per worker. */
export function troublesBeyondResetQuirk(troubles: ErrorLogTroubles, workers: number): string[] {
  const quirks = troubles.njs.filter((line) => NJS_CLIENT_RESET_QUIRK.test(line));
  const others = [...troubles.crashes, ...troubles.njs.filter((line) => !NJS_CLIENT_RESET_QUIRK.test(line)), ...troubles.errors];
  return quirks.length > 2 * workers ? [...others, ...quirks] : others;
}

export function troublesIn(log: string): ErrorLogTroubles {
  const troubles: ErrorLogTroubles = { crashes: [], njs: [], errors: [] };
  for (const line of log.split('\n')) {
    if (/exited on signal|\[(alert|crit|emerg)\]/.test(line)) troubles.crashes.push(line);
    else if (/js exception|deprecated/.test(line)) troubles.njs.push(line);
    else if (/\[error\]/.test(line)) troubles.errors.push(line);
  }
  return troubles;
}

/** Lines grouped by what they say (without time, pid and connection number), most frequent first. */
export function groupedByMessage(lines: readonly string[]): Array<[message: string, count: number]> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const message = line.replace(/^\S+ \S+ (\[\w+\]) \d+#\d+: (\*\d+ )?/, '$1 ');
    counts[message] = (counts[message] ?? 0) + 1;
  }
  return Object.entries(counts).sort(([, a], [, b]) => b - a);
}
