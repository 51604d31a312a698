import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFileCommands, runnerEnv } from '../helpers/action-run.js';
import { fixtureWorkspace, REPO_ROOT } from '../helpers/fixtures.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

// The built action (dist/), main then post, with github-token and kubeconfig, against the fake GitHub API
// and no cluster (the fake kubectl of test/fixtures/bin cannot open a proxy): the rollback fails, and the
// failure is what GitHub is told; the kubeconfig is masked, used and removed.

const MAIN = path.join(REPO_ROOT, 'dist', 'index.js');
const POST = path.join(REPO_ROOT, 'dist', 'post', 'index.js');
const TOKEN = 'ghs_distTestToken0123456789';
const SA_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.dist-test-sa-token.c2ln';
const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
  'users: [{ name: u, user: { token: "' + SA_TOKEN + '" } }]',
  'contexts: [{ name: x, context: { cluster: c, user: u } }]',
  'current-context: x',
  '',
].join('\n');

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
});
afterAll(async () => {
  await gh.close();
  removeTempDirs();
});

/** Runs a bundle asynchronously: the fake API answers from this process. */
function run(script: string, env: Record<string, string>, cwd: string): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env, cwd });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

describe('dist with github-token and kubeconfig', () => {
  it('records a failed rollback as a failed deployment, comments on the pull request, and removes the kubeconfig', async () => {
    const ws = fixtureWorkspace();
    const event = path.join(tempDir('dist-event-'), 'event.json');
    writeFileSync(event, JSON.stringify({ number: 3, pull_request: { number: 3 } }));
    const { env, files } = runnerEnv(
      ws,
      { command: 'rollback', environment: 'production', kubeconfig: KUBECONFIG, 'github-token': TOKEN },
      {
        GITHUB_API_URL: gh.url,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
      },
    );
    const main = await run(MAIN, env, ws);
    expect(main.status, main.stdout).toBe(1);
    const outputs = parseFileCommands(files.output);
    const id = Number(outputs['deployment-id']);
    const d = gh.deployments.find((x) => x.id === id);
    expect(d).toMatchObject({ environment: 'production', description: 'rollback of iris to the previous revision', auto_merge: false, required_contexts: [] });
    expect(d?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(d?.statuses.at(-1)?.description).toMatch(/^failed: /);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.body).toContain('| iris 1.0 | production | failed |');
    expect(readFileSync(files.summary, 'utf8')).toContain(`Deployment ${id} to \`production\`: **failure**`);
    // Masked first, never printed; in a 0600 file the post step removes.
    expect(main.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(main.stdout).toContain(`::add-mask::${SA_TOKEN}`);
    expect(
      main.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(SA_TOKEN);
    const state = parseFileCommands(files.state);
    const file = (JSON.parse(state['cleanup'] ?? '{}') as { kubeconfigFile?: string }).kubeconfigFile ?? '';
    expect(existsSync(file)).toBe(true);
    expect(state['github-deployment']).toBe('');
    const post = await run(POST, { ...env, STATE_cleanup: state['cleanup'] ?? '', 'STATE_github-deployment': state['github-deployment'] ?? '' }, ws);
    expect(post.status, post.stdout).toBe(0);
    expect(post.stdout).toContain('model-canary post: removed the kubeconfig file of input kubeconfig.');
    expect(existsSync(file)).toBe(false);
    expect(d?.statuses).toHaveLength(2);
  });
});
