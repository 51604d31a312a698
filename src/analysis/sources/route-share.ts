import http from 'node:http';
import https from 'node:https';
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
 * the Host header, answered by whichever backend the route's weights picked. node:http rather than fetch:
 * fetch does not let the caller set Host.
 */
export function gatewayAsk(options: { url: string; host?: string; request: ModelRequest; read: (body: unknown) => string | undefined; timeoutMs: number }): { ask: GatewayAsk; close: () => void } {
  const base = new URL(options.url);
  const lib = base.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 4 });
  const path = `${base.pathname.replace(/\/$/, '')}${options.request.path}`;
  const ask: GatewayAsk = () =>
    new Promise((resolve) => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (options.host) headers['Host'] = options.host;
      const req = lib.request({ protocol: base.protocol, hostname: base.hostname, port: base.port, path, method: options.request.method, headers, agent, timeout: options.timeoutMs }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: no identity
          }
          resolve({ status: res.statusCode ?? 0, identity: options.read(body) });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      req.on('error', (e) => resolve({ status: 0, identity: undefined, error: e.message }));
      req.end();
    });
  return { ask, close: () => agent.destroy() };
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
