import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS, type RawInputs, type RunEnvironment } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import { readUserFile } from '../../src/config/read-user-file.js';
import { loadCases, parseCases } from '../../src/smoke/cases.js';
import { BASE_CONFIG, fixtureWorkspace } from '../helpers/fixtures.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

// Files a user names are read with limits: a regular file (a FIFO would hang the run), a size cap, and
// YAML aliases that cannot expand into a "billion laughs".

afterAll(removeTempDirs);

const inputs = (overrides: Partial<RawInputs> = {}): RawInputs => ({ ...DEFAULT_INPUTS, command: 'plan', ...overrides });
const env = (workspace: string): RunEnvironment => ({ workspace, tempDir: tempDir(), searchPath: '', commitSha: '0123456789abcdef0123456789abcdef01234567' });

/** Nine aliases of nine aliases, five deep: 9^5 nodes from a few hundred bytes. */
const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '',
].join('\n');

const ALIAS_MESSAGE = (label: string): string =>
  `${label} has YAML aliases (*name) that expand past the limit of 1000 (aliases of aliases multiply, as in a "billion laughs" file); it was not read.`;

function fifo(dir: string, name: string): string {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

describe('readUserFile', () => {
  it('refuses a FIFO before opening it, so nothing hangs', () => {
    const file = fifo(tempDir(), 'pipe.yaml');
    expect(() => readUserFile(file, { label: 'The file', maxBytes: 100, hint: 'Give a file.' })).toThrow(
      expect.objectContaining({ kind: 'user', message: 'The file is not a regular file (it is a named pipe).', hint: 'Give a file.' }),
    );
  });

  it('refuses a directory and a missing file with the hint', () => {
    const dir = tempDir();
    expect(() => readUserFile(dir, { label: 'The file', maxBytes: 100, hint: 'Give a file.' })).toThrow('The file is not a regular file (it is a directory).');
    expect(() => readUserFile(path.join(dir, 'nope'), { label: 'The file', maxBytes: 100, hint: 'Give a file.' })).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: expect.stringMatching(/^The file could not be read: ENOENT/) as unknown as string,
        hint: 'Give a file.',
      }),
    );
  });

  it('reads up to the limit and refuses a byte more', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'ok'), 'x'.repeat(100));
    writeFileSync(path.join(dir, 'big'), 'x'.repeat(101));
    expect(readUserFile(path.join(dir, 'ok'), { label: 'The file', maxBytes: 100, hint: '' })).toBe('x'.repeat(100));
    expect(() => readUserFile(path.join(dir, 'big'), { label: 'The file', maxBytes: 100, hint: '' })).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: 'The file is larger than the 100 bytes limit; it was not read.',
        hint: 'Make the file smaller: split it, or keep large data out of it.',
      }),
    );
  });
});

describe('the model file', () => {
  it('must be a regular file: a FIFO is refused, not waited on', () => {
    const ws = fixtureWorkspace();
    fifo(ws, 'pipe.yaml');
    expect(() => loadConfig(inputs({ config: 'pipe.yaml' }), env(ws))).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: 'Model file pipe.yaml is not a regular file (it is a named pipe).',
        hint: 'Point the config input (--config) at the model file itself, a regular file in the workspace.',
      }),
    );
  });

  it('is at most 1 MiB', () => {
    const ws = fixtureWorkspace({ 'model-canary.yaml': `${BASE_CONFIG}# ${'x'.repeat(1024 * 1024)}\n` });
    expect(() => loadConfig(inputs(), env(ws))).toThrow(
      expect.objectContaining({ kind: 'user', message: 'Model file model-canary.yaml is larger than the 1 MiB limit; it was not read.' }),
    );
  });

  it('refuses a YAML alias bomb as a user error, and keeps ordinary aliases', () => {
    const ws = fixtureWorkspace({ 'model-canary.yaml': `${BASE_CONFIG}render:\n  values:\n${BOMB.replace(/^(?=.)/gm, '    ')}` });
    expect(() => loadConfig(inputs(), env(ws))).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: ALIAS_MESSAGE('Model file model-canary.yaml'),
        hint: 'Write the repeated values out, or use fewer aliases of aliases.',
      }),
    );
    const fine = fixtureWorkspace({
      'model-canary.yaml': `${BASE_CONFIG.replace('  repository:', '  extraTags: &tags [a, b]\n  repository:')}render:\n  values:\n    tags: *tags\n`,
    });
    expect(loadConfig(inputs(), env(fine)).render.values).toEqual({ tags: ['a', 'b'] });
  });
});

describe('the cases file', () => {
  it('must be a regular file under 16 MiB', () => {
    const dir = tempDir();
    expect(() => loadCases(fifo(dir, 'cases.yaml'))).toThrow(
      expect.objectContaining({ kind: 'user', message: `Cases file ${path.join(dir, 'cases.yaml')} is not a regular file (it is a named pipe).` }),
    );
    mkdirSync(path.join(dir, 'big'));
    const big = path.join(dir, 'big', 'cases.jsonl');
    writeFileSync(big, `${'{"name": "a", "inputs": [1]}\n'.repeat(600_000)}`);
    expect(() => loadCases(big)).toThrow(`Cases file ${big} is larger than the 16 MiB limit; it was not read.`);
  });

  it('refuses a YAML alias bomb as a user error', () => {
    expect(() => parseCases(`cases:\n  - name: a\n    inputs:\n${BOMB.replace(/^(?=.)/gm, '      - ')}`, 'c.yaml')).toThrow(
      expect.objectContaining({ kind: 'user', message: ALIAS_MESSAGE('Cases file c.yaml') }),
    );
  });
});

describe('--set list indexes', () => {
  it('refuses an index over 1000 with the key and the limit, not an internal error', () => {
    const ws = fixtureWorkspace();
    expect(() => loadConfig(inputs({ set: ['render.values.env.999999999.name=x'] }), env(ws))).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: '--set "render.values.env.999999999.name=x" indexes a list with "999999999"; an index is a number from 0 (the first item) to 1000.',
        hint: 'Give an index from 0 to 1000; a list in the model file holds at most 1001 items.',
      }),
    );
  });

  it('refuses an index that would leave a gap in the list', () => {
    const ws = fixtureWorkspace();
    expect(() => loadConfig(inputs({ set: ['render.values.env.0.name=A', 'render.values.env.5.name=B'] }), env(ws))).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: '--set "render.values.env.5.name=B" sets item 5 of a list that has 1 item(s), which would leave a gap.',
        hint: 'Set the items in order: the next one is index 1.',
      }),
    );
  });

  it('sets an item by a small index', () => {
    const ws = fixtureWorkspace();
    const config = loadConfig(inputs({ set: ['render.values.env.0.name=A', 'render.values.env.0.value=b'] }), env(ws));
    expect(config.render.values).toEqual({ env: [{ name: 'A', value: 'b' }] });
  });
});
