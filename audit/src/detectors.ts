/**
 * Detectors look at a window of bytes and report matches. They are stateless: the streaming
 * scanner (scanner.ts) owns the window and tells each detector where to resume, and a detector
 * answers how far it got — a match that may continue past the window's end is left for the
 * next call (or decided when `final` is set).
 */
import type { SecretForm, SecretPattern } from './secrets.ts';

export type FindingKind = 'secret' | 'jwt' | 'private-key' | 'jwk';

export interface RawMatch {
  kind: FindingKind;
  /** Offsets relative to the window. */
  start: number;
  end: number;
  form?: SecretForm;
  secret?: string;
  /** Non-secret facts about the match (JWT header fields, PEM label, JWK members). */
  detail: Record<string, string>;
  /** Short safe label used in place of the match in previews. */
  label: string;
}

export interface Detector {
  readonly name: string;
  /** Longest context (bytes before a match start) the detector reads. */
  readonly lookbehind: number;
  /**
   * Scans win[from..], calls emit for each match decided, and returns the window index from
   * which the next call must resume (<= win.length).
   */
  scan(win: Buffer, from: number, final: boolean, emit: (m: RawMatch) => void): number;
}

/* ------------------------------------------------------------------ given secrets */

export function secretDetector(patterns: readonly SecretPattern[]): Detector {
  const maxLen = Math.max(0, ...patterns.map((p) => p.bytes.length));
  return {
    name: 'secret',
    lookbehind: 0,
    scan(win, from, final, emit) {
      const limit = final ? win.length : Math.max(from, win.length - maxLen + 1);
      for (const p of patterns) {
        let i = win.indexOf(p.bytes, from);
        while (i !== -1 && i < limit) {
          emit({
            kind: 'secret', start: i, end: i + p.bytes.length, form: p.form, secret: p.secret,
            detail: { secret: p.secret, form: p.form }, label: `‹secret ${p.form}›`,
          });
          i = win.indexOf(p.bytes, i + p.bytes.length);
        }
      }
      return limit;
    },
  };
}

/* ------------------------------------------------------------------ helpers */

const B64URL = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') B64URL[c.charCodeAt(0)] = 1;
const B64STD = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') B64STD[c.charCodeAt(0)] = 1;

function runEnd(win: Buffer, i: number, table: Uint8Array): number {
  let j = i;
  while (j < win.length && table[win[j]!]) j++;
  return j;
}

function jsonFromB64url(s: string): unknown {
  try {
    const text = Buffer.from(s, 'base64url').toString('utf8');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Short, printable version of a claim value; never long enough to carry key material. */
function claim(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).replace(/[^\x20-\x7e]/g, '?');
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/* ------------------------------------------------------------------ JWT */

/** Longest JWT we look for; beyond that a run is not a token anybody sends in a header. */
const MAX_JWT = 16 * 1024;
const EYJ = Buffer.from('eyJ');

/**
 * Compact JWS (three base64url segments) and JWE (five) whose first segment decodes to a JSON
 * header with `alg`. Reports alg/kid/typ (and enc), and the payload's sub/iss when it is JSON.
 */
export function jwtDetector(): Detector {
  return {
    name: 'jwt',
    lookbehind: 1,
    scan(win, from, final, emit) {
      let i = win.indexOf(EYJ, from);
      while (i !== -1) {
        if (i > 0 && B64URL[win[i - 1]!]) { i = win.indexOf(EYJ, i + 1); continue; } // inside a longer run
        const segs: [number, number][] = [];
        let pos = i;
        let incomplete = false;
        for (;;) {
          const e = runEnd(win, pos, B64URL);
          segs.push([pos, e]);
          if (e === win.length && !final) { incomplete = true; break; }
          if (segs.length < 5 && win[e] === 0x2e /* . */) {
            if (e + 1 === win.length && !final) { incomplete = true; break; }
            pos = e + 1;
            continue;
          }
          break;
        }
        // A trailing '.' (end of a sentence) is not an empty fourth segment.
        if (!incomplete && segs.length === 4 && segs[3]![0] === segs[3]![1]) segs.pop();
        const end = segs[segs.length - 1]![1];
        if (incomplete) {
          if (win.length - i < MAX_JWT) return i; // wait for more data
          i = win.indexOf(EYJ, i + 1);
          continue;
        }
        const m = end - i <= MAX_JWT && (segs.length === 3 || segs.length === 5) ? decodeJwt(win, segs) : undefined;
        if (m) {
          emit({ kind: 'jwt', start: i, end, detail: m, label: `‹${segs.length === 5 ? 'jwe' : 'jwt'}›` });
          i = win.indexOf(EYJ, end);
        } else {
          i = win.indexOf(EYJ, i + 1);
        }
      }
      return final ? win.length : Math.max(from, win.length - (EYJ.length - 1));
    },
  };
}

function decodeJwt(win: Buffer, segs: [number, number][]): Record<string, string> | undefined {
  const part = (k: number): string => win.toString('latin1', segs[k]![0], segs[k]![1]);
  const header = jsonFromB64url(part(0));
  if (!isObject(header) || typeof header['alg'] !== 'string') return undefined;
  const detail: Record<string, string> = {};
  if (segs.length === 5) {
    if (typeof header['enc'] !== 'string') return undefined;
    detail['format'] = 'JWE';
  } else {
    if (segs[1]![1] - segs[1]![0] < 2) return undefined;
    detail['format'] = 'JWS';
  }
  for (const k of ['alg', 'enc', 'kid', 'typ'] as const) {
    const v = claim(header[k]);
    if (v !== undefined) detail[k] = v;
  }
  if (segs.length === 3) {
    const payload = jsonFromB64url(part(1));
    if (isObject(payload)) {
      for (const k of ['sub', 'iss', 'aud'] as const) {
        const v = claim(Array.isArray(payload[k]) ? (payload[k] as unknown[]).join(',') : payload[k]);
        if (v !== undefined) detail[k] = v;
      }
      if (typeof payload['exp'] === 'number') detail['exp'] = new Date(payload['exp'] * 1000).toISOString();
    }
  }
  return detail;
}

/* ------------------------------------------------------------------ PEM private keys */

const BEGIN = Buffer.from('-----BEGIN ');
/** How far after the BEGIN line we look for the base64 body that makes it a real key. */
const PEM_PEEK = 512;

/**
 * `-----BEGIN … PRIVATE KEY-----` (PKCS#1, PKCS#8, encrypted PKCS#8, EC, OpenSSH, PGP
 * `PRIVATE KEY BLOCK`) followed by a base64 body. The bare marker string in program code is
 * not reported: a body of at least 40 base64 characters must follow (after optional headers),
 * also when the newlines are JSON-escaped.
 */
export function pemDetector(): Detector {
  return {
    name: 'private-key',
    lookbehind: 0,
    scan(win, from, final, emit) {
      let i = win.indexOf(BEGIN, from);
      while (i !== -1) {
        const labelStart = i + BEGIN.length;
        const dashes = win.indexOf('-----', labelStart);
        if (dashes === -1 || dashes - labelStart > 64) {
          if (!final && win.length - labelStart <= 64 + 5) return i;
          i = win.indexOf(BEGIN, i + 1);
          continue;
        }
        const label = win.toString('latin1', labelStart, dashes);
        const lineEnd = dashes + 5;
        if (!/^[A-Z0-9 ]*PRIVATE KEY( BLOCK)?$/.test(label)) { i = win.indexOf(BEGIN, lineEnd); continue; }
        const avail = win.length - lineEnd;
        if (avail < PEM_PEEK && !final) return i;
        if (hasPemBody(win.toString('latin1', lineEnd, lineEnd + Math.min(avail, PEM_PEEK)))) {
          const detail: Record<string, string> = { label };
          if (/ENCRYPTED/.test(label)) detail['encrypted'] = 'yes';
          emit({ kind: 'private-key', start: i, end: lineEnd, detail, label: `‹-----BEGIN ${label}-----›` });
        }
        i = win.indexOf(BEGIN, lineEnd);
      }
      return final ? win.length : Math.max(from, win.length - (BEGIN.length - 1));
    },
  };
}

function hasPemBody(after: string): boolean {
  const lines = after.replace(/\\r/g, '').replace(/\\n/g, '\n').split(/\r?\n/);
  let k = 0;
  if (lines[0]?.trim() !== '') return false; // the BEGIN line must end
  for (k = 1; k < lines.length; k++) {
    const l = lines[k]!.trim();
    if (l === '' || /^[A-Za-z][A-Za-z0-9-]*:/.test(l)) continue; // blank or RFC 1421 / PGP header
    break;
  }
  let body = 0;
  for (; k < lines.length; k++) {
    const l = lines[k]!.trim();
    if (!/^[A-Za-z0-9+/=]+$/.test(l)) break;
    body += l.length;
  }
  return body >= 40;
}

/* ------------------------------------------------------------------ JWK private / symmetric keys */

const KTY = Buffer.from('kty');
const MAX_JWK = 16 * 1024;

/**
 * JSON objects with `kty` and a private member: `d` (RSA, EC, OKP private key) or `k` (`oct`
 * symmetric key). Public JWKs are not findings. Also matches JSON-escaped JSON (`{\"kty\":…}`).
 */
export function jwkDetector(): Detector {
  return {
    name: 'jwk',
    lookbehind: MAX_JWK,
    scan(win, from, final, emit) {
      let i = win.indexOf(KTY, from);
      let resume = final ? win.length : Math.max(from, win.length - (KTY.length + 1));
      while (i !== -1) {
        if (i === 0 || win[i - 1] !== 0x22 || i + 3 >= win.length || (win[i + 3] !== 0x22 && win[i + 3] !== 0x5c)) {
          if (i + 3 >= win.length && !final) return Math.min(resume, i);
          i = win.indexOf(KTY, i + 1);
          continue;
        }
        // The enclosing flat object: nearest '{' before, nearest '}' after, no braces between.
        let open = -1;
        for (let j = i - 1; j >= 0 && i - j <= MAX_JWK; j--) {
          const c = win[j];
          if (c === 0x7b) { open = j; break; }
          if (c === 0x7d) break;
        }
        let close = -1;
        let cut = false;
        for (let j = i + 3; j < win.length; j++) {
          if (j - i > MAX_JWK) { cut = true; break; }
          const c = win[j];
          if (c === 0x7d) { close = j; break; }
          if (c === 0x7b) { cut = true; break; }
        }
        if (close === -1 && !cut && !final) return Math.min(resume, i);
        if (open !== -1 && close !== -1) {
          const detail = jwkDetail(win.toString('utf8', open, close + 1));
          if (detail) {
            emit({ kind: 'jwk', start: open, end: close + 1, detail, label: `‹jwk›` });
            i = win.indexOf(KTY, close + 1);
            continue;
          }
        }
        i = win.indexOf(KTY, i + 1);
      }
      return resume;
    },
  };
}

function jwkDetail(text: string): Record<string, string> | undefined {
  let obj: unknown;
  const candidates = [text, text.replace(/\\\\/g, '\u0000').replace(/\\"/g, '"').replace(/\u0000/g, '\\')];
  for (const t of candidates) {
    try { obj = JSON.parse(t); break; } catch { /* try next */ }
  }
  if (!isObject(obj)) {
    // Not strict JSON (JS object literal, truncated escapes): read string members by pattern.
    const members: Record<string, unknown> = {};
    for (const m of text.matchAll(/\\?"([a-z_]{1,8})\\?"\s*:\s*\\?"([^"\\]*)\\?"/g)) members[m[1]!] = m[2]!;
    obj = members;
  }
  const o = obj as Record<string, unknown>;
  if (typeof o['kty'] !== 'string') return undefined;
  const hasD = typeof o['d'] === 'string' && o['d'] !== '';
  const hasK = typeof o['k'] === 'string' && o['k'] !== '';
  if (!hasD && !hasK) return undefined;
  const detail: Record<string, string> = { kty: claim(o['kty']) ?? '?', member: hasD ? 'd' : 'k' };
  for (const k of ['kid', 'alg', 'use', 'crv'] as const) {
    const v = claim(o[k]);
    if (v !== undefined) detail[k] = v;
  }
  return detail;
}
