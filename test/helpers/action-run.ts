import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAKE_BIN } from './fixtures.js';
import { tempDir } from './temp.js';

/** Files a runner gives a step: outputs, summary, state. */
export interface RunnerFiles {
  output: string;
  summary: string;
  state: string;
}

/**
 * The environment a GitHub runner gives the action's main step: INPUT_<NAME> as GitHub spells it
 * (uppercased, dashes kept: INPUT_IMAGE-TAG), GITHUB_* files created empty, and a PATH holding only the
 * fake tools. Nothing is inherited from the test's own environment.
 */
export function runnerEnv(
  workspace: string,
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
): { env: Record<string, string>; files: RunnerFiles } {
  const dir = tempDir('model-canary-runner-');
  const files: RunnerFiles = {
    output: path.join(dir, 'github_output'),
    summary: path.join(dir, 'step_summary.md'),
    state: path.join(dir, 'github_state'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env: Record<string, string> = {
    PATH: FAKE_BIN,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    RUNNER_TEMP: tempDir('model-canary-runner-temp-'),
    RUNNER_TOOL_CACHE: tempDir('model-canary-runner-tools-'),
    ...extra,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, files };
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script with the given node binary; never inherits the test's environment. */
export function runNode(node: string, script: string, args: string[], env: Record<string, string>, cwd?: string): Run {
  const result = spawnSync(node, [script, ...args], { env, cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (name<<delimiter lines, or name=value). */
export function parseFileCommands(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`${file}: ${name} has no closing ${delimiter}`);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line !== '') {
      throw new Error(`${file}: unexpected line ${JSON.stringify(line)}`);
    }
  }
  return values;
}

/**
 * A node binary of the given major version: process.execPath or a `node` on PATH.
 */
export function findNode(major: number): string | undefined {
  const candidates = [
    process.execPath,
    ...(process.env['PATH'] ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((d) => path.join(d, 'node')),
  ];
  for (const candidate of candidates) {
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (version.status === 0 && version.stdout.startsWith(`v${major}.`)) return candidate;
  }
  return undefined;
}
