import { defineConfig } from 'vitest/config';

// The smoke benchmark (bench/smoke.bench-run.ts) on the real local cluster:
//   npx vitest run --config bench/smoke.config.ts
export default defineConfig({
  test: {
    include: ['bench/smoke.bench-run.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    globalSetup: ['test/e2e/global-setup.ts'],
    reporters: ['default'],
  },
});
