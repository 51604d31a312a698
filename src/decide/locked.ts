import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import type { KubeClient } from '../kube/client.js';
import { ReleaseLock } from '../deploy/lock.js';

/** Runs fn holding the model's release lock; the lock is released however fn ends. */
export async function withReleaseLock<T>(config: Config, ctx: StageContext, fn: (client: KubeClient) => Promise<T>): Promise<T> {
  const client = await ctx.kube.client();
  const lock = await ReleaseLock.acquire(client, {
    namespace: config.cluster.namespace,
    model: config.model.name,
    identity: config.run.runId,
    timeoutMs: config.canary.lockTimeoutMs,
    logger: ctx.host.logger,
  });
  ctx.cleanup.lock(true);
  try {
    return await fn(client);
  } finally {
    try {
      await lock.release();
      ctx.cleanup.lock(false);
    } catch (err) {
      ctx.host.logger.warn(
        `Could not release the lock: ${err instanceof Error ? err.message : String(err)}; it expires by itself, and the post step releases it.`,
      );
    }
  }
}
