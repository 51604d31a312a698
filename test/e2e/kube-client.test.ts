import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessCounter } from '../../src/exec/exec.js';
import { KubeClient, type KubeObject, type WatchEvent } from '../../src/kube/client.js';
import { startKubeProxy, type KubeProxy } from '../../src/kube/proxy.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { applyObjects, KUBECONFIG, KUBECTL, kubectl, restrictedNamespace, uniqueName } from './cluster-env.js';

// The cluster client every stage uses: one `kubectl proxy` for the run, plain HTTP on its Unix socket after it.

const ns = uniqueName('e2e-client');
const logger = new MemoryLogger();
let proxy: KubeProxy;
let client: KubeClient;

beforeAll(async () => {
  process.env['KUBECONFIG'] = KUBECONFIG;
  await applyObjects([restrictedNamespace(ns)]);
  proxy = await startKubeProxy(logger, new ProcessCounter(), KUBECTL);
  client = new KubeClient(proxy.url, logger);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

const configMap = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: ns },
  data,
});

describe('KubeClient through kubectl proxy', () => {
  it('serves on a private Unix socket, not a TCP port', () => {
    expect(proxy.url).toMatch(/^unix:\/\/%2F.+proxy\.sock$/);
    const socket = decodeURIComponent(proxy.url.slice('unix://'.length));
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
  });

  it('applies server-side, reads back, and applying again changes nothing', async () => {
    const first = await client.apply(configMap({ a: '1' }), 'model-canary');
    const again = await client.apply(configMap({ a: '1' }), 'model-canary');
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const read = await client.get<KubeObject & { data: Record<string, string> }>(`/api/v1/namespaces/${ns}/configmaps/settings`);
    expect(read?.data).toEqual({ a: '1' });
    expect(await client.get(`/api/v1/namespaces/${ns}/configmaps/missing`)).toBeUndefined();
  });

  it('names the other field manager on a conflict', async () => {
    await kubectl(['-n', ns, 'apply', '--server-side', '--field-manager=someone-else', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns }, data: { owner: 'them' } }),
    });
    const attempt = client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns }, data: { owner: 'us' } }, 'model-canary');
    await expect(attempt).rejects.toThrow(/conflicts with another field manager: \.data\.owner \(conflict with "someone-else"/);
  });

  it('watches a collection and sees its changes', async () => {
    const seen: string[] = [];
    const controller = new AbortController();
    const list = await client.list(`/api/v1/namespaces/${ns}/configmaps`);
    const watching = client.watch<KubeObject>(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: list.metadata.resourceVersion },
      (e: WatchEvent<KubeObject>) => {
        seen.push(`${e.type} ${e.object.metadata.name}`);
        if (e.type === 'DELETED') controller.abort();
      },
      controller.signal,
    );
    await client.apply({ ...configMap({}), metadata: { name: 'watched', namespace: ns } }, 'model-canary');
    expect(await client.delete(`/api/v1/namespaces/${ns}/configmaps/watched`)).toBe(true);
    await watching;
    expect(seen).toEqual(['ADDED watched', 'DELETED watched']);
    expect(await client.delete(`/api/v1/namespaces/${ns}/configmaps/watched`)).toBe(false);
  });

  it('finds a kind it does not know through API discovery', async () => {
    const info = await client.resourceFor('rbac.authorization.k8s.io/v1', 'Role');
    expect(info).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true });
  });

  it('retries a refused connection within its budget, then says what failed', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r)); // nothing listens there now
    const dead = new KubeClient(`http://127.0.0.1:${port}`, logger, 1500);
    const started = Date.now();
    await expect(dead.get('/api/v1/namespaces')).rejects.toThrow(/kept failing \(.*ECONNREFUSED.*\) for 2s over [2-9] attempts/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(dead.requests).toBeGreaterThan(1);
  });
});
