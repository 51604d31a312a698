import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error -- a plain ESM script without types
import { renderReadme } from '../../scripts/chart-values-doc.mjs';

// The chart's README documents every value; its table is generated from values.schema.json and must be current.
const CHART = path.resolve(import.meta.dirname, '..', '..', 'templates', 'chart');
const schema = JSON.parse(readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
const readme = readFileSync(path.join(CHART, 'README.md'), 'utf8');

describe('templates/chart/README.md', () => {
  it('is what scripts/chart-values-doc.mjs writes from the schema (run it after changing the chart)', () => {
    expect(readme).toBe((renderReadme as () => string)());
  });

  it.each(Object.keys(schema.properties))('has a row that says what `%s` is for', (name) => {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
    expect(row, `no row for ${name}`).toBeDefined();
    const what = row?.split(' | ')[2]?.replace(/\|$/, '').trim();
    expect(what, `the row for ${name} says nothing`).not.toBe('');
  });
});

describe('templates/chart/values.yaml', () => {
  it('passes the chart values.schema.json on its own (what model-canary must set is left empty, and refused by the templates)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(parse(readFileSync(path.join(CHART, 'values.yaml'), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});
