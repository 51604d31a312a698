import { GitHubApi } from './api.js';
import { setDeploymentStatus } from './deployments.js';

/*
 * A deployment main created and did not finish (the job was cancelled, or the runner stopped main): the
 * post step sets it to error, so GitHub does not show it in progress for ever.
 */

/** The state key main saves the open deployment under ('' once its final status is set). */
export const OPEN_DEPLOYMENT_STATE = 'github-deployment';

export interface OpenDeployment {
  id: number;
  repository: string;
  apiUrl: string;
  runUrl?: string;
}

type PostLog = { info(m: string): void; warn(m: string): void };

/** Sets the open deployment of the saved state to error. Never throws; says what it did. */
export async function closeOpenDeployment(saved: string, token: string, log: PostLog, api?: GitHubApi): Promise<'closed' | 'none' | 'failed'> {
  if (!saved) return 'none';
  let open: OpenDeployment;
  try {
    open = JSON.parse(saved) as OpenDeployment;
  } catch {
    return 'none';
  }
  if (typeof open.id !== 'number' || !open.repository || !open.apiUrl) return 'none';
  if (!token) {
    log.warn(`model-canary post: GitHub deployment ${open.id} was left in progress, and there is no github-token to close it.`);
    return 'failed';
  }
  const logger = {
    debugEnabled: false,
    debug: () => undefined,
    info: (m: string) => log.info(m),
    warn: (m: string) => log.warn(m),
    error: (m: string) => log.warn(m),
    group: <T>(_t: string, fn: () => Promise<T>) => fn(),
    setSecret: () => undefined,
  };
  const client = api ?? new GitHubApi({ baseUrl: open.apiUrl, token, logger, budgetMs: 10_000, maxAttempts: 3 });
  try {
    await setDeploymentStatus(client, open.repository, open.id, {
      state: 'error',
      description: 'the run stopped before it finished (cancelled?); the post step cleaned up the cluster',
      ...(open.runUrl ? { logUrl: open.runUrl } : {}),
    });
    log.info(`model-canary post: set GitHub deployment ${open.id}, left in progress by main, to error.`);
    return 'closed';
  } catch (err) {
    log.warn(`model-canary post: could not close GitHub deployment ${open.id}: ${err instanceof Error ? err.message : String(err)}`);
    return 'failed';
  }
}
