import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { userError } from '../errors.js';

/** One smoke case as written in the cases file; the smoke stage interprets inputs per protocol. */
export interface SmokeCase {
  name: string;
  inputs: unknown;
  expect?: Record<string, unknown>;
}

/**
 * Reads a cases file: a YAML list (or a mapping with `cases:`), or JSON Lines (.jsonl), one case a line.
 * Every case needs a unique name and inputs.
 */
export function loadCases(file: string): SmokeCase[] {
  const text = readFileSync(file, 'utf8');
  let entries: unknown[];
  try {
    if (file.endsWith('.jsonl')) {
      entries = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as unknown);
    } else {
      const doc = parseYaml(text) as unknown;
      entries = Array.isArray(doc) ? doc : ((doc as { cases?: unknown[] } | null)?.cases ?? []);
    }
  } catch (err) {
    throw userError(`Cases file ${file} could not be read: ${err instanceof Error ? err.message : String(err)}`, 'Write a YAML list of cases, or one JSON object per line in a .jsonl file.');
  }
  const problems: string[] = [];
  const names = new Set<string>();
  const cases: SmokeCase[] = [];
  entries.forEach((entry, i) => {
    const e = entry as Partial<SmokeCase> | null;
    const name = typeof e?.name === 'string' && e.name !== '' ? e.name : undefined;
    if (!name) problems.push(`case ${i + 1} has no name`);
    else if (names.has(name)) problems.push(`case name "${name}" is used twice`);
    if (e?.inputs === undefined) problems.push(`case ${name ?? i + 1} has no inputs`);
    if (name && e?.inputs !== undefined) {
      names.add(name);
      const c: SmokeCase = { name, inputs: e.inputs };
      if (e.expect !== undefined) c.expect = e.expect;
      cases.push(c);
    }
  });
  if (entries.length === 0) problems.push('it holds no cases');
  if (problems.length > 0) {
    throw userError(`Cases file ${file}: ${problems.join('; ')}.`, 'Give each case a unique name and its inputs.');
  }
  return cases;
}
