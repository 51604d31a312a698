import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionInputs } from '../../src/config/action-inputs.js';
import { parseCliArgs } from '../../src/config/cli-args.js';
import { checkInputs, DEFAULT_INPUTS, INPUT_NAMES, type RawInputs } from '../../src/config/inputs.js';
import { COMMANDS } from '../../src/config/types.js';
import { OUTPUT_NAMES } from '../../src/log/host.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

interface ActionYml {
  runs: { using: string; main: string; post?: string };
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
}

const action = parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;
const inputNames = Object.keys(action.inputs);
const outputNames = Object.keys(action.outputs);

/** The `name`s in the first column of the table rows under a markdown heading, up to the next heading. */
function tableNames(markdown: string, heading: string): string[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line)) break;
    const match = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (match?.[1]) names.push(match[1]);
  }
  return names;
}

describe('action.yml', () => {
  it('runs dist/index.js on node24 with a post step', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post/index.js' });
  });

  it('declares exactly the inputs the code knows', () => {
    expect([...inputNames].sort()).toEqual([...INPUT_NAMES].sort());
  });

  it('describes every input, and only command is required, with no default', () => {
    for (const name of inputNames) {
      expect(action.inputs[name]?.description?.trim(), `input ${name}`).toBeTruthy();
      expect(action.inputs[name]?.required ?? false, `input ${name}`).toBe(name === 'command');
    }
    expect(action.inputs['command']?.default).toBeUndefined();
  });

  it('runs nothing without a command: the action refuses, the CLI prints its help and exits 2', () => {
    const saved = process.env['INPUT_COMMAND'];
    delete process.env['INPUT_COMMAND'];
    try {
      expect(readActionInputs().command).toBe('');
    } finally {
      if (saved !== undefined) process.env['INPUT_COMMAND'] = saved;
    }
    expect(checkInputs({ ...DEFAULT_INPUTS, command: '' }).problems.map((p) => p.message)).toEqual([
      `input command: is required: one of ${COMMANDS.join(', ')} (plan checks the config and changes nothing)`,
    ]);
    expect(parseCliArgs([]).inputs.command).toBe('');
    // The bundled CLI's exit 2 and help: test/unit/dist.test.ts.
  });

  it("gives the same defaults as the CLI's", () => {
    const field: Record<string, keyof RawInputs> = {
      'image-tag': 'imageTag',
      'github-token': 'githubToken',
      'expect-digest': 'expectDigest',
      'expect-revision': 'expectRevision',
    };
    for (const name of inputNames.filter((n) => n !== 'command')) {
      const key = field[name] ?? (name as keyof RawInputs);
      const fallback = DEFAULT_INPUTS[key];
      const expected = Array.isArray(fallback) ? fallback.join('\n') : fallback;
      expect(action.inputs[name]?.default ?? '', `default of input ${name}`).toBe(expected);
    }
  });

  it('declares exactly the outputs the code sets, in the same order', () => {
    expect(outputNames).toEqual([...OUTPUT_NAMES]);
  });

  it('describes every output', () => {
    for (const name of outputNames) expect(action.outputs[name]?.description?.trim(), `output ${name}`).toBeTruthy();
  });
});

describe('src/config/action-inputs.ts', () => {
  const source = readFileSync(path.join(REPO_ROOT, 'src', 'config', 'action-inputs.ts'), 'utf8');
  const read = [...source.matchAll(/\b(?:get|getInput|getMultilineInput|getBooleanInput)\('([^']+)'/g)].map((m) => m[1]);

  it('reads every declared input', () => {
    for (const name of INPUT_NAMES) expect(read, `input ${name}`).toContain(name);
  });

  it('reads no input that action.yml does not declare', () => {
    for (const name of read) expect(inputNames, `input ${name}`).toContain(name);
  });
});

describe('README.md', () => {
  const readmePath = path.join(REPO_ROOT, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';

  it('exists', () => {
    expect(existsSync(readmePath)).toBe(true);
  });

  it('lists exactly the inputs under ### Inputs', () => {
    expect([...tableNames(readme, '### Inputs')].sort()).toEqual([...inputNames].sort());
  });

  it('lists exactly the outputs under ### Outputs', () => {
    expect([...tableNames(readme, '### Outputs')].sort()).toEqual([...outputNames].sort());
  });
});

describe('tableNames (the README parser)', () => {
  it('reads the first-column names of the table under a heading only', () => {
    const md = [
      '## Usage',
      '| `not-this` | x |',
      '### Inputs',
      '',
      '| Input | Description | Default |',
      '| --- | --- | --- |',
      '| `command` | What to do | `release` |',
      '| `image-tag` | Tag | |',
      '### Outputs',
      '| `image` | The image |',
    ].join('\n');
    expect(tableNames(md, '### Inputs')).toEqual(['command', 'image-tag']);
    expect(tableNames(md, '### Outputs')).toEqual(['image']);
    expect(tableNames(md, '### Nothing')).toEqual([]);
  });
});
