import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the plain "N passed, N failed" line CI prints (scripts/test-summary.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: '.model-canary/test-results.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // One cluster, one Docker engine: end-to-end files run one at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 1_800_000,
          globalSetup: ['test/e2e/global-setup.ts'],
          // On a failure, the pods, events and logs of the namespaces the test made.
          setupFiles: ['test/e2e/failure-report.ts'],
        },
      },
    ],
  },
});
