import type { KubeClient, WatchEvent } from './client.js';
import type { Logger } from '../log/logger.js';

/** A watch that reconnects from the last resourceVersion when the server ends it, until aborted. */
export async function keepWatching<T>(
  client: KubeClient,
  path: string,
  params: { labelSelector?: string },
  resourceVersion: string | undefined,
  onEvent: (e: WatchEvent<T>) => void,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  let rv = resourceVersion;
  let pause = 500;
  while (!signal.aborted) {
    try {
      rv = await client.watch<T>(
        path,
        { ...params, ...(rv ? { resourceVersion: rv } : {}) },
        (e) => {
          if (e.type === 'ERROR')
            rv = undefined; // 410 Gone: start again from the current state
          else onEvent(e);
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return;
      logger.debug(`watch ${path} ended: ${err instanceof Error ? err.message : String(err)}; watching again`);
      rv = undefined;
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 5000); // a watch that keeps failing (403, proxy gone) is retried ever more slowly
    }
  }
}
