import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseRecord } from '../../src/decide/history.js';
import { createDeployment, setDeploymentStatus } from '../../src/github/deployments.js';
import { closeOpenDeployment } from '../../src/github/open-deployment.js';
import { finalState, gitHubReporter } from '../../src/github/reporter.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { GitHubApi } from '../../src/github/api.js';
import { serverError, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { fastApi, githubConfig, githubEnv, reporterContext, RUN_URL, SHA, TOKEN } from '../helpers/github-run.js';
import { removeTempDirs } from '../helpers/temp.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE = `registry.example:5000/team/iris@${DIGEST}`;

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
});
afterEach(async () => {
  await gh.close();
});
afterAll(removeTempDirs);

/** A deployment made earlier (by another run), left in the given state. */
async function earlier(environment: string, state: 'success' | 'failure' | 'queued'): Promise<number> {
  const api = new GitHubApi({ baseUrl: gh.url, token: TOKEN, logger: new MemoryLogger() });
  const id = await createDeployment(api, { repository: 'acme/models', ref: SHA, environment, description: 'earlier', payload: {} });
  await setDeploymentStatus(api, 'acme/models', id, { state, description: 'earlier' });
  return id;
}

const statesOf = (id: number): string[] => gh.deployments.find((d) => d.id === id)?.statuses.map((s) => s.state) ?? [];

describe('GitHub deployments of a release', () => {
  it('creates the deployment as documented, in_progress then success, and marks what it supersedes inactive', async () => {
    const olderSuccess = await earlier('staging', 'success');
    const olderFailure = await earlier('staging', 'failure');
    const heldCanary = await earlier('staging', 'queued');
    const otherEnv = await earlier('production', 'success');
    const before = gh.requests.length;

    const config = githubConfig(githubEnv(gh.url), { command: 'release', environment: 'staging' });
    const { ctx, host } = reporterContext();
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start({ image: IMAGE, digest: DIGEST });
    const ours = gh.deployments.at(-1);
    expect(ours?.environment).toBe('staging');
    const create = gh.requests[before];
    expect(create).toMatchObject({ method: 'POST', path: '/repos/acme/models/deployments', authorization: `Bearer ${TOKEN}` });
    expect(create?.body).toEqual({
      ref: SHA,
      task: 'deploy',
      environment: 'staging',
      description: 'release iris 1.0 (sha256:abababababab)',
      auto_merge: false,
      required_contexts: [],
      payload: { model: 'iris', version: '1.0', namespace: 'default', command: 'release', image: IMAGE, digest: DIGEST, run_url: RUN_URL },
      transient_environment: false,
    });
    expect(ctx.report.outputs['deployment-id']).toBe(String(ours?.id));
    expect(statesOf(ours?.id ?? 0)).toEqual(['in_progress']);

    Object.assign(ctx.report.outputs, { verdict: 'promoted', revision: '3', digest: DIGEST });
    await reporter.finish(undefined);
    const final = ours?.statuses.at(-1);
    expect(final).toMatchObject({ state: 'success', log_url: RUN_URL, description: 'promoted as revision 3 (sha256:abababababab)' });
    expect(statesOf(olderSuccess)).toEqual(['success', 'inactive']);
    expect(statesOf(heldCanary)).toEqual(['queued', 'inactive']);
    expect(statesOf(olderFailure)).toEqual(['failure']);
    expect(statesOf(otherEnv)).toEqual(['success']);
    const inactive = gh.requests.filter((r) => r.method === 'POST' && (r.body as { state?: string }).state === 'inactive');
    expect(inactive.map((r) => r.path).sort()).toEqual(
      [`/repos/acme/models/deployments/${olderSuccess}/statuses`, `/repos/acme/models/deployments/${heldCanary}/statuses`].sort(),
    );
    expect(inactive[0]?.body).toMatchObject({ description: `superseded by deployment ${ours?.id}` });
    const section = ctx.report.sections.join('\n');
    expect(section).toContain(`- Deployment ${ours?.id} to \`staging\`: **success**`);
    expect(section).toMatch(/Marked inactive: deployment \d+, deployment \d+/);
    expect(host.log).not.toContain('warning');
  });

  it('defaults the environment to the namespace', async () => {
    const config = githubConfig(githubEnv(gh.url), { command: 'release', namespace: 'models-stg' });
    expect(config.run.github?.environment).toBe('models-stg');
  });

  it('ends in failure with the reason, and marks nothing inactive', async () => {
    const older = await earlier('staging', 'success');
    const config = githubConfig(githubEnv(gh.url), { command: 'release', environment: 'staging' });
    const { ctx, host } = reporterContext();
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start({ image: IMAGE, digest: DIGEST });
    Object.assign(ctx.report.outputs, { verdict: 'rolled-back', revision: '4', digest: DIGEST });
    await reporter.finish(new Error('The canary failed its smoke test (fail: error rate 50.0%, p95 12 ms).\nmore'));
    expect(gh.deployments.at(-1)?.statuses.at(-1)).toMatchObject({
      state: 'failure',
      log_url: RUN_URL,
      description: 'rolled-back as revision 4: The canary failed its smoke test (fail: error rate 50.0%, p95 12 ms).',
    });
    expect(statesOf(older)).toEqual(['success']);
  });

  it('leaves a held canary queued for the promote dispatch', async () => {
    const config = githubConfig(githubEnv(gh.url), { command: 'release', environment: 'staging' });
    const { ctx, host } = reporterContext();
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start({ image: IMAGE, digest: DIGEST });
    Object.assign(ctx.report.outputs, { verdict: 'held', revision: '5', digest: DIGEST });
    await reporter.finish(undefined);
    expect(gh.deployments.at(-1)?.statuses.map((s) => [s.state, s.description])).toEqual([
      ['in_progress', 'release of iris running'],
      ['queued', 'canary held after smoke as revision 5 (sha256:abababababab); promote or roll back by dispatch'],
    ]);
  });

  it('records a rollback as its own deployment that says which revision it restored', async () => {
    const restored: ReleaseRecord = { revision: 6, digest: DIGEST, image: IMAGE, version: '1.0', time: '', verdict: 'restored', runId: 'r', restoredFrom: 2 };
    const config = githubConfig(githubEnv(gh.url), { command: 'rollback', environment: 'production' });
    const { ctx, host } = reporterContext([restored]);
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start();
    const d = gh.deployments.at(-1);
    expect(d).toMatchObject({
      environment: 'production',
      description: 'rollback of iris to the previous revision',
      payload: { command: 'rollback', revision: 'previous' },
    });
    Object.assign(ctx.report.outputs, { verdict: 'rolled-back', revision: '6' });
    await reporter.finish(undefined);
    expect(d?.statuses.at(-1)).toMatchObject({ state: 'success', description: 'rollback to revision 2 (sha256:abababababab), recorded as revision 6' });
  });

  it('turns a refused deployment into a warning and a summary line, never an error', async () => {
    gh.script('POST', '/repos/acme/models/deployments', {
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'Deployment', field: 'environment', code: 'invalid' }] },
    });
    const config = githubConfig(githubEnv(gh.url), { command: 'release', environment: 'staging' });
    const { ctx, host } = reporterContext();
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start({ image: IMAGE, digest: DIGEST });
    Object.assign(ctx.report.outputs, { verdict: 'promoted', revision: '3' });
    await reporter.finish(undefined);
    expect(gh.deployments).toHaveLength(0);
    expect(ctx.report.outputs['deployment-id']).toBe('');
    expect(host.log).toMatch(
      /warning: GitHub reporting: could not create a deployment for environment staging: GitHub refused POST \/repos\/acme\/models\/deployments with 422: Validation Failed; Deployment environment invalid Check that the ref/,
    );
    expect(ctx.report.sections.join('\n')).toMatch(/\*\*Reporting problems\*\* \(the release is not affected\)[\s\S]*422: Validation Failed/);
  });

  it('retries a failing status update and still ends with the right state', async () => {
    const config = githubConfig(githubEnv(gh.url), { command: 'release', environment: 'staging' });
    const { ctx, host } = reporterContext();
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start({ image: IMAGE, digest: DIGEST });
    const id = gh.deployments.at(-1)?.id ?? 0;
    gh.script('POST', `/repos/acme/models/deployments/${id}/statuses`, serverError(502), serverError(503));
    Object.assign(ctx.report.outputs, { verdict: 'promoted', revision: '3' });
    await reporter.finish(undefined);
    expect(gh.requests.filter((r) => r.path.endsWith(`/${id}/statuses`) && r.method === 'POST').map((r) => r.status)).toEqual([201, 502, 503, 201]);
    expect(gh.stateOf(id)).toBe('success');
  });
});

describe('a run cancelled between start and finish', () => {
  it('leaves its open deployment in the state, and the post step sets it to error', async () => {
    const config = githubConfig(githubEnv(gh.url), { command: 'release', environment: 'staging' });
    const { ctx, host } = reporterContext();
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start({ image: IMAGE, digest: DIGEST });
    const id = gh.deployments.at(-1)?.id ?? 0;
    const saved = host.state.get('github-deployment') ?? '';
    expect(JSON.parse(saved)).toEqual({ id, repository: 'acme/models', apiUrl: gh.url, runUrl: RUN_URL });
    const lines: string[] = [];
    const log = { info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(`warning: ${m}`) };
    expect(await closeOpenDeployment(saved, TOKEN, log)).toBe('closed');
    expect(gh.deployments.at(-1)?.statuses.at(-1)).toMatchObject({
      state: 'error',
      log_url: RUN_URL,
      description: expect.stringMatching(/^the run stopped before it finished/),
    });
    expect(await closeOpenDeployment('', TOKEN, log)).toBe('none');
    expect(await closeOpenDeployment(saved, '', log)).toBe('failed');
    expect(lines.at(-1)).toBe(`warning: model-canary post: GitHub deployment ${id} was left in progress, and there is no github-token to close it.`);
  });

  it('has nothing open once finish set the final status', async () => {
    const config = githubConfig(githubEnv(gh.url), { command: 'release', environment: 'staging' });
    const { ctx, host } = reporterContext();
    const reporter = gitHubReporter(config, ctx, fastApi(gh.url, host));
    await reporter.start({ image: IMAGE, digest: DIGEST });
    Object.assign(ctx.report.outputs, { verdict: 'promoted', revision: '1' });
    await reporter.finish(undefined);
    expect(host.state.get('github-deployment')).toBe('');
  });
});

describe('finalState', () => {
  it('maps verdicts and errors to deployment states', () => {
    expect(finalState('release', 'promoted', undefined)).toBe('success');
    expect(finalState('release', 'rolled-back', undefined)).toBe('failure');
    expect(finalState('rollback', 'rolled-back', undefined)).toBe('success');
    expect(finalState('release', 'held', undefined)).toBe('queued');
    expect(finalState('release', 'held', new Error('smoke failed'))).toBe('failure');
    expect(finalState('promote', 'failed', undefined)).toBe('failure');
  });
});
