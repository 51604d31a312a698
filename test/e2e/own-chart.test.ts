import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlJson, REGISTRY, uniqueName } from './cluster-env.js';
import { asServiceAccount, getJson, imageOf, type LiveDeployment } from './deploy-env.js';
import { exampleCommand, type ReleaseRun } from './fixtures/release-prober.js';

// Releases through your own Helm chart (examples/own-chart, render.mode chart; docs/your-own-chart.md) on
// the real cluster, as the ServiceAccount of docs/rbac.yaml in a restricted namespace: v1 (first release),
// v2 (canary, smoke, bake, promoted), a crashing v2 (rolled back), then `command: rollback` to v1. The
// chart names its objects its own way, refers to its port by name and rolls its pods on a config change
// through a checksum/config annotation.

const ns = uniqueName('e2e-own-chart');
const stamp = Date.now().toString(36);
const CONFIG = 'examples/own-chart/model-canary.yaml';
let restore: (() => Promise<void>) | undefined;

/** Short timings for the test; the chart's own values (render.values.*) as the model file names them. */
const SET = [
  'scan.enabled=false',
  // The chart's own image value follows image.repository (your registry, on your own cluster).
  `render.values.image.repository=${REGISTRY}/models/iris`,
  'decide.mode=auto',
  'canary.readinessTimeout=90s',
  'analysis.duration=10s',
  'analysis.postPromotion=5s',
  'render.values.replicaCount=1',
  'render.values.resources.requests.cpu=10m',
  'render.values.resources.requests.memory=64Mi',
  'render.values.resources.limits.memory=256Mi',
  'render.values.probes.readinessPeriodSeconds=1',
];

const releaseOf = (tag: string, set: string[]): Promise<ReleaseRun> =>
  exampleCommand(ns, { command: 'release', config: CONFIG, imageTag: `e2e-own-chart-${tag}-${stamp}`, set: [...SET, ...set] });
const version = (v: string, variant: string): string[] => [`model.version="${v}"`, `render.values.model.version="${v}"`, `image.buildArgs.VARIANT=${variant}`];

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);
const configMap = (name: string): Promise<{ data: Record<string, string> } | undefined> => getJson(ns, ['configmap', name]);

interface Stable {
  image: string | undefined;
  checksum: string | undefined;
}
async function stable(): Promise<Stable> {
  const d = await kubectlJson<{ spec: { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: { image: string }[] } } } }>([
    '-n',
    ns,
    'get',
    'deployment',
    'iris',
  ]);
  return { image: d.spec.template.spec.containers[0]?.image, checksum: d.spec.template.metadata.annotations?.['checksum/config'] };
}

/** The Service's Ready endpoints and ports (name:port), from its EndpointSlices (read as admin). */
async function serviceEndpoints(service: string): Promise<{ ready: number; ports: string[] }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = await kubectlJson<{ items: { endpoints?: { conditions?: { ready?: boolean } }[]; ports?: { name?: string; port?: number }[] }[] }>([
      '-n',
      ns,
      'get',
      'endpointslices',
      '-l',
      `kubernetes.io/service-name=${service}`,
    ]);
    const ready = list.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true).length;
    const ports = [...new Set(list.items.flatMap((s) => s.ports ?? []).map((p) => `${p.name ?? ''}:${p.port ?? 0}`))];
    if (ready > 0 || Date.now() > deadline) return { ready, ports };
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** After every run: no canary Deployment and no canary ConfigMap copy left. */
async function expectNoCanary(): Promise<void> {
  expect(await deployment('iris-canary')).toBeUndefined();
  expect(await configMap('iris-server-config-canary')).toBeUndefined();
}

beforeAll(async () => {
  ({ restore } = await asServiceAccount(ns));
}, 300_000);

afterAll(async () => {
  await restore?.();
});

describe('your own chart (examples/own-chart)', () => {
  it('releases v1, promotes v2, rolls back a crashing v2, then restores v1 with command rollback', async () => {
    const timings: string[] = [];
    const timed = (what: string, run: ReleaseRun): ReleaseRun => {
      timings.push(`${what} ${((run.endedAt - run.startedAt) / 1000).toFixed(1)}s`);
      return run;
    };

    // v1: no Deployment iris yet, so the whole chart is applied as stable and gated.
    const v1 = timed('v1', await releaseOf('v1', [...version('1.0.0', 'v1'), 'smoke.enabled=false']));
    expect(v1.code, v1.host.log).toBe(0);
    expect(v1.host.outputs?.verdict).toBe('promoted');
    expect(v1.host.log).toContain('this first release is deployed as stable and gated');
    const first = await stable();
    expect(first.image).toBe(v1.host.outputs?.image);
    expect(first.image).toMatch(/^127\.0\.0\.1:5000\/models\/iris@sha256:[0-9a-f]{64}$/);
    expect(first.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect((await configMap('iris-server-config'))?.data['MODEL_VERSION']).toBe('1.0.0');
    await expectNoCanary();
    // The chart's Service (targetPort web, the container's port by name) has the Ready pod at 8080; read from
    // its EndpointSlice, not through kube-proxy, which other tests on the cluster may be restarting.
    expect(await serviceEndpoints('iris-server')).toEqual({ ready: 1, ports: ['web:8080'] });

    // v2: a canary iris-canary beside stable, smoked and baked, then promoted: stable runs v2 and its new config.
    const v2 = timed('v2', await releaseOf('v2', [...version('2.0.0', 'v2'), 'smoke.enabled=true']));
    expect(v2.code, v2.host.log).toBe(0);
    expect(v2.host.outputs?.verdict).toBe('promoted');
    expect(v2.host.log).toContain('deploying iris-canary (1 pod(s)) beside it');
    expect(v2.host.log).toMatch(/Smoking \d+ case\(s\) on 1 canary pod\(s\) of iris-canary/);
    expect(v2.host.log).toMatch(/Removed the canary Deployment iris-canary and ConfigMap\(s\) iris-server-config-canary/);
    const second = await stable();
    expect(second.image).toBe(v2.host.outputs?.image);
    expect(second.image).not.toBe(first.image);
    expect(second.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(second.checksum).not.toBe(first.checksum);
    expect((await configMap('iris-server-config'))?.data['MODEL_VERSION']).toBe('2.0.0');
    await expectNoCanary();

    // A crashing v2 (MODEL_FAULT=crash through the chart's env value): its canary never gets Ready and is
    // rolled back; stable, its image and its config are untouched.
    const broken = timed('crashing v2', await releaseOf('broken', [...version('2.0.1', 'v2'), 'render.values.env.MODEL_FAULT=crash', 'smoke.enabled=true']));
    expect(broken.code).toBe(1);
    expect(broken.host.outputs?.verdict, broken.host.log).toBe('rolled-back');
    expect(await stable()).toEqual(second);
    expect((await configMap('iris-server-config'))?.data['MODEL_VERSION']).toBe('2.0.0');
    await expectNoCanary();

    // command rollback, revision previous: the last promoted revision running another image, v1. It restores
    // v1 as it ran: its whole pod template (image, version label, checksum/config) and its ConfigMap, from
    // the snapshot the history kept when v1 was promoted.
    const back = timed('rollback', await exampleCommand(ns, { command: 'rollback', config: CONFIG, set: SET }));
    expect(back.code, back.host.log).toBe(0);
    expect(back.host.outputs?.verdict).toBe('rolled-back');
    expect(back.host.log).toContain('pod template and ConfigMap(s) iris-server-config as well');
    const restored = await stable();
    expect(restored.image).toBe(first.image);
    expect(restored.checksum).toBe(first.checksum);
    expect((await configMap('iris-server-config'))?.data['MODEL_VERSION']).toBe('1.0.0');
    const live = await kubectlJson<{ metadata: { labels: Record<string, string> } }>(['-n', ns, 'get', 'deployment', 'iris']);
    expect(live.metadata.labels['app.kubernetes.io/version']).toBe('1.0.0');
    await expectNoCanary();
    expect(imageOf(await deployment('iris'))).toBe(first.image);
    console.log(`own chart: ${timings.join(', ')}`);
  }, 900_000);
});
