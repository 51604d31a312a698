import { parseImageRef, repositoryOf } from '../image/image-ref.js';
import { readKubeconfigInput } from '../credentials/kubeconfig.js';
import { completeInputs, expectedDigest, splitPinnedImage, type RawInputs, type RunEnvironment } from './inputs.js';
import type { Problem } from './problem.js';
import type { Command, RunContext } from './types.js';

/** Where the REST API is when the runner does not say (GitHub.com). */
const DEFAULT_API_URL = 'https://api.github.com';

/**
 * The run inputs that need the model file or the runner's variables besides their own form (checked in
 * checkInputs): the image must be of the model's repository, github-token needs the repository and commit.
 * Returns their part of the RunContext and the problems, which name the input and what to fix.
 */
export function runInputs(
  given: RawInputs,
  env: RunEnvironment,
  document: Record<string, unknown>,
  command: Command | undefined,
): { run: Partial<RunContext>; problems: Problem[] } {
  const inputs = completeInputs(given);
  const problems: Problem[] = [];
  const run: Partial<RunContext> = {};
  const bad = (input: string, message: string): void => void problems.push({ path: [], message: `input ${input}: ${message}` });
  const section = (name: string): Record<string, unknown> => {
    const value = document[name];
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  };

  const pinned = inputs.image ? splitPinnedImage(inputs.image) : undefined;
  const repository = section('image')['repository'];
  if (pinned && typeof repository === 'string') {
    if (sameRepository(pinned.repository, repository)) run.prebuiltImage = { reference: inputs.image, digest: pinned.digest };
    else {
      bad(
        'image',
        `its repository ${pinned.repository} is not image.repository of the model file (${repository}); release the image built from this model file, or fix image.repository (or the config input) so both name the same repository`,
      );
    }
  }

  const expect: NonNullable<RunContext['expect']> = {};
  const digest = inputs.expectDigest ? expectedDigest(inputs.expectDigest) : undefined;
  if (digest) expect.digest = digest;
  if (/^[1-9][0-9]*$/.test(inputs.expectRevision)) expect.revision = Number(inputs.expectRevision);
  if (expect.digest !== undefined || expect.revision !== undefined) run.expect = expect;

  if (inputs.kubeconfig) {
    const kubeconfig = readKubeconfigInput(inputs.kubeconfig);
    if ('content' in kubeconfig) run.kubeconfig = kubeconfig; // its problem is checkInputs'
  }

  if (inputs.githubToken && command) {
    const missing = [!env.repository && 'GITHUB_REPOSITORY', !env.commitSha && 'GITHUB_SHA'].filter(Boolean);
    if (missing.length > 0) {
      bad(
        'github-token',
        `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so there is no repository or commit to record a deployment for; run in a GitHub workflow, or remove github-token`,
      );
    } else {
      const namespace = section('cluster')['namespace'];
      run.github = {
        token: inputs.githubToken,
        apiUrl: (env.apiUrl || DEFAULT_API_URL).replace(/\/+$/, ''),
        repository: env.repository as string,
        sha: env.commitSha as string,
        environment: inputs.environment || (typeof namespace === 'string' ? namespace : 'default'),
        ...(env.serverUrl && env.repository && env.runId ? { runUrl: `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}` } : {}),
        ...(env.eventName ? { eventName: env.eventName } : {}),
        ...(env.eventPath ? { eventPath: env.eventPath } : {}),
      };
    }
  }
  return { run, problems };
}

/** Compares two repositories as image references (so a default registry or case in the host does not matter). */
function sameRepository(a: string, b: string): boolean {
  try {
    return repositoryOf(parseImageRef(a)) === repositoryOf(parseImageRef(b));
  } catch {
    return a === b;
  }
}
