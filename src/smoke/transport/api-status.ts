/**
 * Telling the API server's own answers apart from the model server's. Through the pods proxy, a 503 may
 * be the model saying "still loading" or the API server saying "I cannot reach that pod"; only the
 * latter comes as a `kind: Status` object of apiVersion v1 (the model server never writes one).
 */
export type ApiVerdict =
  /** The model server answered: judge it. */
  | { kind: 'model' }
  /** The pod does not listen (yet): connection refused. Same as a refused port-forward connection. */
  | { kind: 'refused'; message: string }
  /** The API server will not or cannot proxy to pods here: use port-forward instead. */
  | { kind: 'proxy-unusable'; message: string };

export function classifyProxyAnswer(status: number, body: unknown): ApiVerdict {
  if (!isApiStatus(body)) return { kind: 'model' };
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  if (status === 401 || status === 403) return { kind: 'proxy-unusable', message };
  if (status >= 500 && /connection refused/i.test(message)) return { kind: 'refused', message };
  if (status === 502 || status === 503 || status === 504 || status === 500) return { kind: 'proxy-unusable', message };
  // A 404 Status means the pod is gone: a model answer it is not, but no fallback helps either.
  return { kind: 'refused', message };
}

/** True for the API server's error object: {"kind": "Status", "apiVersion": "v1", "status": "Failure", ...}. */
export function isApiStatus(body: unknown): body is { kind: 'Status'; message?: unknown; reason?: unknown; code?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return b['kind'] === 'Status' && b['apiVersion'] === 'v1' && (b['status'] === 'Failure' || typeof b['code'] === 'number');
}
