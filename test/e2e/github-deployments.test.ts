import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFileCommands, runnerEnv } from '../helpers/action-run.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { tempDir } from '../helpers/temp.js';
import { BASE_IMAGE, buildAndPush, kubectl, REPO_ROOT, uniqueName } from './cluster-env.js';
import { getJson, imageOf, leastPrivilegeNamespace, manualIrisModelFile, type LiveDeployment } from './deploy-env.js';
import { toolPath, workspace } from './run-command.js';

// The built action (dist/index.js, then dist/post/index.js, as a runner starts them: INPUT_* variables,
// GITHUB_* files, nothing inherited) against the local cluster and a local fake of GitHub's REST API, on a
// pull_request event. The cluster is reached only through input kubeconfig: the kubeconfig of a
// ServiceAccount bound to docs/rbac.yaml's Role. A split release: images built beforehand and passed as
// input image (no build, no scan in the action), a first release, a canary held in manual mode, a promote
// refused for a stale expect-revision, the promote, then a rollback; each one a GitHub Deployment.

const MAIN = path.join(REPO_ROOT, 'dist', 'index.js');
const POST = path.join(REPO_ROOT, 'dist', 'post', 'index.js');
const TOKEN = 'ghs_e2eFakeToken0123456789abcdef';
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const ns = uniqueName('e2e-github');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'iris');
const images = { v1: '', v2: '' };
let gh: FakeGitHub;
let kubeconfig = '';
let ws = '';
let eventPath = '';

const MODEL_FILE = manualIrisModelFile('90s');

interface StepRun {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  state: string;
  summary: string;
}

/**
 * Starts a step as the runner does. Never spawnSync: the fake GitHub API answers from this process's
 * event loop.
 */
function start(script: string, env: Record<string, string>): { child: ChildProcess; done: Promise<{ status: number | null; stdout: string }> } {
  const child = spawn(process.execPath, [script], { env, cwd: ws, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const done = new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
  return { child, done };
}

function stepEnv(inputs: Record<string, string>): ReturnType<typeof runnerEnv> {
  return runnerEnv(
    ws,
    { kubeconfig, 'github-token': TOKEN, namespace: ns, environment: 'staging', ...inputs },
    {
      PATH: toolPath(),
      HOME: tempDir('github-e2e-home-'),
      GITHUB_SHA: SHA,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: 'http://127.0.0.1:9', // what the runner says; the override below points at the fake
      MODEL_CANARY_GITHUB_API_URL: gh.url,
    },
  );
}

/** The post step, with the state main saved (the runner hands it over as STATE_<name>). */
async function post(env: Record<string, string>, stateFile: string): Promise<string> {
  const saved = parseFileCommands(stateFile);
  const stateEnv = Object.fromEntries(Object.entries(saved).map(([k, v]) => [`STATE_${k}`, v]));
  return (await start(POST, { ...env, ...stateEnv }).done).stdout;
}

/** Runs the action's main step, then its post step, as a runner would. */
async function action(inputs: Record<string, string>): Promise<StepRun> {
  const { env, files } = stepEnv(inputs);
  const main = await start(MAIN, env).done;
  const postOut = await post(env, files.state);
  const state = parseFileCommands(files.state)['cleanup'] ?? '';
  return { status: main.status, stdout: main.stdout + postOut, outputs: parseFileCommands(files.output), state, summary: readFileSync(files.summary, 'utf8') };
}

/** Processes whose parent is pid (what main started: its kubectl proxy runs in a group of its own). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const statesOf = (id: string): string[] => gh.deployments.find((d) => String(d.id) === id)?.statuses.map((s) => s.state) ?? [];

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('dist/index.js is missing: run npm run build');
  gh = await startFakeGitHub({ token: TOKEN });
  kubeconfig = readFileSync(await leastPrivilegeNamespace(ns), 'utf8');
  for (const v of ['v1', 'v2'] as const) images[v] = await buildAndPush(EXAMPLE, 'models/iris', { BASE_IMAGE, VARIANT: v });
  ws = workspace({ Dockerfile: 'FROM scratch\n' }, MODEL_FILE);
  eventPath = path.join(tempDir('github-e2e-event-'), 'event.json');
  writeFileSync(eventPath, JSON.stringify({ action: 'synchronize', number: 17, pull_request: { number: 17 } }));
}, 900_000);

afterAll(async () => {
  await gh?.close();
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

describe('the action with github-token, kubeconfig and image on a pull request', () => {
  const ids: Record<string, string> = {};

  it('releases a built image as the first stable and records a successful deployment', async () => {
    const run = await action({ command: 'release', image: images.v1 });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'promoted', image: images.v1, digest: images.v1.split('@')[1], revision: '1' });
    ids['v1'] = run.outputs['deployment-id'] ?? '';
    const d = gh.deployments.find((x) => String(x.id) === ids['v1']);
    expect(d).toMatchObject({
      ref: SHA,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      payload: { model: 'iris', command: 'release', digest: images.v1.split('@')[1], namespace: ns },
    });
    expect(statesOf(ids['v1'] ?? '')).toEqual(['in_progress', 'success']);
    expect(d?.statuses.at(-1)?.log_url).toBe('https://github.com/acme/models/actions/runs/42');
    expect(run.summary).toMatch(/\| build \| ⏭️ skipped[\s\S]*\| scan \| ⏭️ skipped/);
    expect(run.summary).toContain(`Deployment ${ids['v1']} to \`staging\`: **success**`);
    // The kubeconfig never reached the log; its credentials were masked first; the post step removed the file.
    const token = /token: (\S+)/.exec(kubeconfig)?.[1] ?? 'no-token-in-kubeconfig';
    expect(run.stdout).toContain(`::add-mask::${token}`);
    expect(
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(token);
    const file = (JSON.parse(run.state) as { kubeconfigFile?: string }).kubeconfigFile ?? '';
    expect(file).toMatch(/model-canary-kubeconfig-/);
    expect(existsSync(file)).toBe(false);
    expect(run.stdout).toContain('model-canary post: removed the kubeconfig file of input kubeconfig.');
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.body).toContain(`| iris 1.0.0 | staging | promoted | \`${images.v1.split('@')[1]}\` | 1 |`);
  });

  it('holds a canary in manual mode: queued deployment, held outputs, the comment edited in place', async () => {
    const run = await action({ command: 'release', image: images.v2 });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'held', digest: images.v2.split('@')[1], revision: '2' });
    ids['v2'] = run.outputs['deployment-id'] ?? '';
    expect(statesOf(ids['v2'])).toEqual(['in_progress', 'queued']);
    expect(statesOf(ids['v1'] ?? '')).toEqual(['in_progress', 'success']);
    expect(run.summary).toMatch(/### Decision[\s\S]*\| Verdict \| held \|/);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.edits).toBe(1);
    expect(gh.comments[0]?.body).toContain('| held |');
  });

  it('refuses to promote with an expect-revision that is not the held one, changing nothing', async () => {
    const run = await action({ command: 'promote', 'expect-digest': images.v2.split('@')[1] ?? '', 'expect-revision': '1' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/::error::The newest held release of iris is revision 2 .*not revision 1: another release held a canary since\./);
    expect(statesOf(run.outputs['deployment-id'] ?? '')).toEqual(['in_progress', 'failure']);
    expect(imageOf(await getJson<LiveDeployment>(ns, ['deployment', 'iris']))).toBe(images.v1);
    expect(await getJson<LiveDeployment>(ns, ['deployment', 'iris-canary'])).toBeDefined();
  });

  it('promotes the held canary and marks what it supersedes inactive', async () => {
    const run = await action({ command: 'promote', 'expect-digest': images.v2.split('@')[1] ?? '', 'expect-revision': '2' });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs['verdict']).toBe('promoted');
    const id = run.outputs['deployment-id'] ?? '';
    expect(statesOf(id)).toEqual(['in_progress', 'success']);
    expect(statesOf(ids['v1'] ?? '')).toEqual(['in_progress', 'success', 'inactive']);
    expect(statesOf(ids['v2'] ?? '')).toEqual(['in_progress', 'queued', 'inactive']);
    expect(imageOf(await getJson<LiveDeployment>(ns, ['deployment', 'iris']))).toBe(images.v2);
    ids['promote'] = id;
  });

  it('records a rollback as its own deployment naming the revision it restored', async () => {
    const run = await action({ command: 'rollback', revision: 'previous' });
    expect(run.status, run.stdout).toBe(0);
    const d = gh.deployments.find((x) => String(x.id) === run.outputs['deployment-id']);
    expect(d?.description).toBe('rollback of iris to the previous revision');
    expect(d?.statuses.at(-1)).toMatchObject({
      state: 'success',
      description: expect.stringMatching(/^rollback to revision 1 \(sha256:[0-9a-f]{12}\), recorded as revision \d+$/),
    });
    expect(statesOf(ids['promote'] ?? '')).toEqual(['in_progress', 'success', 'inactive']);
    expect(imageOf(await getJson<LiveDeployment>(ns, ['deployment', 'iris']))).toBe(images.v1);
    expect(gh.comments).toHaveLength(1);
    expect(gh.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('after a run killed midway, the post step cleans the cluster, removes the kubeconfig and sets the deployment to error', async () => {
    const known = new Set(gh.deployments.map((d) => d.id));
    const { env, files } = stepEnv({ command: 'release', image: images.v2 });
    const main = start(MAIN, env);
    const deadline = Date.now() + 120_000;
    let started: number | undefined;
    while (started === undefined && Date.now() < deadline) {
      started = gh.deployments.find((d) => !known.has(d.id) && d.statuses.at(-1)?.state === 'in_progress')?.id;
      if (started === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(started, 'main never set its deployment in progress').toBeDefined();
    // As the runner's last resort does: no chance to finish. What main started goes too (by pid).
    const pid = main.child.pid ?? 0;
    const orphans = childrenOf(pid);
    main.child.kill('SIGKILL');
    await main.done;
    for (const p of orphans) {
      try {
        process.kill(-p, 'SIGKILL');
      } catch {
        // its group is gone
      }
    }
    const cleanup = JSON.parse(parseFileCommands(files.state)['cleanup'] ?? '{}') as { kubeconfigFile?: string };
    expect(existsSync(cleanup.kubeconfigFile ?? '')).toBe(true);
    const out = await post(env, files.state);
    expect(out).toContain(`model-canary post: set GitHub deployment ${started}, left in progress by main, to error.`);
    expect(statesOf(String(started))).toEqual(['in_progress', 'error']);
    expect(existsSync(cleanup.kubeconfigFile ?? '')).toBe(false);
    expect(await getJson<LiveDeployment>(ns, ['deployment', 'iris-canary'])).toBeUndefined();
    expect(imageOf(await getJson<LiveDeployment>(ns, ['deployment', 'iris']))).toBe(images.v1);
  });
});
