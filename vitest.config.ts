import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real NGINX processes and containers; give them room.
    testTimeout: 20_000,
    // One file at a time: the load, soak and container suites would otherwise share
    // this 2-core machine's CPUs and turn each other's liveness bounds into noise.
    fileParallelism: false,
    hookTimeout: 120_000,
  },
});
