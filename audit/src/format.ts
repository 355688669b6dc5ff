/**
 * Rendering a report: a table with a summary line for people, JSON for machines. Both pass
 * through `guard`, which masks any given secret that would somehow reach the output.
 */
import type { AuditReport, Finding } from './report.ts';
import { describeKind, describeLocation, exitCodeFor, shortDigest } from './report.ts';
import type { SecretPattern } from './secrets.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(1)} ${units[u]}`;
}

function plural(n: number, word: string): string {
  if (n === 1) return `${n} ${word}`;
  return `${n} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

function detailText(f: Finding): string {
  const d = f.detail;
  const parts: string[] = [];
  if (f.kind === 'secret') parts.push(`${d['secret'] ?? 'secret'}`);
  if (d['format']) parts.push(`${d['format']}`);
  for (const k of ['alg', 'enc', 'kid', 'sub', 'iss', 'label', 'kty', 'crv', 'member', 'encrypted']) {
    if (d[k] !== undefined && !(k === 'iss' && d['iss'] === d['sub'])) parts.push(k === 'label' ? d[k]! : `${k}=${d[k]}`);
  }
  return parts.join(' ');
}

function hiddenText(f: Finding): string {
  if (!f.hidden) return '';
  const how = f.hidden.by === 'overwritten' ? 'replaced' : 'deleted';
  return ` [${how} by layer ${f.hidden.layer} ${shortDigest(f.hidden.digest)}, still in the image]`;
}

function targetText(r: AuditReport): string {
  const t = r.target;
  const id = t.id ? ` (${shortDigest(t.id.length === 64 ? t.id.slice(0, 12) : t.id)})` : '';
  return `${t.type} ${t.ref}${id}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

export function formatHuman(r: AuditReport): string {
  const lines: string[] = [`secret-audit: ${targetText(r)}`];
  if (r.findings.length) {
    const rows = [['KIND', 'WHERE', 'WHAT', 'PREVIEW']];
    for (const f of r.findings) rows.push([describeKind(f), `${describeLocation(f.where)}${hiddenText(f)}`, detailText(f), f.preview]);
    lines.push(...table(rows));
    const created = r.findings.filter((f) => f.where.type === 'layer' && f.where.createdBy);
    if (created.length) {
      const seen = new Set<string>();
      for (const f of created) {
        if (f.where.type !== 'layer' || seen.has(f.where.blob)) continue;
        seen.add(f.where.blob);
        lines.push(`  layer ${f.where.layer} created by: ${(f.where.createdBy ?? '').trim()}`);
      }
    }
  }
  for (const n of r.notes) lines.push(`note: ${n.message}`);
  for (const i of r.incomplete) lines.push(`incomplete: ${i}`);
  const s = r.stats;
  const scope = r.target.type === 'image'
    ? `${plural(s.layers, 'layer')}, ${plural(s.files, 'file')}, ${formatBytes(s.bytes)}, ${plural(s.configEntries, 'config entry')}, ${plural(s.historySteps, 'history step')}`
    : `${plural(s.files, 'file')}, ${formatBytes(s.bytes)}, ${plural(s.configEntries, 'config entry')}`;
  const code = exitCodeFor(r);
  if (code === 1) {
    const byKind = new Map<string, number>();
    for (const f of r.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    const kinds = [...byKind].map(([k, n]) => `${n} ${k}`).join(', ');
    const hidden = r.findings.filter((f) => f.hidden).length;
    lines.push(`LEAK: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${kinds})${hidden ? `, ${hidden} in files deleted by a later layer` : ''} in ${targetText(r)}; scanned ${scope}`);
  } else if (code === 2) {
    lines.push(`INCOMPLETE: no leak found, but ${r.incomplete.length} part${r.incomplete.length === 1 ? '' : 's'} of ${targetText(r)} could not be scanned; scanned ${scope}`);
  } else {
    lines.push(`CLEAN: no secrets found in ${targetText(r)}; scanned ${scope}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatJson(r: AuditReport): string {
  return `${JSON.stringify({ ...r, exitCode: exitCodeFor(r) }, null, 2)}\n`;
}

/** Last line of defence: masks every searched form of a given secret in `text`. */
export function guard(text: string, patterns: readonly SecretPattern[]): string {
  let out = text;
  for (const p of patterns) {
    const needle = p.bytes.toString('utf8');
    if (needle && out.includes(needle)) out = out.split(needle).join('‹redacted›');
    const json = JSON.stringify(needle).slice(1, -1);
    if (json !== needle && out.includes(json)) out = out.split(json).join('‹redacted›');
  }
  return out;
}
