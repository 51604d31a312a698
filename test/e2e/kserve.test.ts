import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canaryInferenceService,
  cleanIsvc,
  firstInferenceService,
  isvcPath,
  predictorImage,
  PREVIOUS_PREDICTOR,
  promotedInferenceService,
  rollbackInferenceServices,
  type InferenceService,
} from '../../src/deploy/kserve/index.js';
import type { KubeClient } from '../../src/kube/client.js';
import { kubectl, REPO_ROOT, uniqueName } from './cluster-env.js';
import { asServiceAccount, testConfig, testContext, type TestRun } from './deploy-env.js';

// Strategy kserve's Serverless-mode objects against the real API server, as the ServiceAccount of
// docs/rbac.yaml. Serverless mode needs Knative, which the test cluster does not run, so nothing here rolls
// out (Standard mode, against the running KServe controller, is test/e2e/kserve-standard.test.ts): the
// InferenceService CRD is KServe's own where cluster/kserve.sh installed it, else model-canary's minimal
// structural one (test/fixtures/render/kserve-inferenceservice-crd.yaml), and this checks what the API
// server does with the objects the strategy applies. Server-side apply with model-canary's field manager must really set
// canaryTrafficPercent for a canary and really remove it on promote and on the second step of a rollback
// (a field the manager owned and no longer sends is removed), and the RBAC rules must allow it. The
// condition handling is tested on InferenceService objects in KServe's shape in the unit tests.

const ns = uniqueName('e2e-kserve');
const CRD = path.join(REPO_ROOT, 'test', 'fixtures', 'render', 'kserve-inferenceservice-crd.yaml');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'deploy', 'kserve');
const IMG = (d: string): string => `127.0.0.1:5000/models/sentiment@sha256:${d.repeat(64)}`;
let crdWasThere = false;
let restore: (() => Promise<void>) | undefined;
let run: TestRun;
let client: KubeClient;
const FM = 'model-canary';

/** The InferenceService a render of this image gives (the fixture's spec, no status). */
function rendered(image: string): InferenceService {
  const o = cleanIsvc(parse(readFileSync(path.join(FIXTURES, 'stable.yaml'), 'utf8')) as InferenceService);
  o.metadata.namespace = ns;
  const c = o.spec.predictor.containers?.[0];
  if (c) c.image = image;
  return o;
}

const live = async (): Promise<InferenceService> => {
  const o = await client.get<InferenceService>(isvcPath(ns, 'sentiment'));
  if (!o) throw new Error('no InferenceService');
  return o;
};

beforeAll(async () => {
  crdWasThere = (await kubectl(['get', 'crd', 'inferenceservices.serving.kserve.io'], { allowFailure: true })).exitCode === 0;
  if (!crdWasThere) {
    await kubectl(['apply', '--server-side', '--field-manager=model-canary-e2e', '-f', CRD]);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/inferenceservices.serving.kserve.io']);
  }
  ({ restore } = await asServiceAccount(ns));
  run = testContext(testConfig('sentiment', ns));
  client = await run.ctx.kube.client();
}, 180_000);

afterAll(async () => {
  await run?.close();
  await restore?.();
  if (!crdWasThere) await kubectl(['delete', '-f', CRD, '--wait=false'], { allowFailure: true });
}, 180_000);

describe('strategy kserve objects on the real API server (no KServe controller)', () => {
  it('a first release, then a canary: canaryTrafficPercent set, what stable ran kept in an annotation', async () => {
    await client.apply(firstInferenceService(rendered(IMG('1')), ns), FM);
    const stable = await live();
    expect(stable.spec.predictor.canaryTrafficPercent).toBeUndefined();
    await client.apply(canaryInferenceService(rendered(IMG('2')), stable, 10, ns), FM);
    const canary = await live();
    expect(canary.spec.predictor.canaryTrafficPercent).toBe(10);
    expect(predictorImage(canary.spec.predictor)).toBe(IMG('2'));
    expect(predictorImage(JSON.parse(canary.metadata.annotations?.[PREVIOUS_PREDICTOR] ?? '{}') as InferenceService['spec']['predictor'])).toBe(IMG('1'));
  });

  it('promote removes canaryTrafficPercent and the annotation (server-side apply drops what we no longer send)', async () => {
    await client.apply(promotedInferenceService(await live()), FM);
    const promoted = await live();
    expect(promoted.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(promoted.metadata.annotations?.[PREVIOUS_PREDICTOR]).toBeUndefined();
    expect(predictorImage(promoted.spec.predictor)).toBe(IMG('2'));
  });

  it('rollback pins traffic with canaryTrafficPercent 0 on the previous predictor, then removes it', async () => {
    await client.apply(canaryInferenceService(rendered(IMG('3')), await live(), 25, ns), FM);
    const { pinned, restored } = rollbackInferenceServices(await live());
    await client.apply(pinned, FM);
    const p = await live();
    expect(p.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(predictorImage(p.spec.predictor)).toBe(IMG('2'));
    await client.apply(restored, FM);
    const r = await live();
    expect(r.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(r.metadata.annotations?.[PREVIOUS_PREDICTOR]).toBeUndefined();
    expect(predictorImage(r.spec.predictor)).toBe(IMG('2'));
  });
});
