import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesFromCard, generateCases, loadCases, parseCases } from '../../src/smoke/cases.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'smoke');

describe('smoke cases loader', () => {
  it('reads every field of a YAML cases file', () => {
    const cases = loadCases(path.join(FIXTURES, 'cases.yaml'));
    expect(cases.map((c) => c.name)).toEqual(['exact', 'tolerance', 'class-from-set', 'bad-request', 'batch-job']);
    expect(cases[0]?.expect).toEqual({ outputs: ['setosa'] });
    expect(cases[1]?.expect).toEqual({ outputs: [3.0], tolerance: { relative: 0.05 } });
    expect(cases[2]?.expect).toEqual({ classes: ['versicolor', 'virginica'], maxLatencyMs: 500 });
    expect(cases[3]?.expect).toEqual({ status: [400, 422] });
    expect(cases[4]?.async).toEqual({ submitPath: '/jobs', resultPath: '/jobs/{id}', budgetMs: 5000, pollIntervalMs: 20 });
  });

  it('reads JSON Lines, skipping blank lines', () => {
    const cases = loadCases(path.join(FIXTURES, 'cases.jsonl'));
    expect(cases).toHaveLength(2);
    expect(cases[1]?.expect).toEqual({ classes: ['virginica'], status: 200 });
  });

  it('reads the example model’s cases file as it is', () => {
    const cases = loadCases(path.resolve(import.meta.dirname, '..', '..', 'examples', 'iris', 'cases.yaml'));
    expect(cases.length).toBeGreaterThan(3);
    expect(cases.every((c) => Array.isArray(c.expect?.outputs))).toBe(true);
  });

  it('lists every problem at once', () => {
    expect(() => loadCases(path.join(FIXTURES, 'bad-cases.yaml'))).toThrow(
      /case name "dup" is used twice.*case 3 has no name.*case "no-inputs" has no inputs.*unknown key "expect.outptus".*expect.status must be an HTTP status/,
    );
  });

  it('says which JSON line is broken and refuses an empty file', () => {
    expect(() => parseCases('{"name": "a", "inputs": [1]}\n{oops\n', 'c.jsonl')).toThrow(/line 2 is not JSON/);
    expect(() => parseCases('[]', 'c.yaml')).toThrow(/holds no cases/);
    expect(() => parseCases('- name: a\n  inputs: [1]\n  expect: {tolerance: 0.1}\n', 'c.yaml')).toThrow(/tolerance needs expect.outputs/);
    expect(() => parseCases('- name: a\n  inputs: [1]\n  async: {resultPath: jobs}\n', 'c.yaml')).toThrow(/async needs resultPath/);
  });

  it('generates deterministic cases from a model card, inside the feature ranges', () => {
    const cases = generateCases(path.join(FIXTURES, 'model-card.json'), 20);
    expect(cases).toHaveLength(20);
    expect(generateCases(path.join(FIXTURES, 'model-card.json'), 20)).toEqual(cases);
    for (const c of cases) {
      const row = (c.inputs as number[][])[0] ?? [];
      expect(row).toHaveLength(4);
      expect(row[0]).toBeGreaterThanOrEqual(4.3);
      expect(row[0]).toBeLessThanOrEqual(7.9);
      expect(c.expect?.classes).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(c.source).toBe('generated');
    }
    expect(new Set(cases.map((c) => JSON.stringify(c.inputs))).size).toBe(20);
  });

  it('refuses a card without feature names', () => {
    expect(() => casesFromCard({ class_names: ['a'] }, 3)).toThrow(/no feature_names/);
    expect(casesFromCard({ feature_names: ['x'] }, 1)[0]?.expect).toBeUndefined();
  });
});
