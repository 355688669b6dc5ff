#!/usr/bin/env node
// The `secret-audit` bin: runs the bundle when it has been built (`npm run build:audit`),
// otherwise the TypeScript sources through tsx (a devDependency of this repository).
import { existsSync } from 'node:fs';

const bundle = new URL('../../dist/audit/secret-audit.mjs', import.meta.url);
let cli;
if (existsSync(bundle)) {
  cli = await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
}
await cli.run();
