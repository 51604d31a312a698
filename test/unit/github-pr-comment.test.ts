import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentMarker, pullRequestNumber } from '../../src/github/pr-comment.js';
import { gitHubReporter } from '../../src/github/reporter.js';
import { GITHUB_ACTIONS_BOT, startFakeGitHub, type FakeAccount, type FakeComment, type FakeGitHub } from '../helpers/fake-github.js';
import { fastApi, githubConfig, githubEnv, reporterContext, TOKEN } from '../helpers/github-run.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const COMMENTS = '/repos/acme/models/issues/7/comments';
const MARKER = commentMarker('iris', 'staging');
const MALLORY: FakeAccount = { login: 'mallory', id: 666, type: 'User' };
const PAT_OWNER: FakeAccount = { login: 'release-bot-user', id: 5001, type: 'User' };

/** A comment already on pull request 7. */
function planted(id: number, user: FakeAccount, body: string): FakeComment {
  return { id, repository: 'acme/models', issue: 7, body, html_url: '', user, edits: 0 };
}

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
    gh.comments.push(planted(1, MALLORY, `LGTM, see ${MARKER}`));

    const first = await releaseRun('staging', { verdict: 'held', revision: '5', digest: DIGEST, 'error-rate': '0', 'p95-ms': '12.5' });
    const ours = gh.comments.filter((c) => c.id !== 1);
    expect(ours).toHaveLength(1);
    const comment = ours[0];
    expect(gh.requests.filter((r) => r.path === COMMENTS && r.method === 'POST')).toHaveLength(1);
    expect(comment?.body.split('\n')[0]).toBe('<!-- model-canary:verdict model=iris environment=staging -->');
    expect(comment?.body).toContain('| Model | Environment | Verdict | Digest | Revision | Gate | Smoke |');
    expect(comment?.body).toContain(
      `| iris 1.0 | staging | held | \`${DIGEST}\` | 5 | iris-canary: revision 2, 1 Ready pod(s) in 3.1s | error rate 0, p95 12.5 ms |`,
    );
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
    for (let i = 0; i < 120; i++) gh.comments.push(planted(10 + i, MALLORY, `chatter ${i}`));
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
    expect(section).toMatch(
      /could not write the verdict comment on pull request #7: GitHub refused POST \/repos\/acme\/models\/issues\/7\/comments with 403: Resource not accessible by integration The token may not comment: give the job `permissions: pull-requests: write`/,
    );
    expect(gh.stateOf(gh.deployments[0]?.id ?? 0)).toBe('success');
  });
});

describe('the verdict comment is only ever our own', () => {
  const forged = `${MARKER}\n### model-canary: iris → staging: ✅ promoted (forged)`;

  it("never edits another user's comment that starts with the marker: it adds its own, then edits only that", async () => {
    gh.comments.push(planted(1, MALLORY, forged));
    await releaseRun('staging', { verdict: 'held', revision: '5' });
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    const ours = gh.comments.filter((c) => c.id !== 1);
    expect(ours.map((c) => c.user)).toEqual([GITHUB_ACTIONS_BOT]);

    await releaseRun('staging', { verdict: 'promoted', revision: '6' });
    expect(gh.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/repos/acme/models/issues/comments/${ours[0]?.id}`]);
    expect(gh.comments.find((c) => c.id === 1)).toMatchObject({ body: forged, edits: 0 });
    expect(gh.comments).toHaveLength(2);
  });

  it("finds the workflow token's own comment by its bot account id, past a same-named impostor", async () => {
    // GET /user refuses an installation token, so the account comes from GraphQL's viewer.
    const impostor: FakeAccount = { login: 'github-actions', id: 777, type: 'User' };
    gh.comments.push(planted(1, impostor, forged), planted(2, GITHUB_ACTIONS_BOT, `${MARKER}\nthe previous run`));
    await releaseRun('staging', { verdict: 'promoted', revision: '3' });
    expect(gh.requests.filter((r) => r.path === '/graphql').map((r) => r.status)).toEqual([200]);
    expect(gh.comments.map((c) => [c.id, c.edits])).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(gh.comments[1]?.body).toContain('| iris 1.0 | staging | promoted |');
  });

  it("with a personal access token, edits that user's comment and not the workflow bot's", async () => {
    await gh.close();
    gh = await startFakeGitHub({ token: TOKEN, account: PAT_OWNER });
    gh.comments.push(planted(1, GITHUB_ACTIONS_BOT, `${MARKER}\nwritten by the job token`), planted(2, PAT_OWNER, `${MARKER}\nwritten by the token's owner`));
    const section = await releaseRun('staging', { verdict: 'promoted', revision: '4' });
    expect(gh.comments.map((c) => [c.id, c.edits])).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(section).toContain('verdict comment updated');
  });

  it("edits nothing when the token's account cannot be learned: adds a comment and says why", async () => {
    gh.comments.push(planted(1, GITHUB_ACTIONS_BOT, `${MARKER}\nthe previous run`));
    gh.script('POST', '/graphql', { status: 200, body: { errors: [{ message: 'Something went wrong while executing your query.' }] } });
    const section = await releaseRun('staging', { verdict: 'promoted', revision: '2' });
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[0]?.edits).toBe(0);
    expect(section).toContain(
      'could not learn which account the github-token belongs to (GitHub refused POST /graphql: Something went wrong while executing your query.',
    );
    expect(section).toContain('no earlier verdict comment was edited and a new one was added');
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
