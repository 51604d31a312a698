import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CANARY_CONFIGMAPS, cleanForApply, planDeploy, promotedStable, repositoryOf, stableWithImage } from '../../src/deploy/canary-plan.js';
import type { KubeObject } from '../../src/kube/client.js';
import type { Deployment } from '../../src/deploy/types.js';

// The canary plan on objects the builtin chart really rendered (helm template, test/fixtures/deploy/README.md).

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'deploy');
const IMAGE = `127.0.0.1:5000/models/iris@sha256:${'1'.repeat(64)}`;
const load = (file: string): KubeObject[] =>
  parseAllDocuments(readFileSync(path.join(FIXTURES, file), 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
const cpu = load('chart-cpu.yaml');
const hpa = load('chart-hpa.yaml');
const find = <T extends KubeObject>(objects: KubeObject[], kind: string, name?: string): T => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found as T;
};

describe('planDeploy', () => {
  it('deploys everything as stable when there is no stable Deployment yet', () => {
    const plan = planDeploy({ objects: cpu, image: IMAGE, namespace: 'models', canaryReplicas: 1, canaryWeight: 10, stableExists: false });
    expect(plan.mode).toBe('first');
    expect(plan.gated).toBe('iris');
    expect(plan.apply.map((o) => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Service', 'Deployment', 'PodDisruptionBudget', 'NetworkPolicy']);
    expect(find<Deployment>(plan.apply, 'Deployment').spec.replicas).toBe(2);
  });

  it('makes a canary Deployment with its own name, track label, pod count and ConfigMap copy; stable untouched', () => {
    const plan = planDeploy({ objects: cpu, image: IMAGE, namespace: 'models', canaryReplicas: 1, canaryWeight: 10, stableExists: true });
    expect(plan.mode).toBe('canary');
    expect(plan.apply.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/iris-settings-canary', 'Deployment/iris-canary']);
    const canary = find<Deployment>(plan.apply, 'Deployment');
    expect(canary.spec.replicas).toBe(1);
    expect(canary.metadata.labels?.['track']).toBe('canary');
    expect(canary.spec.selector.matchLabels).toMatchObject({ 'app.kubernetes.io/name': 'iris', track: 'canary' });
    expect(canary.spec.template.metadata?.labels?.['track']).toBe('canary');
    expect(canary.metadata.annotations?.[CANARY_CONFIGMAPS]).toBe('iris-settings');
    expect(JSON.stringify(canary.spec.template)).toContain('"iris-settings-canary"');
    expect(canary.spec.template.spec?.containers?.[0]?.image).toBe(IMAGE);
    // The Service selects both tracks: it is shared, not applied by the canary.
    const service = find(cpu, 'Service');
    expect((service['spec'] as { selector: Record<string, string> }).selector).not.toHaveProperty('track');
    expect(plan.shared.map((o) => o.kind)).toContain('Service');
    // The rendered objects are data the plan never changes.
    expect(find<Deployment>(cpu, 'Deployment').metadata.name).toBe('iris');
  });

  it('never sets replicas on a Deployment an HPA scales, and keeps the canary out of the HPA', () => {
    const first = planDeploy({
      objects: hpa,
      image: IMAGE.replace('iris', 'churn'),
      namespace: 'models',
      canaryReplicas: 1,
      canaryWeight: 10,
      stableExists: false,
    });
    expect(first.hpaManaged).toBe(true);
    expect(find<Deployment>(first.apply, 'Deployment').spec).not.toHaveProperty('replicas');
    const canary = planDeploy({
      objects: hpa,
      image: IMAGE.replace('iris', 'churn'),
      namespace: 'models',
      canaryReplicas: 2,
      canaryWeight: 10,
      stableExists: true,
    });
    expect(find<Deployment>(canary.apply, 'Deployment').spec.replicas).toBe(2);
    expect(canary.apply.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('fails with a clear message when no Deployment runs the image', () => {
    const objects = cpu.filter((o) => o.kind !== 'Deployment');
    expect(() => planDeploy({ objects, image: IMAGE, namespace: 'models', canaryReplicas: 1, canaryWeight: 10, stableExists: true })).toThrow(
      /exactly one Deployment running/,
    );
  });
});

describe('promotedStable', () => {
  const rendered = find<Deployment>(cpu, 'Deployment');
  const live = (d: Deployment): Deployment => ({
    ...structuredClone(d),
    metadata: {
      ...d.metadata,
      uid: 'u',
      resourceVersion: '9',
      generation: 3,
      annotations: { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': '3' },
      managedFields: [],
    },
    status: { observedGeneration: 3, replicas: 2 },
  });

  it("runs the canary's template with the stable track, the original ConfigMap names and the new version", () => {
    const plan = planDeploy({ objects: cpu, image: IMAGE, namespace: 'models', canaryReplicas: 1, canaryWeight: 10, stableExists: true });
    const canary = find<Deployment>(plan.apply, 'Deployment');
    const newImage = IMAGE.replace(/1+$/, '2'.repeat(64));
    canary.spec.template.spec!.containers![0]!.image = newImage;
    canary.metadata.labels = { ...canary.metadata.labels, 'app.kubernetes.io/version': '2.0.0' };
    const stable = promotedStable(live(rendered), live(canary), false);
    expect(stable.metadata.name).toBe('iris');
    expect(stable.metadata.labels?.['app.kubernetes.io/version']).toBe('2.0.0');
    expect(stable.spec.replicas).toBe(2);
    expect(stable.spec.selector.matchLabels?.['track']).toBe('stable');
    expect(stable.spec.template.metadata?.labels?.['track']).toBe('stable');
    expect(stable.spec.template.spec?.containers?.[0]?.image).toBe(newImage);
    expect(JSON.stringify(stable)).not.toContain('settings-canary');
    expect(stable).not.toHaveProperty('status');
    expect(stable.metadata).not.toHaveProperty('resourceVersion');
    expect(stable.metadata).not.toHaveProperty('managedFields');
    expect(promotedStable(live(rendered), live(canary), true).spec).not.toHaveProperty('replicas');
  });

  it('stableWithImage sets the model container by repository and the version label', () => {
    const old = `127.0.0.1:5000/models/iris@sha256:${'0'.repeat(64)}`;
    const stable = stableWithImage(live(rendered), old, '0.9.0', false);
    expect(stable.spec.template.spec?.containers?.[0]?.image).toBe(old);
    expect(stable.metadata.labels?.['app.kubernetes.io/version']).toBe('0.9.0');
    expect(cleanForApply(live(rendered)).metadata.annotations ?? {}).not.toHaveProperty('deployment.kubernetes.io/revision');
  });

  it('repositoryOf handles registries with ports, tags and digests', () => {
    expect(repositoryOf('127.0.0.1:5000/models/iris@sha256:abc')).toBe('127.0.0.1:5000/models/iris');
    expect(repositoryOf('127.0.0.1:5000/models/iris:v1')).toBe('127.0.0.1:5000/models/iris');
    expect(repositoryOf('127.0.0.1:5000/models/iris')).toBe('127.0.0.1:5000/models/iris');
  });
});
