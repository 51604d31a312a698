import { defineConfig } from 'vitest/config';

// The peer benchmark (bench/peers/flagger.bench-run.ts) on the real local cluster, not in CI:
//   npx vitest run --config bench/peers/vitest.config.ts
// It starts Flagger (bench/peers/flagger.sh up, building it into the cache the first time) and stops it after.
export default defineConfig({
  test: {
    include: ['bench/peers/flagger.bench-run.ts'],
    testTimeout: 900_000,
    hookTimeout: 2_700_000,
    globalSetup: ['test/e2e/global-setup.ts'],
    reporters: ['default'],
  },
});
