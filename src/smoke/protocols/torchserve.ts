import type { Protocol } from './protocol.js';
import { isRecord, plainOutputs } from './protocol.js';

/** TorchServe's inference API: GET /ping (500 while workers start, then {"status": "Healthy"}); POST /predictions/M. */
export function torchServe(model: string): Protocol {
  return {
    name: 'torchserve',
    readyPaths: ['/ping'],
    isReady: (_path, r) => r.status === 200 && (!isRecord(r.body) || r.body['status'] === undefined || r.body['status'] === 'Healthy'),
    encode: (c) => ({ method: 'POST', path: `/predictions/${encodeURIComponent(model)}`, body: c.inputs }),
    decode: (_c, body) => plainOutputs(body),
  };
}
