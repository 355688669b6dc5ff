/**
 * RegExp matching for text that came from a request header, cookie or query.
 * NGINX hands njs those bytes as they arrived; njs 0.7.9's PCRE2 throws an
 * InternalError on a string that is not valid UTF-8, which would surface as 500.
 * Such text matches nothing, so each caller's ordinary refusal applies.
 */
export function matchesText(pattern: RegExp, text: string): boolean {
  try {
    return pattern.test(text);
  } catch (e) {
    return false;
  }
}

export function execText(pattern: RegExp, text: string): RegExpExecArray | null {
  try {
    return pattern.exec(text);
  } catch (e) {
    return null;
  }
}
