import { describe, expect, it } from 'vitest';
import { runPost } from '../../src/commands/post.js';
import type { KubeClient } from '../../src/kube/client.js';
import { knownResource } from '../../src/kube/resources.js';

/** A cluster of a few objects behind the client's interface (the post step's only edge). */
function fakeCluster(objects: Record<string, unknown>): { client: KubeClient; deleted: string[]; applied: { object: unknown; fieldManager: string }[] } {
  const deleted: string[] = [];
  const applied: { object: unknown; fieldManager: string }[] = [];
  const client = {
    resourceFor: async (apiVersion: string, kind: string) => knownResource(apiVersion, kind),
    get: async (path: string) => structuredClone(objects[path]),
    apply: async (o: { metadata: { name: string } }, fieldManager: string) => {
      applied.push({ object: structuredClone(o), fieldManager });
      objects[ISVC] = o;
      return o;
    },
    delete: async (path: string) => {
      const had = path in objects;
      delete objects[path];
      if (had) deleted.push(path);
      return had;
    },
  } as unknown as KubeClient;
  return { client, deleted, applied };
}

const log = (): { lines: string[]; info(m: string): void; warn(m: string): void } => {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(m), warn: (m) => void lines.push(`warning: ${m}`) };
};

const LEASE = '/apis/coordination.k8s.io/v1/namespaces/models/leases/model-canary-iris';
const CANARY = '/apis/apps/v1/namespaces/models/deployments/iris-canary';
const COPY = '/api/v1/namespaces/models/configmaps/iris-settings-canary';
const ISVC = '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/iris';

describe('post step', () => {
  const state = {
    command: 'release',
    model: 'iris',
    namespace: 'models',
    created: ['ConfigMap/iris-settings-canary', 'Deployment/iris-canary'],
    lockHeld: true,
    runId: 'run-1',
  };

  it('deletes what the run created and releases its lock; a second run does nothing', async () => {
    const cluster = fakeCluster({ [CANARY]: {}, [COPY]: {}, [LEASE]: { spec: { holderIdentity: 'run-1' } } });
    const first = await runPost(JSON.stringify(state), log(), { client: cluster.client });
    expect(first).toEqual(['deleted Deployment/iris-canary', 'deleted ConfigMap/iris-settings-canary', 'released the lock model-canary-iris']);
    expect(cluster.deleted).toEqual([CANARY, COPY, LEASE]);
    const second = await runPost(JSON.stringify(state), log(), { client: cluster.client });
    expect(second).toEqual([
      'already gone: Deployment/iris-canary',
      'already gone: ConfigMap/iris-settings-canary',
      'the lock model-canary-iris is not held by this run; left alone',
    ]);
  });

  it('leaves a lock another run holds', async () => {
    const cluster = fakeCluster({ [LEASE]: { spec: { holderIdentity: 'run-2' } } });
    await runPost(JSON.stringify({ ...state, created: [] }), log(), { client: cluster.client });
    expect(cluster.deleted).toEqual([]);
  });

  it('says so when there is nothing to clean or no readable state', async () => {
    const l = log();
    expect(await runPost('', l)).toEqual([]);
    expect(await runPost('{', l)).toEqual([]);
    expect(await runPost(JSON.stringify({ ...state, created: [], lockHeld: false }), l)).toEqual([]);
    expect(l.lines.join('\n')).toMatch(/nothing to clean[\s\S]*not readable[\s\S]*left nothing to clean/);
  });

  it("removes the spec.canary entry a cancelled kserve run added (as the run's field manager), and only that one", async () => {
    const model = (uri: string) => ({ modelFormat: { name: 'sklearn' }, storageUri: uri });
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'iris', namespace: 'models', annotations: { 'serving.kserve.io/deploymentMode': 'Standard' } },
      spec: {
        predictor: { model: model('pvc://m/v1') },
        canary: [
          { predictor: { name: 'mc-0123abcd', model: model('pvc://m/v2') }, trafficPercent: 20 },
          { predictor: { name: 'theirs', model: model('pvc://m/x') }, trafficPercent: 5 },
        ],
      },
      status: { conditions: [] },
    };
    const cluster = fakeCluster({ [ISVC]: isvc });
    const entry = { ...state, created: [], lockHeld: false, kserveCanaries: [{ isvc: 'iris', entry: 'mc-0123abcd', fieldManager: 'model-canary' }] };
    expect(await runPost(JSON.stringify(entry), log(), { client: cluster.client })).toEqual([
      'removed canary mc-0123abcd from InferenceService/iris (spec.canary)',
    ]);
    expect(cluster.applied).toHaveLength(1);
    expect(cluster.applied[0]?.fieldManager).toBe('model-canary');
    expect(cluster.applied[0]?.object).toEqual({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'iris', namespace: 'models', annotations: { 'serving.kserve.io/deploymentMode': 'Standard' } },
      spec: { predictor: { model: model('pvc://m/v1') }, canary: [{ predictor: { name: 'theirs', model: model('pvc://m/x') }, trafficPercent: 5 }] },
    });
    // Again: nothing of this run's is left.
    expect(await runPost(JSON.stringify(entry), log(), { client: cluster.client })).toEqual(['InferenceService/iris has no canary mc-0123abcd']);
    expect(cluster.applied).toHaveLength(1);
  });
});
