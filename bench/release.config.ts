import { defineConfig } from 'vitest/config';

// The release benchmark (bench/release.bench-run.ts) on the real local cluster:
//   npx vitest run --config bench/release.config.ts
export default defineConfig({
  test: {
    include: ['bench/release.bench-run.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    globalSetup: ['test/e2e/global-setup.ts'],
    reporters: ['default'],
  },
});
