import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real NGINX processes and containers; give them room.
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
});
