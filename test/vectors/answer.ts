/**
 * What the tutorial endpoint answers to a vector, computed from the njs modules
 * directly: the common shape in which Node, the njs CLI and NGINX results are
 * compared. Written in the njs subset so the njs CLI test can run it too.
 */
import type { authenticate as Authenticate } from '../../njs/src/authenticate.ts';
import { DEFAULT_SETTINGS } from '../../njs/src/settings.ts';
import { tutorialAnswer } from '../../njs/src/tutorial.ts';

export interface Answer {
  status: number;
  /** The RFC 6750 error code of the challenge, or null. */
  error: string | null;
  /** What follows "Success " in X-MESSAGE, or null. */
  subject: string | null;
}

export function answerTo(authenticate: typeof Authenticate, authorization: string[], keySet: unknown, now: number): Promise<Answer> {
  const credentials = { presented: { authorization: authorization, cookie: undefined, queryArg: [] }, now: now };
  return Promise.resolve(authenticate(credentials, DEFAULT_SETTINGS, { keySet: keySet, revoked: undefined })).then(function (outcome) {
    const answer = tutorialAnswer(outcome, DEFAULT_SETTINGS.realm);
    const error = /error="([^"]+)"/.exec(answer.headers['WWW-Authenticate'] || '');
    const message = answer.headers['X-MESSAGE'];
    return {
      status: answer.status,
      error: error === null ? null : error[1],
      subject: message === undefined ? null : message.slice('Success '.length),
    };
  });
}
