import { ModelCanaryError } from '../errors.js';
import type { Exec } from '../exec/exec.js';
import type { Logger } from '../log/logger.js';
import { buildArgv, type BuildPlan } from './argv.js';

/** buildx when the docker CLI has the plugin (GitHub's runners do), else the legacy builder. */
export async function detectBuilder(exec: Exec, docker: string): Promise<'buildx' | 'legacy'> {
  const result = await exec(docker, ['buildx', 'version'], { allowFailure: true, timeoutMs: 30_000 });
  return result.exitCode === 0 ? 'buildx' : 'legacy';
}

export async function registryLogin(exec: Exec, docker: string, registry: string, auth: { username: string; password: string }): Promise<void> {
  await exec(docker, ['login', registry, '--username', auth.username, '--password-stdin'], {
    stdin: auth.password,
    secrets: [auth.password],
    timeoutMs: 120_000,
    failureHint: `Check MODEL_CANARY_REGISTRY_USERNAME and MODEL_CANARY_REGISTRY_PASSWORD for ${registry}.`,
  });
}

/** Runs the build, echoing docker's progress lines to the log as they come. */
export async function runBuild(exec: Exec, docker: string, plan: BuildPlan, logger: Logger): Promise<void> {
  const progress = (line: string): void => {
    if (line.trim() !== '') logger.info(line);
  };
  await exec(docker, buildArgv(plan), {
    echo: true,
    timeoutMs: 60 * 60_000,
    onStdoutLine: progress,
    onStderrLine: progress,
    // BuildKit's plain progress is readable in a CI log; the legacy builder ignores it.
    env: { BUILDKIT_PROGRESS: 'plain' },
    failureHint: 'The Dockerfile failed to build; the lines above show the failing step.',
  });
}

/** Pushes each tag and returns the digest the registry gave the image. */
export async function pushImage(exec: Exec, docker: string, tags: string[], repository: string): Promise<string> {
  for (const tag of tags) {
    await exec(docker, ['push', tag], {
      timeoutMs: 30 * 60_000,
      failureHint: `Could not push to ${repository}: check that the registry is reachable and that you are logged in.`,
    });
  }
  const first = tags[0] ?? repository;
  const inspect = await exec(docker, ['image', 'inspect', '--format', '{{json .RepoDigests}}', first]);
  const digests = (JSON.parse(inspect.stdout) as string[] | null) ?? [];
  const pinned = digests.find((d) => d.startsWith(`${repository}@`));
  const digest = pinned?.slice(repository.length + 1);
  if (!digest) {
    throw new ModelCanaryError('command', `The registry returned no digest for ${first} (RepoDigests: ${inspect.stdout.trim()}).`);
  }
  return digest;
}
