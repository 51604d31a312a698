import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_NAMES } from '../../src/log/host.js';
import { findNode, parseFileCommands, runNode, runnerEnv } from '../helpers/action-run.js';
import { BASE_CONFIG, FAKE_BIN, fixtureWorkspace, REPO_ROOT } from '../helpers/fixtures.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { ensureNode24 } from '../helpers/node24.js';

// Installed before the tests are collected: describe.each needs the path.
const NODE24 = ensureNode24();

const MAIN = path.join(REPO_ROOT, 'dist', 'index.js');
const POST = path.join(REPO_ROOT, 'dist', 'post', 'index.js');
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
const SHA = '0123456789abcdef0123456789abcdef01234567';
const IMAGE = `registry.example:5000/team/iris:${SHA}`;

beforeAll(() => {
  if (!existsSync(MAIN)) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}, 180_000);
afterAll(removeTempDirs);

const stackLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('    at '));
const errorLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('::error::'));

// Node 20 is the oldest the package supports (engines); Node 24 is what action.yml runs.
const NODE20 = findNode(20);
const NODES = [
  { label: 'node 20', bin: NODE20 ?? 'node-20-not-found', major: '20' },
  { label: 'node 24', bin: NODE24, major: '24' },
];

describe.each(NODES)('dist/index.js under $label', ({ bin, major }) => {
  it('is the node it claims to be', () => {
    expect(existsSync(bin), `no Node ${major} found (process.execPath or a node on PATH)`).toBe(true);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${major}\\.`));
  });

  it('plans: exit 0, every output set, the plan in the summary, the cleanup state saved', () => {
    const ws = fixtureWorkspace();
    const { env, files } = runnerEnv(ws, { command: 'plan' });
    const run = runNode(bin, MAIN, [], env, ws);
    expect(run.stderr).toBe('');
    expect(errorLines(run.stdout)).toEqual([]);
    expect(run.status).toBe(0);

    const outputs = parseFileCommands(files.output);
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    const report = path.join(ws, '.model-canary', 'plan.json');
    // Every output is set: the ones a plan has nothing for are empty.
    expect(outputs).toEqual({ ...Object.fromEntries(OUTPUT_NAMES.map((n) => [n, ''])), image: IMAGE, verdict: 'planned', report });
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ image: { reference: IMAGE }, blockers: [] });

    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('## model-canary plan: succeeded');
    expect(summary).toContain('### Release plan for `iris` 1.0');
    expect(summary).toContain(`Image \`${IMAGE}\` to namespace \`default\``);
    expect(summary).toContain(`- docker 28.2.2 (${path.join(FAKE_BIN, 'docker')})`);
    expect(summary).toContain(`- kubectl 1.34.4 (${path.join(FAKE_BIN, 'kubectl')})`);
    expect(summary).toContain('**Smoke**: 2 case(s)');

    expect(JSON.parse(parseFileCommands(files.state)['cleanup'] ?? '')).toEqual({
      command: 'plan',
      model: 'iris',
      namespace: 'default',
      created: [],
      lockHeld: false,
      runId: 'acme/models/runs/42/1',
    });
    expect(run.stdout).toContain('plan finished in');
  });

  it('reads dashed inputs as GitHub passes them (INPUT_IMAGE-TAG), and the namespace input', () => {
    const ws = fixtureWorkspace();
    const { env, files } = runnerEnv(ws, { command: 'plan', 'image-tag': 'v9.1', namespace: 'staging', set: 'canary.weight=20\n# a comment\n' });
    expect(env['INPUT_IMAGE-TAG']).toBe('v9.1');
    const run = runNode(bin, MAIN, [], env, ws);
    expect(run.status).toBe(0);
    expect(parseFileCommands(files.output)['image']).toBe('registry.example:5000/team/iris:v9.1');
    expect(readFileSync(files.summary, 'utf8')).toContain('to namespace `staging`');
  });

  it('fails cleanly without a model file: exit 1, one ::error:: line, no stack trace', () => {
    const ws = tempDir();
    const { env, files } = runnerEnv(ws, { command: 'plan' });
    const run = runNode(bin, MAIN, [], env, ws);
    expect(run.status).toBe(1);
    const errors = errorLines(run.stdout);
    expect(errors).toEqual([
      `::error::No usable model file: "model-canary.yaml" does not exist in the workspace (${ws}).%0ACreate model-canary.yaml at the repository root (see the README quick start) or set the config input to its path.`,
    ]);
    expect(stackLines(run.stdout + run.stderr)).toEqual([]);
    expect(parseFileCommands(files.output)['verdict']).toBe('failed');
    expect(readFileSync(files.summary, 'utf8')).toContain('## model-canary plan: failed');
    expect(parseFileCommands(files.state)).toEqual({});
  });

  it('fails cleanly with a bad config: exit 1, the problems in the ::error:: line', () => {
    const ws = fixtureWorkspace({ 'model-canary.yaml': `${BASE_CONFIG}canary:\n  replicas: 0\n  weight: 150\n` });
    const { env } = runnerEnv(ws, { command: 'plan' });
    const run = runNode(bin, MAIN, [], env, ws);
    expect(run.status).toBe(1);
    expect(errorLines(run.stdout)).toEqual([
      '::error::model-canary.yaml has 2 problems:%0A  - canary.replicas: 0 is under 1 (line 11)%0A  - canary.weight: 150 is over 100 (line 12)%0AFix the lines above and run again; `model-canary plan` checks a config without changing anything.',
    ]);
    expect(stackLines(run.stdout + run.stderr)).toEqual([]);
  });

  it('fails when a tool is missing, naming it', () => {
    const ws = fixtureWorkspace();
    const { env, files } = runnerEnv(ws, { command: 'plan' }, { PATH: tempDir('model-canary-empty-path-') });
    const run = runNode(bin, MAIN, [], env, ws);
    expect(run.status).toBe(1);
    const [error] = errorLines(run.stdout);
    expect(error).toMatch(/^::error::A release with this config would fail:%0A {2}- docker is not on PATH\. /);
    expect(stackLines(run.stdout + run.stderr)).toEqual([]);
    // The plan itself was made: its outputs are set, the verdict says it failed.
    expect(parseFileCommands(files.output)).toMatchObject({ image: IMAGE, verdict: 'failed' });
  });
});

describe.each(NODES)('dist/cli/index.js under $label', ({ bin }) => {
  it('plans: JSON outputs on stdout, progress on stderr', () => {
    const ws = fixtureWorkspace();
    const { env } = runnerEnv(ws, {});
    const run = runNode(bin, CLI, ['plan', '--config', 'model-canary.yaml', '--workspace', ws], env, tempDir());
    expect(run.status).toBe(0);
    const outputs = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    expect(outputs).toMatchObject({ image: IMAGE, verdict: 'planned', report: path.join(ws, '.model-canary', 'plan.json') });
    expect(run.stderr).toContain('== plan ==');
    expect(run.stderr).toContain(`Image: ${IMAGE}`);
    expect(run.stderr).toContain('plan finished in');
    expect(run.stderr).toContain('## model-canary plan: succeeded');
    expect(run.stderr).not.toContain('::');
  });

  it('prints the help on --help and exits 0', () => {
    const run = runNode(bin, CLI, ['--help'], { PATH: FAKE_BIN });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: model-canary <command> \[options\]\n/);
    expect(run.stdout).toContain('--set PATH=VALUE');
    expect(run.stderr).toBe('');
  });

  it('with no command runs nothing: the help on stderr, exit 2, nothing on stdout', () => {
    const run = runNode(bin, CLI, [], { PATH: FAKE_BIN });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^Usage: model-canary <command> \[options\]\n/);
    expect(run.stderr).toContain('error: no command given; name one (model-canary plan checks the config and changes nothing).');
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown flag with a message, not a stack', () => {
    const run = runNode(bin, CLI, ['plan', '--bogus'], { PATH: FAKE_BIN });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: Unknown option '--bogus'/);
    expect(run.stderr).toContain('Run model-canary --help for the options.');
    expect(stackLines(run.stderr)).toEqual([]);
    expect(run.stdout).toBe('');
  });
});

describe.each(NODES)('dist/post/index.js under $label', ({ bin }) => {
  const state = (created: string[], lockHeld: boolean): string => JSON.stringify({ command: 'release', model: 'iris', namespace: 'prod', created, lockHeld });

  it('says there is nothing to clean when main saved no state', () => {
    const run = runNode(bin, POST, [], { PATH: FAKE_BIN });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('model-canary post: main saved no state (it did not get as far as loading the config); nothing to clean.\n');
  });

  it('reads the state main saved', () => {
    const run = runNode(bin, POST, [], { PATH: FAKE_BIN, STATE_cleanup: state([], false) });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('model-canary post: release of iris left nothing to clean.\n');
  });

  it('opens its own kubectl proxy to clean up, and says what is left when it cannot (a fake kubectl here)', () => {
    const run = runNode(bin, POST, [], { PATH: FAKE_BIN, STATE_cleanup: state(['Deployment/iris-canary'], true) });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`::warning::model-canary post: could not reach the cluster to clean up (\`${path.join(FAKE_BIN, 'kubectl')} proxy`);
    expect(run.stdout).toContain('Left behind: Deployment/iris-canary in namespace prod; the lock Lease model-canary-iris (it expires by itself).');
  });

  it('warns about unreadable state and still exits 0', () => {
    const run = runNode(bin, POST, [], { PATH: FAKE_BIN, STATE_cleanup: '{not json' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('::warning::model-canary post: the saved state is not readable; nothing was cleaned.\n');
  });

  it('reads the state file main wrote in a real run', () => {
    const ws = fixtureWorkspace();
    const { env, files } = runnerEnv(ws, { command: 'plan' });
    expect(runNode(bin, MAIN, [], env, ws).status).toBe(0);
    const saved = parseFileCommands(files.state)['cleanup'] ?? '';
    const run = runNode(bin, POST, [], { PATH: FAKE_BIN, STATE_cleanup: saved });
    expect(run.stdout).toBe('model-canary post: plan of iris left nothing to clean.\n');
  });
});
