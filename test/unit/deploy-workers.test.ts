import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CANARY_WORKERS, canaryWorkersOf, planDeploy, promotedStable, stableWorkerFrom, withoutCanaryWeight } from '../../src/deploy/canary-plan.js';
import type { Deployment } from '../../src/deploy/types.js';
import type { KubeObject } from '../../src/kube/client.js';
import { HELM } from '../fixtures/render/context.js';
import { chartValues, DIGEST, renderChart } from '../helpers/chart-render.js';
import { removeTempDirs } from '../helpers/temp.js';

// The canary plan with batch workers, on objects the real chart renders (worker.enabled): the worker Deployment is
// not the model's; a canary release adds a canary worker told the canary's weight; the stable workers wait for
// the promotion, which gives them the canary worker's template without the weight.

afterAll(removeTempDirs);

const IMAGE = `127.0.0.1:5000/models/iris@${DIGEST}`;
const deployment = (objects: readonly KubeObject[], name: string): Deployment => {
  const found = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  if (!found) throw new Error(`no Deployment ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as Deployment;
};
const env = (d: Deployment): { name: string; value?: string }[] => d.spec.template.spec?.containers?.[0]?.env ?? [];
const plan = (objects: KubeObject[], stableExists: boolean, weight = 25): ReturnType<typeof planDeploy> =>
  planDeploy({ objects, image: IMAGE, namespace: 'models', canaryReplicas: 1, canaryWeight: weight, stableExists });

describe.skipIf(!existsSync(HELM))('the canary plan with batch workers (the chart rendered by helm)', () => {
  const objects = renderChart(chartValues({ queue: { secretName: 'iris-redis' }, worker: { enabled: true, replicas: 2 } }));
  const scaled = renderChart(chartValues({ queue: { secretName: 'iris-redis' }, worker: { enabled: true, autoscaling: { enabled: true } } }));

  it('takes the API Deployment as the model, not the worker that runs the same image', () => {
    const first = plan(objects, false);
    expect(first.stable).toBe('iris');
    expect(first.gatedWorkers).toEqual(['iris-worker']);
    expect(first.apply.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['iris', 'iris-worker']);
    expect(deployment(first.apply, 'iris-worker').spec.replicas).toBe(2);
  });

  it('leaves the replicas of an HPA-scaled worker to its HPA on a first release', () => {
    expect(deployment(plan(scaled, false).apply, 'iris-worker').spec.replicas).toBeUndefined();
  });

  it('adds a canary worker with the canary: its own name, track canary, the weight, and listed on the canary', () => {
    const canary = plan(objects, true);
    expect(canary.apply.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['iris-canary', 'iris-worker-canary']);
    expect(canary.gatedWorkers).toEqual(['iris-worker-canary']);
    const worker = deployment(canary.apply, 'iris-worker-canary');
    expect(worker.spec.replicas).toBe(1);
    expect(worker.spec.selector.matchLabels).toMatchObject({ track: 'canary', 'app.kubernetes.io/instance': 'iris-worker' });
    expect(worker.spec.template.metadata?.labels).toMatchObject({ track: 'canary', 'model-canary.dev/role': 'worker' });
    expect(env(worker)).toContainEqual({ name: 'MODEL_CANARY_WEIGHT', value: '25' });
    expect(env(worker)).toContainEqual({ name: 'MODEL_MODE', value: 'worker' });
    // Its settings ConfigMap is the canary's copy, as the canary API's.
    expect(worker.spec.template.spec?.containers?.[0]?.envFrom).toEqual([{ configMapRef: { name: 'iris-settings-canary' } }]);
    expect(canaryWorkersOf(deployment(canary.apply, 'iris-canary'))).toEqual(['iris-worker-canary']);
    expect(env(deployment(canary.apply, 'iris-canary')).map((e) => e.name)).not.toContain('MODEL_CANARY_WEIGHT');
  });

  it("never applies stable's workers in a canary run, nor lists them with what promote applies", () => {
    const canary = plan(scaled, true);
    expect(canary.apply.map((o) => o.metadata.name)).not.toContain('iris-worker');
    expect(canary.shared.filter((o) => o.kind === 'Deployment')).toEqual([]);
    expect(canary.shared.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual(['iris-worker']);
  });

  it('has no canary workers and lists none on a canary without workers', () => {
    const plain = plan(renderChart(chartValues()), true);
    expect(plain.gatedWorkers).toEqual([]);
    expect(deployment(plain.apply, 'iris-canary').metadata.annotations?.[CANARY_WORKERS]).toBeUndefined();
  });

  it("promotes stable's workers to the canary worker's template, without the weight, keeping their name, selector and track", () => {
    const stableWorker = deployment(plan(objects, false).apply, 'iris-worker');
    const canaryWorker = deployment(plan(objects, true, 40).apply, 'iris-worker-canary');
    canaryWorker.spec.template.metadata = {
      ...canaryWorker.spec.template.metadata,
      labels: { ...canaryWorker.spec.template.metadata?.labels, 'app.kubernetes.io/version': '2.0.0' },
    };
    const promoted = promotedStable(stableWorker, withoutCanaryWeight(canaryWorker), false);
    expect(promoted.metadata.name).toBe('iris-worker');
    expect(promoted.spec.selector).toEqual(stableWorker.spec.selector);
    expect(promoted.spec.template.metadata?.labels).toMatchObject({ track: 'stable', 'app.kubernetes.io/version': '2.0.0' });
    expect(env(promoted).map((e) => e.name)).not.toContain('MODEL_CANARY_WEIGHT');
    expect(promoted.spec.template.spec?.containers?.[0]?.envFrom).toEqual([{ configMapRef: { name: 'iris-settings' } }]);
    expect(promotedStable(stableWorker, withoutCanaryWeight(canaryWorker), true).spec.replicas).toBeUndefined();
  });

  it('makes the stable worker from the canary worker when stable had none yet', () => {
    const canaryWorker = deployment(plan(objects, true).apply, 'iris-worker-canary');
    const stable = stableWorkerFrom(canaryWorker);
    expect(stable.metadata.name).toBe('iris-worker');
    expect(stable.spec.selector.matchLabels).toMatchObject({ track: 'stable' });
    expect(stable.metadata.annotations?.['model-canary.dev/canary-of']).toBeUndefined();
    expect(env(stable).map((e) => e.name)).not.toContain('MODEL_CANARY_WEIGHT');
  });
});
