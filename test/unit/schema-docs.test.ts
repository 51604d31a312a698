// schema/model-canary.schema.json is what editors show while a model file is written: every property, at
// every depth (array items and the definitions reached through $ref included), has a description and
// examples, each example is valid for that property, and the schema's $id is a URL an editor can load.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface Node {
  $id?: string;
  $ref?: string;
  description?: unknown;
  examples?: unknown;
  properties?: Record<string, Node>;
  items?: Node | Node[];
  [keyword: string]: unknown;
}

/** One property of the schema: where it is (a JSON pointer), how a user reads it, and its subschema. */
interface Property {
  pointer: string;
  name: string;
  node: Node;
}

const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every property at every depth: under properties, items and then/else, and in local $ref targets (each followed once). */
function propertiesOf(schema: Node): Property[] {
  const found: Property[] = [];
  const followed = new Set<string>();
  const resolve = (ref: string): Node => {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are expected, got ${ref}`);
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')], schema);
    if (typeof target !== 'object' || target === null) throw new Error(`$ref ${ref} leads nowhere`);
    return target as Node;
  };
  const walk = (node: Node, pointer: string, name: string): void => {
    if (typeof node.$ref === 'string' && !followed.has(node.$ref)) {
      followed.add(node.$ref);
      walk(resolve(node.$ref), node.$ref.slice(1), node.$ref.replace('#/definitions/', ''));
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const at = `${pointer}/properties/${escape(key)}`;
      const childName = name === '' ? key : `${name}.${key}`;
      found.push({ pointer: at, name: childName, node: child });
      walk(child, at, childName);
    }
    const items = Array.isArray(node.items) ? node.items : node.items ? [node.items] : [];
    items.forEach((item, i) => walk(item, Array.isArray(node.items) ? `${pointer}/items/${i}` : `${pointer}/items`, `${name}[]`));
    // The branches of an if (not the condition: its properties only test the value).
    for (const keyword of ['then', 'else']) {
      const branch = node[keyword];
      if (typeof branch === 'object' && branch !== null) walk(branch as Node, `${pointer}/${keyword}`, `${name} (${keyword})`);
    }
  };
  walk(schema, '', '');
  return found;
}

const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'model-canary.schema.json'), 'utf8')) as Node;
const id = String(schema.$id);
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(schema);
const properties = propertiesOf(schema);

describe('schema/model-canary.schema.json for editors', () => {
  it('has an $id an editor can load: an https URL of this file', () => {
    expect(new URL(id).protocol).toBe('https:');
    expect(id).toMatch(/^https:\/\/.+\/schema\/model-canary\.schema\.json$/);
    expect(ajv.getSchema(id)).toBeDefined();
  });

  it('the walk reaches every depth: nested sections, array items and the chart values behind $ref', () => {
    const names = properties.map((p) => p.name);
    expect(properties.length).toBeGreaterThan(150);
    expect(names).toEqual(
      expect.arrayContaining([
        'model.name',
        'image.guards.secretFiles',
        'analysis.prometheus.queries[].query',
        'render (then).values',
        'builtinValues.kserve.annotations',
        'builtinValues.env[].value',
      ]),
    );
  });

  it.each(properties.map((p): [string, Property] => [p.name, p]))('%s has a description and valid examples', (_name, { pointer, node }) => {
    expect(typeof node.description, `${pointer}: description`).toBe('string');
    expect(String(node.description).trim(), `${pointer}: description`).not.toBe('');
    expect(Array.isArray(node.examples), `${pointer}: examples must be an array`).toBe(true);
    const examples = node.examples as unknown[];
    expect(examples.length, `${pointer}: examples`).toBeGreaterThan(0);
    for (const example of examples) {
      const valid = ajv.validate({ $ref: `${id}#${pointer}` }, example);
      expect(valid, `${pointer}: example ${JSON.stringify(example)}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
    }
  });
});
