import type { SecretSource } from '../secret-source.ts';
import { DEFAULT_SECRET_FILE, FileSecretSource } from './file.ts';

/**
 * The tutorial's Challenge 4. Docker Swarm hands a service its secret as a file on a tmpfs
 * under `/run/secrets`, so reading it is reading a file; what differs from Challenge 3 is where
 * the secret lives before that: encrypted in the Swarm's Raft log rather than in a file on the
 * host. Swarm rotates a secret by redeploying the service with a new one, so the client starts
 * on the new file; the file source would also follow a change made in place.
 */
export function swarmSecret(path: string = DEFAULT_SECRET_FILE): SecretSource {
  return new FileSecretSource(path, `Docker Swarm secret ${JSON.stringify(path)}`);
}
