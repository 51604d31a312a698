import type { ProcessCounter } from '../exec/exec.js';
import type { Logger } from '../log/logger.js';
import { resolveTool, type ToolDeps } from '../tools/resolve.js';
import { KubeClient } from './client.js';
import { startKubeProxy, type KubeProxy } from './proxy.js';

/**
 * The run's connection to the cluster, opened on first use: commands that never touch the cluster
 * (plan, build, scan, render) start no kubectl at all. close() stops the proxy; safe to call twice.
 */
export class KubeSession {
  private opened: Promise<{ proxy: KubeProxy; client: KubeClient }> | undefined;
  private pid: number | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly counter: ProcessCounter,
    private readonly tools: ToolDeps,
    private readonly context: string | undefined,
  ) {}

  async client(): Promise<KubeClient> {
    this.opened ??= this.open();
    return (await this.opened).client;
  }

  /** The pid of the kubectl proxy, once it runs (a cancelled run keeps it to clean up through it). */
  get proxyPid(): number | undefined {
    return this.pid;
  }

  /** The kubectl binary the session uses (for the few things only kubectl does, like port-forward). */
  async kubectl(): Promise<string> {
    return (await resolveTool('kubectl', this.tools)).path;
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    const pending = this.opened;
    this.opened = undefined;
    try {
      await (await pending).proxy.stop();
    } catch {
      // it never started; nothing to stop
    }
  }

  private async open(): Promise<{ proxy: KubeProxy; client: KubeClient }> {
    const kubectl = await this.kubectl();
    const proxy = await startKubeProxy(this.logger, this.counter, kubectl, this.context ? { context: this.context } : {});
    this.logger.debug(`kubectl proxy serving on ${proxy.url}`);
    this.pid = proxy.process.pid;
    return { proxy, client: new KubeClient(proxy.url, this.logger) };
  }
}
