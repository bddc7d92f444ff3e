import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'protocol/**/*.test.ts',
      'sdk/**/*.test.ts',
      'server-shim/**/*.test.ts',
      'testing/**/*.test.ts',
      'devtools/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    environment: 'node',
    // Integration tests open real sockets on loopback; keep them from competing for the 2 cores.
    fileParallelism: false,
    testTimeout: 15_000,
  },
});
