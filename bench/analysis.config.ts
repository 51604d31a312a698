import { defineConfig } from 'vitest/config';

// The analysis power benchmark (bench/analysis-power.bench-run.ts): pure, no cluster.
//   npx vitest run --config bench/analysis.config.ts
export default defineConfig({
  test: {
    include: ['bench/analysis-power.bench-run.ts'],
    testTimeout: 300_000,
    reporters: ['default'],
  },
});
