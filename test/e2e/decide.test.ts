import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntry } from '../../src/commands/entry.js';
import { DEFAULT_INPUTS, type RawInputs } from '../../src/config/inputs.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { tempDir } from '../helpers/temp.js';
import { applyObjects, BASE_IMAGE, kubectl, REGISTRY, REPO_ROOT, uniqueName } from './cluster-env.js';
import { asServiceAccount, buildIrisVariants, getJson, imageOf, manualIrisModelFile, type LiveDeployment } from './deploy-env.js';
import { toolPath, workspace } from './run-command.js';

// The commands as a user runs them (runEntry, the action's and the CLI's entry), with the objects rendered
// by model-canary's own chart, as the ServiceAccount of docs/rbac.yaml: deploy (first release, then a held
// canary), status, rollback of the held canary, promote; and a promotion whose stable rollout fails (a pod
// quota leaves no room for the surge pod) reverted to the previous template.

const ns = uniqueName('e2e-decide');
const tags = { v1: '', v2: '' };
const digests = { v1: '', v2: '' };
let ws = '';
let restore: (() => Promise<void>) | undefined;

const MODEL_FILE = manualIrisModelFile('60s');

async function run(command: string, extra: Partial<RawInputs> = {}): Promise<{ code: number; host: MemoryHost }> {
  const host = new MemoryHost();
  const inputs: RawInputs = { ...DEFAULT_INPUTS, command, namespace: ns, environment: 'e2e', ...extra };
  const code = await runEntry(host, inputs, {
    workspace: ws,
    tempDir: tempDir('decide-tmp-'),
    searchPath: toolPath(),
    commitSha: 'b'.repeat(40),
    repository: 'model-canary/e2e',
  });
  return { code, host };
}

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);

beforeAll(async () => {
  ({ restore } = await asServiceAccount(ns));
  Object.assign(digests, await buildIrisVariants());
  // buildAndPush tags e2e-<time>; find the tags back from the digests through docker.
  const { exec } = await import('./cluster-env.js');
  for (const v of ['v1', 'v2'] as const) {
    const out = await exec('docker', ['image', 'inspect', '--format', '{{json .RepoTags}}', digests[v]]);
    const tag = (JSON.parse(out.stdout) as string[]).find((t) => t.startsWith(`${REGISTRY}/models/iris:e2e-`));
    tags[v] = tag?.slice(tag.lastIndexOf(':') + 1) ?? '';
  }
  ws = workspace({ Dockerfile: 'FROM scratch\n' }, MODEL_FILE);
}, 900_000);

afterAll(async () => {
  await restore?.();
});

describe('deploy, status, rollback, promote as commands', () => {
  it('deploys the first release as stable, then holds a canary for a decision', async () => {
    const first = await run('deploy', { imageTag: tags.v1 });
    expect(first.code, first.host.log).toBe(0);
    expect(first.host.outputs?.verdict).toBe('promoted');
    expect(imageOf(await deployment('iris'))).toBe(digests.v1);

    const second = await run('deploy', { imageTag: tags.v2 });
    expect(second.code, second.host.log).toBe(0);
    expect(second.host.outputs?.verdict).toBe('held');
    expect(imageOf(await deployment('iris-canary'))).toBe(digests.v2);
    expect(imageOf(await deployment('iris'))).toBe(digests.v1);
    expect(second.host.summary).toContain('### Decision');
    // A held canary is meant to stay: the post step must not remove it, and the lock is released.
    expect(JSON.parse(second.host.state.get('cleanup') ?? '{}')).toMatchObject({ created: [], lockHeld: false });

    const status = await run('status');
    expect(status.code, status.host.log).toBe(0);
    expect(status.host.log).toContain(`canary: ${digests.v2}`);
    expect(status.host.summary).toMatch(/\| 2 \| .* \| held \|/);
  });

  it('rollback removes the held canary and leaves stable as it was', async () => {
    const before = await deployment('iris');
    const result = await run('rollback');
    expect(result.code, result.host.log).toBe(0);
    expect(result.host.outputs?.verdict).toBe('rolled-back');
    expect(await deployment('iris-canary')).toBeUndefined();
    expect((await deployment('iris'))?.metadata.generation).toBe(before?.metadata.generation);
  });

  it('promote moves stable to the canary and removes it', async () => {
    expect((await run('deploy', { imageTag: tags.v2 })).host.outputs?.verdict).toBe('held');
    const result = await run('promote');
    expect(result.code, result.host.log).toBe(0);
    expect(result.host.outputs?.verdict).toBe('promoted');
    expect(imageOf(await deployment('iris'))).toBe(digests.v2);
    expect(await deployment('iris-canary')).toBeUndefined();
    expect(await getJson(ns, ['configmap', 'iris-settings-canary'])).toBeUndefined();
  });

  it('a promotion whose stable rollout fails is reverted to the previous template', async () => {
    expect((await run('deploy', { imageTag: tags.v1 })).host.outputs?.verdict).toBe('held');
    // Wait until only the stable and the canary pod are left, then allow no more pods: the surge pod fails.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const pods = await getJson<{ items: unknown[] }>(ns, ['pods']);
      if ((pods?.items.length ?? 0) <= 2 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await applyObjects([{ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'two-pods', namespace: ns }, spec: { hard: { pods: '2' } } }]);
    const before = await deployment('iris');
    const result = await run('promote');
    expect(result.code).toBe(1);
    expect(result.host.outputs?.verdict).toBe('failed');
    expect(result.host.log).toMatch(/FailedCreate[\s\S]*exceeded quota/);
    expect(result.host.log).toContain('back on its previous template');
    expect(imageOf(await deployment('iris'))).toBe(imageOf(before));
    await kubectl(['-n', ns, 'delete', 'resourcequota', 'two-pods']);
  });
});

describe('command release', () => {
  it('builds the example, renders it with the chart, deploys a canary, smokes it and promotes it', async () => {
    const host = new MemoryHost();
    const tag = `e2e-release-${Date.now()}`;
    const set = [
      // The same model as stable (v2): the analysis window rightly fails v1, whose heavier forest answers
      // about 60 % slower than v2 on the paired requests.
      'image.buildArgs.VARIANT=v2',
      `image.buildArgs.BASE_IMAGE=${BASE_IMAGE}`,
      'scan.enabled=false',
      'smoke.enabled=true',
      'decide.mode=auto',
      'canary.readinessTimeout=60s',
      'render.values.replicas=1',
      'render.values.resources.requests.cpu=10m',
      'render.values.resources.requests.memory=64Mi',
      'render.values.resources.limits.memory=256Mi',
      'render.values.terminationGracePeriodSeconds=5',
      'render.values.preStopDelaySeconds=0',
      'render.values.probes.readiness.periodSeconds=1',
      'render.values.topologySpread.enabled=false',
    ];
    const inputs: RawInputs = {
      ...DEFAULT_INPUTS,
      command: 'release',
      config: 'examples/iris/model-canary.yaml',
      namespace: ns,
      imageTag: tag,
      environment: 'e2e',
      set,
    };
    const code = await runEntry(host, inputs, {
      workspace: REPO_ROOT,
      tempDir: tempDir('release-tmp-'),
      searchPath: toolPath(),
      commitSha: 'c'.repeat(40),
      repository: 'model-canary/e2e',
    });
    expect(code, host.log).toBe(0);
    expect(host.outputs?.verdict).toBe('promoted');
    expect(host.log).toMatch(/Smoking \d+ case\(s\) on 1 canary pod/);
    expect(host.outputs?.revision).toMatch(/^\d+$/);
    expect(imageOf(await deployment('iris'))).toBe(host.outputs?.image);
    expect(await deployment('iris-canary')).toBeUndefined();
    expect(host.summary).toContain('### Decision');
    expect(host.summary).toContain('### Analysis: ✅ pass');
  });

  it('rollback with revision previous restores the last good release before it', async () => {
    const result = await run('rollback', { revision: 'previous' });
    expect(result.code, result.host.log).toBe(0);
    expect(result.host.outputs?.verdict).toBe('rolled-back');
    expect(imageOf(await deployment('iris'))).toBe(digests.v2);
    expect(result.host.summary).toMatch(/Restored \| revision \d+: /);
  });
});
