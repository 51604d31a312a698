import { ModelCanaryError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { knownResource, resourcePath, type ResourceInfo } from './resources.js';
import { httpRequest, type HttpAnswer, type HttpCall } from './http.js';

/** A Kubernetes object as data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** The API server's error body. */
interface Status {
  kind: 'Status';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { type?: string; message?: string; field?: string }[] };
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

/** The API server answered a request with an error that is not retried: its HTTP status, for callers that handle one (403). */
export class KubeRequestError extends ModelCanaryError {
  constructor(
    readonly status: number,
    message: string,
    hint?: string,
  ) {
    super('cluster', message, hint);
  }
}

export const isForbidden = (err: unknown): err is KubeRequestError => err instanceof KubeRequestError && err.status === 403;

/**
 * The one client to the cluster: HTTP to the run's `kubectl proxy` (on its private Unix socket, ./proxy.ts). Transient failures (connection
 * refused or reset, 429, 5xx, timeouts) are retried with backoff within a budget; everything else fails
 * at once with the API server's own message.
 */
export class KubeClient {
  /** Requests sent, for the release benchmark. */
  requests = 0;
  private readonly discovered = new Map<string, ResourceInfo>();

  constructor(
    readonly baseUrl: string,
    private readonly logger: Logger,
    private readonly retryBudgetMs = 60_000,
    private readonly requestTimeoutMs = 30_000,
  ) {}

  /** GET one object; undefined when it does not exist. */
  async get<T = KubeObject>(path: string): Promise<T | undefined> {
    const { status, body } = await this.request('GET', path);
    if (status === 404) return undefined;
    return this.expectOk<T>('GET', path, status, body);
  }

  async list<T = KubeObject>(path: string, labelSelector?: string): Promise<{ items: T[]; metadata: { resourceVersion: string } }> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const { status, body } = await this.request('GET', `${path}${query}`);
    return this.expectOk('GET', path, status, body);
  }

  /** Server-side apply with our field manager; a conflict names the other manager and the field. */
  async apply<T extends KubeObject>(object: T, fieldManager: string): Promise<T> {
    const info = await this.resourceFor(object.apiVersion, object.kind);
    const path = resourcePath(info, object.metadata.namespace, object.metadata.name);
    const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=false`;
    const { status, body } = await this.request('PATCH', `${path}${query}`, JSON.stringify(object), 'application/apply-patch+yaml');
    if (status === 409) {
      const s = body as Status;
      const causes = (s.details?.causes ?? []).map((c) => `${c.field ?? '?'} (${c.message ?? c.type ?? 'conflict'})`);
      throw new ModelCanaryError(
        'cluster',
        `Applying ${object.kind}/${object.metadata.name} conflicts with another field manager: ${causes.join('; ') || s.message}`,
        `Another tool manages these fields. Stop changing them with that tool (for example kubectl apply or an HPA on replicas), or hand them over with 'kubectl apply --server-side --force-conflicts --field-manager=${fieldManager}'.`,
      );
    }
    return this.expectOk<T>('PATCH', path, status, body);
  }

  /** Deletes an object; a missing one is not an error (cleanup runs twice safely). */
  async delete(path: string, propagationPolicy: 'Foreground' | 'Background' = 'Background'): Promise<boolean> {
    const { status, body } = await this.request(
      'DELETE',
      path,
      JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy }),
      'application/json',
    );
    if (status === 404) return false;
    this.expectOk('DELETE', path, status, body);
    return true;
  }

  /** Merge-patches an object (used for annotations and the lease renewal). */
  async mergePatch<T = KubeObject>(path: string, patch: unknown): Promise<T> {
    const { status, body } = await this.request('PATCH', path, JSON.stringify(patch), 'application/merge-patch+json');
    return this.expectOk<T>('PATCH', path, status, body);
  }

  async create<T extends KubeObject>(object: T): Promise<{ created: true; object: T } | { created: false; status: number; body: unknown }> {
    const info = await this.resourceFor(object.apiVersion, object.kind);
    const { status, body } = await this.request('POST', resourcePath(info, object.metadata.namespace), JSON.stringify(object), 'application/json');
    if (status === 201 || status === 200) return { created: true, object: body as T };
    return { created: false, status, body };
  }

  /** PUT with the object's resourceVersion: an optimistic update that fails (409) if someone changed it. */
  async replace<T extends KubeObject>(object: T): Promise<{ ok: true; object: T } | { ok: false; status: number }> {
    const info = await this.resourceFor(object.apiVersion, object.kind);
    const path = resourcePath(info, object.metadata.namespace, object.metadata.name);
    const { status, body } = await this.request('PUT', path, JSON.stringify(object), 'application/json');
    if (status === 200) return { ok: true, object: body as T };
    if (status === 409 || status === 404) return { ok: false, status };
    return { ok: true, object: this.expectOk<T>('PUT', path, status, body) };
  }

  /**
   * Streams watch events of a collection until the signal aborts or the server closes the stream;
   * returns the last resourceVersion seen so a caller can resume.
   */
  async watch<T>(
    path: string,
    params: { labelSelector?: string; fieldSelector?: string; resourceVersion?: string },
    onEvent: (e: WatchEvent<T>) => void,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const query = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true' });
    if (params.labelSelector) query.set('labelSelector', params.labelSelector);
    if (params.fieldSelector) query.set('fieldSelector', params.fieldSelector);
    if (params.resourceVersion) query.set('resourceVersion', params.resourceVersion);
    this.requests++;
    let lastVersion = params.resourceVersion;
    let response: HttpAnswer;
    try {
      response = await httpRequest(`${this.baseUrl}${path}?${query}`, { method: 'GET', headers: { Accept: 'application/json' }, signal });
    } catch (err) {
      if (signal.aborted) return lastVersion;
      throw err;
    }
    if (response.status < 200 || response.status >= 300) throw new ModelCanaryError('cluster', `Watching ${path} failed with HTTP ${response.status}.`);
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.stream) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line === '') continue;
          const event = JSON.parse(line) as WatchEvent<T & { metadata?: { resourceVersion?: string } }>;
          const rv = event.object?.metadata?.resourceVersion;
          if (rv) lastVersion = rv;
          if (event.type !== 'BOOKMARK') onEvent(event);
        }
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    }
    return lastVersion;
  }

  /** The API location of a kind: a table of the usual ones, API discovery for the rest. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const known = knownResource(apiVersion, kind) ?? this.discovered.get(`${apiVersion}/${kind}`);
    if (known) return known;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.get<{ resources: { name: string; kind: string; namespaced: boolean }[] }>(path);
    const found = list?.resources.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) {
      throw new ModelCanaryError(
        'cluster',
        `The cluster does not serve ${kind} in ${apiVersion}.`,
        'Install the CRD that defines it (for example KServe or the Gateway API), or choose a mode that does not need it.',
      );
    }
    const info = { apiVersion, plural: found.name, namespaced: found.namespaced };
    this.discovered.set(`${apiVersion}/${kind}`, info);
    return info;
  }

  private expectOk<T>(method: string, path: string, status: number, body: unknown): T {
    if (status >= 200 && status < 300) return body as T;
    const s = body as Partial<Status> | undefined;
    const message = s?.message ?? (typeof body === 'string' ? body : JSON.stringify(body));
    const hint = status === 401 || status === 403 ? 'The kubeconfig in use lacks this permission; see the README for the Role model-canary needs.' : undefined;
    throw new KubeRequestError(status, `${method} ${path} failed with HTTP ${status}: ${message}`, hint);
  }

  /** One HTTP call, retried on transient failures within the budget. */
  private async request(method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; body: unknown }> {
    const deadline = Date.now() + this.retryBudgetMs;
    let delay = 250;
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      let why: string;
      try {
        const headers: Record<string, string> = { Accept: 'application/json' };
        if (contentType) headers['Content-Type'] = contentType;
        const call: HttpCall = { method, headers, signal: AbortSignal.timeout(this.requestTimeoutMs) };
        if (body !== undefined) call.body = body;
        const response = await httpRequest(`${this.baseUrl}${path}`, call);
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          // not JSON (a proxy error page): keep the text
        }
        if (!TRANSIENT_STATUS.has(response.status)) return { status: response.status, body: parsed };
        why = `HTTP ${response.status}`;
      } catch (err) {
        why =
          err instanceof Error
            ? `${err.name}: ${(err as NodeJS.ErrnoException).code ?? (err.cause as Error | undefined)?.message ?? err.message}`
            : String(err);
      }
      if (Date.now() + delay > deadline) {
        throw new ModelCanaryError(
          'cluster',
          `${method} ${path} kept failing (${why}) for ${Math.round(this.retryBudgetMs / 1000)}s over ${attempt} attempts.`,
          'The API server is unreachable or overloaded; check the cluster and the kubeconfig, then run again.',
        );
      }
      this.logger.info(`API ${method} ${path}: ${why}; retrying in ${delay} ms (attempt ${attempt})`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 4000);
    }
  }
}
