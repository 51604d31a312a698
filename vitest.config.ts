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
  'kserve-standard',
  'metrics',
  'own-cluster',
  'prometheus-analysis',
  'traffic',
  'trivy-offline',
  'workflows',
].map((name) => `test/e2e/${name}.test.ts`);
const ownCluster = Boolean(process.env['MODEL_CANARY_REGISTRY']);
/**
 * End-to-end files that must have the cluster to themselves: one restarts the API server, one drives the
 * cluster's scripts, three share Trivy's database cache (which one Trivy at a time may hold), and the rest
 * judge timing or load (the bake window's latency statistics, the HPA's CPU and request rates, a prober that
 * must see no failed request). They run one at a time, after the others.
 */
const ALONE = [
  'analysis',
  'apiserver-restart',
  'batch-scaling',
  'cluster',
  'hpa',
  'kserve-standard',
  'prometheus-analysis',
  'release-prober',
  'scan',
  'trivy-offline',
  'workflows',
].map((name) => `test/e2e/${name}.test.ts`);
const e2e = {
  testTimeout: 300_000,
  hookTimeout: 1_800_000,
  globalSetup: ['test/e2e/global-setup.ts'],
  // On a failure, the pods, events and logs of the namespaces the test made.
  setupFiles: ['test/e2e/failure-report.ts'],
};

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
          // Beside the first end-to-end group (a group's projects must use one worker count).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...ALONE, ...(ownCluster ? EMBEDDED_ONLY : [])],
          // Each file has namespaces, images and model names of its own: two at a time share the one cluster
          // and Docker engine (the machines have 2 cores).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          ...e2e,
        },
      },
      {
        test: {
          name: 'e2e-alone',
          include: ALONE,
          exclude: ownCluster ? EMBEDDED_ONLY : [],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          ...e2e,
        },
      },
    ],
  },
});
