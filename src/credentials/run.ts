import type { RawInputs, RunEnvironment } from '../config/inputs.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { readKubeconfigInput, removeKubeconfig, useKubeconfig, writeKubeconfig } from './kubeconfig.js';

/**
 * Masks every credential the inputs and the environment carry (the GitHub token, the registry password,
 * the kubeconfig and the tokens, keys, passwords and exec-plugin env values and args inside it) before
 * anything can print them: first thing the main step does.
 */
export function maskInputCredentials(logger: Logger, inputs: RawInputs, env: Pick<RunEnvironment, 'registryPassword'> = {}): void {
  if (inputs.githubToken) logger.setSecret(inputs.githubToken);
  if (env.registryPassword) logger.setSecret(env.registryPassword);
  if (!inputs.kubeconfig) return;
  const read = readKubeconfigInput(inputs.kubeconfig);
  for (const secret of 'secrets' in read ? read.secrets : [inputs.kubeconfig.trim()]) logger.setSecret(secret);
}

/**
 * With the kubeconfig input: writes it to a 0600 file of its own under the run's temp folder, points
 * KUBECONFIG at it for every command this process starts, and records the path in the cleanup state for
 * the post step, which removes it. Returns the undo of KUBECONFIG (the file stays for the post step).
 */
export function openKubeconfig(config: Config, state: { kubeconfigFile?: string }, logger: Logger): (() => void) | undefined {
  const given = config.run.kubeconfig;
  if (!given) return undefined;
  const file = writeKubeconfig(given.content, config.run.tempDir);
  state.kubeconfigFile = file;
  logger.info('Using the kubeconfig of input kubeconfig (a file of mode 0600 in the runner temp folder, removed by the post step).');
  return useKubeconfig(file);
}

/**
 * The post step's part: runs fn (the cluster cleanup) with KUBECONFIG on the saved file, then removes the
 * file, whatever fn did. Harmless when the file is gone or the state names none.
 */
export async function withSavedKubeconfig<T>(saved: string, log: { info(m: string): void; warn(m: string): void }, fn: () => Promise<T>): Promise<T> {
  const file = kubeconfigFileOf(saved);
  const restore = file ? useKubeconfig(file) : undefined;
  try {
    return await fn();
  } finally {
    restore?.();
    if (file) {
      try {
        const outcome = removeKubeconfig(file);
        log.info(
          outcome === 'removed'
            ? 'model-canary post: removed the kubeconfig file of input kubeconfig.'
            : 'model-canary post: the kubeconfig file is already gone.',
        );
      } catch (err) {
        log.warn(
          `model-canary post: could not remove the kubeconfig file ${file}: ${err instanceof Error ? err.message : String(err)}; the runner removes its temp folder when the job ends.`,
        );
      }
    }
  }
}

function kubeconfigFileOf(saved: string): string | undefined {
  if (!saved) return undefined;
  try {
    const state = JSON.parse(saved) as { kubeconfigFile?: unknown };
    return typeof state.kubeconfigFile === 'string' && state.kubeconfigFile !== '' ? state.kubeconfigFile : undefined;
  } catch {
    return undefined;
  }
}
