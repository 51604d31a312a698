import { parseAllDocuments, stringify, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToStringOptions } from 'yaml';
import { userError } from '../errors.js';

/** A parsed Kubernetes object; objects travel between stages as data, never as YAML text. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * Kubernetes reads YAML as YAML 1.1 (yes/no/on/off are booleans, 0644 is octal) except that timestamps
 * stay strings; this reads and writes it the same way, so a file written here means to kubectl exactly
 * what the objects mean to model-canary.
 */
const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:timestamp'),
  uniqueKeys: true,
};
const STRINGIFY_OPTIONS: ToStringOptions = { lineWidth: 0, minContentWidth: 0 };

/** "Kind/name", how messages name an object. */
export function objectId(object: KubeObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/**
 * Parses a multi-document YAML (or JSON) stream into objects. Empty documents are skipped and `kind: List`
 * is flattened; anything that is not a Kubernetes object is an error naming the source and document.
 */
export function parseObjects(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(docs)) return objects; // an empty stream
  docs.forEach((doc, index) => {
    const where = docs.length > 1 ? `${source}, document ${index + 1}` : source;
    const problem = doc.errors[0];
    if (problem) throw userError(`${where} is not valid YAML: ${problem.message.split('\n')[0] ?? problem.message}`, 'Fix the YAML at the line shown.');
    const data: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (data === null || data === undefined) return;
    for (const item of listItems(data)) objects.push(asKubeObject(item, where));
  });
  return objects;
}

function listItems(data: unknown): unknown[] {
  if (isRecord(data) && typeof data['kind'] === 'string' && data['kind'].endsWith('List') && Array.isArray(data['items'])) {
    return data['items'] as unknown[];
  }
  return [data];
}

function asKubeObject(data: unknown, where: string): KubeObject {
  const fix = 'Each document must be a Kubernetes object with apiVersion, kind and metadata.name.';
  if (!isRecord(data)) throw userError(`${where} is not a Kubernetes object (it is ${Array.isArray(data) ? 'a list' : typeof data}).`, fix);
  const metadata = data['metadata'];
  const missing = [
    typeof data['apiVersion'] === 'string' && data['apiVersion'] !== '' ? undefined : 'apiVersion',
    typeof data['kind'] === 'string' && data['kind'] !== '' ? undefined : 'kind',
    isRecord(metadata) && typeof metadata['name'] === 'string' && metadata['name'] !== '' ? undefined : 'metadata.name',
  ].filter((m) => m !== undefined);
  if (missing.length > 0) {
    const kind = typeof data['kind'] === 'string' ? ` (kind ${data['kind']})` : '';
    throw userError(`${where}${kind} has no ${missing.join(', ')}.`, fix);
  }
  return data as KubeObject;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Writes objects as one multi-document YAML stream, with the same reading rules parseObjects uses. */
export function stringifyObjects(objects: readonly KubeObject[]): string {
  return objects.map((object) => `---\n${stringify(object, { ...YAML_OPTIONS, ...STRINGIFY_OPTIONS })}`).join('');
}
