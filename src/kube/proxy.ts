import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBackground, type BackgroundProcess } from '../exec/background.js';
import type { ProcessCounter } from '../exec/exec.js';
import type { Logger } from '../log/logger.js';
import { unixBase } from './http.js';

export interface KubeProxy {
  /** unix://<socket>: the proxy, speaking to the API server with the kubeconfig's credentials (./http.ts). */
  url: string;
  process: BackgroundProcess;
  /** Stops the proxy and removes its socket and folder; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * One `kubectl proxy` for the whole run: every API call after it is plain HTTP to it, so a release starts
 * one kubectl instead of one per call, and the kubeconfig's auth (exec plugins included) is kubectl's
 * business. The proxy hands out the deployer's credentials to whoever can connect and checks nothing, so
 * it listens on a Unix socket, not a TCP port: the socket (0600) is in a folder made by mkdtemp (0700),
 * so no other local user (a shared self-hosted runner) can reach it. Under the OS temp folder because a
 * socket path is limited to about 100 bytes.
 */
export async function startKubeProxy(
  logger: Logger,
  counter: ProcessCounter,
  kubectl: string,
  options: { context?: string; socketDir?: string } = {},
): Promise<KubeProxy> {
  const dir = mkdtempSync(path.join(options.socketDir ?? os.tmpdir(), 'model-canary-kube-'));
  const socket = path.join(dir, 'proxy.sock');
  const args = ['proxy', `--unix-socket=${socket}`, '--keepalive=30s'];
  if (options.context) args.push('--context', options.context);
  const proc = startBackground(logger, counter, kubectl, args);
  const stop = async (): Promise<void> => {
    try {
      await proc.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await proc.waitForLine(/Starting to serve on/, 30_000);
    if (!statSync(socket).isSocket()) throw new Error(`internal: kubectl proxy made no socket at ${socket}`);
    chmodSync(socket, 0o600);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: unixBase(socket), process: proc, stop };
}
