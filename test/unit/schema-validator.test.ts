// The model-file validator is generated ahead of time (scripts/gen-schema-validator.mjs writes
// src/config/generated/validate-schema.js). These tests check the committed file is what the schema
// gives, that it stands alone, and that it judges documents exactly as Ajv compiling the schema at run
// time did (same verdict, same errors with schema, parentSchema and data, same defaults filled in).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import validate from '../../src/config/generated/validate-schema.js';
import { createAjv, generateValidatorSource, SCHEMA_FILE, VALIDATOR_FILE } from '../../scripts/gen-schema-validator.mjs';
import { BASE_CONFIG } from '../helpers/fixtures.js';
import { generatedTypes, TYPES_FILE } from '../../scripts/gen-schema-types.mjs';

describe('src/config/generated/validate-schema.js', () => {
  it('is what scripts/gen-schema-validator.mjs makes of schema/model-canary.schema.json', () => {
    // When this fails: node scripts/gen-schema-validator.mjs (npm run build runs it too).
    expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(generateValidatorSource());
  });

  it('follows a change of the schema', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { properties: { apiVersion: { description: string } } };
    schema.properties.apiVersion.description = 'changed for the test';
    expect(generateValidatorSource(JSON.stringify(schema))).not.toBe(readFileSync(VALIDATOR_FILE, 'utf8'));
  });

  it('has its TypeScript declarations current: src/config/generated/model-file.d.ts, the type toConfig maps from', async () => {
    // When this fails: node scripts/gen-schema-types.mjs (npm test and npm run build run it first).
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(await generatedTypes());
    expect(readFileSync(TYPES_FILE, 'utf8')).toContain('export interface ModelCanaryModelFile');
  });

  it('imports and requires nothing, so the bundle needs no part of Ajv', () => {
    const source = readFileSync(VALIDATOR_FILE, 'utf8');
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).not.toMatch(/^\s*import\b/m);
  });
});

/** Documents that pass and fail in many ways: every keyword the schema uses, and defaults. */
const DOCUMENTS: [string, unknown][] = [
  ['the fixture model file', parse(BASE_CONFIG)],
  ['an empty object', {}],
  ['not an object', 'model-canary'],
  ['null', null],
  [
    'an unknown key and a wrong apiVersion',
    { apiVersion: 'model-canary/v2', modle: {}, model: { name: 'iris', version: '1.0' }, image: { repository: 'r/iris' } },
  ],
  ['wrong types everywhere', { apiVersion: 'model-canary/v1', model: { name: 7, version: 1 }, image: { repository: ['x'], dockerfile: false } }],
  ['a name too long and badly formed', { apiVersion: 'model-canary/v1', model: { name: 'Iris_'.repeat(20), version: '-1-' }, image: { repository: 'r/iris' } }],
  ['empty strings', { apiVersion: 'model-canary/v1', model: { name: '', version: '' }, image: { repository: '' } }],
  [
    'a surrogate-pair name (string length by code points)',
    { apiVersion: 'model-canary/v1', model: { name: '😀'.repeat(30), version: '1' }, image: { repository: 'r/iris' } },
  ],
];

/** The fixture with one section replaced or added, to reach the nested schemas. */
function withSection(key: string, value: unknown): unknown {
  return { ...(parse(BASE_CONFIG) as Record<string, unknown>), [key]: value };
}

const SECTIONS: [string, unknown][] = [
  ['canary', { strategy: 'weights', weight: 150, replicas: -1, readinessTimeout: 5, maxRestarts: 1.5 }],
  ['canary', { strategy: 'traffic', weight: 20, gateway: { name: 'gw' } }],
  ['smoke', { enabled: 'yes', protocol: 'grpc', requests: 0, thresholds: { errorRate: 2, p95Ms: -1 } }],
  ['smoke', { cases: ['a', 'a'], extra: true }],
  ['scan', { enabled: true, failOn: ['CRITICAL', 'CRITICAL'], severity: 'LOW' }],
  ['render', { mode: 'manifests', manifests: [] }],
  ['render', { mode: 'chart', chart: 3, values: { a: 1 } }],
  ['decide', { mode: 'auto', onFailure: 'explode', historyLimit: 0 }],
  ['cluster', { namespace: 'Bad_Namespace', fieldManager: '' }],
  ['image', { repository: 'r/iris', tags: 'latest', extraTags: ['a', 'a'], push: 'no', template: 'cobol', buildArgs: { A: 1 } }],
];

describe('the generated validator against Ajv compiling the schema at run time', () => {
  const runtime = createAjv().compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  const cases = [...DOCUMENTS, ...SECTIONS.map(([key, value]): [string, unknown] => [`${key}: ${JSON.stringify(value)}`, withSection(key, value)])];

  it.each(cases)('%s', (_name, document) => {
    const a = structuredClone(document);
    const b = structuredClone(document);
    const expected = runtime(a);
    const actual = validate(b);
    expect(actual).toBe(expected);
    expect(validate.errors ?? null).toEqual(runtime.errors ?? null);
    // useDefaults: both fill in the same defaults.
    expect(b).toEqual(a);
  });

  it('fills defaults and reports errors with schema, parentSchema and data (verbose)', () => {
    const document = parse(BASE_CONFIG) as Record<string, unknown>;
    expect(validate(document)).toBe(true);
    expect(Object.keys(document).length).toBeGreaterThan(Object.keys(parse(BASE_CONFIG) as object).length);
    expect(validate({ apiVersion: 'model-canary/v1', model: { name: 'iris', version: 1 }, image: { repository: 'r' } })).toBe(false);
    const error = validate.errors?.find((e) => e.keyword === 'type');
    expect(error).toMatchObject({ instancePath: '/model/version', data: 1, schema: 'string' });
    expect((error?.parentSchema as { 'x-hint'?: string } | undefined)?.['x-hint']).toMatch(/quote it in YAML/);
  });

  it('reports every error at once (allErrors)', () => {
    expect(validate({ apiVersion: 'x', model: { name: 1, version: 2 }, image: {} })).toBe(false);
    expect(validate.errors?.length).toBeGreaterThan(3);
  });
});
