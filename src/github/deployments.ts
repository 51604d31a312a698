import type { GitHubApi } from './api.js';

/*
 * GitHub Deployments for one environment: create one (never merging, never waiting on status contexts),
 * set its statuses, and mark the ones it supersedes inactive (GitHub does that by itself only for
 * non-production environments).
 */

export type DeploymentState = 'in_progress' | 'queued' | 'success' | 'failure' | 'error' | 'inactive';

export interface NewDeployment {
  /** owner/name */
  repository: string;
  /** The commit deployed. */
  ref: string;
  environment: string;
  description: string;
  payload: Record<string, unknown>;
}

export interface StatusUpdate {
  state: DeploymentState;
  description: string;
  logUrl?: string;
  environmentUrl?: string;
}

/** GitHub limits a deployment's and a status's description to 140 characters. */
export function clip(text: string, max = 140): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

const CREATE_HINTS = {
  409: 'GitHub wanted to merge the default branch into the ref or to wait for status checks; model-canary asks for neither (auto_merge false, required_contexts []), so a conflict here is a merge conflict or a branch rule on the ref: check the commit and run again.',
  422: 'Check that the ref (GITHUB_SHA) is a commit of this repository and that the environment name (input environment, else the namespace) is one GitHub accepts; environments with deployment protection rules may also refuse refs they do not allow.',
} as const;

export async function createDeployment(api: GitHubApi, d: NewDeployment): Promise<number> {
  const created = await api.request<{ id?: number; message?: string }>(
    'POST',
    `/repos/${d.repository}/deployments`,
    {
      ref: d.ref,
      task: 'deploy',
      environment: d.environment,
      description: clip(d.description),
      auto_merge: false,
      required_contexts: [],
      payload: d.payload,
      transient_environment: false,
    },
    CREATE_HINTS,
  );
  // 202 means GitHub merged nothing and created nothing (an auto-merge answer); with auto_merge false it should not happen.
  if (typeof created.data?.id !== 'number') {
    throw new Error(`GitHub created no deployment (${created.status}: ${created.data?.message ?? 'no id in the answer'})`);
  }
  return created.data.id;
}

export async function setDeploymentStatus(api: GitHubApi, repository: string, id: number, update: StatusUpdate): Promise<void> {
  await api.request(
    'POST',
    `/repos/${repository}/deployments/${id}/statuses`,
    {
      state: update.state,
      description: clip(update.description),
      ...(update.logUrl ? { log_url: update.logUrl } : {}),
      ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
      // The superseded ones are marked below, explicitly, for every kind of environment.
      auto_inactive: false,
    },
    { 422: `The state ${update.state} or a URL was refused; log_url and environment_url must be full http(s) URLs.` },
  );
}

/**
 * Marks inactive the environment's other deployments whose latest status is success (or queued: a held
 * canary this one replaced). Returns the ids it marked.
 */
export async function markSupersededInactive(api: GitHubApi, repository: string, environment: string, current: number): Promise<number[]> {
  const marked: number[] = [];
  const listed = await api.request<{ id: number }[]>('GET', `/repos/${repository}/deployments?environment=${encodeURIComponent(environment)}&per_page=100`);
  for (const other of listed.data ?? []) {
    if (other.id === current) continue;
    const statuses = await api.request<{ state: string }[]>('GET', `/repos/${repository}/deployments/${other.id}/statuses?per_page=1`);
    const latest = statuses.data?.[0]?.state;
    if (latest !== 'success' && latest !== 'queued') continue;
    await api.request('POST', `/repos/${repository}/deployments/${other.id}/statuses`, {
      state: 'inactive',
      description: clip(`superseded by deployment ${current}`),
      auto_inactive: false,
    });
    marked.push(other.id);
  }
  return marked;
}
