import { describe, expect, it } from 'vitest';
import {
  canaryRouteShare,
  canaryEntries,
  canaryEntryName,
  inferenceServiceState,
  ourCanaryEntry,
  predictorDeployment,
  stableDeploymentOf,
  standardCanary,
  standardMode,
  standardPromoted,
  standardRolledBack,
  type InferenceService,
} from '../../src/deploy/kserve/index.js';
import { userMessageOf } from '../helpers/thrown.js';

// KServe Standard mode's spec.canary as data (src/deploy/kserve/standard.ts) and the status reading for it.

const model = (uri: string) => ({ modelFormat: { name: 'sklearn' }, storageUri: uri, resources: { requests: { cpu: '10m' } } });

function isvc(uri: string, extra: Partial<InferenceService['spec']> = {}, annotations: Record<string, string> = {}): InferenceService {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: 'models', annotations: { 'serving.kserve.io/deploymentMode': 'Standard', ...annotations } },
    spec: { predictor: { minReplicas: 2, maxReplicas: 4, scaleMetric: 'cpu', scaleTarget: 80, model: model(uri) }, ...extra },
  };
}

/** A live object as the API server returns it: status and bookkeeping the apply must not send back. */
function live(o: InferenceService): InferenceService {
  const copy = structuredClone(o);
  copy.metadata = { ...copy.metadata, generation: 3, annotations: { ...copy.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': '{}' } };
  copy.status = { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] };
  return copy;
}

describe('Standard mode', () => {
  it('is what KServe calls Standard, or RawDeployment (its old name); Serverless and no annotation are not', () => {
    expect(standardMode(isvc('pvc://m/a'))).toBe(true);
    expect(standardMode(isvc('pvc://m/a', {}, { 'serving.kserve.io/deploymentMode': 'RawDeployment' }))).toBe(true);
    expect(standardMode(isvc('pvc://m/a', {}, { 'serving.kserve.io/deploymentMode': 'Serverless' }))).toBe(false);
    const none = isvc('pvc://m/a');
    delete none.metadata.annotations;
    expect(standardMode(none)).toBe(false);
  });

  it('names predictor Deployments as KServe does: {isvc}-predictor, {isvc}-{name}-predictor', () => {
    expect(predictorDeployment('iris')).toBe('iris-predictor');
    expect(predictorDeployment('iris', 'mc-1')).toBe('iris-mc-1-predictor');
    const named = isvc('pvc://m/a');
    named.spec.predictor['name'] = 'mc-1';
    expect(stableDeploymentOf(named)).toBe('iris-mc-1-predictor');
    expect(stableDeploymentOf(isvc('pvc://m/a'))).toBe('iris-predictor');
  });

  it('names a canary after what it runs, never as stable is named', () => {
    const a = isvc('pvc://m/a').spec.predictor;
    const b = isvc('pvc://m/b').spec.predictor;
    expect(canaryEntryName(a, undefined)).toMatch(/^mc-[0-9a-f]{8}$/);
    expect(canaryEntryName(a, undefined)).toBe(canaryEntryName(structuredClone(a), 'other'));
    expect(canaryEntryName(a, undefined)).not.toBe(canaryEntryName(b, undefined));
    // Scaling does not change what runs.
    expect(canaryEntryName({ ...a, maxReplicas: 9 }, undefined)).toBe(canaryEntryName(a, undefined));
    const same = canaryEntryName(a, undefined);
    expect(canaryEntryName(a, same)).toBe(`${same}-b`);
  });
});

describe('standardCanary', () => {
  it("keeps stable's predictor as it runs and adds one entry: the release's predictor at the weight, fixed replicas, no scaling fields", () => {
    const stable = live(isvc('pvc://m/v1'));
    const desired = standardCanary(isvc('pvc://m/v2'), stable, 20, 1, 'models');
    expect(desired.spec.predictor).toEqual(isvc('pvc://m/v1').spec.predictor);
    const entries = canaryEntries(desired);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry?.trafficPercent).toBe(20);
    expect(entry?.predictor).toEqual({ name: entry?.predictor.name, minReplicas: 1, model: model('pvc://m/v2') });
    expect(ourCanaryEntry(desired)).toBe(entry);
    // The metadata stays as it is live (KServe copies it onto stable's pods: a change would restart them).
    expect(desired.metadata).toEqual({ name: 'iris', namespace: 'models', annotations: { 'serving.kserve.io/deploymentMode': 'Standard' } });
    expect(desired).not.toHaveProperty('status');
  });

  it('replaces its own entry on a new release while a canary runs', () => {
    const first = standardCanary(isvc('pvc://m/v2'), live(isvc('pvc://m/v1')), 20, 1, 'models');
    const second = standardCanary(isvc('pvc://m/v3'), live(first), 30, 1, 'models');
    expect(canaryEntries(second).map((c) => [c.predictor.model?.storageUri, c.trafficPercent])).toEqual([['pvc://m/v3', 30]]);
    expect(second.spec.predictor.model?.storageUri).toBe('pvc://m/v1');
  });

  it("refuses an InferenceService carrying someone else's canary, and predictors without a model", () => {
    const theirs = live(isvc('pvc://m/v1', { canary: [{ predictor: { name: 'exp', model: model('pvc://m/x') }, trafficPercent: 5 }] }));
    expect(userMessageOf(() => standardCanary(isvc('pvc://m/v2'), theirs, 20, 1, 'models'))).toMatch(/already has canary exp that model-canary did not add/);
    const containers = live(isvc('pvc://m/v1'));
    containers.spec.predictor = { containers: [{ name: 'kserve-container', image: 'r/m@sha256:1' }] };
    expect(userMessageOf(() => standardCanary(isvc('pvc://m/v2'), containers, 20, 1, 'models'))).toMatch(/stable has none/);
  });
});

describe('standardPromoted and standardRolledBack', () => {
  const canaryOn = (): InferenceService => live(standardCanary(isvc('pvc://m/v2'), live(isvc('pvc://m/v1')), 20, 1, 'models'));

  it("promotes KServe's way: stable's predictor is the entry's (named after it), the release's scaling (stable's by default), no entry", () => {
    const during = canaryOn();
    const entry = ourCanaryEntry(during);
    const promoted = standardPromoted(during);
    expect(promoted.spec).not.toHaveProperty('canary');
    expect(promoted.spec.predictor).toEqual({
      name: entry?.predictor.name,
      minReplicas: 2,
      maxReplicas: 4,
      scaleMetric: 'cpu',
      scaleTarget: 80,
      model: model('pvc://m/v2'),
    });
    expect(stableDeploymentOf(promoted)).toBe(predictorDeployment('iris', entry?.predictor.name));
    expect(promoted.metadata.annotations).toEqual({ 'serving.kserve.io/deploymentMode': 'Standard' });
    expect(standardPromoted(during, { minReplicas: 3, maxReplicas: 6 }).spec.predictor).toEqual({
      name: entry?.predictor.name,
      minReplicas: 3,
      maxReplicas: 6,
      model: model('pvc://m/v2'),
    });
  });

  it("rolls back by removing the entry; stable's predictor untouched", () => {
    const rolled = standardRolledBack(canaryOn());
    expect(rolled.spec).not.toHaveProperty('canary');
    expect(rolled.spec.predictor).toEqual(isvc('pvc://m/v1').spec.predictor);
    expect(rolled.metadata.annotations).toEqual({ 'serving.kserve.io/deploymentMode': 'Standard' });
  });

  it('says what to do when there is no canary of its own', () => {
    expect(userMessageOf(() => standardPromoted(live(isvc('pvc://m/v1'))))).toMatch(/no canary of model-canary's to promote/);
    expect(userMessageOf(() => standardRolledBack(live(isvc('pvc://m/v1'))))).toMatch(/command rollback with a revision number/);
  });
});

describe('reading the status in Standard mode', () => {
  const ready = (status: NonNullable<InferenceService['status']>): InferenceService => ({
    ...isvc('pvc://m/v1'),
    metadata: { name: 'iris', generation: 5 },
    status,
  });
  const cond = (type: string, status: string, reason?: string) => ({ type, status, ...(reason ? { reason } : {}) });

  it("waits on the canary's own status: present, Ready, at the weight, and KServe's CanaryPredictorReady True", () => {
    const expect20 = { kind: 'standard-canary', name: 'mc-1', weight: 20 } as const;
    const base = [cond('Ready', 'True'), cond('PredictorReady', 'True')];
    expect(inferenceServiceState(ready({ conditions: base }), expect20)).toMatchObject({
      state: 'pending',
      detail: expect.stringMatching(/no status for canary mc-1/),
    });
    expect(
      inferenceServiceState(
        ready({
          conditions: [...base, cond('CanaryPredictorReady', 'False', 'CanariesNotReady')],
          canaryStatuses: [{ name: 'mc-1', ready: false, trafficPercent: 20 }],
        }),
        expect20,
      ),
    ).toMatchObject({ state: 'pending', detail: expect.stringMatching(/canary mc-1 not Ready yet \(CanaryPredictorReady CanariesNotReady\)/) });
    expect(inferenceServiceState(ready({ conditions: base, canaryStatuses: [{ name: 'mc-1', ready: true, trafficPercent: 10 }] }), expect20)).toMatchObject({
      state: 'pending',
      detail: expect.stringMatching(/has 10% of the traffic, not 20%/),
    });
    // observedGeneration is the Deployment's in Standard mode: 1 < 5 must not hold it.
    const done = ready({
      observedGeneration: 1,
      conditions: [...base, cond('CanaryPredictorReady', 'True', 'AllCanariesReady')],
      canaryStatuses: [{ name: 'mc-1', ready: true, trafficPercent: 20 }],
    });
    expect(inferenceServiceState(done, expect20)).toMatchObject({ state: 'ready', detail: expect.stringMatching(/canaries mc-1=20% Ready/) });
  });

  it('counts a promotion or rollback done when no canary is left in the status; fails on a decisive reason', () => {
    const stable = { kind: 'standard-stable' } as const;
    const base = [cond('Ready', 'True'), cond('PredictorReady', 'True')];
    expect(inferenceServiceState(ready({ conditions: base, canaryStatuses: [{ name: 'mc-1', ready: true, trafficPercent: 20 }] }), stable).state).toBe(
      'pending',
    );
    expect(inferenceServiceState(ready({ conditions: base }), stable).state).toBe('ready');
    expect(
      inferenceServiceState(ready({ conditions: [cond('Ready', 'False'), cond('PredictorReady', 'False', 'ProgressDeadlineExceeded')] }), stable),
    ).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/PredictorReady is False: ProgressDeadlineExceeded/),
    });
  });
});

describe('canaryRouteShare', () => {
  const route = (name: string, refs: { name: string; weight?: number }[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name },
    spec: { rules: [{ backendRefs: refs }] },
  });

  it("is the canary Service's share of a rule's weights, the best over KServe's routes; undefined with no route", () => {
    expect(canaryRouteShare([], 'iris-mc-1-predictor')).toBeUndefined();
    // KServe v0.20.0's routes: stable's Service only, whatever trafficPercent says.
    expect(
      canaryRouteShare([route('iris', [{ name: 'iris-predictor' }]), route('iris-predictor', [{ name: 'iris-predictor' }])], 'iris-mc-1-predictor'),
    ).toEqual({
      percent: 0,
      routes: ['iris', 'iris-predictor'],
    });
    const weighted = route('iris', [
      { name: 'iris-predictor', weight: 80 },
      { name: 'iris-mc-1-predictor', weight: 20 },
    ]);
    expect(canaryRouteShare([weighted], 'iris-mc-1-predictor')?.percent).toBe(20);
    // No weight is weight 1 (the Gateway API's default).
    expect(canaryRouteShare([route('iris', [{ name: 'iris-predictor' }, { name: 'iris-mc-1-predictor' }])], 'iris-mc-1-predictor')?.percent).toBe(50);
  });
});
