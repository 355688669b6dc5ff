import { fail } from './errors.ts';

/**
 * Gateway settings, read per request from nginx variables so that each server or
 * location can set its own (`set $jwt_audience "orders";`). An unset or empty
 * variable takes the default; a bad value is ERR_SETTING_INVALID naming the variable.
 * Read-only: locations that set nothing share DEFAULT_SETTINGS itself.
 */
export interface Settings {
  /** `$jwt_realm`: the realm of WWW-Authenticate challenges. */
  readonly realm: string;
  /** `$jwt_leeway`: seconds of clock skew tolerated on exp and nbf. */
  readonly leeway: number;
  /** `$jwt_max_token_length`: longer bearer tokens are refused before decoding. */
  readonly maxTokenLength: number;
  /** `$jwt_require_exp`: "on" refuses tokens without exp. */
  readonly requireExp: boolean;
  /** `$jwt_issuer`: accepted `iss` values, space-separated; empty accepts any. */
  readonly issuers: string[];
  /** `$jwt_audience`: accepted `aud` values, space-separated; empty accepts any. */
  readonly audiences: string[];
  /** `$jwt_typ`: the `typ` header a token must carry, e.g. `JWT` or `at+jwt`. */
  readonly typ: string | undefined;
  /** `$jwt_required_claims`: `name` (present) or `name=a|b` (one of), space-separated; refusal is 403. */
  readonly requiredClaims: RequiredClaim[];
  /** `$jwt_token_cookie` / `$jwt_token_arg`: other places a token may come from. */
  readonly tokenCookie: string | undefined;
  readonly tokenArg: string | undefined;
  /** `$jwt_jwks_uri`: an http(s) URL to take keys from instead of the preloaded file. */
  readonly jwksUri: string | undefined;
  /** `$jwt_jwks_cache_time`: seconds a fetched key set is fresh before NGINX fetches it again. */
  readonly jwksCacheTime: number;
  /** `$jwt_cache_time`: longest time NGINX may answer a verified token from its token cache; 0 turns caching off. */
  readonly cacheTime: number;
}

export interface RequiredClaim {
  name: string;
  /** Accepted values; null when the claim only has to be present. */
  values: string[] | null;
}

export const DEFAULT_SETTINGS: Settings = {
  realm: 'api',
  leeway: 0,
  maxTokenLength: 8192,
  requireExp: false,
  issuers: [],
  audiences: [],
  typ: undefined,
  requiredClaims: [],
  tokenCookie: undefined,
  tokenArg: undefined,
  jwksUri: undefined,
  jwksCacheTime: 300,
  cacheTime: 60,
};

// Each pattern ends in a lookahead, not `$`: njs's PCRE2 lets `$` match before a final newline.

/** A quoted-string without quote, backslash or control characters. */
const REALM = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,128}(?![\s\S])/;
/** Printable ASCII words: issuer URLs, audiences, claim values. */
const WORDS = /^[\x21-\x7e]{1,256}( +[\x21-\x7e]{1,256}){0,31}(?![\s\S])/;
const NAME = /^[A-Za-z0-9_.:-]{1,64}(?![\s\S])/;
const INTEGER = /^[0-9]{1,6}(?![\s\S])/;
/** A media type as in `typ` (RFC 7515 section 4.1.9), e.g. JWT or at+jwt. */
const TYP = /^[A-Za-z0-9_.+\/-]{1,64}(?![\s\S])/;
/** An absolute http(s) URL of printable ASCII; the key set is fetched from it, never from a token. */
const JWKS_URI = /^https?:\/\/[\x21-\x7e]{1,2040}(?![\s\S])/;
const REQUIRED_CLAIM = /^([A-Za-z0-9_.:-]{1,64})(?:=([\x21-\x7b\x7d\x7e]{1,256}(?:\|[\x21-\x7b\x7d\x7e]{1,256}){0,31}))?(?![\s\S])/;

export type Variables = { [name: string]: string | undefined };

/** Every nginx variable readSettings reads. */
export const SETTING_VARIABLES = [
  'jwt_realm', 'jwt_leeway', 'jwt_max_token_length', 'jwt_require_exp', 'jwt_issuer', 'jwt_audience',
  'jwt_typ', 'jwt_required_claims', 'jwt_token_cookie', 'jwt_token_arg', 'jwt_jwks_uri', 'jwt_jwks_cache_time',
  'jwt_cache_time',
];

/** Set by jwt-verifier.conf, not a setting: the settings the token cache hands the verifier. */
export const FORWARDED_SETTINGS_VARIABLE = 'jwt_forwarded_settings';

/** What frames $jwt_settings (nginx/jwt.conf), since NGINX trims whitespace at a header's ends. */
const FORWARDED_FRAME = 'jwt';

/**
 * The settings of the location a request came from, as jwt-cache.conf hands them
 * to the verifier in one header: `$jwt_settings`, every SETTING_VARIABLES value in
 * that order, between tabs, framed by "jwt". No valid setting holds a tab, so any
 * other count of fields is refused rather than read shifted.
 */
export function readForwardedSettings(forwarded: string): Settings {
  const fields = forwarded.split('\t');
  if (fields.length !== SETTING_VARIABLES.length + 2 || fields[0] !== FORWARDED_FRAME || fields[fields.length - 1] !== FORWARDED_FRAME) {
    fail('ERR_SETTING_INVALID', 'the settings forwarded to the verifier have ' + fields.length + ' fields, not ' + (SETTING_VARIABLES.length + 2) + ': does a $jwt_ setting hold a tab?');
  }
  const variables: Variables = {};
  for (let i = 0; i < SETTING_VARIABLES.length; i++) {
    variables[SETTING_VARIABLES[i]] = fields[i + 1];
  }
  return readSettings(variables);
}

/**
 * Reads every setting. Most locations set none of them: those get DEFAULT_SETTINGS
 * itself, since building and checking a 13-member object cost njs about 8 us a
 * request.
 */
export function readSettings(variables: Variables): Settings {
  const realm = variables.jwt_realm;
  const leeway = variables.jwt_leeway;
  const maxTokenLength = variables.jwt_max_token_length;
  const requireExp = variables.jwt_require_exp;
  const issuer = variables.jwt_issuer;
  const audience = variables.jwt_audience;
  const typ = variables.jwt_typ;
  const requiredClaims = variables.jwt_required_claims;
  const tokenCookie = variables.jwt_token_cookie;
  const tokenArg = variables.jwt_token_arg;
  const jwksUri = variables.jwt_jwks_uri;
  const jwksCacheTime = variables.jwt_jwks_cache_time;
  const cacheTime = variables.jwt_cache_time;
  // Unset and empty both mean the default.
  if (!realm && !leeway && !maxTokenLength && !requireExp && !issuer && !audience && !typ && !requiredClaims &&
    !tokenCookie && !tokenArg && !jwksUri && !jwksCacheTime && !cacheTime) {
    return DEFAULT_SETTINGS;
  }
  return {
    realm: realm ? parseRealm(realm) : DEFAULT_SETTINGS.realm,
    leeway: leeway ? parseInteger('jwt_leeway', leeway, 0, 86400) : DEFAULT_SETTINGS.leeway,
    maxTokenLength: maxTokenLength ? parseInteger('jwt_max_token_length', maxTokenLength, 256, 65536) : DEFAULT_SETTINGS.maxTokenLength,
    requireExp: requireExp ? parseSwitch('jwt_require_exp', requireExp) : DEFAULT_SETTINGS.requireExp,
    issuers: issuer ? parseWords('jwt_issuer', issuer) : DEFAULT_SETTINGS.issuers,
    audiences: audience ? parseWords('jwt_audience', audience) : DEFAULT_SETTINGS.audiences,
    typ: typ ? parseTyp(typ) : DEFAULT_SETTINGS.typ,
    requiredClaims: requiredClaims ? parseRequiredClaims(requiredClaims) : DEFAULT_SETTINGS.requiredClaims,
    tokenCookie: tokenCookie ? parseName('jwt_token_cookie', tokenCookie) : DEFAULT_SETTINGS.tokenCookie,
    tokenArg: tokenArg ? parseName('jwt_token_arg', tokenArg) : DEFAULT_SETTINGS.tokenArg,
    jwksUri: jwksUri ? parseJwksUri(jwksUri) : DEFAULT_SETTINGS.jwksUri,
    jwksCacheTime: jwksCacheTime ? parseInteger('jwt_jwks_cache_time', jwksCacheTime, 1, 86400) : DEFAULT_SETTINGS.jwksCacheTime,
    cacheTime: cacheTime ? parseInteger('jwt_cache_time', cacheTime, 0, 3600) : DEFAULT_SETTINGS.cacheTime,
  };
}

/** String search, not RegExp test: njs 0.7.9's test costs several times more. */
function matches(pattern: RegExp, value: string): boolean {
  return value.search(pattern) >= 0;
}

function invalid(variable: string, rule: string): never {
  return fail('ERR_SETTING_INVALID', '$' + variable + ' ' + rule);
}

function parseRealm(value: string): string {
  return matches(REALM, value) ? value : invalid('jwt_realm', 'must be 1-128 printable characters without " or \\');
}

function parseSwitch(variable: string, value: string): boolean {
  return value === 'on' ? true : value === 'off' ? false : invalid(variable, 'must be on or off');
}

function parseTyp(value: string): string {
  return matches(TYP, value) ? value : invalid('jwt_typ', 'must be a media type such as JWT or at+jwt');
}

function parseJwksUri(value: string): string {
  return matches(JWKS_URI, value) ? value : invalid('jwt_jwks_uri', 'must be an http:// or https:// URL of printable ASCII');
}

function parseWords(variable: string, value: string): string[] {
  if (!matches(WORDS, value)) {
    return invalid(variable, 'must be up to 32 space-separated words of printable ASCII');
  }
  // Not value.split(/ +/): splitting on a RegExp costs njs 0.7.9 over 100 us.
  const parts = value.split(' ');
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] !== '') {
      words.push(parts[i]);
    }
  }
  return words;
}

function parseName(variable: string, value: string): string {
  return matches(NAME, value) ? value : invalid(variable, 'must be a name of letters, digits and _ . : -');
}

function parseRequiredClaims(value: string): RequiredClaim[] {
  return parseWords('jwt_required_claims', value).map(function (word) {
    const parsed = REQUIRED_CLAIM.exec(word);
    if (parsed === null) {
      return invalid('jwt_required_claims', 'entries must be name or name=value|value');
    }
    return { name: parsed[1], values: parsed[2] === undefined ? null : parsed[2].split('|') };
  });
}

function parseInteger(variable: string, value: string, min: number, max: number): number {
  if (!matches(INTEGER, value) || Number(value) < min || Number(value) > max) {
    return invalid(variable, 'must be a whole number from ' + min + ' to ' + max);
  }
  return Number(value);
}
