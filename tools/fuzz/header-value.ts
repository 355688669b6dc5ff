/**
 * What can travel in an HTTP header value. RFC 9110 allows visible ASCII, space,
 * tab and obs-text (0x80-0xFF); undici refuses anything else before sending, and
 * writes header strings as latin1, one byte per character.
 */

/**
 * Binary input as a header value: each byte that is a control character (0x00-0x08,
 * 0x0A-0x1F, 0x7F) gets its high bit set, so it becomes obs-text (0x80-0x9F, 0xFF)
 * and still reaches NGINX as a single unusual byte; every other byte is sent as it
 * is. Leading and trailing spaces and tabs are kept: HTTP strips them, which the
 * forgery check accounts for (credentialOf).
 */
export function headerSafe(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    const control = (byte < 0x20 && byte !== 0x09) || byte === 0x7f;
    text += String.fromCharCode(control ? byte | 0x80 : byte);
  }
  return text;
}

/**
 * The token a server sees in an Authorization value: without the surrounding
 * whitespace HTTP strips, and without a `Bearer` scheme and the spaces after it.
 */
export function credentialOf(authorization: string): string {
  return authorization.replace(/^[ \t]+|[ \t]+$/g, '').replace(/^bearer +/i, '');
}
