import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPost } from '../../src/commands/post.js';
import type { Config } from '../../src/config/types.js';
import { deliverRelease } from '../../src/pipeline/deliver.js';
import { GateFailure } from '../../src/deploy/index.js';
import { kubectl, REGISTRY, REPO_ROOT, uniqueName } from './cluster-env.js';
import {
  getJson,
  imageOf,
  asServiceAccount,
  buildIrisVariants,
  renderedObjects,
  testConfig,
  testContext,
  useCases,
  type LiveDeployment,
  type ModelOptions,
} from './deploy-env.js';

// The replica-ratio canary end to end on the real cluster, as a ServiceAccount bound to docs/rbac.yaml:
// first release as stable, a good canary promoted, each failure class rolled back fast with stable
// untouched, the lock serialising two runs, and the post step cleaning up after a run that died.

const ns = uniqueName('e2e-deploy');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'iris');
const images = { v1: '', v2: '' };
const timings: string[] = [];
let restore: (() => Promise<void>) | undefined;

async function release(
  config: Config,
  image: string,
  options: ModelOptions = {},
): Promise<{
  verdict?: string;
  error?: unknown;
  log: string;
  ms: number;
  outputs: Record<string, string>;
  summary: string;
  state: { created: string[]; lockHeld: boolean };
}> {
  const run = testContext(config);
  const started = Date.now();
  try {
    const verdict = await deliverRelease(config, renderedObjects(config.model.name, ns, image, options), image, run.ctx);
    return {
      verdict,
      log: run.host.log,
      ms: Date.now() - started,
      outputs: run.ctx.report.outputs,
      summary: run.ctx.report.sections.join('\n'),
      state: run.state,
    };
  } catch (error) {
    return {
      error,
      verdict: run.ctx.report.outputs.verdict,
      log: run.host.log,
      ms: Date.now() - started,
      outputs: run.ctx.report.outputs,
      summary: run.ctx.report.sections.join('\n'),
      state: run.state,
    };
  } finally {
    await run.close();
  }
}

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);

beforeAll(async () => {
  ({ restore } = await asServiceAccount(ns));
  Object.assign(images, await buildIrisVariants());
}, 900_000);

afterAll(async () => {
  console.log(`deploy e2e timings:\n${timings.map((t) => `  ${t}`).join('\n')}`);
  await restore?.();
});

describe('release with strategy replicas', () => {
  const name = 'iris-a';

  it('deploys the first release as stable, then promotes a good canary', async () => {
    const first = await release(testConfig(name, ns), images.v1);
    expect(first.error, first.log).toBeUndefined();
    expect(first.verdict).toBe('promoted');
    expect(first.log).toContain('first release is deployed as stable');
    expect(imageOf(await deployment(name))).toBe(images.v1);
    timings.push(`first deploy to Ready: ${(first.ms / 1000).toFixed(1)}s`);

    const second = await release(
      testConfig(name, ns, (c) => (c.model.version = '2.0.0')),
      images.v2,
      { version: '2.0.0' },
    );
    expect(second.error, second.log).toBeUndefined();
    expect(second.verdict).toBe('promoted');
    expect(second.outputs['revision']).toBe('2');
    expect(second.log).toMatch(/canary 0\/1 ready|canary 1\/1|pod\(s\) Ready/);
    const stable = await deployment(name);
    expect(imageOf(stable)).toBe(images.v2);
    expect(stable?.metadata.labels?.['app.kubernetes.io/version']).toBe('2.0.0');
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    expect(await getJson(ns, ['configmap', `${name}-settings-canary`])).toBeUndefined();
    expect(await getJson(ns, ['lease', `model-canary-${name}`])).toBeUndefined();
    timings.push(`canary + promote: ${(second.ms / 1000).toFixed(1)}s`);
  });

  it('rolls back to a named revision from another run and shows it in status', async () => {
    const { runEntry } = await import('../../src/commands/entry.js');
    const { MemoryHost } = await import('../helpers/memory-host.js');
    const config = testConfig(name, ns);
    const env = { workspace: path.dirname(config.run.configPath), tempDir: config.run.tempDir, searchPath: process.env['PATH'] ?? '' };
    const { toolPath } = await import('./run-command.js');
    env.searchPath = toolPath();
    const inputs = { command: 'rollback', config: 'model-canary.yaml', imageTag: '', namespace: ns, environment: 'e2e', revision: '1', set: [] };
    const host = new MemoryHost();
    const code = await runEntry(host, inputs, env);
    expect(code, host.log).toBe(0);
    expect(host.outputs?.verdict).toBe('rolled-back');
    expect(imageOf(await deployment(name))).toBe(images.v1);

    const statusHost = new MemoryHost();
    expect(await runEntry(statusHost, { ...inputs, command: 'status' }, env), statusHost.log).toBe(0);
    expect(statusHost.log).toMatch(/#3 .* promoted|#3 .*restored/);
    expect(statusHost.summary).toContain('| 3 |');
    expect(statusHost.summary).toContain('restored (from #1)');
  });
});

describe('a first release that fails its gate', () => {
  it('removes everything it created and records the failure', async () => {
    const name = 'iris-e';
    const result = await release(testConfig(name, ns), images.v2, { env: { MODEL_FAULT: 'crash' } });
    expect(result.error, result.log).toBeInstanceOf(GateFailure);
    expect(result.verdict).toBe('failed');
    expect(result.log).toContain('removing the 3 object(s) it created');
    expect(await deployment(name)).toBeUndefined();
    expect(await getJson(ns, ['service', name])).toBeUndefined();
    expect(await getJson(ns, ['configmap', `${name}-settings`])).toBeUndefined();
    expect(await getJson(ns, ['lease', `model-canary-${name}`])).toBeUndefined();
    const history = await getJson<{ data: Record<string, string> }>(ns, ['configmap', `model-canary-${name}-history`]);
    expect(JSON.parse(history?.data['releases.json'] ?? '[]')).toMatchObject([{ revision: 1, verdict: 'failed' }]);
  });
});

describe('failed canaries are rolled back fast, stable untouched', () => {
  const name = 'iris-b';
  let before: LiveDeployment | undefined;

  beforeAll(async () => {
    const first = await release(testConfig(name, ns), images.v1);
    expect(first.verdict, first.log).toBe('promoted');
    before = await deployment(name);
  }, 300_000);

  const cases: { title: string; options: ModelOptions; image?: () => string; reasons: string[]; patch?: (c: Config) => void }[] = [
    { title: 'crash at start', options: { env: { MODEL_FAULT: 'crash' } }, reasons: ['CrashLoopBackOff', 'Restarts'] },
    { title: 'missing image', options: {}, image: () => `${REGISTRY}/models/iris@sha256:${'0'.repeat(64)}`, reasons: ['ErrImagePull', 'ImagePullBackOff'] },
    { title: 'OOM at load', options: { env: { MODEL_FAULT: 'oom' }, memoryLimit: '128Mi' }, reasons: ['OOMKilled'] },
    { title: 'unschedulable GPU', options: { gpu: true }, reasons: ['Unschedulable'] },
    // Decisive only once it has lasted the gate's settle time (10 s): a ConfigMap or Secret applied a moment
    // earlier can show this for a second on a healthy start.
    { title: 'missing Secret', options: { missingSecret: true }, reasons: ['CreateContainerConfigError'] },
    {
      title: 'never ready (short budget)',
      options: { env: { MODEL_FAULT: 'never-ready' } },
      reasons: ['NotReady'],
      patch: (c) => (c.canary.readinessTimeoutMs = 15_000),
    },
  ];

  for (const c of cases) {
    it(`${c.title}: ${c.reasons.join(' or ')}`, async () => {
      const config = testConfig(name, ns, c.patch);
      const result = await release(config, c.image?.() ?? images.v2, c.options);
      expect(result.error, result.log).toBeInstanceOf(GateFailure);
      const failure = result.error as GateFailure;
      expect(c.reasons, failure.message).toContain(failure.signal.reason);
      expect(result.verdict).toBe('rolled-back');
      expect(failure.message).toMatch(/pod iris-b-canary-/);
      if (!['unschedulable GPU', 'missing image', 'missing Secret'].includes(c.title)) expect(failure.message).toMatch(/Last log lines|wrote no log lines/);
      if (c.title === 'missing Secret') {
        expect(failure.message).toContain('iris-b-no-such-secret');
        expect(failure.detectedAt - failure.startedAt).toBeGreaterThanOrEqual(10_000);
      }
      expect(await deployment(`${name}-canary`)).toBeUndefined();
      expect(result.state).toMatchObject({ created: [], lockHeld: false }); // nothing left for the post step
      const after = await deployment(name);
      expect(after?.metadata.generation).toBe(before?.metadata.generation);
      expect(imageOf(after)).toBe(images.v1);
      const signalToVerdict = Date.now() - failure.detectedAt;
      const k8sSignal = failure.signal.at
        ? ` (Kubernetes stamped it ${((failure.detectedAt - Date.parse(failure.signal.at)) / 1000).toFixed(1)}s before the gate saw it)`
        : '';
      timings.push(
        `${c.title}: ${failure.signal.reason} seen ${((failure.detectedAt - failure.startedAt) / 1000).toFixed(1)}s into the gate${k8sSignal}; verdict ${(signalToVerdict / 1000).toFixed(1)}s after; whole run ${(result.ms / 1000).toFixed(1)}s`,
      );
    });
  }
});

describe('decide.onFailure hold', () => {
  it('keeps a failed canary for inspection, and command rollback removes it', async () => {
    const name = 'iris-g';
    expect((await release(testConfig(name, ns), images.v1)).verdict).toBe('promoted');
    const config = testConfig(name, ns, (c) => (c.decide.onFailure = 'hold'));
    const result = await release(config, images.v2, { env: { MODEL_FAULT: 'crash' } });
    expect(result.error, result.log).toBeInstanceOf(GateFailure);
    expect(result.verdict).toBe('held');
    expect(imageOf(await deployment(`${name}-canary`))).toBe(images.v2);
    expect(result.state.created).toEqual([]); // kept on purpose: the post step leaves it

    const { rollback } = await import('../../src/decide/index.js');
    const run = testContext(testConfig(name, ns));
    try {
      expect(await rollback(testConfig(name, ns), run.ctx)).toBe('rolled-back');
    } finally {
      await run.close();
    }
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    expect(imageOf(await deployment(name))).toBe(images.v1);
  });
});

describe('the smoke test decides', () => {
  it('rolls back a canary that is Ready but answers with errors, stable untouched', async () => {
    const name = 'iris-f';
    const env = { MODEL_NAME: name }; // the server's URLs carry the model's name
    const withSmoke = (c: Config): void => {
      c.smoke.enabled = true;
      useCases(c, path.join(EXAMPLE, 'cases.yaml'));
      c.smoke.readyTimeoutMs = 30_000;
    };
    const first = await release(testConfig(name, ns, withSmoke), images.v1, { env });
    expect(first.verdict, first.log).toBe('promoted');
    const before = await deployment(name);
    const result = await release(testConfig(name, ns, withSmoke), images.v2, { env: { ...env, MODEL_FAULT: 'error' } });
    expect(result.verdict, result.log).toBe('rolled-back');
    expect(String(result.error)).toContain('failed its smoke test');
    expect(result.summary).toMatch(/Smoke \| fail: error rate 100\.0%/);
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    expect((await deployment(name))?.metadata.generation).toBe(before?.metadata.generation);
    timings.push(`smoke fail to rolled back: whole run ${(result.ms / 1000).toFixed(1)}s`);
  });
});

describe('the lock', () => {
  const name = 'iris-c';

  it('serialises two concurrent runs and names the holder when the wait runs out', async () => {
    const first = await release(testConfig(name, ns), images.v1);
    expect(first.verdict, first.log).toBe('promoted');
    const [a, b] = await Promise.all([release(testConfig(name, ns), images.v2, { version: '2.0.0' }), release(testConfig(name, ns), images.v1)]);
    expect(a.error, a.log).toBeUndefined();
    expect(b.error, b.log).toBeUndefined();
    expect([a.log, b.log].some((l) => l.includes('Waiting for the lock'))).toBe(true);

    // A run holding the lock, and one that may wait only 2 s for it.
    const holder = testContext(testConfig(name, ns));
    const { ReleaseLock } = await import('../../src/deploy/lock.js');
    const lock = await ReleaseLock.acquire(await holder.ctx.kube.client(), {
      namespace: ns,
      model: name,
      identity: 'someone-else/runs/42',
      timeoutMs: 5000,
      logger: holder.host.logger,
    });
    const blocked = await release(
      testConfig(name, ns, (c) => (c.canary.lockTimeoutMs = 2000)),
      images.v1,
    );
    expect(String(blocked.error)).toContain('someone-else/runs/42');
    await lock.release();
    await holder.close();
  });

  it('takes over a lease its holder stopped renewing', async () => {
    const stale = new Date(Date.now() - 120_000)
      .toISOString()
      .replace('Z', '000Z')
      .replace(/\.(\d{3})000Z$/, '.$1000Z');
    await kubectl(['apply', '--server-side', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: `model-canary-${name}`, namespace: ns },
        spec: { holderIdentity: 'killed-run', leaseDurationSeconds: 30, acquireTime: stale, renewTime: stale },
      }),
    });
    const result = await release(testConfig(name, ns), images.v2);
    expect(result.error, result.log).toBeUndefined();
    expect(result.log).toContain('held by killed-run expired');
  });
});

describe('the post step', () => {
  const name = 'iris-d';

  it('removes the canary and the lock of a run that died, and running it twice is harmless', async () => {
    const first = await release(testConfig(name, ns), images.v1);
    expect(first.verdict, first.log).toBe('promoted');
    const config = testConfig(name, ns);
    const run = testContext(config);
    // A canary that never gets Ready keeps the run in its gate; then the run "dies": its proxy is killed.
    const pending = deliverRelease(config, renderedObjects(name, ns, images.v2, { env: { MODEL_FAULT: 'never-ready' } }), images.v2, run.ctx).catch(
      (e: unknown) => e,
    );
    const deadline = Date.now() + 60_000;
    while (!run.host.log.includes('Gating canary') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(run.state.created).toContain(`Deployment/${name}-canary`);
    expect(run.state.lockHeld).toBe(true);
    const { killLiveChildren } = await import('../../src/exec/exec.js');
    killLiveChildren('SIGKILL');
    const saved = run.host.state.get('cleanup') ?? '';

    // The action's post step, as the runner starts it: its own process, its own kubectl proxy, the state in STATE_cleanup.
    const { toolPath } = await import('./run-command.js');
    const post = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'post', 'index.js')], {
      env: { PATH: toolPath(), KUBECONFIG: process.env['KUBECONFIG'] ?? '', STATE_cleanup: saved, HOME: process.env['HOME'] ?? '/tmp' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(post.status, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain(`model-canary post: deleted Deployment/${name}-canary (namespace ${ns})`);
    expect(post.stdout).toContain(`model-canary post: deleted ConfigMap/${name}-settings-canary (namespace ${ns})`);
    expect(post.stdout).toContain(`model-canary post: released the lock model-canary-${name} (namespace ${ns})`);
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    expect(await getJson(ns, ['configmap', `${name}-settings-canary`])).toBeUndefined();
    expect(await getJson(ns, ['lease', `model-canary-${name}`])).toBeUndefined();
    expect(imageOf(await deployment(name))).toBe(images.v1);

    const lines: string[] = [];
    const log = { info: (m: string): void => void lines.push(m), warn: (m: string): void => void lines.push(`warning: ${m}`) };
    const again = await runPost(saved, log, { searchPath: toolPath() });
    expect(lines.join('\n')).not.toContain('warning');
    expect(again.filter((l) => l.startsWith('deleted'))).toEqual([]);
    void pending;
  });
});
