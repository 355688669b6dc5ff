/**
 * The correctness probe run before an endpoint is loaded: a good token gets 200
 * and, where the endpoint keeps the tutorial's contract, `X-MESSAGE: Success
 * <sub>` and the tutorial's JSON body; a forged one gets 401 wherever the endpoint verifies. Speed measured on
 * a wrong answer would mean nothing.
 */
import { TUTORIAL_BODY } from '../../njs/src/tutorial.ts';
import type { Endpoint } from './matrix.ts';

export interface ProbeTokens {
  good: string;
  subject: string;
  forged: string;
}

export async function probeEndpoint(url: string, endpoint: Endpoint, tokens: ProbeTokens): Promise<void> {
  const good = await fetch(url, { headers: { authorization: `Bearer ${tokens.good}` } });
  const body = await good.text();
  const message = good.headers.get('x-message');
  if (good.status !== 200 || (endpoint.tutorialContract && (message !== `Success ${tokens.subject}` || body !== TUTORIAL_BODY))) {
    throw new Error(`${endpoint.label} (${url}) answered a good token with ${good.status}, X-MESSAGE ${JSON.stringify(message)}, body ${JSON.stringify(body)}`);
  }
  if (endpoint.verifies) {
    const forged = await fetch(url, { headers: { authorization: `Bearer ${tokens.forged}` } });
    await forged.arrayBuffer();
    if (forged.status !== 401) {
      throw new Error(`${endpoint.label} (${url}) answered a forged token with ${forged.status}, not 401`);
    }
  }
}
