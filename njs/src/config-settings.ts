import { isGatewayError } from './errors.ts';
import { FORWARDED_SETTINGS_VARIABLE, readSettings, SETTING_VARIABLES } from './settings.ts';

/** `set $jwt_<name> <value>;` with the value bare, double- or single-quoted. */
const SET_DIRECTIVE = /(^|[\s;{}])set\s+\$(jwt_[A-Za-z0-9_]+)\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s;'"]+))\s*;/g;

/**
 * Checks the gateway settings an NGINX configuration sets literally, before NGINX
 * starts: each bad value, and each `$jwt_` name that is no setting (a typo such
 * as `$jwt_audiance` would otherwise silently switch a check off), is reported
 * as `FILE:LINE: problem`. A value built from other variables can only be
 * checked per request, where a bad one answers 500 naming the variable.
 */
export function checkSettingsInConfig(text: string, file: string): string[] {
  const problems: string[] = [];
  const code = text.replace(/#[^\n]*/g, '');
  let match: RegExpExecArray | null;
  SET_DIRECTIVE.lastIndex = 0;
  while ((match = SET_DIRECTIVE.exec(code)) !== null) {
    const where = file + ':' + (code.slice(0, match.index + match[1].length).split('\n').length);
    const variable = match[2];
    const value = match[3] !== undefined ? match[3] : match[4] !== undefined ? match[4] : match[5];
    if (variable === FORWARDED_SETTINGS_VARIABLE) {
      continue;
    }
    if (SETTING_VARIABLES.indexOf(variable) < 0) {
      problems.push(where + ': $' + variable + ' is not a gateway setting (' + SETTING_VARIABLES.map(function (name) { return '$' + name; }).join(', ') + ')');
    } else if (value.indexOf('$') < 0) {
      const variables: { [name: string]: string } = {};
      variables[variable] = value;
      try {
        readSettings(variables);
      } catch (e) {
        problems.push(where + ': ' + (isGatewayError(e) ? e.message : String(e)));
      }
    }
  }
  return problems;
}
