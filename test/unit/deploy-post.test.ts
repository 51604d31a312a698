import { describe, expect, it } from 'vitest';
import { runPost } from '../../src/commands/post.js';
import type { KubeClient } from '../../src/kube/client.js';
import { knownResource } from '../../src/kube/resources.js';

/** A cluster of a few objects behind the client's interface (the post step's only edge). */
function fakeCluster(objects: Record<string, unknown>): { client: KubeClient; deleted: string[] } {
  const deleted: string[] = [];
  const client = {
    resourceFor: async (apiVersion: string, kind: string) => knownResource(apiVersion, kind),
    get: async (path: string) => objects[path],
    delete: async (path: string) => {
      const had = path in objects;
      delete objects[path];
      if (had) deleted.push(path);
      return had;
    },
  } as unknown as KubeClient;
  return { client, deleted };
}

const log = (): { lines: string[]; info(m: string): void; warn(m: string): void } => {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(m), warn: (m) => void lines.push(`warning: ${m}`) };
};

const LEASE = '/apis/coordination.k8s.io/v1/namespaces/models/leases/model-canary-iris';
const CANARY = '/apis/apps/v1/namespaces/models/deployments/iris-canary';
const COPY = '/api/v1/namespaces/models/configmaps/iris-settings-canary';

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
});
