import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  canaryInferenceService,
  firstInferenceService,
  inCanary,
  predictorImage,
  PREVIOUS_PREDICTOR,
  promotedInferenceService,
  rawDeployment,
  renderedInferenceService,
  rollbackInferenceServices,
  type InferenceService,
} from '../../src/deploy/kserve/plan.js';
import type { KubeObject } from '../../src/kube/client.js';
import { userMessageOf } from '../helpers/thrown.js';

// The object changes of strategy kserve, on InferenceService objects in the shape KServe writes them.
// No KServe controller runs here: test/fixtures/deploy/kserve/README.md says how the fixtures were made.

const ROOT = path.join(import.meta.dirname, '..', 'fixtures');
const isvc = (file: string): InferenceService => parse(readFileSync(path.join(ROOT, 'deploy', 'kserve', file), 'utf8')) as InferenceService;
const golden = parseAllDocuments(readFileSync(path.join(ROOT, 'render', 'golden', 'kserve.expected.yaml'), 'utf8'))
  .map((d) => d.toJS() as KubeObject | null)
  .filter((o): o is KubeObject => o !== null);
const IMG = (d: string): string => `127.0.0.1:5000/models/sentiment@sha256:${d.repeat(64)}`;
const userMessage = userMessageOf;

/** The rendered InferenceService of a new release: the stable one's spec with another image, no status. */
const rendered = (image: string): InferenceService => {
  const o = isvc('stable.yaml');
  const r: InferenceService = {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: 'sentiment', labels: o.metadata.labels ?? {} },
    spec: structuredClone(o.spec),
  };
  const c = r.spec.predictor.containers?.[0];
  if (c) c.image = image;
  return r;
};

describe('renderedInferenceService', () => {
  it('finds the one InferenceService the builtin chart renders in kserve mode', () => {
    expect(renderedInferenceService(golden).metadata.name).toBe('sentiment');
  });
  it('says what to render when there is none', () => {
    expect(userMessage(() => renderedInferenceService(golden.filter((o) => o.kind !== 'InferenceService')))).toMatch(
      /exactly one InferenceService .* found 0[\s\S]*render.mode kserve/,
    );
  });
  it('tells RawDeployment (no revisions, no canary split) from Serverless', () => {
    expect(rawDeployment(renderedInferenceService(golden))).toBe(true);
    expect(rawDeployment(isvc('stable.yaml'))).toBe(false);
  });
});

describe('canaryInferenceService', () => {
  it('sets the new predictor with canaryTrafficPercent and keeps what stable ran in an annotation', () => {
    const live = isvc('stable.yaml');
    const desired = canaryInferenceService(rendered(IMG('2')), live, 10, 'models');
    expect(desired.spec.predictor.canaryTrafficPercent).toBe(10);
    expect(predictorImage(desired.spec.predictor)).toBe(IMG('2'));
    expect(desired.metadata.namespace).toBe('models');
    const previous = JSON.parse(desired.metadata.annotations?.[PREVIOUS_PREDICTOR] ?? '{}') as InferenceService['spec']['predictor'];
    expect(predictorImage(previous)).toBe(IMG('1'));
    expect(previous).toEqual(live.spec.predictor);
    expect(desired).not.toHaveProperty('status');
    expect(inCanary(desired)).toBe(true);
  });

  it('keeps the annotation of a canary already in place: it still names what stable runs', () => {
    const held = isvc('canary-ready.yaml');
    const desired = canaryInferenceService(rendered(IMG('4')), held, 25, 'models');
    expect(desired.metadata.annotations?.[PREVIOUS_PREDICTOR]).toBe(held.metadata.annotations?.[PREVIOUS_PREDICTOR]);
    expect(predictorImage(JSON.parse(desired.metadata.annotations?.[PREVIOUS_PREDICTOR] ?? '{}') as InferenceService['spec']['predictor'])).toBe(IMG('1'));
    expect(desired.spec.predictor.canaryTrafficPercent).toBe(25);
  });

  it('a first release has no canaryTrafficPercent', () => {
    const r = rendered(IMG('1'));
    r.spec.predictor.canaryTrafficPercent = 50;
    const first = firstInferenceService(r, 'models');
    expect(first.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(r.spec.predictor.canaryTrafficPercent).toBe(50);
  });
});

describe('promotedInferenceService', () => {
  it('removes canaryTrafficPercent and the annotation, keeps the new predictor, drops status and server fields', () => {
    const promoted = promotedInferenceService(isvc('canary-ready.yaml'));
    expect(promoted.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(predictorImage(promoted.spec.predictor)).toBe(IMG('2'));
    expect(promoted.metadata.annotations).toBeUndefined();
    expect(Object.keys(promoted.metadata).sort()).toEqual(['labels', 'name', 'namespace']);
    expect(promoted).not.toHaveProperty('status');
    expect(inCanary(promoted)).toBe(false);
  });

  it('refuses when there is no canary', () => {
    expect(userMessage(() => promotedInferenceService(isvc('stable.yaml')))).toMatch(/no canary to promote[\s\S]*Deploy one first/);
  });
});

describe('rollbackInferenceServices', () => {
  it('pins all traffic to the previous revision with the previous predictor, then restores it without a canary', () => {
    const { pinned, restored } = rollbackInferenceServices(isvc('canary-ready.yaml'));
    expect(pinned.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(predictorImage(pinned.spec.predictor)).toBe(IMG('1'));
    expect(pinned.metadata.annotations?.[PREVIOUS_PREDICTOR]).toBeDefined();
    expect(restored.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(restored.spec.predictor).toEqual(isvc('stable.yaml').spec.predictor);
    expect(restored.metadata.annotations).toBeUndefined();
    expect(restored).not.toHaveProperty('status');
  });

  it('works the same from a failed canary and from one already pinned (a rollback run twice)', () => {
    for (const f of ['canary-failed-load.yaml', 'canary-image-missing.yaml', 'rollback-pinned.yaml']) {
      const { restored } = rollbackInferenceServices(isvc(f));
      expect(predictorImage(restored.spec.predictor)).toBe(IMG('1'));
    }
  });

  it('refuses without the annotation (no canary of ours) and says what to use instead', () => {
    expect(userMessage(() => rollbackInferenceServices(isvc('promoted.yaml')))).toMatch(
      /no model-canary.dev\/previous-predictor annotation[\s\S]*revision number/,
    );
    const broken = isvc('canary-ready.yaml');
    broken.metadata.annotations = { [PREVIOUS_PREDICTOR]: '{not json' };
    expect(userMessage(() => rollbackInferenceServices(broken))).toMatch(/is not JSON/);
  });
});
