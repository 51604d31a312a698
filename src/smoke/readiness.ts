import type { Protocol } from './protocols/index.js';
import { brief } from './protocols/protocol.js';
import { NoAnswer, type Channel } from './transport/channel.js';

/**
 * Polls the protocol's readiness paths on one pod until each says ready or the budget runs out. A model
 * still loading answers 503, 400, 404 or 500, or refuses the connection, depending on the server: none of
 * these is a verdict until the budget is spent. Returns undefined when ready, else the last answer seen.
 */
export async function waitReady(
  channel: Channel,
  protocol: Protocol,
  budgetMs: number,
  requestTimeoutMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const deadline = Date.now() + budgetMs;
  let last = 'not asked yet';
  let delay = 200;
  for (;;) {
    let ready = true;
    for (const path of protocol.readyPaths) {
      try {
        const r = await channel.send({ method: 'GET', path }, Math.min(requestTimeoutMs, Math.max(1000, deadline - Date.now())));
        if (!protocol.isReady(path, r)) {
          last = `GET ${path} answered ${r.status} ${brief(r.body, 80)}`;
          ready = false;
          break;
        }
      } catch (err) {
        if (!(err instanceof NoAnswer)) throw err;
        last = `GET ${path}: ${err.message}`;
        ready = false;
        break;
      }
    }
    if (ready) return undefined;
    if (Date.now() + delay > deadline || signal?.aborted) return `${last} (after ${Math.round(budgetMs / 1000)}s of polling)`;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 2000);
  }
}
