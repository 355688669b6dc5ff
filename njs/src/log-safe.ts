/**
 * Renders an attacker-controlled value (a kid, a claim) for an error log line:
 * printable ASCII only, bounded length, so a token cannot forge or flood log lines.
 */
export function logSafe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) {
    return 'undefined';
  }
  const clipped = text.length > 64 ? text.slice(0, 64) + '...' : text;
  return '"' + clipped.replace(/[^\x20-\x7e]|"/g, '?') + '"';
}
