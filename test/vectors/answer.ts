/**
 * What the gateway answers to a vector, computed from the njs modules directly:
 * the common shape in which Node, the njs CLI and NGINX results are compared.
 * Written without Node APIs so the njs CLI test can run it too.
 */
import type { authenticate as Authenticate } from '../../njs/src/authenticate.ts';
import type { denialFor as DenialFor } from '../../njs/src/responses.ts';
import { DEFAULT_SETTINGS } from '../../njs/src/settings.ts';

export interface Answer {
  status: number;
  error: string | null;
  subject: string | null;
}

export function answerTo(
  authenticate: typeof Authenticate,
  denialFor: typeof DenialFor,
  authorization: string[],
  keySet: unknown,
  now: number,
): Promise<Answer> {
  return authenticate({ authorization, now }, DEFAULT_SETTINGS, keySet).then(function (outcome) {
    if (outcome.identity !== undefined) {
      return { status: 200, error: null, subject: outcome.identity.subject };
    }
    const denial = denialFor(outcome.failure, DEFAULT_SETTINGS.realm);
    return { status: denial.status, error: denial.error === undefined ? null : denial.error, subject: null };
  });
}
