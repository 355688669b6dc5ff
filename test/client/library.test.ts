/** The client as a library: everything a program needs comes from client/src/index.ts. */
import { afterEach, describe, expect, it } from 'vitest';
import * as apiclient from '../../client/src/index.ts';
import { Lines, TOKEN1, startStubGateway, type StubGateway } from './helpers.ts';

let gateway: StubGateway | undefined;
afterEach(async () => {
  await gateway?.close();
});

describe('client/src/index.ts', () => {
  it('is enough to build a client around a custom SecretSource', async () => {
    gateway = await startStubGateway({ accepted: new Map([[TOKEN1, 'apiKey1']]) });
    // What a Vault or cloud-manager source would look like: a cached lease, refreshed on reload().
    const leases: string[] = [];
    const source: apiclient.SecretSource = {
      description: 'test secrets manager "jot"',
      token: async () => leases.at(-1) ?? source.reload(),
      reload: async () => {
        leases.push(apiclient.parseToken(TOKEN1, source.description));
        return TOKEN1;
      },
    };
    const http = new apiclient.GatewayClient(apiclient.DEFAULT_TIMEOUTS);
    const out = new Lines();
    try {
      const code = await apiclient.runOnce(
        { url: gateway.url, source, gateway: http, redactor: new apiclient.Redactor() },
        out.sink,
        out.sink,
      );
      expect([code, out.lines, leases.length]).toEqual([apiclient.ExitCode.Success, ['200 Success apiKey1'], 1]);
    } finally {
      await http.close();
    }
  });
});
