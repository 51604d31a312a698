import type { Protocol } from './protocol.js';
import { isRecord, predictionsOf } from './protocol.js';

/** KServe V1: ready at GET /v1/models/M (200, `ready` not false); POST /v1/models/M:predict {"instances": [...]}. */
export function kserveV1(model: string): Protocol {
  const base = `/v1/models/${encodeURIComponent(model)}`;
  return {
    name: 'kserve-v1',
    readyPaths: [base],
    isReady: (_path, r) => r.status === 200 && !(isRecord(r.body) && r.body['ready'] === false),
    encode: (c) => ({ method: 'POST', path: `${base}:predict`, body: isRecord(c.inputs) && 'instances' in c.inputs ? c.inputs : { instances: c.inputs } }),
    decode: (_c, body) => predictionsOf(body),
  };
}
