import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCases } from '../../src/smoke/cases.js';

// schema/cases.schema.json is for editors; src/smoke/cases.ts is what checks a cases file. They must agree:
// every cases file the project ships passes both, and each kind of bad case is refused by both.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'cases.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: true, strictRequired: false, allErrors: true }).compile(schema);
const GOOD = ['examples/iris/cases.yaml', 'test/fixtures/smoke/cases.yaml', 'test/fixtures/smoke/iris-http-cases.yaml', 'test/fixtures/workspace/cases.yaml'];

const parserAccepts = (doc: unknown): boolean => {
  try {
    parseCases(JSON.stringify(doc), 'cases.yaml');
    return true;
  } catch {
    return false;
  }
};

describe('schema/cases.schema.json', () => {
  it.each(GOOD)('accepts %s, as the parser does', (file) => {
    const doc: unknown = parse(readFileSync(path.join(ROOT, file), 'utf8'));
    expect(parserAccepts(doc)).toBe(true);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  const ok = { name: 'a', inputs: [[1]] };
  it.each([
    ['a case without inputs', [{ name: 'a' }]],
    ['a case without a name', [{ inputs: [[1]] }]],
    ['an unknown key', [{ ...ok, expekt: {} }]],
    ['an unknown expect key', [{ ...ok, expect: { outptus: [1] } }]],
    ['a status that is not HTTP', [{ ...ok, expect: { status: 700 } }]],
    ['outputs and predictions both', [{ ...ok, expect: { outputs: [1], predictions: [1] } }]],
    ['a negative tolerance', [{ ...ok, expect: { outputs: [1], tolerance: -1 } }]],
    ['an empty classes list', [{ ...ok, expect: { classes: [] } }]],
    ['a latency limit of 0', [{ ...ok, expect: { maxLatencyMs: 0 } }]],
    ['an async case without resultPath', [{ ...ok, async: { submitPath: '/v1/jobs' } }]],
    ['an async resultPath not starting with /', [{ ...ok, async: { resultPath: 'v1/jobs/{id}' } }]],
    ['an empty file', []],
  ])('refuses %s, as the parser does', (_, doc) => {
    expect(parserAccepts(doc)).toBe(false);
    expect(validate(doc)).toBe(false);
  });
});
