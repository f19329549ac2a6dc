import { defineConfig } from 'vitest/config';

// Three tiers, one command (`npm test`): unit tests are fast and need nothing; integration tests
// talk to the real engines; end-to-end tests drive Debian's Chromium against the browser host.
// The last two share daemons, so their files run one at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // A window follows real engines (a first test container can take seconds on a busy
          // machine): polls wait for an outcome, they do not time it.
          expect: { poll: { timeout: 15_000 } },
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
