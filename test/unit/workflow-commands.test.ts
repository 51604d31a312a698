// src/log/workflow-commands.ts writes the workflow commands @actions/core would write, without loading
// @actions/core (whose import drags in its HTTP client and undici). These tests run the same calls
// through @actions/core and through our module, each against its own temp files, and require the same
// stdout, the same GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY contents and the same errors.
import * as core from '@actions/core';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ActionsLogger, createActionsHost } from '../../src/log/actions-host.js';
import { emptyOutputs, type Host } from '../../src/log/host.js';
import type { Annotation } from '../../src/log/logger.js';
import * as ours from '../../src/log/workflow-commands.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

/** The calls both implementations offer, with the same signatures. */
interface Toolkit {
  getInput(name: string, options?: { required?: boolean; trimWhitespace?: boolean }): string;
  getMultilineInput(name: string, options?: { required?: boolean; trimWhitespace?: boolean }): string[];
  getState(name: string): string;
  isDebug(): boolean;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string | Error, properties?: ours.AnnotationProperties): void;
  error(message: string | Error, properties?: ours.AnnotationProperties): void;
  startGroup(name: string): void;
  endGroup(): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  setSecret(secret: string): void;
  setOutput(name: string, value: unknown): void;
  saveState(name: string, value: unknown): void;
  appendSummary(text: string): Promise<void>;
}

const toolkit: Toolkit = {
  ...core,
  async appendSummary(text: string): Promise<void> {
    try {
      await core.summary.addRaw(text, true).write();
    } catch (err) {
      // core.summary is a singleton that keeps its buffer when a write fails; one run writes once.
      core.summary.emptyBuffer();
      throw err;
    }
  },
};

interface Captured {
  stdout: string;
  files: Record<string, string>;
  /** Return values and error messages, in call order. */
  results: unknown[];
}

const FILE_VARS = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary.md' } as const;
type FileVar = keyof typeof FILE_VARS;

/**
 * Runs script with its own temp files and environment, capturing stdout. `files` says which file
 * variables to set (a missing entry leaves the variable unset; 'missing' points it at no file).
 */
async function capture(
  script: (record: (value: unknown) => void, dir: string) => Promise<void>,
  env: Record<string, string> = {},
  files: Partial<Record<FileVar, 'present' | 'missing'>> = { GITHUB_OUTPUT: 'present', GITHUB_STATE: 'present', GITHUB_STEP_SUMMARY: 'present' },
): Promise<Captured> {
  const dir = tempDir('model-canary-wfc-');
  // core.summary is a singleton that remembers the first summary path it saw (a run has only one).
  (core.summary as unknown as { _filePath?: string | undefined })._filePath = undefined;
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('STATE_') || key.startsWith('GITHUB_') || key === 'RUNNER_DEBUG') delete process.env[key];
  }
  for (const [variable, state] of Object.entries(files) as [FileVar, 'present' | 'missing'][]) {
    const file = path.join(dir, FILE_VARS[variable]);
    if (state === 'present') writeFileSync(file, '');
    process.env[variable] = state === 'present' ? file : path.join(dir, 'no-such-folder', FILE_VARS[variable]);
  }
  Object.assign(process.env, env);
  let stdout = '';
  const results: unknown[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await script((value) => results.push(value), dir);
  } finally {
    write.mockRestore();
    process.env = saved;
  }
  const contents: Record<string, string> = {};
  for (const [variable, state] of Object.entries(files) as [FileVar, 'present' | 'missing'][]) {
    if (state === 'present') contents[variable] = readFileSync(path.join(dir, FILE_VARS[variable]), 'utf8');
  }
  return normalize({ stdout, files: contents, results }, dir);
}

/** Replaces each random delimiter by its order of appearance, and the temp folder by <dir>. */
function normalize(captured: Captured, dir: string): Captured {
  const seen = new Map<string, number>();
  const fix = (text: string): string =>
    text
      .split(dir)
      .join('<dir>')
      .replace(/ghadelimiter_([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})/g, (_, uuid: string) => {
        if (!seen.has(uuid)) seen.set(uuid, seen.size + 1);
        return `ghadelimiter_<${seen.get(uuid)}>`;
      });
  const json = JSON.stringify(captured);
  return JSON.parse(fix(json)) as Captured;
}

/** Runs the same script through @actions/core and through our module; both must do exactly the same. */
async function sideBySide(
  script: (kit: Toolkit, record: (value: unknown) => void, dir: string) => Promise<void> | void,
  env?: Record<string, string>,
  files?: Partial<Record<FileVar, 'present' | 'missing'>>,
): Promise<Captured> {
  const run = (kit: Toolkit) => capture(async (record, dir) => script(kit, record, dir), env, files);
  const theirs = await run(toolkit);
  const mine = await run(ours);
  expect(mine).toEqual(theirs);
  return theirs;
}

/** Calls fn and records what it returned or the message it threw. */
async function attempt(record: (value: unknown) => void, fn: () => unknown): Promise<void> {
  try {
    record({ returned: await fn() });
  } catch (err) {
    record({ threw: err instanceof Error ? err.message : String(err) });
  }
}

const AWKWARD = ['plain', '', '100% done', 'two\nlines', 'crlf\r\nline', 'a: b, c', '%0A literal', 'ünïcödé ✓', '::set-output name=x::y'];

describe('workflow commands: ours against @actions/core', () => {
  it('writes log lines and annotations with the same escaping', async () => {
    const captured = await sideBySide((kit) => {
      for (const text of AWKWARD) {
        // The one deliberate difference: our info neutralises a line that would be a command and writes
        // line breaks as the runner splits them (test/unit/log-escaping.test.ts).
        if (!/^::|\r/.test(text)) kit.info(text);
        kit.debug(text);
        kit.warning(text);
        kit.error(text);
        kit.warning(text, { title: text, file: `dir/${text}.yaml`, startLine: 3 });
        kit.error(text, { title: text, file: text, startLine: 12, endLine: 14, startColumn: 1, endColumn: 9 });
      }
      kit.error('line zero is left out, as core does', { title: 'zero', startLine: 0 });
      kit.warning('no properties', {});
      kit.error(new Error('an Error object'));
      kit.warning(new TypeError('a TypeError'), { title: 'typed' });
      kit.startGroup('a group: with, punctuation %');
      kit.endGroup();
      kit.setSecret('s3cr3t%\nvalue');
    });
    // The comparison is only worth something if the escaping was exercised.
    expect(captured.stdout).toContain('::error title=a%3A b%2C c,file=a%3A b%2C c,line=12,endLine=14,col=1,endColumn=9::a: b, c\n');
    expect(captured.stdout).toContain('::warning::two%0Alines\n');
    expect(captured.stdout).toContain('::add-mask::s3cr3t%25%0Avalue\n');
  });

  it('runs groups the same way, also when the function throws', async () => {
    const captured = await sideBySide(async (kit, record) => {
      await attempt(record, () =>
        kit.group('ok', async () => {
          kit.info('inside');
          return 42;
        }),
      );
      await attempt(record, () =>
        kit.group('fails', async () => {
          kit.info('inside too');
          throw new Error('boom');
        }),
      );
    });
    expect(captured.results).toEqual([{ returned: 42 }, { threw: 'boom' }]);
    expect(captured.stdout).toBe('::group::ok\ninside\n::endgroup::\n::group::fails\ninside too\n::endgroup::\n');
  });

  it('writes outputs and state to the files with the same framing', async () => {
    const captured = await sideBySide((kit) => {
      for (const [i, value] of AWKWARD.entries()) {
        kit.setOutput(`out-${i}`, value);
        kit.saveState(`state_${i}`, value);
      }
      kit.setOutput('object', { verdict: 'planned', n: [1, 2] });
      kit.setOutput('number', 0.25);
      kit.setOutput('nothing', undefined);
      kit.setOutput('null', null);
      // core passes String objects through as text, not as JSON.
      kit.setOutput('boxed', new String('boxed text'));
      kit.saveState('cleanup', JSON.stringify({ command: 'plan', created: [] }));
    });
    expect(captured.stdout).toBe('');
    expect(captured.files['GITHUB_OUTPUT']).toMatch(/^out-3<<(ghadelimiter_<\d+>)\ntwo\nlines\n\1$/m);
    expect(captured.files['GITHUB_STATE']).toContain('cleanup<<');
  });

  it('falls back to stdout commands when the file variables are unset', async () => {
    const captured = await sideBySide(
      (kit) => {
        for (const value of AWKWARD) {
          kit.setOutput('name, with: punctuation', value);
          kit.saveState('state', value);
        }
        kit.setOutput('object', { a: 1 });
      },
      {},
      {},
    );
    expect(captured.stdout).toContain('\n::set-output name=name%2C with%3A punctuation::two%0Alines\n');
    expect(captured.stdout).toContain('::save-state name=state::100%25 done\n');
  });

  // Where the runner gave no usable file, both refuse to write; the words of the error are each their own.
  it('refuses, as core does, when a file variable points at no file', async () => {
    const files = { GITHUB_OUTPUT: 'missing', GITHUB_STATE: 'missing', GITHUB_STEP_SUMMARY: 'missing' } as const;
    const script = async (kit: Toolkit, record: (value: unknown) => void) => {
      await attempt(record, () => kit.setOutput('verdict', 'planned'));
      await attempt(record, () => kit.saveState('cleanup', '{}'));
      await attempt(record, () => kit.appendSummary('# Summary'));
    };
    const theirs = await capture(async (record) => script(toolkit, record), {}, files);
    const mine = await capture(async (record) => script(ours, record), {}, files);
    expect(theirs.results.every((r) => typeof (r as { threw?: string }).threw === 'string')).toBe(true);
    expect(mine.results).toEqual([
      { threw: 'GITHUB_OUTPUT names <dir>/no-such-folder/output, which does not exist' },
      { threw: 'GITHUB_STATE names <dir>/no-such-folder/state, which does not exist' },
      { threw: expect.stringContaining('ENOENT') },
    ]);
    expect(mine.stdout).toBe(theirs.stdout);
  });

  it('refuses, as core does, when there is no summary variable', async () => {
    const script = async (kit: Toolkit, record: (value: unknown) => void) => attempt(record, () => kit.appendSummary('text'));
    const theirs = await capture(async (record) => script(toolkit, record), {}, {});
    const mine = await capture(async (record) => script(ours, record), {}, {});
    expect(theirs.results[0]).toEqual({ threw: expect.stringContaining('GITHUB_STEP_SUMMARY') });
    expect(mine.results[0]).toEqual({ threw: 'GITHUB_STEP_SUMMARY is not set; this runner does not support job summaries' });
  });

  it('appends to the job summary the same way', async () => {
    const captured = await sideBySide(async (kit) => {
      await kit.appendSummary('## model-canary plan\n\n| a | b |\n| --- | --- |');
      await kit.appendSummary('');
      await kit.appendSummary('second ✓');
    });
    expect(captured.files['GITHUB_STEP_SUMMARY']).toBe('## model-canary plan\n\n| a | b |\n| --- | --- |\n\nsecond ✓\n');
  });

  it('reads inputs, state and the debug flag the same way', async () => {
    const env = {
      INPUT_COMMAND: '  plan  ',
      'INPUT_IMAGE-TAG': 'v1.2.3\n',
      INPUT_MY_INPUT: 'spaces become underscores',
      INPUT_SET: '\n  image.tag=abc  \r\n\n# a comment\n  canary.weight=20\n\n',
      STATE_cleanup: '{"command":"plan"}',
      RUNNER_DEBUG: '1',
    };
    const captured = await sideBySide(
      async (kit, record) => {
        for (const name of ['command', 'image-tag', 'Image-Tag', 'my input', 'set', 'absent']) {
          record(kit.getInput(name));
          record(kit.getInput(name, { trimWhitespace: false }));
          record(kit.getMultilineInput(name));
          record(kit.getMultilineInput(name, { trimWhitespace: false }));
        }
        await attempt(record, () => kit.getInput('absent', { required: true }));
        await attempt(record, () => kit.getInput('command', { required: true }));
        record(kit.getState('cleanup'));
        record(kit.getState('other'));
        record(kit.isDebug());
      },
      env,
      {},
    );
    expect(captured.results).toContainEqual(['image.tag=abc', '# a comment', 'canary.weight=20']);
    expect(captured.results).toContainEqual({ threw: 'Input required and not supplied: absent' });
    const debugOff = await sideBySide((kit, record) => record(kit.isDebug()), { RUNNER_DEBUG: 'true' }, {});
    expect(debugOff.results).toEqual([false]);
  });
});

/** The actions host as it was when it called @actions/core directly: the reference for the host we ship. */
function coreHost(): Host {
  const props = (where?: Annotation): core.AnnotationProperties => {
    const p: core.AnnotationProperties = {};
    if (where?.title !== undefined) p.title = where.title;
    if (where?.file !== undefined) p.file = where.file;
    if (where?.startLine !== undefined) p.startLine = where.startLine;
    return p;
  };
  return {
    logger: {
      debugEnabled: core.isDebug(),
      debug: (m) => core.debug(m),
      info: (m) => core.info(m),
      warn: (m, where) => core.warning(m, props(where)),
      error: (m, where) => core.error(m, props(where)),
      group: (title, fn) => core.group(title, fn),
      setSecret: (v) => {
        if (v) core.setSecret(v);
      },
    },
    setOutputs: (outputs) => {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    },
    writeSummary: async (markdown) => {
      if (!process.env['GITHUB_STEP_SUMMARY']) return;
      await core.summary.addRaw(markdown, true).write();
    },
    saveState: (name, value) => core.saveState(name, value),
  };
}

describe('the actions host: ours against the @actions/core one', () => {
  const scenario = async (host: Host): Promise<void> => {
    const { logger } = host;
    logger.info('$ docker --version');
    logger.debug('probe: 100%');
    logger.warn('model.yaml:3: unknown key `imgae`', { title: 'model-canary: config', file: 'model-canary.yaml', startLine: 3 });
    logger.error('A release with this config would fail:\n  - kubectl is not on PATH', { title: 'a, b: c' });
    logger.setSecret('');
    logger.setSecret('token-value');
    await logger.group('plan', async () => logger.info('inside'));
    host.saveState('cleanup', JSON.stringify({ command: 'plan', created: [], lockHeld: false }));
    host.setOutputs({
      ...emptyOutputs(),
      image: 'registry.example:5000/team/iris:abc',
      digest: '',
      verdict: 'planned',
      revision: '',
      report: '/w/.model-canary/plan.json',
      'error-rate': '',
      'p95-ms': '',
      'deployment-id': '',
    });
    await host.writeSummary('## model-canary\n\n| Stage | Status |\n| --- | --- |\n| plan | ok |');
  };

  it('writes the same stdout and files', async () => {
    const theirs = await capture(async () => scenario(coreHost()), { RUNNER_DEBUG: '1' });
    const mine = await capture(async () => scenario(createActionsHost()), { RUNNER_DEBUG: '1' });
    expect(mine).toEqual(theirs);
    expect(theirs.files['GITHUB_OUTPUT']).toContain('verdict<<ghadelimiter_<3>\nplanned\nghadelimiter_<3>\n');
  });

  it('skips the summary without GITHUB_STEP_SUMMARY, as before', async () => {
    const files = { GITHUB_OUTPUT: 'present', GITHUB_STATE: 'present' } as const;
    const theirs = await capture(async () => scenario(coreHost()), {}, files);
    const mine = await capture(async () => scenario(createActionsHost()), {}, files);
    expect(mine).toEqual(theirs);
  });

  it('reads the debug flag when the logger is made', async () => {
    const on = await capture(async (record) => record(new ActionsLogger().debugEnabled), { RUNNER_DEBUG: '1' }, {});
    const off = await capture(async (record) => record(new ActionsLogger().debugEnabled), {}, {});
    expect([on.results, off.results]).toEqual([[true], [false]]);
  });
});
