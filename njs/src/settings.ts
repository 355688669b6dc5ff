import { fail } from './errors.ts';

/**
 * Gateway settings, read per request from nginx variables so that each server or
 * location can set its own (`set $jwt_audience "orders";`). An unset or empty
 * variable takes the default; a bad value is ERR_SETTING_INVALID naming the variable.
 */
export interface Settings {
  /** `$jwt_realm`: the realm of WWW-Authenticate challenges. */
  realm: string;
  /** `$jwt_leeway`: seconds of clock skew tolerated on exp and nbf. */
  leeway: number;
  /** `$jwt_max_token_length`: longer bearer tokens are refused before decoding. */
  maxTokenLength: number;
  /** `$jwt_require_exp`: "on" refuses tokens without exp. */
  requireExp: boolean;
  /** `$jwt_issuer`: accepted `iss` values, space-separated; empty accepts any. */
  issuers: string[];
  /** `$jwt_audience`: accepted `aud` values, space-separated; empty accepts any. */
  audiences: string[];
  /** `$jwt_typ`: the `typ` header a token must carry, e.g. `JWT` or `at+jwt`. */
  typ: string | undefined;
  /** `$jwt_required_claims`: `name` (present) or `name=a|b` (one of), space-separated; refusal is 403. */
  requiredClaims: RequiredClaim[];
  /** `$jwt_token_cookie` / `$jwt_token_arg`: other places a token may come from. */
  tokenCookie: string | undefined;
  tokenArg: string | undefined;
  /** `$jwt_jwks_uri`: an http(s) URL to take keys from instead of the preloaded file. */
  jwksUri: string | undefined;
  /** `$jwt_jwks_cache_time`: seconds a fetched key set is fresh before NGINX fetches it again. */
  jwksCacheTime: number;
  /** `$jwt_cache_time`: longest time NGINX may answer a verified token from its token cache; 0 turns caching off. */
  cacheTime: number;
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

/** A quoted-string without quote, backslash or control characters. */
const REALM = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,128}$/;
/** Printable ASCII words: issuer URLs, audiences, claim values. */
const WORDS = /^[\x21-\x7e]{1,256}( +[\x21-\x7e]{1,256}){0,31}$/;
const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A media type as in `typ` (RFC 7515 section 4.1.9), e.g. JWT or at+jwt. */
const TYP = /^[A-Za-z0-9_.+\/-]{1,64}$/;
/** An absolute http(s) URL of printable ASCII; the key set is fetched from it, never from a token. */
const JWKS_URI = /^https?:\/\/[\x21-\x7e]{1,2040}$/;
const REQUIRED_CLAIM = /^([A-Za-z0-9_.:-]{1,64})(?:=([\x21-\x7b\x7d\x7e]{1,256}(?:\|[\x21-\x7b\x7d\x7e]{1,256}){0,31}))?$/;

export type Variables = { [name: string]: string | undefined };

/** Every nginx variable readSettings reads. */
export const SETTING_VARIABLES = [
  'jwt_realm', 'jwt_leeway', 'jwt_max_token_length', 'jwt_require_exp', 'jwt_issuer', 'jwt_audience',
  'jwt_typ', 'jwt_required_claims', 'jwt_token_cookie', 'jwt_token_arg', 'jwt_jwks_uri', 'jwt_jwks_cache_time',
  'jwt_cache_time',
];

export function readSettings(variables: Variables): Settings {
  return {
    realm: read(variables, 'jwt_realm', DEFAULT_SETTINGS.realm, function (value) {
      return REALM.test(value) ? value : invalid('jwt_realm', 'must be 1-128 printable characters without " or \\');
    }),
    leeway: readInteger(variables, 'jwt_leeway', DEFAULT_SETTINGS.leeway, 0, 86400),
    maxTokenLength: readInteger(variables, 'jwt_max_token_length', DEFAULT_SETTINGS.maxTokenLength, 256, 65536),
    requireExp: read(variables, 'jwt_require_exp', false, function (value) {
      return value === 'on' ? true : value === 'off' ? false : invalid('jwt_require_exp', 'must be on or off');
    }),
    issuers: read(variables, 'jwt_issuer', DEFAULT_SETTINGS.issuers, words('jwt_issuer')),
    audiences: read(variables, 'jwt_audience', DEFAULT_SETTINGS.audiences, words('jwt_audience')),
    typ: read(variables, 'jwt_typ', DEFAULT_SETTINGS.typ, function (value) {
      return TYP.test(value) ? value : invalid('jwt_typ', 'must be a media type such as JWT or at+jwt');
    }),
    requiredClaims: read(variables, 'jwt_required_claims', DEFAULT_SETTINGS.requiredClaims, function (value) {
      return words('jwt_required_claims')(value).map(function (word) {
        const parsed = REQUIRED_CLAIM.exec(word);
        if (parsed === null) {
          return invalid('jwt_required_claims', 'entries must be name or name=value|value');
        }
        return { name: parsed[1], values: parsed[2] === undefined ? null : parsed[2].split('|') };
      });
    }),
    tokenCookie: read(variables, 'jwt_token_cookie', DEFAULT_SETTINGS.tokenCookie, name('jwt_token_cookie')),
    tokenArg: read(variables, 'jwt_token_arg', DEFAULT_SETTINGS.tokenArg, name('jwt_token_arg')),
    jwksUri: read(variables, 'jwt_jwks_uri', DEFAULT_SETTINGS.jwksUri, function (value) {
      return JWKS_URI.test(value) ? value : invalid('jwt_jwks_uri', 'must be an http:// or https:// URL of printable ASCII');
    }),
    jwksCacheTime: readInteger(variables, 'jwt_jwks_cache_time', DEFAULT_SETTINGS.jwksCacheTime, 1, 86400),
    cacheTime: readInteger(variables, 'jwt_cache_time', DEFAULT_SETTINGS.cacheTime, 0, 3600),
  };
}

function read<T>(variables: Variables, variable: string, fallback: T, parse: (value: string) => T): T {
  const value = variables[variable];
  return value === undefined || value === '' ? fallback : parse(value);
}

function invalid(variable: string, rule: string): never {
  return fail('ERR_SETTING_INVALID', '$' + variable + ' ' + rule);
}

function words(variable: string): (value: string) => string[] {
  return function (value) {
    return WORDS.test(value) ? value.split(/ +/) : invalid(variable, 'must be up to 32 space-separated words of printable ASCII');
  };
}

function name(variable: string): (value: string) => string {
  return function (value) {
    return NAME.test(value) ? value : invalid(variable, 'must be a name of letters, digits and _ . : -');
  };
}

function readInteger(variables: Variables, variable: string, fallback: number, min: number, max: number): number {
  return read(variables, variable, fallback, function (value) {
    if (!/^[0-9]{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
      return invalid(variable, 'must be a whole number from ' + min + ' to ' + max);
    }
    return Number(value);
  });
}
