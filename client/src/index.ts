export type { SecretSource } from './secret-source.ts';
export { FileSecretSource, DEFAULT_SECRET_FILE } from './sources/file.ts';
export { FixedSecretSource } from './sources/fixed.ts';
export { envSecret, TOKEN_VARIABLE, TOKEN_FILE_VARIABLE } from './sources/env.ts';
export { hardcodedSecret } from './sources/hardcoded.ts';
export { swarmSecret } from './sources/swarm.ts';
export { parseToken, MAX_TOKEN_BYTES } from './token-format.ts';
export { Redactor, REDACTED } from './redact.ts';
export { lineSink, type LineSink } from './output.ts';
export {
  ApiClientError,
  GatewayUnreachable,
  SecretMalformed,
  SecretNotFound,
  SecretUnreadable,
  UsageError,
  formatError,
  type ApiClientErrorCode,
  type MalformedReason,
} from './errors.ts';
export { GatewayClient, DEFAULT_TIMEOUTS, type GatewayResponse, type Timeouts } from './http.ts';
export { callGateway, formatResponse, runOnce, runLoop, backoffDelay, ExitCode, type Client, type LoopOptions } from './run.ts';
export { main, parseCommandLine, HELP, type Config, type Mode } from './cli.ts';
