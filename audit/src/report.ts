/**
 * The audit's result: findings (leaks), notes (facts worth knowing that are not leaks, such
 * as an empty secret mount point) and reasons the audit is incomplete. Exit codes follow.
 */
import type { FindingKind } from './detectors.ts';
import type { SecretForm } from './secrets.ts';

export type Location =
  | { type: 'layer'; layer: number; layers: number; digest: string; blob: string; path: string; offset: number; createdBy?: string }
  | { type: 'image-config'; field: string; key?: string }
  | { type: 'history'; step: number; createdBy: string }
  | { type: 'container-config'; field: string; key?: string }
  | { type: 'container-fs'; path: string; offset: number }
  /** A file of the `docker save` archive that is neither a layer nor the image's config. */
  | { type: 'archive-file'; path: string; offset: number };

export interface Hidden {
  /** How a later layer removed the file from the image's filesystem view. */
  by: 'whiteout' | 'opaque-directory' | 'overwritten';
  layer: number;
  digest: string;
}

export interface Finding {
  kind: FindingKind;
  /** For kind `secret`: which given secret and in which encoding. */
  secret?: string;
  form?: SecretForm;
  where: Location;
  /** Non-secret facts: JWT alg/kid/sub, PEM label, JWK kty/kid. */
  detail: Record<string, string>;
  /** One line of context with the match replaced by a label; never the secret. */
  preview: string;
  /** Set when a later layer deletes or replaces the file: the bytes still ship in the image. */
  hidden?: Hidden;
}

export type NoteKind = 'mount' | 'empty-mount-point' | 'truncated' | 'image-not-audited' | 'unreferenced-layer' | 'key-in-binary';

export interface Note {
  kind: NoteKind;
  message: string;
  path?: string;
}

export interface AuditStats {
  layers: number;
  files: number;
  bytes: number;
  configEntries: number;
  historySteps: number;
}

export interface AuditReport {
  target: { type: 'image' | 'container'; ref: string; id?: string; name?: string; image?: string };
  findings: Finding[];
  notes: Note[];
  /** Parts that could not be scanned; a report with any is not a clean bill of health. */
  incomplete: string[];
  stats: AuditStats;
}

export const EXIT_CLEAN = 0;
export const EXIT_LEAK = 1;
export const EXIT_ERROR = 2;

export function exitCodeFor(report: AuditReport): number {
  if (report.findings.length > 0) return EXIT_LEAK;
  if (report.incomplete.length > 0) return EXIT_ERROR;
  return EXIT_CLEAN;
}

export function emptyStats(): AuditStats {
  return { layers: 0, files: 0, bytes: 0, configEntries: 0, historySteps: 0 };
}

export function shortDigest(d: string): string {
  const m = /^(sha256|sha512):([0-9a-f]+)$/.exec(d);
  return m ? `${m[1]}:${m[2]!.slice(0, 12)}` : d;
}

export function describeLocation(w: Location): string {
  switch (w.type) {
    case 'layer':
      return `layer ${w.layer > 0 ? `${w.layer}/${w.layers}` : '?'} ${shortDigest(w.digest)} /${w.path}`;
    case 'image-config':
    case 'container-config':
      return `${w.type === 'image-config' ? 'image' : 'container'} config ${w.field}${w.key !== undefined ? ` ${w.key}` : ''}`;
    case 'history':
      return `history step ${w.step}`;
    case 'container-fs':
      return `container fs /${w.path}`;
    case 'archive-file':
      return `archive file ${w.path}`;
  }
}

export function describeKind(f: Finding): string {
  return f.kind === 'secret' ? `secret (${f.form})` : f.kind;
}
