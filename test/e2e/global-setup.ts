import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { clusterIsUp, REPO_ROOT } from './cluster-env.js';

/**
 * End-to-end tests need the real local cluster: start it when it is not up (as root; the first start
 * builds it, which takes a while). It is left running for the next run; `npm run cluster:down` stops it.
 */
export default function setup(): void {
  if (clusterIsUp()) return;
  if (process.getuid?.() !== 0) {
    throw new Error('The end-to-end tests need the local cluster, and starting it needs root: run `sudo npm run cluster:up` first.');
  }
  execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'up.sh')], { stdio: 'inherit', timeout: 85 * 60_000 });
}
