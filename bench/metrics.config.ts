import { defineConfig } from 'vitest/config';

// The metrics-cost benchmark (bench/metrics.bench-run.ts) on the real local cluster:
//   npx vitest run --config bench/metrics.config.ts
export default defineConfig({
  test: {
    include: ['bench/metrics.bench-run.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    globalSetup: ['test/e2e/global-setup.ts'],
    reporters: ['default'],
  },
});
