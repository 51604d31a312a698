import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/render/objects.js';
import { chartRenderError, chartValues, renderChart } from '../helpers/chart-render.js';
import { HELM } from '../fixtures/render/context.js';
import { removeTempDirs } from '../helpers/temp.js';

// The chart's batch workers (worker.enabled), rendered by the real helm: a worker Deployment beside the API that no
// Service, PDB or API selector picks, the queue's Redis by Secret reference for both, the drain, and the HPA on the
// jobs waiting.

afterAll(removeTempDirs);

interface Env {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Workload extends KubeObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { terminationGracePeriodSeconds: number; containers: { name: string; env: Env[]; readinessProbe: unknown; resources: unknown }[] };
    };
  };
}

const QUEUE = { secretName: 'iris-redis' };
const byName = (objects: KubeObject[], kind: string, name: string): Workload => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as Workload;
};
const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.skipIf(!existsSync(HELM))(`the chart's workers (helm ${HELM})`, () => {
  it('renders no worker and no queue variables by default', () => {
    const objects = renderChart(chartValues());
    expect(objects.filter((o) => o.metadata.name === 'iris-worker')).toEqual([]);
    const env = byName(objects, 'Deployment', 'iris').spec.template.spec.containers[0]?.env.map((e) => e.name);
    expect(env).not.toContain('REDIS_URL');
  });

  it('renders a worker Deployment that the Service, the PDB and the API Deployment do not select', () => {
    const objects = renderChart(chartValues({ queue: QUEUE, worker: { enabled: true, replicas: 2 } }));
    const worker = byName(objects, 'Deployment', 'iris-worker');
    const labels = worker.spec.template.metadata.labels;
    expect(labels).toMatchObject({ 'model-canary.dev/role': 'worker', 'app.kubernetes.io/component': 'worker', track: 'stable' });
    expect(worker.spec.replicas).toBe(2);
    expect(selects(worker.spec.selector.matchLabels, labels)).toBe(true);
    const service = objects.find((o) => o.kind === 'Service') as unknown as { spec: { selector: Record<string, string> } };
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget') as unknown as { spec: { selector: { matchLabels: Record<string, string> } } };
    const api = byName(objects, 'Deployment', 'iris');
    expect(selects(service.spec.selector, labels)).toBe(false);
    expect(selects(pdb.spec.selector.matchLabels, labels)).toBe(false);
    expect(selects(api.spec.selector.matchLabels, labels)).toBe(false);
    // ...while they still select the API's pods.
    expect(selects(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(1);
  });

  it('gives the API and the workers the queue by Secret reference, and the workers their mode and drain', () => {
    const objects = renderChart(chartValues({ queue: { ...QUEUE, urlKey: 'address', name: 'jobs:iris' }, worker: { enabled: true, drainTimeoutSeconds: 30 } }));
    const redis = [
      { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'iris-redis', key: 'address' } } },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'iris-redis', key: 'password' } } },
      { name: 'MODEL_QUEUE', value: 'jobs:iris' },
    ];
    const apiEnv = byName(objects, 'Deployment', 'iris').spec.template.spec.containers[0]?.env;
    const worker = byName(objects, 'Deployment', 'iris-worker').spec.template.spec;
    expect(apiEnv).toEqual(expect.arrayContaining(redis));
    expect(worker.containers[0]?.env).toEqual(
      expect.arrayContaining([...redis, { name: 'MODEL_MODE', value: 'worker' }, { name: 'DRAIN_TIMEOUT_SECONDS', value: '30' }]),
    );
    expect(apiEnv?.map((e) => e.name)).not.toContain('MODEL_MODE');
    expect(worker.terminationGracePeriodSeconds).toBeGreaterThan(30);
    expect(worker.containers[0]?.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
    expect(JSON.stringify(objects)).not.toMatch(/password"\s*:\s*"[^"]/); // references only, never a value
  });

  it('gives worker.env to the workers only, after env', () => {
    const objects = renderChart(
      chartValues({ queue: QUEUE, env: [{ name: 'LOG_LEVEL', value: 'info' }], worker: { enabled: true, env: [{ name: 'MODEL_FAULT', value: 'slow' }] } }),
    );
    const names = (name: string): string[] => byName(objects, 'Deployment', name).spec.template.spec.containers[0]?.env.map((e) => e.name) ?? [];
    expect(names('iris-worker')).toEqual(expect.arrayContaining(['LOG_LEVEL', 'MODEL_FAULT']));
    expect(names('iris-worker').indexOf('MODEL_FAULT')).toBeGreaterThan(names('iris-worker').indexOf('LOG_LEVEL'));
    expect(names('iris')).toContain('LOG_LEVEL');
    expect(names('iris')).not.toContain('MODEL_FAULT');
  });

  it("takes the API's resources unless it has its own", () => {
    const own = { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi' } };
    const worker = (extra: Record<string, unknown>): unknown =>
      byName(renderChart(chartValues({ queue: QUEUE, worker: { enabled: true, ...extra } })), 'Deployment', 'iris-worker').spec.template.spec.containers[0]
        ?.resources;
    expect(worker({})).toEqual(chartValues()['resources']);
    expect(worker({ resources: own })).toEqual(own);
  });

  it("scales stable's workers on the jobs waiting in stable's list, and leaves their replicas to the HPA", () => {
    const objects = renderChart(chartValues({ queue: QUEUE, worker: { enabled: true, autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 4 } } }));
    expect(byName(objects, 'Deployment', 'iris-worker').spec.replicas).toBeUndefined();
    const hpa = byName(objects, 'HorizontalPodAutoscaler', 'iris-worker') as unknown as { spec: Record<string, unknown> };
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'iris-worker' },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [
        {
          type: 'External',
          external: {
            metric: { name: 'model_jobs_waiting', selector: { matchLabels: { model: 'iris', track: 'stable' } } },
            target: { type: 'AverageValue', averageValue: '5' },
          },
        },
      ],
    });
  });

  it('refuses a worker without a queue, and bounds the wrong way round', () => {
    expect(chartRenderError(chartValues({ worker: { enabled: true } }))).toContain('worker.enabled needs queue.secretName');
    expect(
      chartRenderError(chartValues({ queue: QUEUE, worker: { enabled: true, autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 2 } } })),
    ).toContain('worker.autoscaling.maxReplicas must be at least worker.autoscaling.minReplicas');
    expect(chartRenderError(chartValues({ queue: { secretName: 'Not A Name' } }))).toContain('/queue/secretName');
  });
});
