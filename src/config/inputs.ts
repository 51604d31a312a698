import { COMMANDS, type Command } from './types.js';
import type { Problem } from './problem.js';

/** Every input declared in action.yml; the contract test checks the two lists match. */
export const INPUT_NAMES = ['command', 'config', 'image-tag', 'namespace', 'environment', 'revision', 'set'] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** Inputs as given (action inputs or CLI flags), before validation. Empty string means not given. */
export interface RawInputs {
  command: string;
  config: string;
  imageTag: string;
  namespace: string;
  environment: string;
  revision: string;
  /** path=value overrides of the model file. */
  set: string[];
}

/** What the runner (or the shell, for the CLI) says about this run. Read once by the entry point. */
export interface RunEnvironment {
  workspace: string;
  tempDir: string;
  commitSha?: string;
  repository?: string;
  serverUrl?: string;
  runId?: string;
  runAttempt?: string;
  job?: string;
  /** Registry login for build and push (MODEL_CANARY_REGISTRY_USERNAME / _PASSWORD). */
  registryUsername?: string;
  registryPassword?: string;
  /** PATH, searched for the external tools. */
  searchPath: string;
  /** Folder for small caches (tool version probes); RUNNER_TOOL_CACHE or the user's cache folder. */
  cacheDir?: string;
}

export const DEFAULT_INPUTS: RawInputs = {
  command: 'release',
  config: 'model-canary.yaml',
  imageTag: '',
  namespace: '',
  environment: '',
  revision: 'previous',
  set: [],
};

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REVISION = /^(previous|[0-9]+|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;

/** Checks the inputs on their own; problems name the input, as the user wrote it in the workflow. */
export function checkInputs(raw: RawInputs): { command?: Command; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (input: InputName, message: string): void => {
    problems.push({ path: [], message: `input ${input}: ${message}` });
  };
  const command = COMMANDS.find((c) => c === raw.command);
  if (!command) bad('command', `"${raw.command}" is not one of ${COMMANDS.join(', ')}`);
  if (raw.config.trim() === '') bad('config', 'is empty; give the path of the model file (default model-canary.yaml)');
  if (raw.imageTag !== '' && !TAG.test(raw.imageTag)) {
    bad('image-tag', `"${raw.imageTag}" is not a valid tag; use at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`);
  }
  if (raw.namespace !== '' && (!DNS_LABEL.test(raw.namespace) || raw.namespace.length > 63)) {
    bad('namespace', `"${raw.namespace}" is not a valid namespace; use lowercase letters, digits and '-' (at most 63)`);
  }
  if (/[\r\n]/.test(raw.environment) || raw.environment.length > 255) {
    bad('environment', 'must be one line of at most 255 characters');
  }
  if (raw.revision !== '' && !REVISION.test(raw.revision)) {
    bad('revision', `"${raw.revision}" is not a revision; use previous or a revision listed by command status`);
  }
  return command ? { command, problems } : { problems };
}
