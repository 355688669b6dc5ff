/**
 * RegExp matching for text that came from a request header, cookie or query.
 * NGINX hands njs those bytes as they arrived; njs 0.7.9's PCRE2 throws an
 * InternalError on a string that is not valid UTF-8 (a RegExp capture of such
 * bytes is one), which would surface as 500. Such text matches nothing, so each
 * caller's ordinary refusal applies.
 *
 * String search, not RegExp test: njs 0.7.9's test costs 2-5 us even on a short
 * string, several times what search does.
 */
export function matchesText(pattern: RegExp, text: string): boolean {
  try {
    return text.search(pattern) >= 0;
  } catch (e) {
    return false;
  }
}
