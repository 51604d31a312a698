import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runPost } from '../../src/commands/post.js';
import { cleanupRecorder, type CleanupState } from '../../src/commands/entry.js';
import { CANARY_OF, modelDeployment } from '../../src/deploy/canary-plan.js';
import {
  backendShare,
  CANARY_BACKEND,
  describeWeights,
  httpRoute,
  modelService,
  planTraffic,
  routeState,
  routeToStable,
  type HTTPRoute,
} from '../../src/deploy/traffic/plan.js';
import type { KubeClient, KubeObject } from '../../src/kube/client.js';
import { knownResource } from '../../src/kube/resources.js';
import { userMessageOf } from '../helpers/thrown.js';

// Strategy traffic's objects, derived from what the builtin chart really renders (test/fixtures/deploy).

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'deploy');
const IMAGE = `127.0.0.1:5000/models/iris@sha256:${'1'.repeat(64)}`;
const cpu = parseAllDocuments(readFileSync(path.join(FIXTURES, 'chart-cpu.yaml'), 'utf8'))
  .map((d) => d.toJS() as KubeObject | null)
  .filter((o): o is KubeObject => o !== null);
const stable = modelDeployment(cpu, IMAGE);
const GATEWAY = { name: 'public', namespace: 'gateways' };
const userMessage = userMessageOf;

const route = (weight?: number): HTTPRoute =>
  httpRoute({
    name: 'iris',
    namespace: 'models',
    gateway: GATEWAY,
    hostnames: ['iris.example.com'],
    stableService: 'iris-stable',
    canaryService: 'iris-canary',
    port: 80,
    ...(weight !== undefined ? { weight } : {}),
  });

/** A route as the API server returns it, with its controller's status at a generation. */
const live = (r: HTTPRoute, generation: number, conditions: { type: string; status: string; reason?: string; observedGeneration: number }[]): HTTPRoute => ({
  ...structuredClone(r),
  metadata: {
    ...r.metadata,
    generation,
    uid: 'u-1',
    resourceVersion: '42',
    managedFields: [{ manager: 'model-canary' }],
    creationTimestamp: '2026-11-25T10:00:00Z',
  },
  status: { parents: [{ parentRef: { name: 'public', namespace: 'gateways' }, controllerName: 'traefik.io/gateway-controller', conditions }] },
});

describe('planTraffic', () => {
  it('derives a stable and a canary Service from the rendered Service, one track each', () => {
    const plan = planTraffic({ objects: cpu, stable, namespace: 'models' });
    expect(plan.route).toBe('iris');
    expect(plan.port).toBe(80);
    expect(plan.stableService.metadata.name).toBe('iris-stable');
    expect(plan.stableService.spec.selector).toEqual({ 'app.kubernetes.io/name': 'iris', 'app.kubernetes.io/instance': 'iris', track: 'stable' });
    expect(plan.canaryService.metadata.name).toBe('iris-canary');
    expect(plan.canaryService.spec.selector).toEqual({ 'app.kubernetes.io/name': 'iris', 'app.kubernetes.io/instance': 'iris', track: 'canary' });
    expect(plan.canaryService.metadata.annotations?.[CANARY_OF]).toBe('iris');
    expect(plan.stableService.metadata.annotations).toBeUndefined();
    for (const s of [plan.stableService, plan.canaryService]) {
      expect(s.metadata.namespace).toBe('models');
      expect(s.spec.type).toBe('ClusterIP');
      expect(s.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    }
  });

  it('needs the Service of the model and says how to get one', () => {
    expect(
      userMessage(() =>
        modelService(
          cpu.filter((o) => o.kind !== 'Service'),
          stable,
        ),
      ),
    ).toMatch(/exactly one Service .* found 0 \(none\)[\s\S]*service.enabled/);
  });

  it('leaves the rendered objects unchanged', () => {
    const before = JSON.stringify(cpu);
    planTraffic({ objects: cpu, stable, namespace: 'models' });
    expect(JSON.stringify(cpu)).toBe(before);
  });
});

describe('httpRoute', () => {
  it('weights stable and canary (100 - weight) / weight, attached to the Gateway', () => {
    const r = route(20);
    expect(r.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(r.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways' }]);
    expect(r.spec.hostnames).toEqual(['iris.example.com']);
    expect(r.spec.rules?.[0]?.backendRefs).toEqual([
      { name: 'iris-stable', port: 80, weight: 80 },
      { name: 'iris-canary', port: 80, weight: 20 },
    ]);
    expect(r.metadata.annotations?.[CANARY_BACKEND]).toBe('iris-canary');
    expect(backendShare(r, 'iris-canary')).toBeCloseTo(0.2);
    expect(describeWeights(r)).toBe('iris-stable=80, iris-canary=20');
  });

  it('sends everything to stable, without naming the canary, when there is no canary', () => {
    const r = route();
    expect(r.spec.rules?.[0]?.backendRefs).toEqual([{ name: 'iris-stable', port: 80, weight: 100 }]);
    expect(backendShare(r, 'iris-stable')).toBe(1);
  });

  it('matches every host when no host names are given', () => {
    const r = httpRoute({ name: 'iris', namespace: 'models', gateway: { name: 'public' }, stableService: 'a', canaryService: 'b', port: 8080, weight: 0 });
    expect(r.spec.hostnames).toBeUndefined();
    expect(r.spec.parentRefs?.[0]).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' });
  });
});

describe('routeToStable', () => {
  it('removes the canary backend, gives stable 100 and drops what the server owns', () => {
    const restored = routeToStable(live(route(20), 3, []));
    expect(restored?.spec.rules?.[0]?.backendRefs).toEqual([{ name: 'iris-stable', port: 80, weight: 100 }]);
    expect(restored?.metadata).toEqual({
      name: 'iris',
      namespace: 'models',
      labels: { 'app.kubernetes.io/managed-by': 'model-canary' },
      annotations: { [CANARY_BACKEND]: 'iris-canary' },
    });
    expect(restored).not.toHaveProperty('status');
  });

  it('is undefined when the route sends nothing to the canary (nothing to restore)', () => {
    expect(routeToStable(live(route(), 1, []))).toBeUndefined();
  });

  it('keeps the split between several stable backends', () => {
    const r = route(10);
    r.spec.rules?.[0]?.backendRefs?.unshift({ name: 'iris-stable-eu', port: 80, weight: 30 });
    const restored = routeToStable(r);
    expect(restored?.spec.rules?.[0]?.backendRefs?.map((b) => `${b.name}=${b.weight}`)).toEqual(['iris-stable-eu=30', 'iris-stable=90']);
  });

  it('refuses a rule with no stable backend, saying what to do', () => {
    const r = route(20);
    r.spec.rules = [{ backendRefs: [{ name: 'iris-canary', port: 80, weight: 1 }] }];
    expect(userMessage(() => routeToStable(r))).toMatch(/only to the canary[\s\S]*stable backendRef/);
  });
});

describe('routeState', () => {
  it('is pending until the controller reports on this generation', () => {
    expect(routeState(route(20), GATEWAY).state).toBe('pending');
    expect(routeState(live(route(20), 4, [{ type: 'Accepted', status: 'True', observedGeneration: 3 }]), GATEWAY).state).toBe('pending');
  });

  it('is ready when Accepted and ResolvedRefs are True at the current generation', () => {
    const r = live(route(20), 4, [
      { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 4 },
      { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', observedGeneration: 4 },
    ]);
    expect(routeState(r, GATEWAY)).toEqual({ state: 'ready' });
  });

  it('is refused with the reason when not accepted or a backend does not resolve', () => {
    const notAllowed = live(route(20), 2, [{ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', observedGeneration: 2 }]);
    expect(routeState(notAllowed, GATEWAY)).toEqual({ state: 'refused', reason: 'not Accepted: NotAllowedByListeners' });
    const missing = live(route(20), 2, [
      { type: 'Accepted', status: 'True', observedGeneration: 2 },
      { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', observedGeneration: 2 },
    ]);
    expect(routeState(missing, GATEWAY)).toEqual({ state: 'refused', reason: 'ResolvedRefs False: BackendNotFound' });
  });

  it("ignores other Gateways' reports", () => {
    const r = live(route(20), 2, [{ type: 'Accepted', status: 'False', reason: 'NoMatchingParent', observedGeneration: 2 }]);
    expect(routeState(r, { name: 'internal', namespace: 'gateways' }).state).toBe('pending');
  });
});

describe('cleanup of a traffic canary', () => {
  it('the recorder lists a shifted route with its field manager and drops it once restored', () => {
    const state: CleanupState = { command: 'release', created: [], lockHeld: false };
    const saved: string[] = [];
    const rec = cleanupRecorder(state, (s) => saved.push(JSON.stringify(s.routes ?? [])));
    rec.route('iris', 'model-canary');
    rec.route('iris', 'model-canary');
    expect(state.routes).toEqual([{ name: 'iris', fieldManager: 'model-canary' }]);
    rec.route('iris', undefined);
    expect(state.routes).toEqual([]);
    expect(saved).toEqual(['[{"name":"iris","fieldManager":"model-canary"}]', '[{"name":"iris","fieldManager":"model-canary"}]', '[]']);
  });

  it("the post step sends the route back to stable before deleting the canary, with the run's field manager", async () => {
    const ROUTE = '/apis/gateway.networking.k8s.io/v1/namespaces/models/httproutes/iris';
    const SVC = '/api/v1/namespaces/models/services/iris-canary';
    const DEPLOY = '/apis/apps/v1/namespaces/models/deployments/iris-canary';
    const objects: Record<string, unknown> = { [ROUTE]: live(route(20), 2, []), [SVC]: {}, [DEPLOY]: {} };
    const calls: string[] = [];
    const client = {
      resourceFor: async (apiVersion: string, kind: string) => knownResource(apiVersion, kind),
      get: async (p: string) => objects[p],
      apply: async (o: HTTPRoute, fieldManager: string) => {
        calls.push(`apply ${o.kind}/${o.metadata.name} as ${fieldManager}: ${describeWeights(o)}`);
        // What a controller would report on the new generation.
        const applied = live(o, 3, [
          { type: 'Accepted', status: 'True', observedGeneration: 3 },
          { type: 'ResolvedRefs', status: 'True', observedGeneration: 3 },
        ]);
        objects[ROUTE] = applied;
        return applied;
      },
      delete: async (p: string) => {
        calls.push(`delete ${p}`);
        const had = p in objects;
        delete objects[p];
        return had;
      },
    } as unknown as KubeClient;
    const state: CleanupState = {
      command: 'release',
      model: 'iris',
      namespace: 'models',
      created: ['Service/iris-canary', 'Deployment/iris-canary'],
      lockHeld: false,
      routes: [{ name: 'iris', fieldManager: 'mc-team' }],
    };
    const lines: string[] = [];
    const done = await runPost(JSON.stringify(state), { info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`) }, { client });
    expect(calls).toEqual([`apply HTTPRoute/iris as mc-team: iris-stable=100`, `delete ${DEPLOY}`, `delete ${SVC}`]);
    expect(done[0]).toBe('sent all traffic of HTTPRoute/iris back to stable');
    // Twice is harmless: the route sends nothing to a canary any more, the objects are gone.
    calls.length = 0;
    const again = await runPost(JSON.stringify(state), { info: () => undefined, warn: () => undefined }, { client });
    expect(calls.filter((c) => c.startsWith('apply'))).toEqual([]);
    expect(again).toEqual(['HTTPRoute/iris sends nothing to a canary', 'already gone: Deployment/iris-canary', 'already gone: Service/iris-canary']);
  });
});
