import { parseQuantity } from './quantity.js';

type Add = (path: (string | number)[], message: string) => void;

const TiB = 2 ** 40;

/** The same resources the policy's gpuWithoutTolerations rule counts as GPUs. */
const GPU_RESOURCE = /(^|\/)gpu$|^nvidia\.com\//;

interface Limit {
  max: number;
  /** The limit as a user writes it. */
  says: string;
}

const CPU: Limit = { max: 1024, says: '1024 cores' };
const BYTES: Limit = { max: 16 * TiB, says: '16Ti' };
const DEVICES: Limit = { max: 16, says: '16 per pod' };

/** Kubernetes allows 256 KiB for all annotations of one object. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

function limitFor(resource: string): Limit | undefined {
  if (resource === 'cpu') return CPU;
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) return BYTES;
  if (GPU_RESOURCE.test(resource)) return DEVICES;
  return undefined;
}

/**
 * Limits on model-canary's chart values (render.values with render.mode builtin or kserve) the schema
 * cannot express: resource quantities in sensible ranges, and the annotations of an object within what
 * the API server accepts. The schema has checked their types.
 */
export function checkChartValueLimits(add: Add, values: Record<string, unknown>): void {
  const resources = record(values['resources']);
  for (const kind of ['requests', 'limits']) {
    for (const [resource, quantity] of Object.entries(record(resources[kind]))) {
      checkQuantity(add, ['render', 'values', 'resources', kind, resource], quantity, limitFor(resource));
    }
  }
  const tmp = record(values['tmp']);
  if (tmp['sizeLimit'] !== undefined) checkQuantity(add, ['render', 'values', 'tmp', 'sizeLimit'], tmp['sizeLimit'], BYTES);
  const annotated: (string | number)[][] = [['annotations'], ['podAnnotations'], ['serviceAccount', 'annotations'], ['kserve', 'annotations']];
  for (const at of annotated) {
    const annotations = record(at.reduce<unknown>((node, key) => record(node)[key], values));
    const bytes = Object.entries(annotations).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    if (bytes > ANNOTATIONS_MAX_BYTES) {
      add(
        ['render', 'values', ...at],
        `${bytes} bytes in all, over the 262144 bytes (256 KiB) Kubernetes allows for the annotations of an object; keep large data out of annotations`,
      );
    }
  }
}

function checkQuantity(add: Add, path: (string | number)[], quantity: unknown, limit: Limit | undefined): void {
  if (typeof quantity !== 'string' && typeof quantity !== 'number') return;
  const value = parseQuantity(quantity);
  const shown = JSON.stringify(quantity);
  if (value === undefined) {
    add(path, `${shown} is not a Kubernetes quantity; write it like 500m, 2 or 4Gi`);
  } else if (value < 0) {
    add(path, `${shown} is negative; a quantity is 0 or more`);
  } else if (limit !== undefined && value > limit.max) {
    add(path, `${shown} is over ${limit.says}; no node has that much, so the pod would never be scheduled`);
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
