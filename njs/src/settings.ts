import { fail } from './errors.ts';

/**
 * Gateway settings, read per request from nginx variables so that each server or
 * location can set its own (`set $jwt_realm "orders";`). An unset variable takes
 * the default; a bad value is ERR_SETTING_INVALID naming the variable.
 */
export interface Settings {
  /** `$jwt_realm`: the realm of WWW-Authenticate challenges. */
  realm: string;
  /** `$jwt_leeway`: seconds of clock skew tolerated on exp and nbf. */
  leeway: number;
  /** `$jwt_max_token_length`: longer bearer tokens are refused before decoding. */
  maxTokenLength: number;
}

export const DEFAULT_SETTINGS: Settings = { realm: 'api', leeway: 0, maxTokenLength: 8192 };

/** A quoted-string without quote, backslash or control characters. */
const REALM = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

export type Variables = { [name: string]: string | undefined };

export function readSettings(variables: Variables): Settings {
  return {
    realm: readRealm(variables.jwt_realm),
    leeway: readInteger(variables, 'jwt_leeway', DEFAULT_SETTINGS.leeway, 0, 86400),
    maxTokenLength: readInteger(variables, 'jwt_max_token_length', DEFAULT_SETTINGS.maxTokenLength, 256, 65536),
  };
}

function readRealm(value: string | undefined): string {
  if (value === undefined || value === '') {
    return DEFAULT_SETTINGS.realm;
  }
  if (!REALM.test(value)) {
    fail('ERR_SETTING_INVALID', '$jwt_realm must be 1-128 printable characters without " or \\');
  }
  return value;
}

function readInteger(variables: Variables, name: string, fallback: number, min: number, max: number): number {
  const value = variables[name];
  if (value === undefined || value === '') {
    return fallback;
  }
  if (!/^[0-9]{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    fail('ERR_SETTING_INVALID', '$' + name + ' must be a whole number from ' + min + ' to ' + max);
  }
  return Number(value);
}
