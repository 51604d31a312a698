import { startBackground, type BackgroundProcess } from '../exec/background.js';
import type { ProcessCounter } from '../exec/exec.js';
import type { Logger } from '../log/logger.js';

export interface KubeProxy {
  /** http://127.0.0.1:PORT, speaking to the API server with the kubeconfig's credentials. */
  url: string;
  process: BackgroundProcess;
}

/**
 * One `kubectl proxy` for the whole run: every API call after it is plain HTTP on loopback, so a release
 * starts one kubectl instead of one per call, and the kubeconfig's auth (exec plugins included) is
 * kubectl's business. It listens on a free port on 127.0.0.1 only.
 */
export async function startKubeProxy(
  logger: Logger,
  counter: ProcessCounter,
  kubectl: string,
  options: { context?: string } = {},
): Promise<KubeProxy> {
  const args = ['proxy', '--address=127.0.0.1', '--port=0', '--keepalive=30s'];
  if (options.context) args.push('--context', options.context);
  const proc = startBackground(logger, counter, kubectl, args);
  const line = await proc.waitForLine(/Starting to serve on/, 30_000);
  const match = /Starting to serve on ([\d.]+):(\d+)/.exec(line);
  if (!match) {
    await proc.stop();
    throw new Error(`internal: unexpected kubectl proxy output: ${line}`);
  }
  return { url: `http://${match[1]}:${match[2]}`, process: proc };
}
