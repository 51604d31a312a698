import { describe, expect, it } from 'vitest';
import { SNAPSHOT_MAX_BYTES, stableWithTemplate, takeSnapshot } from '../../src/decide/snapshot.js';
import type { Deployment } from '../../src/deploy/types.js';
import type { KubeClient } from '../../src/kube/client.js';
import { MemoryLogger } from '../../src/log/logger.js';

// The snapshot a promoted revision keeps in the history, so a rollback restores its configuration too: the
// live stable's pod template and the ConfigMaps it reads (a tiny in-memory API for the objects).

function live(annotations: Record<string, string> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'iris', namespace: 'models', labels: { 'app.kubernetes.io/version': '2.0.0' }, uid: 'u', resourceVersion: '7' } as Deployment['metadata'],
    spec: {
      replicas: 3,
      selector: { matchLabels: { track: 'stable' } },
      template: {
        metadata: {
          labels: { track: 'stable', 'app.kubernetes.io/version': '2.0.0' },
          annotations: { 'checksum/config': 'abc', ...annotations },
          creationTimestamp: null,
        },
        spec: {
          containers: [
            {
              name: 'm',
              image: 'r/iris@sha256:2',
              envFrom: [{ configMapRef: { name: 'iris-env' } }],
              env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'iris-keys' } } }],
            },
          ],
          volumes: [
            { name: 'v', configMap: { name: 'iris-files' } },
            { name: 'p', projected: { sources: [{ configMap: { name: 'gone' } }] } },
          ],
        },
      },
    },
  };
}

function client(objects: Record<string, unknown>): KubeClient {
  return { get: async (path: string) => structuredClone(objects[path]) } as unknown as KubeClient;
}

const cm = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name,
    namespace: 'models',
    labels: { app: 'iris' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'kept' },
    uid: 'x',
  },
  data,
});

describe('takeSnapshot', () => {
  it('keeps the pod template and every ConfigMap it reads (env, envFrom, volumes), as they are applied again', async () => {
    const objects = {
      '/apis/apps/v1/namespaces/models/deployments/iris': live(),
      '/api/v1/namespaces/models/configmaps/iris-env': cm('iris-env', { MODEL_VERSION: '2.0.0' }),
      '/api/v1/namespaces/models/configmaps/iris-keys': cm('iris-keys', { X: '1' }),
      '/api/v1/namespaces/models/configmaps/iris-files': cm('iris-files', { 'a.txt': 'a' }),
    };
    const snap = await takeSnapshot(client(objects), 'models', 'iris', new MemoryLogger());
    expect(snap?.template.metadata?.annotations).toEqual({ 'checksum/config': 'abc' });
    expect(snap?.template.metadata?.['creationTimestamp']).toBeUndefined();
    expect(snap?.configMaps.map((c) => c.name).sort()).toEqual(['iris-env', 'iris-files', 'iris-keys']);
    expect(snap?.configMaps.find((c) => c.name === 'iris-env')).toEqual({
      name: 'iris-env',
      labels: { app: 'iris' },
      annotations: { note: 'kept' },
      data: { MODEL_VERSION: '2.0.0' },
    });
  });

  it('keeps nothing, and says so, when stable is too large to keep in the history', async () => {
    const logger = new MemoryLogger();
    const big = live({ huge: 'x'.repeat(SNAPSHOT_MAX_BYTES) });
    expect(await takeSnapshot(client({ '/apis/apps/v1/namespaces/models/deployments/iris': big }), 'models', 'iris', logger)).toBeUndefined();
    expect(logger.lines.join('\n')).toMatch(/a rollback to this revision will restore its image and version only/);
  });

  it('is undefined without a stable Deployment (kserve, or none yet)', async () => {
    expect(await takeSnapshot(client({}), 'models', 'iris', new MemoryLogger())).toBeUndefined();
  });
});

describe('stableWithTemplate', () => {
  it('puts the recorded template on stable with its version label, and leaves replicas to the HPA when one scales it', () => {
    const recorded = {
      metadata: { labels: { track: 'stable', 'app.kubernetes.io/version': '1.0.0' }, annotations: { 'checksum/config': 'old' } },
      spec: { containers: [{ name: 'm', image: 'r/iris@sha256:1' }] },
    };
    const desired = stableWithTemplate(live(), recorded, true);
    expect(desired.spec.template).toEqual(recorded);
    expect(desired.metadata.labels?.['app.kubernetes.io/version']).toBe('1.0.0');
    expect(desired.spec.replicas).toBeUndefined();
    expect(stableWithTemplate(live(), recorded, false).spec.replicas).toBe(3);
    expect((desired.metadata as { uid?: string }).uid).toBeUndefined();
  });
});
