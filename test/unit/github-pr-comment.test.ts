import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentMarker, pullRequestNumber } from '../../src/github/pr-comment.js';
import { gitHubReporter } from '../../src/github/reporter.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { fastApi, githubConfig, githubEnv, reporterContext, TOKEN } from '../helpers/github-run.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const COMMENTS = '/repos/acme/models/issues/7/comments';

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
});
afterEach(async () => {
  await gh.close();
});
afterAll(removeTempDirs);

/** One run of a release on pull request 7 that ends with the given outputs. */
async function releaseRun(environment: string, outputs: Record<string, string>, onPullRequest = true): Promise<string> {
  const config = githubConfig(githubEnv(gh.url, onPullRequest ? 7 : undefined), { command: 'release', environment });
  const { ctx, host } = reporterContext();
  ctx.report.stages.push({ name: 'deploy', status: 'ok', durationMs: 3100, detail: 'iris-canary: revision 2, 1 Ready pod(s) in 3.1s' });
  const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
  await reporter.start({ digest: DIGEST });
  Object.assign(ctx.report.outputs, outputs);
  await reporter.finish(undefined);
  return ctx.report.sections.join('\n');
}

describe('the verdict comment on a pull request', () => {
  it('is added once, then edited in place on a rerun', async () => {
    // Someone else's comment is left alone, even one quoting model-canary.
    gh.comments.push({ id: 1, repository: 'acme/models', issue: 7, body: `LGTM, see ${commentMarker('iris', 'staging')}`, html_url: '', edits: 0 });

    const first = await releaseRun('staging', { verdict: 'held', revision: '5', digest: DIGEST, 'error-rate': '0', 'p95-ms': '12.5' });
    const ours = gh.comments.filter((c) => c.id !== 1);
    expect(ours).toHaveLength(1);
    const comment = ours[0];
    expect(gh.requests.filter((r) => r.path === COMMENTS && r.method === 'POST')).toHaveLength(1);
    expect(comment?.body.split('\n')[0]).toBe('<!-- model-canary:verdict model=iris environment=staging -->');
    expect(comment?.body).toContain('| Model | Environment | Verdict | Digest | Revision | Gate | Smoke |');
    expect(comment?.body).toContain(`| iris 1.0 | staging | held | \`${DIGEST}\` | 5 | iris-canary: revision 2, 1 Ready pod(s) in 3.1s | error rate 0, p95 12.5 ms |`);
    expect(comment?.body).toMatch(/\[workflow run\]\(https:\/\/github\.example\/acme\/models\/actions\/runs\/42\)/);
    expect(first).toMatch(/Pull request #7: verdict comment added \(https:\/\/github\.example\/acme\/models\/pull\/7#issuecomment-\d+\)/);

    const second = await releaseRun('staging', { verdict: 'promoted', revision: '6', digest: DIGEST, 'error-rate': '0', 'p95-ms': '11' });
    expect(gh.comments.filter((c) => c.id !== 1)).toHaveLength(1);
    const patch = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patch.map((r) => r.path)).toEqual([`/repos/acme/models/issues/comments/${comment?.id}`]);
    expect(comment?.edits).toBe(1);
    expect(comment?.body).toContain('| iris 1.0 | staging | promoted |');
    expect(comment?.body).not.toContain('| held |');
    expect(gh.comments.find((c) => c.id === 1)?.edits).toBe(0);
    expect(second).toContain('verdict comment updated');
  });

  it('keeps one comment per environment', async () => {
    await releaseRun('staging', { verdict: 'promoted', revision: '1' });
    await releaseRun('production', { verdict: 'promoted', revision: '1' });
    await releaseRun('production', { verdict: 'promoted', revision: '2' });
    expect(gh.comments.map((c) => c.body.split('\n')[0])).toEqual([commentMarker('iris', 'staging'), commentMarker('iris', 'production')]);
  });

  it('finds its comment beyond the first page of 100', async () => {
    for (let i = 0; i < 120; i++) gh.comments.push({ id: 10 + i, repository: 'acme/models', issue: 7, body: `chatter ${i}`, html_url: '', edits: 0 });
    await releaseRun('staging', { verdict: 'promoted', revision: '1' });
    await releaseRun('staging', { verdict: 'promoted', revision: '2' });
    expect(gh.comments).toHaveLength(121);
    expect(gh.requests.filter((r) => r.method === 'GET' && r.path === COMMENTS).map((r) => r.query['page'])).toEqual(['1', '2', '1', '2']);
  });

  it('is not written outside pull requests', async () => {
    await releaseRun('staging', { verdict: 'promoted', revision: '1' }, false);
    expect(gh.requests.filter((r) => r.path.includes('/issues/'))).toEqual([]);
    expect(gh.deployments).toHaveLength(1);
  });

  it('names the missing permission when the token may not comment', async () => {
    gh.script('POST', COMMENTS, { status: 403, body: { message: 'Resource not accessible by integration' } });
    const section = await releaseRun('staging', { verdict: 'promoted', revision: '1' });
    expect(section).toMatch(/could not write the verdict comment on pull request #7: GitHub refused POST \/repos\/acme\/models\/issues\/7\/comments with 403: Resource not accessible by integration The token may not comment: give the job `permissions: pull-requests: write`/);
    expect(gh.stateOf(gh.deployments[0]?.id ?? 0)).toBe('success');
  });
});

describe('pullRequestNumber', () => {
  it('reads pull_request and pull_request_target payloads only', () => {
    const file = path.join(tempDir('event-'), 'event.json');
    writeFileSync(file, JSON.stringify({ number: 12, pull_request: { number: 12 } }));
    expect(pullRequestNumber('pull_request', file)).toBe(12);
    expect(pullRequestNumber('pull_request_target', file)).toBe(12);
    expect(pullRequestNumber('push', file)).toBeUndefined();
    expect(pullRequestNumber('pull_request', path.join(path.dirname(file), 'missing.json'))).toBeUndefined();
    writeFileSync(file, '{not json');
    expect(pullRequestNumber('pull_request', file)).toBeUndefined();
  });
});
