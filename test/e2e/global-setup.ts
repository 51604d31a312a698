import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { clusterIsUp, KUBECONFIG, OWN_CLUSTER, REGISTRY, REPO_ROOT } from './cluster-env.js';

/**
 * End-to-end tests need a real cluster. Your own (MODEL_CANARY_REGISTRY and MODEL_CANARY_KUBECONFIG set):
 * it must answer, and nothing is started. The embedded one (the default): started when it is not up (as
 * root; the first start builds it, which takes a while), and left running for the next run; `npm run
 * cluster:down` stops it.
 */
export default function setup(): void {
  if (OWN_CLUSTER) {
    if (!process.env['MODEL_CANARY_KUBECONFIG'])
      throw new Error(
        "MODEL_CANARY_REGISTRY names your own cluster's registry: set MODEL_CANARY_KUBECONFIG to a kubeconfig with admin rights on that cluster too.",
      );
    try {
      execFileSync('kubectl', ['--kubeconfig', KUBECONFIG, 'auth', 'can-i', 'create', 'namespaces'], { stdio: 'pipe', timeout: 30_000 });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer };
      throw new Error(
        `Your cluster (MODEL_CANARY_KUBECONFIG=${KUBECONFIG}) does not let the tests create namespaces, or does not answer: ${String(e.stdout ?? '')}${String(e.stderr ?? '')}`.trim(),
      );
    }
    console.log(
      `e2e on your own cluster (${KUBECONFIG}), images through ${REGISTRY}; the tests of the embedded cluster's own parts are left out (vitest.config.ts EMBEDDED_ONLY).`,
    );
    return;
  }
  if (clusterIsUp()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The end-to-end tests need the local cluster, and starting it needs root: run `sudo npm run cluster:up` first (or name your own cluster: MODEL_CANARY_KUBECONFIG and MODEL_CANARY_REGISTRY).',
    );
  }
  // Both end-to-end projects run this setup, perhaps at once: one brings the cluster up, the other waits for it.
  execFileSync('flock', ['/run/model-canary-cluster-up.lock', 'bash', path.join(REPO_ROOT, 'cluster', 'up.sh')], { stdio: 'inherit', timeout: 85 * 60_000 });
}
