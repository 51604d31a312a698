import { readFileSync } from 'node:fs';
import type { GitHubApi } from './api.js';
import { tokenIdentity, writtenBy, type TokenIdentity } from './identity.js';
import { cell as markdownCell } from '../log/markdown.js';

/*
 * One comment per model and environment on the pull request a run belongs to, found again by a hidden
 * marker and its author (the token's own account) and edited in place on every rerun, so a pull request
 * never collects a pile of verdicts and nobody else's comment is ever edited.
 */

export interface VerdictRow {
  model: string;
  version: string;
  environment: string;
  command: string;
  verdict: string;
  digest: string;
  revision: string;
  gate: string;
  smoke: string;
  runUrl?: string;
  sha: string;
  deploymentId?: number;
}

/** The pull request of a pull_request or pull_request_target run, from the event payload the runner wrote. */
export function pullRequestNumber(eventName: string | undefined, eventPath: string | undefined): number | undefined {
  if (!eventName?.startsWith('pull_request') || !eventPath) return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { number?: unknown; pull_request?: { number?: unknown } };
    const n = event.pull_request?.number ?? event.number;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The hidden first line that names the comment's model and environment. */
export function commentMarker(model: string, environment: string): string {
  return `<!-- model-canary:verdict model=${encodeURIComponent(model)} environment=${encodeURIComponent(environment)} -->`;
}

const ICON: Record<string, string> = { promoted: '✅', 'rolled-back': '↩️', held: '⏸️', failed: '❌' };

export function commentBody(row: VerdictRow): string {
  const cell = (t: string): string => (t === '' ? '—' : markdownCell(t));
  const lines = [
    commentMarker(row.model, row.environment),
    `### model-canary: ${row.model} → ${row.environment}: ${ICON[row.verdict] ?? '•'} ${row.verdict || 'failed'}`,
    '',
    '| Model | Environment | Verdict | Digest | Revision | Gate | Smoke |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| ${cell(`${row.model} ${row.version}`)} | ${cell(row.environment)} | ${cell(row.verdict || 'failed')} | ${row.digest ? `\`${row.digest}\`` : '—'} | ${cell(row.revision)} | ${cell(row.gate)} | ${cell(row.smoke)} |`,
    '',
    [
      `command \`${row.command}\``,
      `commit ${row.sha.slice(0, 12)}`,
      ...(row.deploymentId !== undefined ? [`deployment ${row.deploymentId}`] : []),
      ...(row.runUrl ? [`[workflow run](${row.runUrl})`] : []),
      `updated ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    ].join(' · '),
  ];
  return lines.join('\n');
}

/**
 * Writes the verdict comment: edits the one carrying the marker that this token's account wrote (PATCH),
 * or adds it (POST). A marker in anyone else's comment is ignored, so quoting it or planting it cannot get
 * a comment edited. When the token's account cannot be learned nothing is edited: a new comment is added
 * and `warning` says why.
 */
export async function upsertVerdictComment(
  api: GitHubApi,
  repository: string,
  pr: number,
  row: VerdictRow,
): Promise<{ url: string; updated: boolean; id: number; warning?: string }> {
  const marker = commentMarker(row.model, row.environment);
  const body = commentBody(row);
  const hints = {
    403: 'The token may not comment: give the job `permissions: pull-requests: write` (a pull request from a fork gets a read-only token; comment from a pull_request_target or workflow_run job instead).',
  };
  let identity: TokenIdentity | undefined;
  let warning: string | undefined;
  try {
    identity = await tokenIdentity(api);
  } catch (err) {
    const hint = (err as { hint?: unknown }).hint;
    warning = `could not learn which account the github-token belongs to (${err instanceof Error ? err.message : String(err)}${typeof hint === 'string' ? ` ${hint}` : ''}), so no earlier verdict comment was edited and a new one was added.`;
  }
  const existing = identity ? await findOwnComment(api, repository, pr, marker, identity) : undefined;
  if (existing !== undefined) {
    const updated = await api.request<{ id: number; html_url?: string }>('PATCH', `/repos/${repository}/issues/comments/${existing}`, { body }, hints);
    return { url: updated.data?.html_url ?? '', updated: true, id: existing };
  }
  const created = await api.request<{ id: number; html_url?: string }>('POST', `/repos/${repository}/issues/${pr}/comments`, { body }, hints);
  return { url: created.data?.html_url ?? '', updated: false, id: created.data?.id ?? 0, ...(warning ? { warning } : {}) };
}

interface ListedComment {
  id: number;
  body?: string;
  user?: { id?: unknown } | null;
}

/** The id of our comment whose body starts with the marker, looking through up to 10 pages of 100. */
async function findOwnComment(api: GitHubApi, repository: string, pr: number, marker: string, identity: TokenIdentity): Promise<number | undefined> {
  for (let page = 1; page <= 10; page++) {
    const listed = await api.request<ListedComment[]>('GET', `/repos/${repository}/issues/${pr}/comments?per_page=100&page=${page}`);
    const comments = listed.data ?? [];
    const found = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(marker) && writtenBy(c, identity));
    if (found) return found.id;
    if (comments.length < 100) return undefined;
  }
  return undefined;
}
