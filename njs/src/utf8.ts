import { fail } from './errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, refusing invalid sequences instead of replacing them with U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    // njs decodes any BufferSource; its typings name only ArrayBuffer.
    return decoder.decode(bytes as unknown as ArrayBuffer);
  } catch (e) {
    return fail('ERR_JWS_MALFORMED', what + ' is not valid UTF-8');
  }
}
