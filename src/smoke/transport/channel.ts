import { startBackground, type BackgroundProcess } from '../../exec/background.js';
import type { ProcessCounter } from '../../exec/exec.js';
import type { Logger } from '../../log/logger.js';
import type { ModelRequest, ModelResponse } from '../types.js';
import { classifyProxyAnswer } from './api-status.js';
import { httpRequest, type HttpCall } from '../../kube/http.js';

/** A Ready pod to send requests to. */
export interface PodTarget {
  name: string;
  namespace: string;
  ip: string;
  port: number;
}

/** No answer from the model server: connection refused or reset, or the time ran out. */
export class NoAnswer extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
    this.name = 'NoAnswer';
  }
}

/** The API server refused to proxy (403 on pods/proxy) or could not reach the pod (its 503 Status). */
export class ProxyUnusable extends Error {
  override name = 'ProxyUnusable';
}

/** How requests reach one pod. */
export interface Channel {
  readonly transport: 'pods-proxy' | 'port-forward';
  send(request: ModelRequest, timeoutMs: number): Promise<ModelResponse>;
  close(): Promise<void>;
}

/** One HTTP exchange; latency is measured from sending to the whole body read. */
async function exchange(url: string, request: ModelRequest, timeoutMs: number): Promise<{ status: number; body: unknown; latencyMs: number }> {
  const call: HttpCall = { method: request.method, headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) };
  if (request.body !== undefined) {
    call.body = JSON.stringify(request.body);
    call.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  }
  const started = performance.now();
  let text: string;
  let status: number;
  try {
    const response = await httpRequest(url, call);
    status = response.status;
    text = await response.text();
  } catch (err) {
    const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code ?? '';
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new NoAnswer(`no answer within ${timeoutMs} ms`, false);
    const refused = code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
    throw new NoAnswer(`${code || e.name}: ${e.cause?.message ?? e.message}`, refused);
  }
  const latencyMs = performance.now() - started;
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status, body, latencyMs };
}

/** Straight to a base URL (a pod IP from a machine on the pod network, or a local server in tests). */
export class DirectChannel implements Channel {
  readonly transport = 'pods-proxy' as const;
  constructor(private readonly base: string) {}
  send(request: ModelRequest, timeoutMs: number): Promise<ModelResponse> {
    return exchange(`${this.base}${request.path}`, request, timeoutMs);
  }
  async close(): Promise<void> {}
}

/** Through the API server: `${proxyUrl}/api/v1/namespaces/NS/pods/NAME:PORT/proxy/PATH` on the run's kubectl proxy. */
export class PodsProxyChannel implements Channel {
  readonly transport = 'pods-proxy' as const;
  constructor(
    private readonly proxyUrl: string,
    private readonly pod: PodTarget,
  ) {}

  url(path: string): string {
    const p = this.pod;
    return `${this.proxyUrl}/api/v1/namespaces/${encodeURIComponent(p.namespace)}/pods/${encodeURIComponent(p.name)}:${p.port}/proxy${path}`;
  }

  async send(request: ModelRequest, timeoutMs: number): Promise<ModelResponse> {
    const answer = await exchange(this.url(request.path), request, timeoutMs);
    const verdict = classifyProxyAnswer(answer.status, answer.body);
    if (verdict.kind === 'proxy-unusable') throw new ProxyUnusable(`the API server answered ${answer.status}: ${verdict.message}`);
    if (verdict.kind === 'refused') throw new NoAnswer(verdict.message, true);
    return answer;
  }

  async close(): Promise<void> {}
}

/** `kubectl port-forward pod/NAME :PORT` on 127.0.0.1, started on first use and stopped on close. */
export class PortForwardChannel implements Channel {
  readonly transport = 'port-forward' as const;
  private started: Promise<{ proc: BackgroundProcess; base: string }> | undefined;

  constructor(
    private readonly pod: PodTarget,
    private readonly kubectl: () => Promise<string>,
    private readonly logger: Logger,
    private readonly counter: ProcessCounter,
    private readonly context: string | undefined,
  ) {}

  private async start(): Promise<{ proc: BackgroundProcess; base: string }> {
    const args = ['port-forward', '--address=127.0.0.1', '-n', this.pod.namespace, `pod/${this.pod.name}`, `:${this.pod.port}`];
    if (this.context) args.push('--context', this.context);
    const proc = startBackground(this.logger, this.counter, await this.kubectl(), args);
    try {
      const line = await proc.waitForLine(/Forwarding from 127\.0\.0\.1:\d+/, 30_000);
      const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
      this.logger.debug(`port-forward to ${this.pod.name}:${this.pod.port} on 127.0.0.1:${port ?? '?'}`);
      return { proc, base: `http://127.0.0.1:${port ?? '0'}` };
    } catch (err) {
      await proc.stop();
      throw err;
    }
  }

  async send(request: ModelRequest, timeoutMs: number): Promise<ModelResponse> {
    this.started ??= this.start();
    const { proc, base } = await this.started;
    if (proc.exited) {
      this.started = undefined;
      throw new NoAnswer(`kubectl port-forward to ${this.pod.name} exited`, true);
    }
    return exchange(`${base}${request.path}`, request, timeoutMs);
  }

  async close(): Promise<void> {
    const s = this.started;
    this.started = undefined;
    if (s) await (await s.catch(() => undefined))?.proc.stop();
  }
}

/** Which way all pods of a run are reached; switches once, for all pods, when the proxy turns out unusable. */
export class TransportChoice {
  mode: 'pods-proxy' | 'port-forward';
  note: string | undefined;
  constructor(
    private readonly logger: Logger,
    forced?: 'port-forward',
  ) {
    this.mode = forced ?? 'pods-proxy';
  }
  fallBack(reason: string): void {
    if (this.mode === 'port-forward') return;
    this.mode = 'port-forward';
    this.note = `The API server cannot proxy to the pods (${reason}); using kubectl port-forward per pod instead.`;
    this.logger.warn(this.note);
  }
}

/** A pod reached through the pods proxy, or through port-forward once the choice says so. */
export class AutoChannel implements Channel {
  private readonly proxy: PodsProxyChannel;
  private readonly forward: PortForwardChannel;

  constructor(
    proxyUrl: string,
    pod: PodTarget,
    private readonly choice: TransportChoice,
    kubectl: () => Promise<string>,
    logger: Logger,
    counter: ProcessCounter,
    context: string | undefined,
  ) {
    this.proxy = new PodsProxyChannel(proxyUrl, pod);
    this.forward = new PortForwardChannel(pod, kubectl, logger, counter, context);
  }

  get transport(): 'pods-proxy' | 'port-forward' {
    return this.choice.mode;
  }

  async send(request: ModelRequest, timeoutMs: number): Promise<ModelResponse> {
    if (this.choice.mode === 'pods-proxy') {
      try {
        return await this.proxy.send(request, timeoutMs);
      } catch (err) {
        if (!(err instanceof ProxyUnusable)) throw err;
        this.choice.fallBack(err.message);
      }
    }
    return this.forward.send(request, timeoutMs);
  }

  close(): Promise<void> {
    return this.forward.close();
  }
}
