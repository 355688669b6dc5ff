import { hmacVectors } from './hmac-tokens.ts';
import { publicKeyVectors } from './public-key-tokens.ts';
import type { Vector } from './tokens.ts';

export { mint, signRaw, type Vector } from './tokens.ts';

/** Every request vector: the tutorial contract, then the HMAC and public-key families. */
export async function requestVectors(): Promise<Vector[]> {
  return [...(await hmacVectors()), ...(await publicKeyVectors())];
}
