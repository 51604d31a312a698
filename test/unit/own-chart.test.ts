import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { CANARY_CONFIGMAPS, CANARY_OF, planDeploy } from '../../src/deploy/canary-plan.js';
import type { Deployment } from '../../src/deploy/types.js';
import { policyFailure, render } from '../../src/render/index.js';
import type { KubeObject } from '../../src/render/objects.js';
import { DIGEST, PINNED_PATH, stageContext } from '../fixtures/render/context.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

// The example of your own chart (examples/own-chart, docs/your-own-chart.md) through the product's render
// stage with the real pinned helm (render.mode chart), then the canary plan of the replicas strategy: what
// the doc says is accepted, derived and refused, on the objects the chart really renders.

const outputs: string[] = [];
afterAll(() => {
  for (const dir of outputs) rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const REPOSITORY = '127.0.0.1:5000/models/iris';
const IMAGE = `${REPOSITORY}@${DIGEST}`;

/** examples/own-chart/model-canary.yaml as the CLI loads it from the repository root, with overrides. */
function exampleConfig(set: string[] = []): Config {
  const out = tempDir('own-chart-out-');
  return loadConfig(
    { ...DEFAULT_INPUTS, command: 'render', config: 'examples/own-chart/model-canary.yaml', namespace: 'models', set },
    { workspace: REPO_ROOT, tempDir: out, searchPath: PINNED_PATH, commitSha: 'a'.repeat(40) },
  );
}

/** The render stage: helm template of the chart, the image injected by digest, the policy checked. */
async function renderExample(set: string[] = []): Promise<{ config: Config; objects: KubeObject[]; injected: string[]; error: string | undefined }> {
  // render.output must be in the workspace: a folder of its own under the ignored .model-canary/.
  const dir = `.model-canary/unit-own-chart-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  outputs.push(path.join(REPO_ROOT, dir));
  const config = exampleConfig([`render.output=${dir}/rendered.yaml`, ...set]);
  const { ctx } = stageContext();
  const result = await render(config, { reference: IMAGE, digest: DIGEST }, ctx);
  return { config, objects: result.objects, injected: result.injected, error: policyFailure(result, config)?.message };
}

const byKind = (objects: readonly KubeObject[], kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);
const deploymentOf = (objects: readonly KubeObject[]): Deployment => byKind(objects, 'Deployment')[0] as Deployment;
const checksum = (d: Deployment): string | undefined => d.spec.template.metadata?.annotations?.['checksum/config'];

async function refusal(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected a refusal');
}

describe('examples/own-chart rendered by model-canary', () => {
  it('renders a ConfigMap, a Service and one Deployment, the image set by digest, and passes the policy', async () => {
    const { objects, injected, error } = await renderExample();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/iris-server-config', 'Deployment/iris', 'Service/iris-server']);
    expect(error).toBeUndefined();
    // Only the model's container: its tag (set-by-model-canary) replaced by the built digest.
    expect(injected).toEqual(['Deployment/iris spec.template.spec.containers[0].image']);
    const d = deploymentOf(objects);
    expect(d.spec.template.spec?.containers?.[0]?.image).toBe(IMAGE);
    expect(d.spec.selector.matchLabels).toEqual({ app: 'iris', component: 'server', track: 'stable' });
    const service = byKind(objects, 'Service')[0] as KubeObject & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } };
    expect(service.spec.selector).toEqual({ app: 'iris', component: 'server' });
    expect(service.spec.ports[0]?.targetPort).toBe('web');
    expect(checksum(d)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the checksum/config annotation when the config changes, and only then', async () => {
    const v1 = deploymentOf((await renderExample()).objects);
    const again = deploymentOf((await renderExample()).objects);
    const v2 = deploymentOf((await renderExample(['render.values.model.version="2.0.0"'])).objects);
    const env = deploymentOf((await renderExample(['render.values.env.MODEL_FAULT=crash'])).objects);
    expect(checksum(again)).toBe(checksum(v1));
    expect(checksum(v2)).not.toBe(checksum(v1));
    // env is the container's, not the ConfigMap's: the pods change, the checksum does not.
    expect(checksum(env)).toBe(checksum(v1));
    expect(env.spec.template.spec?.containers?.[0]?.env).toContainEqual({ name: 'MODEL_FAULT', value: 'crash' });
  });

  it('derives the canary as the doc says: <deployment>-canary, track canary, canary.replicas, its own ConfigMap copy; Service and ConfigMap wait for promotion', async () => {
    const { config, objects } = await renderExample(['render.values.model.version="2.0.0"']);
    const plan = planDeploy({
      objects,
      image: IMAGE,
      namespace: config.cluster.namespace,
      canaryReplicas: config.canary.replicas,
      canaryWeight: 10,
      stableExists: true,
    });
    expect(plan.mode).toBe('canary');
    expect(plan.stable).toBe('iris');
    expect(plan.gated).toBe('iris-canary');
    expect(plan.apply.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/iris-server-config-canary', 'Deployment/iris-canary']);
    expect(plan.shared.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/iris-server-config', 'Service/iris-server']);

    const canary = plan.apply[1] as Deployment;
    expect(canary.spec.replicas).toBe(1);
    expect(canary.metadata.labels?.['track']).toBe('canary');
    expect(canary.metadata.annotations?.[CANARY_OF]).toBe('iris');
    expect(canary.metadata.annotations?.[CANARY_CONFIGMAPS]).toBe('iris-server-config');
    expect(canary.spec.selector.matchLabels).toEqual({ app: 'iris', component: 'server', track: 'canary' });
    expect(canary.spec.template.metadata?.labels).toMatchObject({ app: 'iris', component: 'server', track: 'canary', 'app.kubernetes.io/version': '2.0.0' });
    const container = canary.spec.template.spec?.containers?.[0];
    expect(container?.image).toBe(IMAGE);
    expect(container?.envFrom).toEqual([{ configMapRef: { name: 'iris-server-config-canary' } }]);
    expect(checksum(canary)).toBe(checksum(deploymentOf(objects)));
    const copy = plan.apply[0] as KubeObject & { data: Record<string, string> };
    expect(copy.metadata.labels?.['track']).toBe('canary');
    expect(copy.data['MODEL_VERSION']).toBe('2.0.0');
    // The Service selects no track: it reaches both the stable and the canary pods.
    const podLabels = canary.spec.template.metadata?.labels ?? {};
    const service = plan.shared[1] as KubeObject & { spec: { selector: Record<string, string> } };
    expect(Object.entries(service.spec.selector).every(([k, v]) => podLabels[k] === v)).toBe(true);
  });

  it('applies everything as stable on a first release (no Deployment iris yet)', async () => {
    const { config, objects } = await renderExample();
    const plan = planDeploy({ objects, image: IMAGE, namespace: config.cluster.namespace, canaryReplicas: 1, canaryWeight: 10, stableExists: false });
    expect(plan.mode).toBe('first');
    expect(plan.gated).toBe('iris');
    expect(plan.apply.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/iris-server-config', 'Service/iris-server', 'Deployment/iris']);
    expect((plan.apply[2] as Deployment).spec.replicas).toBe(2);
    expect(plan.apply.every((o) => o.metadata.namespace === 'models')).toBe(true);
  });
});

describe('what model-canary refuses of your chart', () => {
  it('a chart whose containers do not run image.repository', async () => {
    const message = await refusal(() => renderExample(['render.values.image.repository=registry.example.com/other/server']));
    expect(message).toBe(
      "No container in your chart examples/own-chart runs the model's image 127.0.0.1:5000/models/iris; the images are:\n  - Deployment/iris spec.template.spec.containers[0].image: registry.example.com/other/server:set-by-model-canary.",
    );
  });

  it('two Deployments running the model image (the replicas strategy needs exactly one)', async () => {
    const { config, objects } = await renderExample();
    const second = structuredClone(deploymentOf(objects));
    second.metadata.name = 'iris-shadow';
    const message = await refusal(async () =>
      planDeploy({ objects: [...objects, second], image: IMAGE, namespace: config.cluster.namespace, canaryReplicas: 1, canaryWeight: 10, stableExists: true }),
    );
    expect(message).toBe(
      `The strategy replicas needs exactly one Deployment running ${IMAGE} among the rendered objects; found 2 (Deployments: iris, iris-shadow).`,
    );
  });

  it('a pod that runs as root, or a container without requests (policy rules at level error)', async () => {
    const root = await renderExample(['render.values.runAsUser=0']);
    expect(root.error).toBe(
      'The rendered objects break 1 policy rule(s):\n  - runAsRoot: Deployment/iris spec.template.spec.securityContext.runAsUser: container "server" runs as root (runAsUser 0); run as a non-zero user id and set runAsNonRoot: true.',
    );
    const bare = await renderExample(['render.values.resources.requests=null']);
    expect(bare.error).toContain(
      'missingResources: Deployment/iris spec.template.spec.containers[0].resources: container "server" has no requests.cpu, requests.memory;',
    );
  });

  it('a Service that selects track is not refused: it then reaches the stable pods only', async () => {
    // Nothing in render/ or deploy/ checks a Service's selector in the replicas strategy (docs/your-own-chart.md).
    const { config, objects } = await renderExample();
    const service = objects.find((o) => o.kind === 'Service') as KubeObject & { spec: { selector: Record<string, string> } };
    service.spec.selector = { ...service.spec.selector, track: 'stable' };
    const plan = planDeploy({ objects, image: IMAGE, namespace: config.cluster.namespace, canaryReplicas: 1, canaryWeight: 10, stableExists: true });
    expect(plan.gated).toBe('iris-canary');
  });
});
