import type { Protocol } from './protocol.js';
import { ok200, plainOutputs } from './protocol.js';

/** BentoML: GET /readyz (503 until the runners are up); POST /<api> with the inputs as JSON (smoke.http.path, default /predict). */
export function bentoml(apiPath = '/predict', readyPath = '/readyz'): Protocol {
  return {
    name: 'bentoml',
    readyPaths: [readyPath],
    isReady: ok200,
    encode: (c) => ({ method: 'POST', path: apiPath, body: c.inputs }),
    decode: (_c, body) => plainOutputs(body),
  };
}
