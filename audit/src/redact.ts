/**
 * Making text safe to print. Previews show a little context around a finding; whatever could
 * be key material in that context is masked, and any fragment of a given secret (in any of
 * its searched forms) is masked too, so the report can never reproduce a secret.
 */
import type { SecretPattern } from './secrets.ts';

export const MASK = '…';
/** Runs of base64/hex-like characters at least this long are masked in context. */
const TOKENISH = /[A-Za-z0-9+/=_-]{16,}/g;
/** Fragments of a given secret at least this long are masked. */
const MIN_FRAGMENT = 4;

/** Printable single-line text: control and non-ASCII bytes become '·'. */
export function printable(bytes: Buffer): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
  return s;
}

/** Masks every character of `text` that belongs to a common substring (≥ 4 chars) with a pattern. */
export function maskFragments(text: string, patterns: readonly SecretPattern[]): string {
  if (text.length === 0 || patterns.length === 0) return text;
  const hit = new Uint8Array(text.length);
  for (const p of patterns) {
    const pat = p.bytes.toString('latin1');
    // Longest common substring ending at (i, j), row by row: O(|text|·|pat|), both small here.
    let prev = new Uint16Array(pat.length + 1);
    for (let i = 1; i <= text.length; i++) {
      const cur = new Uint16Array(pat.length + 1);
      for (let j = 1; j <= pat.length; j++) {
        if (text[i - 1] === pat[j - 1]) {
          cur[j] = prev[j - 1]! + 1;
          if (cur[j]! >= MIN_FRAGMENT) hit.fill(1, i - cur[j]!, i);
        }
      }
      prev = cur;
    }
  }
  let out = '';
  let masking = false;
  for (let i = 0; i < text.length; i++) {
    if (hit[i]) {
      if (!masking) out += MASK;
      masking = true;
    } else {
      out += text[i];
      masking = false;
    }
  }
  return out;
}

/** Masks long token-like runs (possible keys, tokens, hashes) in context text. */
export function maskTokenish(text: string): string {
  return text.replace(TOKENISH, MASK);
}

export function safeContext(text: string, patterns: readonly SecretPattern[]): string {
  return maskTokenish(maskFragments(text, patterns));
}

/** Shortens a long string for display, keeping its start. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}${MASK}`;
}
