import type { Protocol } from './protocol.js';
import { isRecord, predictionsOf } from './protocol.js';

/**
 * TensorFlow Serving's REST API: GET /v1/models/M answers 404 until the model is loaded, then lists
 * `model_version_status` with state AVAILABLE; predictions are KServe V1's shape.
 */
export function tfServing(model: string): Protocol {
  const base = `/v1/models/${encodeURIComponent(model)}`;
  return {
    name: 'tf-serving',
    readyPaths: [base],
    isReady: (_path, r) => {
      if (r.status !== 200 || !isRecord(r.body)) return false;
      const versions = r.body['model_version_status'];
      return Array.isArray(versions) && versions.some((v) => isRecord(v) && v['state'] === 'AVAILABLE');
    },
    encode: (c) => ({
      method: 'POST',
      path: `${base}:predict`,
      body: isRecord(c.inputs) && ('instances' in c.inputs || 'inputs' in c.inputs) ? c.inputs : { instances: c.inputs },
    }),
    decode: (_c, body) => predictionsOf(body),
  };
}
