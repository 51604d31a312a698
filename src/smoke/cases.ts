import { parse as parseYaml } from 'yaml';
import { aliasBombError, isAliasBomb, MiB, readUserFile, YAML_MAX_ALIAS_COUNT } from '../config/read-user-file.js';
import { userError } from '../errors.js';
import type { AsyncJob, CaseExpectation, SmokeCase } from './types.js';

export type { SmokeCase } from './types.js';

/**
 * Reads a cases file: a YAML list (or a mapping with `cases:`), or JSON Lines (.jsonl), one case a line.
 * Every case needs a unique name and inputs; every problem in the file is listed at once.
 *
 *   - name: setosa
 *     inputs: [[5.1, 3.5, 1.4, 0.2]]
 *     expect:
 *       outputs: [setosa]        # or `predictions:` (same); exact, or within `tolerance`
 *       tolerance: 0.01          # a number (absolute) or {absolute, relative}
 *       classes: [setosa, versicolor]   # each output one of these (also `oneOf`)
 *       status: 200              # or a list; default any 2xx
 *       maxLatencyMs: 500
 *     async: { resultPath: /jobs/{id}, budgetMs: 30000 }   # a job: 202 with an id, then poll
 *     # model-canary's job queue: the inputs as rows, run on the pod's track's workers, predictions read back
 *     async: { submitPath: /v1/jobs, resultPath: /v1/jobs/{id}, inputsField: inputs, trackField: track, outputsField: predictions }
 */
export function loadCases(file: string): SmokeCase[] {
  const text = readUserFile(file, { label: `Cases file ${file}`, maxBytes: 16 * MiB, hint: 'Check smoke.cases: the path is relative to the model file.' });
  return parseCases(text, file);
}

/** Parses the text of a cases file (see loadCases); `file` names it in messages and picks JSON Lines by extension. */
export function parseCases(text: string, file: string): SmokeCase[] {
  let entries: unknown[];
  const problems: string[] = [];
  try {
    if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) {
      entries = [];
      text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          entries.push(JSON.parse(line) as unknown);
        } catch (err) {
          problems.push(`line ${i + 1} is not JSON (${(err as Error).message})`);
        }
      });
    } else {
      const doc = parseYaml(text, { maxAliasCount: YAML_MAX_ALIAS_COUNT }) as unknown;
      entries = Array.isArray(doc) ? doc : ((doc as { cases?: unknown[] } | null)?.cases ?? []);
    }
  } catch (err) {
    if (isAliasBomb(err)) throw aliasBombError(`Cases file ${file}`);
    throw userError(
      `Cases file ${file} could not be read: ${err instanceof Error ? err.message : String(err)}`,
      'Write a YAML list of cases, or one JSON object per line in a .jsonl file.',
    );
  }
  const names = new Set<string>();
  const cases: SmokeCase[] = [];
  entries.forEach((entry, i) => {
    const c = parseCase(entry, i, problems);
    if (!c) return;
    if (names.has(c.name)) problems.push(`case name "${c.name}" is used twice`);
    names.add(c.name);
    cases.push(c);
  });
  if (entries.length === 0 && problems.length === 0) problems.push('it holds no cases');
  if (problems.length > 0) {
    throw userError(
      `Cases file ${file} has ${problems.length} problem(s): ${problems.join('; ')}.`,
      'Give each case a unique name and its inputs; see the smoke section of the README for the fields.',
    );
  }
  return cases;
}

const CASE_KEYS = new Set(['name', 'inputs', 'expect', 'output', 'tensor', 'async']);
const EXPECT_KEYS = new Set(['status', 'outputs', 'predictions', 'tolerance', 'classes', 'oneOf', 'maxLatencyMs']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseCase(entry: unknown, i: number, problems: string[]): SmokeCase | undefined {
  if (!isRecord(entry)) {
    problems.push(`case ${i + 1} is not a mapping`);
    return undefined;
  }
  const name = typeof entry['name'] === 'string' && entry['name'] !== '' ? entry['name'] : undefined;
  const label = name ? `case "${name}"` : `case ${i + 1}`;
  if (!name) problems.push(`case ${i + 1} has no name`);
  if (entry['inputs'] === undefined) problems.push(`${label} has no inputs`);
  for (const key of Object.keys(entry)) if (!CASE_KEYS.has(key)) problems.push(`${label}: unknown key "${key}"`);
  const before = problems.length;
  const c: SmokeCase = { name: name ?? '', inputs: entry['inputs'], source: 'file' };
  if (entry['expect'] !== undefined) {
    const expect = parseExpect(entry['expect'], label, problems);
    if (expect) c.expect = expect;
  }
  if (entry['output'] !== undefined) {
    if (typeof entry['output'] === 'string') c.output = entry['output'];
    else problems.push(`${label}: output must be the name of an output`);
  }
  if (entry['tensor'] !== undefined) {
    const t = entry['tensor'];
    if (isRecord(t) && (t['name'] === undefined || typeof t['name'] === 'string') && (t['datatype'] === undefined || typeof t['datatype'] === 'string')) {
      c.tensor = {};
      if (typeof t['name'] === 'string') c.tensor.name = t['name'];
      if (typeof t['datatype'] === 'string') c.tensor.datatype = t['datatype'];
    } else problems.push(`${label}: tensor must be {name, datatype} strings`);
  }
  if (entry['async'] !== undefined) {
    const job = parseAsync(entry['async'], label, problems);
    if (job) c.async = job;
  }
  return name && entry['inputs'] !== undefined && problems.length === before ? c : undefined;
}

function parseExpect(raw: unknown, label: string, problems: string[]): CaseExpectation | undefined {
  if (!isRecord(raw)) {
    problems.push(`${label}: expect must be a mapping`);
    return undefined;
  }
  const e: CaseExpectation = {};
  for (const key of Object.keys(raw)) if (!EXPECT_KEYS.has(key)) problems.push(`${label}: unknown key "expect.${key}"`);
  const status = raw['status'];
  if (status !== undefined) {
    const list = Array.isArray(status) ? status : [status];
    if (list.length > 0 && list.every((s) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599)) {
      e.status = Array.isArray(status) ? (list as number[]) : (status as number);
    } else problems.push(`${label}: expect.status must be an HTTP status or a list of them`);
  }
  const outputs = raw['outputs'] ?? raw['predictions'];
  if (raw['outputs'] !== undefined && raw['predictions'] !== undefined) problems.push(`${label}: give expect.outputs or expect.predictions, not both`);
  if (outputs !== undefined) e.outputs = Array.isArray(outputs) ? outputs : [outputs];
  const tolerance = raw['tolerance'];
  if (tolerance !== undefined) {
    if (typeof tolerance === 'number' && tolerance >= 0) e.tolerance = { absolute: tolerance };
    else if (
      isRecord(tolerance) &&
      ['absolute', 'relative'].some((k) => tolerance[k] !== undefined) &&
      Object.entries(tolerance).every(([k, v]) => (k === 'absolute' || k === 'relative') && typeof v === 'number' && v >= 0)
    ) {
      e.tolerance = {};
      if (typeof tolerance['absolute'] === 'number') e.tolerance.absolute = tolerance['absolute'];
      if (typeof tolerance['relative'] === 'number') e.tolerance.relative = tolerance['relative'];
    } else problems.push(`${label}: expect.tolerance must be a number >= 0 or {absolute, relative}`);
    if (outputs === undefined) problems.push(`${label}: expect.tolerance needs expect.outputs`);
  }
  const classes = raw['classes'] ?? raw['oneOf'];
  if (classes !== undefined) {
    if (Array.isArray(classes) && classes.length > 0) e.classes = classes;
    else problems.push(`${label}: expect.classes must be a non-empty list`);
  }
  const maxLatency = raw['maxLatencyMs'];
  if (maxLatency !== undefined) {
    if (typeof maxLatency === 'number' && maxLatency > 0) e.maxLatencyMs = maxLatency;
    else problems.push(`${label}: expect.maxLatencyMs must be a number above 0`);
  }
  return e;
}

const ASYNC_KEYS = new Set([
  'submitPath',
  'resultPath',
  'idField',
  'statusField',
  'doneValues',
  'failedValues',
  'pollIntervalMs',
  'budgetMs',
  'inputsField',
  'trackField',
  'outputsField',
]);
const ASYNC_TEXT_KEYS = new Set(['submitPath', 'idField', 'statusField', 'inputsField', 'trackField', 'outputsField']);

function parseAsync(raw: unknown, label: string, problems: string[]): AsyncJob | undefined {
  if (!isRecord(raw) || typeof raw['resultPath'] !== 'string' || !raw['resultPath'].startsWith('/')) {
    problems.push(`${label}: async needs resultPath, a path starting with / (with {id} for the job id)`);
    return undefined;
  }
  const job: AsyncJob = { resultPath: raw['resultPath'] };
  for (const [key, value] of Object.entries(raw)) {
    if (!ASYNC_KEYS.has(key)) problems.push(`${label}: unknown key "async.${key}"`);
    else if (ASYNC_TEXT_KEYS.has(key)) {
      if (typeof value === 'string' && value !== '')
        job[key as 'submitPath' | 'idField' | 'statusField' | 'inputsField' | 'trackField' | 'outputsField'] = value;
      else problems.push(`${label}: async.${key} must be a string`);
    } else if (key === 'doneValues' || key === 'failedValues') {
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) job[key] = value as string[];
      else problems.push(`${label}: async.${key} must be a list of strings`);
    } else if (key === 'pollIntervalMs' || key === 'budgetMs') {
      if (typeof value === 'number' && value > 0) job[key] = value;
      else problems.push(`${label}: async.${key} must be a number of ms above 0`);
    }
  }
  if (job.submitPath !== undefined && !job.submitPath.startsWith('/')) problems.push(`${label}: async.submitPath must start with /`);
  return job;
}

/** What generateCases reads from a model card (JSON). */
interface ModelCard {
  feature_names?: unknown;
  feature_ranges?: unknown;
  class_names?: unknown;
}

/**
 * Makes `count` cases from a model card's feature names: each a single row of values spread over the
 * feature's range (the card's `feature_ranges` {name: [min, max]}, else 0 to 1), deterministic. Each
 * expects a 2xx answer and, when the card lists `class_names`, an output from that set.
 */
export function generateCases(cardFile: string, count: number): SmokeCase[] {
  const text = readUserFile(cardFile, { label: `The model card ${cardFile}`, maxBytes: 4 * MiB, hint: 'model.card must be a JSON file with feature_names.' });
  let card: ModelCard;
  try {
    card = JSON.parse(text) as ModelCard;
  } catch (err) {
    throw userError(`The model card ${cardFile} could not be read as JSON: ${(err as Error).message}`, 'model.card must be a JSON file with feature_names.');
  }
  return casesFromCard(card, count, cardFile);
}

export function casesFromCard(card: ModelCard, count: number, where = 'the model card'): SmokeCase[] {
  const names = card.feature_names;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    throw userError(
      `${where} has no feature_names, so no cases can be generated.`,
      'Add "feature_names": [...] to the card, or set smoke.generateCases to 0 and write smoke.cases.',
    );
  }
  const ranges = isRecord(card.feature_ranges) ? card.feature_ranges : {};
  const classes = Array.isArray(card.class_names) && card.class_names.length > 0 ? card.class_names : undefined;
  const cases: SmokeCase[] = [];
  for (let k = 0; k < count; k++) {
    const row = (names as string[]).map((name, j) => {
      const r = ranges[name];
      const [lo, hi] = Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number') ? (r as [number, number]) : [0, 1];
      // A low-discrepancy spread over the range (golden ratio steps), offset per feature.
      const t = ((((k + 1) * 0.6180339887 + j * 0.7548776662) % 1) + 1) % 1;
      return Math.round((lo + t * (hi - lo)) * 1000) / 1000;
    });
    const c: SmokeCase = { name: `generated-${k + 1}`, inputs: [row], source: 'generated' };
    if (classes) c.expect = { classes };
    cases.push(c);
  }
  return cases;
}
