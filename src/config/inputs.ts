import { COMMANDS, type Command } from './types.js';
import type { Problem } from './problem.js';
import { readKubeconfigInput } from '../credentials/kubeconfig.js';

/** Every input declared in action.yml; the contract test checks the two lists match. */
export const INPUT_NAMES = [
  'command',
  'config',
  'image-tag',
  'namespace',
  'environment',
  'revision',
  'set',
  'image',
  'kubeconfig',
  'github-token',
  'expect-digest',
  'expect-revision',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/**
 * Inputs as given (action inputs or CLI flags), before validation. Empty string means not given; so does
 * an absent optional one (the inputs added for the reusable workflows).
 */
export interface RawInputs {
  command: string;
  config: string;
  imageTag: string;
  namespace: string;
  environment: string;
  revision: string;
  /** path=value overrides of the model file. */
  set: string[];
  /** An image built and scanned by an earlier job, repository@sha256:<64 hex>: release skips build and scan. */
  image?: string;
  /** Kubeconfig content (YAML, or base64 of it) from a secret; the action writes it to a 0600 file. */
  kubeconfig?: string;
  /** Token for the GitHub Deployments API and the pull-request comment; none means no GitHub reporting. */
  githubToken?: string;
  /** For promote: the digest (sha256:...) the held canary must still run. */
  expectDigest?: string;
  /** For promote: the revision the held release was recorded as. */
  expectRevision?: string;
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
  /** The REST API's base URL (MODEL_CANARY_GITHUB_API_URL, else GITHUB_API_URL). */
  apiUrl?: string;
  /** GITHUB_EVENT_NAME and GITHUB_EVENT_PATH: a pull_request run comments on its pull request. */
  eventName?: string;
  eventPath?: string;
}

export const DEFAULT_INPUTS: Required<RawInputs> = {
  command: 'release',
  config: 'model-canary.yaml',
  imageTag: '',
  namespace: '',
  environment: '',
  revision: 'previous',
  set: [],
  image: '',
  kubeconfig: '',
  githubToken: '',
  expectDigest: '',
  expectRevision: '',
};

/** The inputs with every optional one filled in ('' when absent). */
export function completeInputs(raw: RawInputs): Required<RawInputs> {
  return {
    ...raw,
    image: raw.image ?? '',
    kubeconfig: raw.kubeconfig ?? '',
    githubToken: raw.githubToken ?? '',
    expectDigest: raw.expectDigest ?? '',
    expectRevision: raw.expectRevision ?? '',
  };
}

/** The commands that take an already built image (input image). */
export const IMAGE_COMMANDS: readonly Command[] = ['release', 'render', 'deploy'];
/** The commands that record a GitHub Deployment when github-token is given. */
export const DEPLOYMENT_COMMANDS: readonly Command[] = ['release', 'promote', 'rollback'];
/** repository@sha256:<64 hex>, no tag. */
const PINNED_IMAGE = /^([^@\s]+)@(sha256:[a-f0-9]{64})$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;

/** Splits input image into repository and digest, or undefined when it is not repository@sha256:<64 hex>. */
export function splitPinnedImage(image: string): { repository: string; digest: string } | undefined {
  const match = PINNED_IMAGE.exec(image);
  if (!match?.[1] || !match[2]) return undefined;
  const repository = match[1];
  // A tag before the digest (repo:tag@sha256:...) is refused: the digest alone says what runs.
  if (repository.lastIndexOf(':') > repository.lastIndexOf('/')) return undefined;
  return { repository, digest: match[2] };
}

/** The digest of input expect-digest: sha256:<64 hex>, or the digest part of repository@sha256:<64 hex>. */
export function expectedDigest(text: string): string | undefined {
  const digest = text.includes('@') ? text.slice(text.indexOf('@') + 1) : text;
  return SHA256.test(digest) ? digest : undefined;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REVISION = /^(previous|[0-9]+|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;

/** Checks the inputs on their own; problems name the input, as the user wrote it in the workflow. */
export function checkInputs(given: RawInputs): { command?: Command; problems: Problem[] } {
  const raw = completeInputs(given);
  const problems: Problem[] = [];
  const bad = (input: InputName, message: string): void => {
    problems.push({ path: [], message: `input ${input}: ${message}` });
  };
  const command = COMMANDS.find((c) => c === raw.command);
  if (raw.command === '') bad('command', `is required: one of ${COMMANDS.join(', ')} (plan checks the config and changes nothing)`);
  else if (!command) bad('command', `"${raw.command}" is not one of ${COMMANDS.join(', ')}`);
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
  if (raw.image !== '') {
    if (!splitPinnedImage(raw.image)) {
      bad(
        'image',
        `"${raw.image}" is not repository@sha256:<64 hex>; pass the image output of the job that built and scanned it (for example \${{ needs.build.outputs.image }}), without a tag`,
      );
    } else if (command && !IMAGE_COMMANDS.includes(command)) {
      bad(
        'image',
        `is used by command ${IMAGE_COMMANDS.join(', ')}, not ${command}; remove it${command === 'promote' ? ' (to check the held canary, give expect-digest)' : ''}`,
      );
    }
  }
  if (raw.expectDigest !== '') {
    if (!expectedDigest(raw.expectDigest))
      bad('expect-digest', `"${raw.expectDigest}" is not a digest; pass sha256:<64 hex>, the digest output of the release that held the canary`);
    else if (command && command !== 'promote') bad('expect-digest', `is checked by command promote only, not ${command}; remove it`);
  }
  if (raw.expectRevision !== '') {
    if (!/^[1-9][0-9]{0,8}$/.test(raw.expectRevision))
      bad('expect-revision', `"${raw.expectRevision}" is not a revision number; pass the revision output of the release that held the canary`);
    else if (command && command !== 'promote') bad('expect-revision', `is checked by command promote only, not ${command}; remove it`);
  }
  if (raw.kubeconfig !== '') {
    const kubeconfig = readKubeconfigInput(raw.kubeconfig);
    if ('problem' in kubeconfig) bad('kubeconfig', kubeconfig.problem);
  }
  if (/\s/.test(raw.githubToken)) bad('github-token', 'contains whitespace; pass the token alone (for example ${{ github.token }})');
  return command ? { command, problems } : { problems };
}
