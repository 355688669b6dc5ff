import type { Authenticated } from './authenticate.ts';

/**
 * Values for `$jwt_claim_<name>`, `$jwt_header_<name>` and `$jwt_payload`, fit to
 * forward as request headers: a string without control characters as it is,
 * anything else JSON-encoded, and no raw control character either way. An absent
 * claim is the empty string, which also makes `proxy_set_header` drop the header.
 */
export function claimVariables(identity: Authenticated): { [variable: string]: string } {
  // Claims and header members exposed as nginx variables, named as NGINX Plus names them (built
  // here, not at the top level, which NGINX reruns in every request, refused ones too).
  const claimNames = ['sub', 'iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope'];
  const headerNames = ['alg', 'kid', 'typ'];
  const values: { [variable: string]: string } = { jwt_payload: headerSafe(JSON.stringify(identity.claims)) };
  for (let i = 0; i < claimNames.length; i++) {
    values['jwt_claim_' + claimNames[i]] = headerValue(identity.claims[claimNames[i]]);
  }
  for (let i = 0; i < headerNames.length; i++) {
    values['jwt_header_' + headerNames[i]] = headerValue(identity.header[headerNames[i]]);
  }
  return values;
}

function headerValue(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  // search, not test: njs 0.7.9's RegExp test costs several times more.
  if (typeof value === 'string' && value.search(/[\x00-\x1f\x7f]/) < 0) {
    return value;
  }
  return headerSafe(JSON.stringify(value));
}

/** JSON.stringify escapes C0 controls but leaves DEL as it is. (indexOf first: a RegExp replace is slow in njs.) */
function headerSafe(json: string): string {
  return json.indexOf('\x7f') < 0 ? json : json.replace(/\x7f/g, '\\u007f');
}
