import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getInput, getMultilineInput } from '../log/workflow-commands.js';
import { DEFAULT_INPUTS, type RawInputs, type RunEnvironment } from './inputs.js';

/** Reads every action input, once. Nothing else in model-canary calls getInput. */
export function readActionInputs(): RawInputs {
  const get = (name: string, fallback: string): string => getInput(name).trim() || fallback;
  return {
    // No default: a step without a command must not release to whatever cluster the kubeconfig names.
    command: get('command', ''),
    config: get('config', DEFAULT_INPUTS.config),
    imageTag: get('image-tag', ''),
    namespace: get('namespace', ''),
    environment: get('environment', ''),
    revision: get('revision', DEFAULT_INPUTS.revision),
    set: getMultilineInput('set').filter((l) => !l.trim().startsWith('#')),
    image: get('image', ''),
    // Content from a secret: read as given (trimmed), never logged; see src/credentials/kubeconfig.ts.
    kubeconfig: get('kubeconfig', ''),
    githubToken: get('github-token', ''),
    expectDigest: get('expect-digest', ''),
    expectRevision: get('expect-revision', ''),
  };
}

/** A new folder of the run's own (mkdtemp: 0700) in the OS temp folder, for a run outside a runner. */
export function privateTempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'model-canary-'));
}

/** Reads the runner's environment variables, once. */
export function readRunnerEnvironment(env: NodeJS.ProcessEnv = process.env): RunEnvironment {
  const result: RunEnvironment = {
    workspace: env['GITHUB_WORKSPACE'] || process.cwd(),
    tempDir: env['RUNNER_TEMP'] || privateTempDir(),
    searchPath: env['PATH'] ?? '',
    cacheDir: path.join(env['RUNNER_TOOL_CACHE'] || path.join(os.homedir(), '.cache'), 'model-canary'),
  };
  const optional: [keyof RunEnvironment, string][] = [
    ['commitSha', 'GITHUB_SHA'],
    ['repository', 'GITHUB_REPOSITORY'],
    ['serverUrl', 'GITHUB_SERVER_URL'],
    ['runId', 'GITHUB_RUN_ID'],
    ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
    ['job', 'GITHUB_JOB'],
    ['registryUsername', 'MODEL_CANARY_REGISTRY_USERNAME'],
    ['registryPassword', 'MODEL_CANARY_REGISTRY_PASSWORD'],
    ['apiUrl', 'GITHUB_API_URL'],
    // Takes precedence over GITHUB_API_URL (which a workflow cannot change): a proxy, or a test's server.
    ['apiUrl', 'MODEL_CANARY_GITHUB_API_URL'],
    ['eventName', 'GITHUB_EVENT_NAME'],
    ['eventPath', 'GITHUB_EVENT_PATH'],
  ];
  for (const [key, variable] of optional) {
    const value = env[variable];
    if (value) (result as unknown as Record<string, string>)[key] = value;
  }
  return result;
}
