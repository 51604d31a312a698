import { describe, expect, it } from 'vitest';
import { injectImage, targetReference } from '../../src/render/inject.js';
import type { KubeObject } from '../../src/render/objects.js';
import { DIGEST, OTHER_DIGEST } from '../fixtures/render/context.js';

const REPO = 'registry.example:5000/team/iris';
const PINNED = `${REPO}@${DIGEST}`;

const deployment = (containers: object[], initContainers: object[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'iris' },
  spec: { template: { spec: { initContainers, containers } } },
});

describe('injectImage', () => {
  it.each([
    ['a tag', `${REPO}:0.9`],
    ['no tag', REPO],
    ['another digest', `${REPO}@${OTHER_DIGEST}`],
    ['a tag and another digest', `${REPO}:0.9@${OTHER_DIGEST}`],
    ['the same digest', PINNED],
  ])('sets the digest on the model image written with %s (a registry with a port)', (_name, image) => {
    const result = injectImage([deployment([{ name: 'server', image }])], { repository: REPO, digest: DIGEST });
    expect((result.objects[0]?.['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image).toBe(PINNED);
    expect(result.replaced).toEqual([{ object: 'Deployment/iris', field: 'spec.template.spec.containers[0].image', image, now: PINNED }]);
  });

  it('covers init containers, leaves other images alone, and does not change its input', () => {
    const input = deployment(
      [
        { name: 'server', image: `${REPO}:1` },
        { name: 'proxy', image: 'registry.example:5000/team/proxy:1' },
      ],
      [{ name: 'fetch', image: `${REPO}:1` }],
    );
    const before = structuredClone(input);
    const result = injectImage([input], { repository: REPO, digest: DIGEST });
    expect(input).toEqual(before);
    expect(result.replaced.map((r) => r.field)).toEqual(['spec.template.spec.initContainers[0].image', 'spec.template.spec.containers[0].image']);
    expect(result.others).toEqual([
      { object: 'Deployment/iris', field: 'spec.template.spec.containers[1].image', image: 'registry.example:5000/team/proxy:1' },
    ]);
  });

  it('does not take a repository that only starts the same, another registry, or another port for the model', () => {
    const images = [`${REPO}-canary:1`, 'registry.example:5001/team/iris:1', 'other.example/team/iris:1', 'team/iris:1', '{{ .Values.image }}'];
    const result = injectImage([deployment(images.map((image, i) => ({ name: `c${i}`, image })))], { repository: REPO, digest: DIGEST });
    expect(result.replaced).toEqual([]);
    expect(result.others.map((o) => o.image)).toEqual(images);
  });

  it('finds containers in any object: CronJobs, Pods, InferenceServices, custom workloads', () => {
    const objects: KubeObject[] = [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'nightly' },
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: REPO }] } } } } },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: `${REPO}:x` }], ephemeralContainers: [{ name: 'debug', image: `${REPO}:x` }] },
      },
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'iris' },
        spec: { predictor: { containers: [{ name: 'kserve-container', image: `${REPO}:x` }] } },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'iris' },
        spec: { template: { spec: { containers: [{ name: 'c', image: `${REPO}:x` }] } } },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-a-container' }, data: { image: `${REPO}:x` } },
    ];
    const result = injectImage(objects, { repository: REPO, digest: DIGEST });
    expect(result.replaced.map((r) => `${r.object} ${r.field}`)).toEqual([
      'CronJob/nightly spec.jobTemplate.spec.template.spec.containers[0].image',
      'Pod/p spec.containers[0].image',
      'Pod/p spec.ephemeralContainers[0].image',
      'InferenceService/iris spec.predictor.containers[0].image',
      'Rollout/iris spec.template.spec.containers[0].image',
    ]);
    expect((result.objects[4] as KubeObject & { data: { image: string } }).data.image).toBe(`${REPO}:x`);
  });

  it('uses the tag when there is no digest', () => {
    expect(targetReference({ repository: REPO, tag: 'abc' })).toBe(`${REPO}:abc`);
    expect(targetReference({ repository: REPO, digest: DIGEST, tag: 'abc' })).toBe(PINNED);
    const result = injectImage([deployment([{ name: 'server', image: `${REPO}:old` }])], { repository: REPO, tag: 'abc' });
    expect(result.replaced[0]?.now).toBe(`${REPO}:abc`);
  });
});
