import { describe, expect, it } from 'vitest';
import { leaseFree, leaseName, leasePath, type Lease } from '../../src/deploy/lock.js';

const lease = (holder: string | undefined, renewedSecondsAgo: number, now: number): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'model-canary-iris' },
  spec: { ...(holder ? { holderIdentity: holder } : {}), leaseDurationSeconds: 30, renewTime: new Date(now - renewedSecondsAgo * 1000).toISOString() },
});

describe('release lock', () => {
  const now = Date.parse('2026-11-25T18:00:00Z');

  it('is free when nobody holds it, we hold it, or the holder stopped renewing', () => {
    expect(leaseFree(lease(undefined, 0, now), 'me', now)).toBe(true);
    expect(leaseFree(lease('me', 5, now), 'me', now)).toBe(true);
    expect(leaseFree(lease('other', 31, now), 'me', now)).toBe(true);
  });

  it('is taken while another run renews it', () => {
    expect(leaseFree(lease('other', 5, now), 'me', now)).toBe(false);
    expect(leaseFree(lease('other', 29, now), 'me', now)).toBe(false);
  });

  it('lives at model-canary-<model> in the namespace', () => {
    expect(leaseName('iris')).toBe('model-canary-iris');
    expect(leasePath('models', 'iris')).toBe('/apis/coordination.k8s.io/v1/namespaces/models/leases/model-canary-iris');
  });
});

describe('ReleaseLock against a fake API server', () => {
  /** Leases by path with resourceVersions, as the API server keeps them: create fails if it exists, replace if rv moved. */
  function fakeServer(): { client: import('../../src/kube/client.js').KubeClient; leases: Map<string, Lease> } {
    const leases = new Map<string, Lease>();
    let rv = 1;
    const path = leasePath('models', 'iris');
    const client = {
      get: async (p: string) => structuredClone(leases.get(p)),
      create: async (o: Lease) => {
        if (leases.has(path)) return { created: false, status: 409, body: {} };
        leases.set(path, { ...o, metadata: { ...o.metadata, resourceVersion: String(rv++) } });
        return { created: true, object: o };
      },
      replace: async (o: Lease) => {
        const current = leases.get(path);
        if (!current || current.metadata.resourceVersion !== o.metadata.resourceVersion) return { ok: false, status: 409 };
        leases.set(path, { ...o, metadata: { ...o.metadata, resourceVersion: String(rv++) } });
        return { ok: true, object: o };
      },
      delete: async (p: string) => leases.delete(p),
    } as unknown as import('../../src/kube/client.js').KubeClient;
    return { client, leases };
  }

  it('lets one of two runs in, makes the other wait, then fail naming the holder', async () => {
    const { ReleaseLock } = await import('../../src/deploy/lock.js');
    const { MemoryLogger } = await import('../../src/log/logger.js');
    const { client, leases } = fakeServer();
    const options = { namespace: 'models', model: 'iris', timeoutMs: 300, pollMs: 50, logger: new MemoryLogger() };
    const first = await ReleaseLock.acquire(client, { ...options, identity: 'run-1' });
    await expect(ReleaseLock.acquire(client, { ...options, identity: 'run-2' })).rejects.toThrow(/holds the lock model-canary-iris: run-1/);
    await first.release();
    expect(leases.size).toBe(0);
    const second = await ReleaseLock.acquire(client, { ...options, identity: 'run-2' });
    expect([...leases.values()][0]?.spec?.holderIdentity).toBe('run-2');
    await second.release();
  });

  it('takes over an expired lease with a versioned replace and counts the transition', async () => {
    const { ReleaseLock } = await import('../../src/deploy/lock.js');
    const { MemoryLogger } = await import('../../src/log/logger.js');
    const { client, leases } = fakeServer();
    const old = new Date(Date.now() - 60_000).toISOString();
    leases.set(leasePath('models', 'iris'), {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'model-canary-iris', resourceVersion: '7' },
      spec: { holderIdentity: 'killed', leaseDurationSeconds: 30, renewTime: old },
    });
    const logger = new MemoryLogger();
    const lock = await ReleaseLock.acquire(client, { namespace: 'models', model: 'iris', identity: 'run-3', timeoutMs: 1000, logger });
    const lease = [...leases.values()][0];
    expect(lease?.spec).toMatchObject({ holderIdentity: 'run-3', leaseTransitions: 1, leaseDurationSeconds: 30 });
    expect(lease?.spec?.renewTime).toMatch(/\.\d{6}Z$/);
    expect(logger.lines.join('\n')).toContain('held by killed expired');
    await lock.release();
  });
});
