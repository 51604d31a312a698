import { describe, expect, it } from 'vitest';
import { runPost } from '../../src/commands/post.js';
import type { Config } from '../../src/config/types.js';
import type { CleanupRecorder } from '../../src/core/context.js';
import { removeCanary } from '../../src/decide/stable-rollout.js';
import { removeObjects } from '../../src/deploy/apply.js';
import { DeploymentLeftBehind } from '../../src/deploy/left-behind.js';
import { KubeRequestError, type KubeClient, type KubeObject } from '../../src/kube/client.js';
import { knownResource } from '../../src/kube/resources.js';
import { MemoryLogger } from '../../src/log/logger.js';

// A Role without delete on deployments: the canary (or a failed first release's Deployment) is scaled to 0
// so it serves nothing, and the error says exactly what is left and how to remove it.

const CANARY = '/apis/apps/v1/namespaces/models/deployments/iris-canary';
const COPY = '/api/v1/namespaces/models/configmaps/iris-settings-canary';
const forbidden = (verb: string, path: string): KubeRequestError =>
  new KubeRequestError(
    403,
    `${verb} ${path} failed with HTTP 403: deployments.apps "iris-canary" is forbidden: User "system:serviceaccount:models:deployer" cannot ${verb.toLowerCase()} resource "deployments"`,
  );

/** Objects by path; deleting a Deployment is refused, and so is patching one when `patch` is false. */
function fakeCluster(objects: Record<string, unknown>, allow: { patch: boolean }) {
  const deleted: string[] = [];
  const patches: [string, unknown][] = [];
  const client = {
    resourceFor: async (apiVersion: string, kind: string) => knownResource(apiVersion, kind),
    get: async (path: string) => objects[path],
    list: async () => ({ items: [], metadata: { resourceVersion: '1' } }),
    delete: async (path: string) => {
      if (path.includes('/deployments/')) throw forbidden('DELETE', path);
      const had = path in objects;
      delete objects[path];
      if (had) deleted.push(path);
      return had;
    },
    mergePatch: async (path: string, patch: unknown) => {
      if (!allow.patch) throw forbidden('PATCH', path);
      patches.push([path, patch]);
      return {};
    },
  } as unknown as KubeClient;
  return { client, deleted, patches };
}

const config = { cluster: { namespace: 'models', fieldManager: 'model-canary' }, canary: { strategy: 'replicas' } } as unknown as Config;
const canary = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'iris-canary', annotations: { 'model-canary.dev/canary-configmaps': 'iris-settings' } },
};

function recorder(): CleanupRecorder & { removedKeys: string[] } {
  const removedKeys: string[] = [];
  return {
    removedKeys,
    created: () => undefined,
    removed: (k) => void removedKeys.push(k),
    lock: () => undefined,
    route: () => undefined,
    kserveCanary: () => undefined,
  };
}

const caught = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('a canary the Role will not let us delete', () => {
  it('is scaled to 0, and the error names what is left and the command that removes it', async () => {
    const cluster = fakeCluster({ [CANARY]: canary, [COPY]: {} }, { patch: true });
    const cleanup = recorder();
    const err = await caught(removeCanary(cluster.client, config, 'iris', cleanup, new MemoryLogger()));
    expect(err).toBeInstanceOf(DeploymentLeftBehind);
    const left = err as DeploymentLeftBehind;
    expect(cluster.patches).toEqual([[CANARY, { spec: { replicas: 0 } }]]);
    expect(left.kind).toBe('cluster');
    expect(left.message).toContain('Could not delete Deployment iris-canary in namespace models: DELETE');
    expect(left.message).toContain('cannot delete resource "deployments"');
    expect(left.message).toContain('It was scaled to 0 replicas instead, so it serves nothing');
    expect(left.message).toContain('Left in namespace models: Deployment/iris-canary (0 replicas), ConfigMap/iris-settings-canary.');
    expect(left.message).toContain('kubectl -n models delete deployment/iris-canary configmap/iris-settings-canary');
    expect(left.hint).toContain('delete on deployments (apps)');
    expect(left.hint).toContain('docs/rbac.yaml');
    // Still listed for the post step, which tries again; the ConfigMap the 0-pod canary names is kept.
    expect(cleanup.removedKeys).toEqual([]);
    expect(cluster.deleted).toEqual([]);
  });

  it('says it still serves when scaling it to 0 is refused too', async () => {
    const cluster = fakeCluster({ [CANARY]: canary }, { patch: false });
    const err = (await caught(removeCanary(cluster.client, config, 'iris', recorder(), new MemoryLogger()))) as DeploymentLeftBehind;
    expect(err).toBeInstanceOf(DeploymentLeftBehind);
    expect(err.message).toContain('Scaling it to 0 failed too (PATCH /apis/apps/v1/namespaces/models/deployments/iris-canary failed with HTTP 403');
    expect(err.message).toContain("it still runs and serves its share of the Service's traffic");
    expect(err.message).toContain('Remove it now as someone allowed to: kubectl -n models delete deployment/iris-canary configmap/iris-settings-canary');
  });

  it('leaves other failures as they are', async () => {
    const client = {
      get: async () => undefined,
      delete: async () => {
        throw new KubeRequestError(422, 'DELETE failed with HTTP 422');
      },
    } as unknown as KubeClient;
    const err = await caught(removeCanary(client, config, 'iris', recorder(), new MemoryLogger()));
    expect(err).toBeInstanceOf(KubeRequestError);
    expect(err).not.toBeInstanceOf(DeploymentLeftBehind);
  });
});

describe('a failed first release whose Deployment cannot be deleted', () => {
  it('is scaled to 0, the rest removed, then the error names the Deployment', async () => {
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'iris-settings', namespace: 'models' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'iris', namespace: 'models' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris', namespace: 'models' } },
    ];
    const cluster = fakeCluster({ '/api/v1/namespaces/models/configmaps/iris-settings': {}, '/api/v1/namespaces/models/services/iris': {} }, { patch: true });
    const cleanup = recorder();
    const err = await caught(removeObjects(cluster.client, objects, cleanup, new MemoryLogger()));
    expect(err).toBeInstanceOf(DeploymentLeftBehind);
    expect((err as Error).message).toContain('Left in namespace models: Deployment/iris (0 replicas).');
    expect(cluster.deleted).toEqual(['/api/v1/namespaces/models/services/iris', '/api/v1/namespaces/models/configmaps/iris-settings']);
    expect(cleanup.removedKeys).toEqual(['Service/iris', 'ConfigMap/iris-settings']);
  });
});

describe('the post step', () => {
  it('scales a canary it cannot delete to 0 and says how to remove it', async () => {
    const cluster = fakeCluster({ [CANARY]: canary }, { patch: true });
    const lines: string[] = [];
    const log = { info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(`warning: ${m}`) };
    await runPost(JSON.stringify({ command: 'release', model: 'iris', namespace: 'models', created: ['Deployment/iris-canary'], lockHeld: false }), log, {
      client: cluster.client,
    });
    expect(cluster.patches).toEqual([[CANARY, { spec: { replicas: 0 } }]]);
    expect(lines.join('\n')).toMatch(
      /warning: model-canary post: could not delete Deployment\/iris-canary in models: .*scaled to 0 replicas.*kubectl -n models delete deployment\/iris-canary\n.*docs\/rbac\.yaml/,
    );
  });
});
