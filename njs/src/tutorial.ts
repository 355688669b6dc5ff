import type { Outcome } from './authenticate.ts';
import { readSubject } from './claims.ts';
import { denialFor } from './responses.ts';

/** The tutorial's success body. */
export const TUTORIAL_BODY = '{ "response": "success", "authorized": true, "value": "999" }\n';

export interface TutorialAnswer {
  status: number;
  headers: { [name: string]: string };
  body: string;
  /** Why the request was refused, for the error log; undefined on success. */
  failure: unknown;
}

/**
 * The tutorial's API: 200 with `X-MESSAGE: Success <sub>` and its JSON body for a
 * token that verifies and has a `sub` fit for a header, an RFC 6750 denial for
 * anything else.
 */
export function tutorialAnswer(outcome: Outcome, realm: string): TutorialAnswer {
  let failure = outcome.failure;
  if (outcome.identity !== undefined) {
    try {
      const subject = readSubject(outcome.identity.claims);
      return { status: 200, headers: { 'X-MESSAGE': 'Success ' + subject, 'Content-Type': 'application/json' }, body: TUTORIAL_BODY, failure: undefined };
    } catch (e) {
      failure = e;
    }
  }
  const denial = denialFor(failure, realm);
  const headers: { [name: string]: string } = { 'Content-Type': 'application/json' };
  if (denial.challenge !== undefined) {
    headers['WWW-Authenticate'] = denial.challenge;
  }
  return { status: denial.status, headers, body: denial.body, failure };
}
