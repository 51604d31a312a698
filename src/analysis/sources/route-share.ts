import { httpRequest } from '../../kube/http.js';
import type { ModelRequest } from '../../smoke/types.js';
import type { EvidenceSource, Measurements, ShareSample } from '../types.js';

/** One answer through the Gateway: its HTTP status and the model version the server said it runs. */
export interface GatewayAnswer {
  status: number;
  identity: string | undefined;
  error?: string;
}

export type GatewayAsk = () => Promise<GatewayAnswer>;

/**
 * A request through the Gateway's listener as the runner reaches it (`url`), with the route's host name as
 * the Host header (which fetch does not let a caller set; the one HTTP client of src/kube/http.ts does),
 * answered by whichever backend the route's weights picked.
 */
export function gatewayAsk(options: {
  url: string;
  host?: string;
  request: ModelRequest;
  read: (body: unknown) => string | undefined;
  timeoutMs: number;
}): GatewayAsk {
  const url = `${options.url.replace(/\/$/, '')}${options.request.path}`;
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.host ? { Host: options.host } : {}) };
  return async () => {
    try {
      const answer = await httpRequest(url, { method: options.request.method, headers, signal: AbortSignal.timeout(options.timeoutMs) });
      const text = await answer.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: no identity
      }
      return { status: answer.status, identity: options.read(body) };
    } catch (err) {
      return { status: 0, identity: undefined, error: err instanceof Error ? err.message : String(err) };
    }
  };
}

export interface RouteShareOptions {
  ask: GatewayAsk;
  /** What a canary pod and a stable pod say they run (asked of each directly before the window). */
  identities: { canary: string; stable: string };
  rps: number;
  /** Probes start this long after the window opens: the Gateway's data plane takes a new weight a moment after it accepts the route. */
  settleMs: number;
}

/**
 * The share of the Gateway's traffic the canary really gets at this step: `rps` times a second, a request
 * through the Gateway; the answer's model version says which track took it. Counts only; judging the
 * share against the route's weight is the step's business.
 */
export function routeShare(options: RouteShareOptions): EvidenceSource {
  const sample: ShareSample = { sent: 0, canary: 0, stable: 0, other: 0, failed: 0 };
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let delay: NodeJS.Timeout | undefined;
  const probe = (): void => {
    sample.sent++;
    const p = options.ask().then((a) => {
      if (a.status < 200 || a.status >= 300) sample.failed++;
      else if (a.identity === options.identities.canary) sample.canary++;
      else if (a.identity === options.identities.stable) sample.stable++;
      else sample.other++;
    });
    running.add(p);
    void p.finally(() => running.delete(p));
  };
  return {
    name: 'route share',
    async start() {
      if (options.rps <= 0) return;
      delay = setTimeout(() => {
        timer = setInterval(probe, 1000 / options.rps);
      }, options.settleMs);
    },
    measure(into: Measurements) {
      into.share = { ...sample };
    },
    async stop() {
      clearTimeout(delay);
      clearInterval(timer);
      await Promise.all(running);
    },
  };
}
