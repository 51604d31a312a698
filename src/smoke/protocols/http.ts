import type { Protocol } from './protocol.js';
import { ok200, plainOutputs } from './protocol.js';

/** Any JSON-over-HTTP model server: smoke.http's method and path, readiness at smoke.http.readyPath. */
export function plainHttp(http: { method: 'GET' | 'POST' | 'PUT'; path: string; readyPath: string }): Protocol {
  return {
    name: 'http',
    readyPaths: [http.readyPath],
    isReady: ok200,
    encode: (c) => (http.method === 'GET' ? { method: 'GET', path: http.path } : { method: http.method, path: http.path, body: c.inputs }),
    decode: (_c, body) => plainOutputs(body),
  };
}
