/**
 * A minimal assertion kit for cases that run both in Node (vitest) and in the
 * njs CLI, where no assertion library exists. Written in the njs subset.
 */
import { isGatewayError } from '../../njs/src/errors.ts';

export interface Case {
  name: string;
  run: () => void;
}

export function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new Error(what + ': expected ' + e + ', got ' + a);
  }
}

/** Runs `action` and checks it fails with a GatewayError of this code. */
export function failsWith(code: string, action: () => unknown): void {
  let failure: unknown;
  try {
    action();
  } catch (e) {
    failure = e;
  }
  if (failure === undefined) {
    throw new Error('expected ' + code + ', but nothing failed');
  }
  if (!isGatewayError(failure) || failure.code !== code) {
    throw new Error('expected ' + code + ', got ' + String(failure));
  }
}
