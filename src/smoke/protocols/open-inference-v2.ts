import type { SmokeCase } from '../types.js';
import type { Decoded, Protocol } from './protocol.js';
import { brief, isRecord } from './protocol.js';

/**
 * Open Inference Protocol (KServe V2, Triton, MLServer): ready when GET /v2/health/ready and
 * /v2/models/M/ready both answer 200 (Triton and MLServer say 400 while loading, KServe 503; a body
 * `{"ready": false}` is not ready either). A case's inputs (rows) become one tensor of shape [N, width];
 * inputs already in the protocol's shape (`{"inputs": [...]}` or a list of tensors) are sent as they are.
 */
export function openInferenceV2(model: string): Protocol {
  const base = `/v2/models/${encodeURIComponent(model)}`;
  return {
    name: 'open-inference-v2',
    readyPaths: ['/v2/health/ready', `${base}/ready`],
    isReady: (_path, r) => r.status === 200 && !(isRecord(r.body) && r.body['ready'] === false),
    encode: (c) => ({ method: 'POST', path: `${base}/infer`, body: v2Request(c) }),
    decode: (c, body) => v2Outputs(c, body),
    // Model metadata: {"name", "versions": [...], "platform", "inputs", "outputs"}.
    identity: {
      request: { method: 'GET', path: base },
      read: (body) => (isRecord(body) && Array.isArray(body['versions']) && body['versions'].length > 0 ? String(body['versions'][0]) : undefined),
    },
  };
}

export function v2Request(c: SmokeCase): unknown {
  const inputs = c.inputs;
  if (isRecord(inputs) && Array.isArray(inputs['inputs'])) return inputs;
  if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((t) => isRecord(t) && 'datatype' in t && 'data' in t)) return { inputs };
  const rows = Array.isArray(inputs) ? inputs : [inputs];
  const nested = rows.length > 0 && rows.every(Array.isArray);
  const data = nested ? (rows as unknown[][]).flat(Infinity) : rows;
  const shape = nested ? [rows.length, ...innerShape(rows[0] as unknown[])] : [rows.length];
  return {
    inputs: [{ name: c.tensor?.name ?? 'input-0', shape, datatype: c.tensor?.datatype ?? datatypeOf(data), data }],
  };
}

function innerShape(row: unknown[]): number[] {
  const first = row[0];
  return Array.isArray(first) ? [row.length, ...innerShape(first)] : [row.length];
}

/** FP32 for numbers, BYTES for strings, BOOL for booleans; a case's tensor.datatype overrides it. */
function datatypeOf(data: unknown[]): string {
  if (data.length > 0 && data.every((v) => typeof v === 'string')) return 'BYTES';
  if (data.length > 0 && data.every((v) => typeof v === 'boolean')) return 'BOOL';
  return 'FP32';
}

/** The chosen output tensor (case.output, else `predict`, else the first) as one value per row. */
export function v2Outputs(c: SmokeCase, body: unknown): Decoded {
  if (!isRecord(body) || !Array.isArray(body['outputs']) || body['outputs'].length === 0) {
    return { error: `the answer has no "outputs" tensors: ${brief(body)}` };
  }
  const tensors = body['outputs'].filter(isRecord);
  const wanted = c.output ?? 'predict';
  const tensor = tensors.find((t) => t['name'] === wanted) ?? (c.output === undefined ? tensors[0] : undefined);
  if (!tensor) return { error: `the answer has no output "${wanted}" (it has ${tensors.map((t) => String(t['name'])).join(', ')})` };
  const data = tensor['data'];
  if (!Array.isArray(data)) return { error: `output "${String(tensor['name'])}" has no data list` };
  const flat = data.flat(Infinity);
  const shape = Array.isArray(tensor['shape']) ? (tensor['shape'] as unknown[]).map(Number) : [flat.length];
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  if (shape.length <= 1 || width === 1) return { outputs: flat };
  const rows: unknown[] = [];
  for (let i = 0; i < flat.length; i += width) rows.push(flat.slice(i, i + width));
  return { outputs: rows };
}
