import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInferenceV2 } from '../../src/smoke/protocols/open-inference-v2.js';
import { waitReady } from '../../src/smoke/readiness.js';
import { runBounded } from '../../src/smoke/send.js';
import { classifyProxyAnswer, isApiStatus } from '../../src/smoke/transport/api-status.js';
import { NoAnswer, PodsProxyChannel, ProxyUnusable } from '../../src/smoke/transport/channel.js';

// The API server's own answers, as kube-apiserver writes them.
const unreachable = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'error trying to reach service: dial tcp 10.244.0.9:8080: i/o timeout',
  reason: 'ServiceUnavailable',
  code: 503,
};
const refused = { ...unreachable, message: 'error trying to reach service: dial tcp 10.244.0.9:8080: connect: connection refused' };
const forbidden = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'pods "iris-canary-x" is forbidden: User "system:serviceaccount:ns:smoke" cannot create resource "pods/proxy" in API group "" in the namespace "ns"',
  reason: 'Forbidden',
  details: { name: 'iris-canary-x', kind: 'pods' },
  code: 403,
};

describe('API server Status versus the model server’s own answer', () => {
  it('tells them apart', () => {
    expect(isApiStatus(unreachable)).toBe(true);
    expect(classifyProxyAnswer(503, unreachable)).toEqual({ kind: 'proxy-unusable', message: unreachable.message });
    expect(classifyProxyAnswer(503, refused)).toMatchObject({ kind: 'refused' });
    expect(classifyProxyAnswer(403, forbidden)).toMatchObject({ kind: 'proxy-unusable' });
    // A model server's 503 while loading, in the shapes KServe, BentoML and our example write.
    expect(classifyProxyAnswer(503, { error: 'Model iris is not ready' })).toEqual({ kind: 'model' });
    expect(classifyProxyAnswer(503, 'Service Unavailable')).toEqual({ kind: 'model' });
    expect(classifyProxyAnswer(503, { kind: 'Status', message: 'a model that says kind Status' })).toEqual({ kind: 'model' });
    expect(classifyProxyAnswer(403, { detail: 'forbidden by the model' })).toEqual({ kind: 'model' });
  });
});

/** A fake kubectl proxy: answers as the API server would for pod "gone", and as a model server for the others. */
let server: Server;
let url = '';
let readyAfter = 0;
let inFlight = 0;
let maxInFlight = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    const m = /^\/api\/v1\/namespaces\/ns\/pods\/([^/:]+):8080\/proxy(\/.*)$/.exec(req.url ?? '');
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!m) return json(404, {});
    const [, pod, path] = m;
    if (pod === 'unreachable') return json(503, unreachable);
    if (pod === 'forbidden') return json(403, forbidden);
    if (pod === 'refusing') return json(503, refused);
    if (pod === 'slow') {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        json(200, { ok: true });
      }, 30);
      return;
    }
    if (path?.includes('ready')) return Date.now() >= readyAfter ? json(200, { ready: true }) : json(400, { error: 'Model not ready' });
    return json(503, { error: 'model says: overloaded' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const pod = (name: string) => ({ name, namespace: 'ns', ip: '10.244.0.9', port: 8080 });

describe('the pods proxy channel', () => {
  it('hands the model’s own 503 to the judge, and turns the API server’s into transport errors', async () => {
    const model = await new PodsProxyChannel(url, pod('model')).send({ method: 'POST', path: '/v2/models/iris/infer', body: {} }, 2000);
    expect(model).toMatchObject({ status: 503, body: { error: 'model says: overloaded' } });
    await expect(new PodsProxyChannel(url, pod('unreachable')).send({ method: 'GET', path: '/' }, 2000)).rejects.toBeInstanceOf(ProxyUnusable);
    await expect(new PodsProxyChannel(url, pod('forbidden')).send({ method: 'GET', path: '/' }, 2000)).rejects.toThrow(/forbidden/);
    await expect(new PodsProxyChannel(url, pod('refusing')).send({ method: 'GET', path: '/' }, 2000)).rejects.toBeInstanceOf(NoAnswer);
  });

  it('polls readiness through early 400s and refused connections, within the budget', async () => {
    readyAfter = Date.now() + 600;
    const protocol = openInferenceV2('iris');
    expect(await waitReady(new PodsProxyChannel(url, pod('model')), protocol, 5000, 1000)).toBeUndefined();
    const why = await waitReady(new PodsProxyChannel(url, pod('refusing')), protocol, 800, 500);
    expect(why).toMatch(/connection refused.*after 1s of polling/);
  });

  it('bounds requests by concurrency and by time', async () => {
    const channel = new PodsProxyChannel(url, pod('slow'));
    const results = await runBounded(
      Array.from({ length: 12 }, (_, i) => i),
      3,
      Date.now() + 60_000,
      async () => (await channel.send({ method: 'GET', path: '/x' }, 2000)).status,
      () => 0,
    );
    expect(results).toEqual(Array(12).fill(200));
    expect(maxInFlight).toBe(3);
    // The first task runs past the deadline: nothing starts after it.
    const deadline = Date.now() + 200;
    const late = await runBounded(
      [1, 2, 3],
      1,
      deadline,
      async () => {
        while (Date.now() <= deadline) await new Promise((r) => setTimeout(r, 20));
        return 'sent';
      },
      () => 'skipped',
    );
    expect(late).toEqual(['sent', 'skipped', 'skipped']);
  });
});
