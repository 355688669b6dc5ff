/**
 * Given secrets (`--secret-file`, `--secret-env`) and the byte patterns they are searched as:
 * the raw value, and its base64 and base64url encodings at each of the three alignments a
 * value can take inside a longer encoded blob (only the characters that depend on the secret
 * alone, so a match does not depend on the bytes around it).
 */
import { readFile } from 'node:fs/promises';
import { SecretSourceError } from './errors.ts';

export type SecretForm = 'raw' | 'base64' | 'base64url';

export interface GivenSecret {
  /** Where the secret came from, safe to print (e.g. `file token1.jwt`, `env JWT`). */
  readonly label: string;
  readonly value: Buffer;
}

export interface SecretPattern {
  readonly secret: string; // the GivenSecret label
  readonly form: SecretForm;
  readonly bytes: Buffer;
}

/** Shorter secrets would match by accident all over an image. */
export const MIN_SECRET_BYTES = 8;
/** Shortest encoded core worth searching for. */
const MIN_FORM_CHARS = 8;

export function givenSecret(label: string, value: Buffer | string): GivenSecret {
  let buf = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  // A token file usually ends with a newline the program strips; search for the value itself.
  const text = buf.toString('latin1');
  const trimmed = text.replace(/^[\s\uFEFF]+|[\s]+$/g, '');
  if (trimmed.length !== text.length) buf = Buffer.from(trimmed, 'latin1');
  if (buf.length < MIN_SECRET_BYTES) {
    throw new SecretSourceError(`secret from ${label} is shorter than ${MIN_SECRET_BYTES} bytes; too short to search for reliably`);
  }
  return { label, value: buf };
}

export async function secretFromFile(path: string): Promise<GivenSecret> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new SecretSourceError(`cannot read --secret-file ${path}: ${code}`);
  }
  return givenSecret(`file ${path}`, data);
}

export function secretFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): GivenSecret {
  const v = env[name];
  if (v === undefined || v === '') throw new SecretSourceError(`--secret-env ${name}: environment variable ${name} is not set`);
  return givenSecret(`env ${name}`, v);
}

/** The part of base64(prefix ‖ secret ‖ suffix) that depends on the secret alone. */
function encodedCore(value: Buffer, align: number, url: boolean): string {
  const enc = (fill: number): string => {
    const b = Buffer.concat([Buffer.alloc(align, fill), value, Buffer.alloc(2, fill)]);
    return url ? b.toString('base64url') : b.toString('base64');
  };
  // Fillers differ in every bit, so a character mixing filler and secret bits always
  // differs between the two encodings; characters from secret bits alone always agree.
  const a = enc(0x00);
  const b = enc(0xff);
  let start = 0;
  while (start < a.length && a[start] !== b[start]) start++;
  let end = start;
  while (end < a.length && a[end] === b[end]) end++;
  return a.slice(start, end);
}

export function secretPatterns(secrets: readonly GivenSecret[]): SecretPattern[] {
  const out: SecretPattern[] = [];
  for (const s of secrets) {
    const seen = new Set<string>();
    const add = (form: SecretForm, bytes: Buffer): void => {
      const key = bytes.toString('latin1');
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ secret: s.label, form, bytes });
    };
    add('raw', s.value);
    for (const url of [false, true]) {
      for (const align of [0, 1, 2]) {
        const core = encodedCore(s.value, align, url);
        if (core.length >= MIN_FORM_CHARS) add(url ? 'base64url' : 'base64', Buffer.from(core, 'latin1'));
      }
    }
  }
  return out;
}
