/**
 * Streams one object (a file's content, an env entry, a history line) through the detectors.
 * Keeps a bounded window: the bytes a detector still has to decide on plus a little context,
 * so a secret straddling two chunks is found, and nothing larger than the window is held.
 */
import { type Detector, type FindingKind, jwkDetector, jwtDetector, pemDetector, secretDetector } from './detectors.ts';
import { MASK, printable, safeContext } from './redact.ts';
import type { GivenSecret, SecretForm, SecretPattern } from './secrets.ts';
import { secretPatterns } from './secrets.ts';

export interface Match {
  kind: FindingKind;
  /** Absolute byte offset in the object. */
  offset: number;
  length: number;
  form?: SecretForm;
  /** Label of the given secret that matched. */
  secret?: string;
  detail: Record<string, string>;
  /** Redacted one-line preview: context with the match replaced by a label. */
  preview: string;
}

export interface DetectOptions {
  secrets?: readonly GivenSecret[];
  /** Look for JWTs, PEM private keys and private JWKs without being told (default true). */
  heuristics?: boolean;
  /**
   * Report private keys embedded in ELF binaries as leaks rather than notes (default false:
   * crypto libraries carry public self-test keys).
   */
  strict?: boolean;
}

/** Compiled once per audit, shared by every object scanned. */
export interface Detection {
  readonly detectors: readonly Detector[];
  readonly patterns: readonly SecretPattern[];
  readonly strict: boolean;
}

export function compileDetection(options: DetectOptions = {}): Detection {
  const patterns = secretPatterns(options.secrets ?? []);
  const detectors: Detector[] = [];
  if (patterns.length) detectors.push(secretDetector(patterns));
  if (options.heuristics ?? true) detectors.push(jwtDetector(), pemDetector(), jwkDetector());
  return { detectors, patterns, strict: options.strict ?? false };
}

const CONTEXT = 24;
/** A detector may hold back at most this much undecided data. */
const MAX_HOLD = 64 * 1024;
/** Findings kept per object; the rest are counted. */
export const MAX_MATCHES = 50;

export class Scanner {
  readonly #d: Detection;
  #win: Buffer = Buffer.alloc(0);
  #winStart = 0; // absolute offset of #win[0]
  readonly #resume: number[]; // absolute resume offset per detector
  readonly #lookbehind: number;
  readonly #matches: Match[] = [];
  #dropped = 0;
  bytes = 0;

  constructor(detection: Detection) {
    this.#d = detection;
    this.#resume = detection.detectors.map(() => 0);
    this.#lookbehind = Math.max(CONTEXT, ...detection.detectors.map((d) => d.lookbehind));
  }

  get dropped(): number {
    return this.#dropped;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.bytes += chunk.byteLength;
    if (this.#d.detectors.length === 0) return;
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#win = this.#win.length ? Buffer.concat([this.#win, c]) : c;
    this.#run(false);
  }

  /** Finishes the object and returns its matches (JWT matches that are a given secret merged in). */
  end(): Match[] {
    if (this.#d.detectors.length) this.#run(true);
    this.#win = Buffer.alloc(0);
    return mergeOverlaps(this.#matches);
  }

  #run(final: boolean): void {
    const win = this.#win;
    const winEnd = this.#winStart + win.length;
    let minResume = winEnd;
    this.#d.detectors.forEach((det, k) => {
      const from = Math.max(0, this.#resume[k]! - this.#winStart);
      let r = det.scan(win, from, final, (m) => this.#record(win, m));
      if (!final && win.length - r > MAX_HOLD) r = win.length - MAX_HOLD; // give up on a runaway candidate
      this.#resume[k] = this.#winStart + r;
      minResume = Math.min(minResume, this.#winStart + r);
    });
    // Keep undecided bytes plus the look-behind the detectors and previews need.
    const keepFrom = Math.max(this.#winStart, minResume - this.#lookbehind);
    if (keepFrom > this.#winStart) {
      this.#win = Buffer.from(win.subarray(keepFrom - this.#winStart)); // copy: release the old chunk
      this.#winStart = keepFrom;
    }
  }

  #record(win: Buffer, m: import('./detectors.ts').RawMatch): void {
    if (this.#matches.length >= MAX_MATCHES) { this.#dropped++; return; }
    const rawBefore = printable(win.subarray(Math.max(0, m.start - CONTEXT), m.start));
    const before = lineTail(rawBefore);
    // '…' marks context cut mid-line (not at a line start / end or the object's edge).
    const cutBefore = before.length === rawBefore.length && this.#winStart + m.start > CONTEXT;
    const rawAfter = m.kind === 'private-key' ? '' : printable(win.subarray(m.end, Math.min(win.length, m.end + CONTEXT)));
    const after = lineHead(rawAfter);
    const cutAfter = after.length === CONTEXT;
    const p = this.#d.patterns;
    const preview = `${cutBefore ? MASK : ''}${safeContext(before, p)}${m.label}${safeContext(after, p)}${cutAfter ? MASK : ''}`.replace(/…(…)+/g, MASK);
    const match: Match = { kind: m.kind, offset: this.#winStart + m.start, length: m.end - m.start, detail: m.detail, preview };
    if (m.form) match.form = m.form;
    if (m.secret) match.secret = m.secret;
    this.#matches.push(match);
  }
}

function lineTail(s: string): string {
  // `printable` turned newlines into '·'; context stops at the line boundary when one shows.
  const k = s.lastIndexOf('·');
  return k === -1 ? s : s.slice(k + 1);
}
function lineHead(s: string): string {
  const k = s.indexOf('·');
  return k === -1 ? s : s.slice(0, k);
}

/**
 * A given secret that is also JWT-shaped (the tutorial's token) is one finding, not two: the
 * JWT facts are merged into the secret match.
 */
function mergeOverlaps(matches: Match[]): Match[] {
  const secrets = matches.filter((m) => m.kind === 'secret');
  const out: Match[] = [];
  for (const m of matches) {
    if (m.kind !== 'secret') {
      const s = secrets.find((x) => x.offset < m.offset + m.length && m.offset < x.offset + x.length);
      if (s) {
        for (const [k, v] of Object.entries(m.detail)) if (!(k in s.detail)) s.detail[k] = v;
        continue;
      }
    }
    out.push(m);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Scans a whole in-memory value (env entries, labels, history lines). */
export function scanText(detection: Detection, text: string | Buffer): Match[] {
  const s = new Scanner(detection);
  s.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return s.end();
}

/** Returns `text` with every match replaced by its label and token-like runs masked. */
export function redactText(detection: Detection, text: string): string {
  const buf = Buffer.from(text, 'utf8');
  const matches = scanText(detection, buf);
  let out = '';
  let pos = 0;
  for (const m of matches) {
    if (m.offset < pos) continue;
    out += safeContext(buf.toString('utf8', pos, m.offset), detection.patterns);
    out += m.kind === 'secret' ? `‹secret ${m.form}›` : `‹${m.kind}›`;
    pos = m.offset + m.length;
  }
  out += safeContext(buf.toString('utf8', pos), detection.patterns);
  return out.replace(/…(…)+/g, MASK);
}
