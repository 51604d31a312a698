import { defineConfig } from 'vitest/config';

// The KServe promote benchmark (bench/kserve-promote.bench-run.ts) on the real local cluster:
//   npm run bench:kserve
export default defineConfig({
  test: {
    include: ['bench/kserve-promote.bench-run.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    globalSetup: ['test/e2e/global-setup.ts'],
    reporters: ['default'],
  },
});
