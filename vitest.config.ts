import { defineConfig } from 'vitest/config';

/**
 * End-to-end files that test the embedded cluster's own parts (its scripts, its API server's flags, the
 * processes it runs on the node: Prometheus and the metrics adapter, Traefik, the tools in its build
 * cache): left out on your own cluster (MODEL_CANARY_REGISTRY set; test/e2e/cluster-env.ts).
 */
const EMBEDDED_ONLY = [
  'apiserver-restart',
  'batch-scaling',
  'build',
  'cluster',
  'hpa',
  'metrics',
  'own-cluster',
  'prometheus-analysis',
  'traffic',
  'trivy-offline',
  'workflows',
].map((name) => `test/e2e/${name}.test.ts`);
const ownCluster = Boolean(process.env['MODEL_CANARY_REGISTRY']);

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
          exclude: ownCluster ? EMBEDDED_ONLY : [],
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
