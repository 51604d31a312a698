import {
  Document,
  isScalar,
  parseAllDocuments,
  Scalar,
  Schema,
  visit,
  type CreateNodeOptions,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type Tags,
  type ToStringOptions,
} from 'yaml';
import { userError } from '../errors.js';

/** A parsed Kubernetes object; objects travel between stages as data, never as YAML text. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * Kubernetes reads YAML as YAML 1.1 (yes/no/on/off are booleans, 0644 is octal, << merges) except that
 * timestamps stay strings; this reads it the same way. It writes with the full 1.1 schema, so any string
 * a 1.1 reader could take for something else (yes, 0644, 2024-01-01) is quoted: a file written here means
 * to kubectl exactly what the objects mean to model-canary. The schemas are built once.
 */
const without =
  (name: string) =>
  (tags: Tags): Tags =>
    tags.filter((tag) => typeof tag === 'string' || tag.tag !== `tag:yaml.org,2002:${name}`);
const READ_SCHEMA = new Schema({ schema: 'yaml-1.1', customTags: without('timestamp') });
// Without the merge tag, a "<<" key is a plain string the writer can quote (see stringifyObject).
const WRITE_SCHEMA = new Schema({ schema: 'yaml-1.1', customTags: without('merge') });
const READ_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  schema: READ_SCHEMA,
  uniqueKeys: true,
  // Line and column are worked out only when there is an error to report (see invalidYaml).
  prettyErrors: false,
};
/** No folded lines, and no anchors: an object used twice is written twice. */
const WRITE_OPTIONS: DocumentOptions & SchemaOptions & ToStringOptions & CreateNodeOptions = {
  version: '1.1',
  schema: WRITE_SCHEMA,
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
};

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
  const docs = parseAllDocuments(text, READ_OPTIONS);
  if (!Array.isArray(docs)) return objects; // an empty stream
  docs.forEach((doc, index) => {
    const where = docs.length > 1 ? `${source}, document ${index + 1}` : source;
    if (doc.errors.length > 0) throw invalidYaml(text, where, index);
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // a merge of something that is not a map, an alias to nothing, too many aliases
      throw userError(`${where} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`, 'Fix the YAML of that document.');
    }
    if (data === null || data === undefined) return;
    for (const item of listItems(data)) objects.push(asKubeObject(item, where));
  });
  return objects;
}

/** The error for a document that is not valid YAML, parsed again with line and column to say where. */
function invalidYaml(text: string, where: string, index: number): Error {
  const again = parseAllDocuments(text, { ...READ_OPTIONS, prettyErrors: true });
  const problem = (Array.isArray(again) ? again[index] : undefined)?.errors[0];
  const message = problem ? (problem.message.split('\n')[0] ?? problem.message).replace(/:$/, '') : 'it does not parse';
  return userError(`${where} is not valid YAML: ${message}`, 'Fix the YAML at the line shown.');
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
  return objects.map((object) => `---\n${stringifyObject(object)}`).join('');
}

function stringifyObject(object: KubeObject): string {
  const doc = new Document(object, WRITE_OPTIONS);
  // A key that is literally "<<" would read back as a merge: quote it so it stays a key.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') pair.key.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString(WRITE_OPTIONS);
}
