import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import type { StageContext } from '../../src/core/context.js';
import { accessRefusal, checkReleaseAccess } from '../../src/deploy/preflight.js';
import { requiredAccess, resourceLabel, type AccessNeed } from '../../src/deploy/required-access.js';
import { ModelCanaryError } from '../../src/errors.js';
import type { KubeClient, KubeObject } from '../../src/kube/client.js';
import type { KubeSession } from '../../src/kube/session.js';
import { knownResource } from '../../src/kube/resources.js';
import { MemoryHost } from '../helpers/memory-host.js';

// The permission preflight: what a release needs, derived from the config and the rendered objects, checked
// against docs/rbac.yaml itself, and the refusal a Role that lacks some of it gets before anything is applied.

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const RBAC = path.join(import.meta.dirname, '..', '..', 'docs', 'rbac.yaml');
const documentedRules = (): Rule[] => {
  const docs = parseAllDocuments(readFileSync(RBAC, 'utf8')).map((d) => d.toJS() as { kind: string; rules?: Rule[] });
  return docs.find((d) => d.kind === 'Role')?.rules ?? [];
};

const grants = (rules: readonly Rule[], n: Pick<AccessNeed, 'verb' | 'group' | 'resource' | 'subresource'>): boolean => {
  const resource = n.subresource ? `${n.resource}/${n.subresource}` : n.resource;
  return rules.some((r) => r.apiGroups.includes(n.group) && r.resources.includes(resource) && r.verbs.includes(n.verb));
};

const config = (patch: { strategy?: Config['canary']['strategy']; smoke?: boolean; analysisMs?: number; rps?: number } = {}): Config =>
  ({
    model: { name: 'iris', version: '1.0.0' },
    cluster: { namespace: 'models', fieldManager: 'model-canary' },
    canary: {
      strategy: patch.strategy ?? 'replicas',
      replicas: 1,
      weight: 10,
      readinessTimeoutMs: 1000,
      maxRestarts: 1,
      lockTimeoutMs: 1000,
      gateway: { name: 'gw' },
    },
    smoke: { enabled: patch.smoke ?? true },
    analysis: { durationMs: patch.analysisMs ?? 120_000, load: { rps: patch.rps ?? 5 } },
    decide: { mode: 'auto', onFailure: 'rollback', historyLimit: 10 },
    run: { runId: 'run-1' },
  }) as unknown as Config;

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

/** The builtin chart's objects, as the render stage gives them (no namespace: the release's). */
const builtin = (): KubeObject[] => [
  obj('v1', 'ServiceAccount', 'iris'),
  obj('v1', 'ConfigMap', 'iris-settings'),
  obj('v1', 'Service', 'iris'),
  obj('apps/v1', 'Deployment', 'iris'),
  obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'iris'),
  obj('policy/v1', 'PodDisruptionBudget', 'iris'),
  obj('networking.k8s.io/v1', 'NetworkPolicy', 'iris'),
];
const isvc = (): KubeObject[] => [obj('serving.kserve.io/v1beta1', 'InferenceService', 'iris')];

const labels = (needs: readonly AccessNeed[], which: 'required' | 'optional' = 'required'): string[] =>
  needs
    .filter((n) => (which === 'optional') === (n.optional !== undefined))
    .map((n) => `${n.verb} ${resourceLabel(n)}${n.namespace ? ` @${n.namespace}` : ''}`);

describe('requiredAccess', () => {
  it('strategy replicas: apply, gate, smoke, promote, rollback, history and lock, in the release namespace', () => {
    const needs = labels(requiredAccess(config(), builtin()));
    for (const kind of [
      'serviceaccounts',
      'configmaps',
      'services',
      'deployments.apps',
      'horizontalpodautoscalers.autoscaling',
      'poddisruptionbudgets.policy',
      'networkpolicies.networking.k8s.io',
    ]) {
      for (const verb of ['get', 'create', 'patch', 'delete']) expect(needs).toContain(`${verb} ${kind} @models`);
    }
    expect(needs).toEqual(
      expect.arrayContaining([
        'get leases.coordination.k8s.io @models',
        'create leases.coordination.k8s.io @models',
        'update leases.coordination.k8s.io @models',
        'delete leases.coordination.k8s.io @models',
        'list replicasets.apps @models',
        'list pods @models',
        'watch pods @models',
        'list events @models',
        'watch events @models',
        'list horizontalpodautoscalers.autoscaling @models',
        'get pods/proxy @models',
        'create pods/proxy @models',
      ]),
    );
    expect(needs.some((n) => n.includes('httproutes') || n.includes('inferenceservices'))).toBe(false);
    // Only the gate's log lines can go without: a warning, not a refusal.
    expect(labels(requiredAccess(config(), builtin()), 'optional')).toEqual(['get pods/log @models']);
    // The smoke stage needs one of two ways to the pods.
    const routes = requiredAccess(config(), builtin())
      .filter((n) => n.route)
      .map((n) => `${n.route?.name}: ${n.verb} ${resourceLabel(n)}`);
    expect(routes).toEqual([
      "the API server's pods proxy: get pods/proxy",
      "the API server's pods proxy: create pods/proxy",
      'kubectl port-forward: get pods',
      'kubectl port-forward: create pods/portforward',
    ]);
    expect(new Set(needs).size).toBe(needs.length);
  });

  it('says what uses each permission, once', () => {
    const del = requiredAccess(config(), builtin()).find((n) => n.verb === 'delete' && n.resource === 'deployments');
    expect(del?.uses).toEqual(['removing a failed first release', 'removing the canary (rollback, promotion, cleanup)']);
    expect(del?.group).toBe('apps');
  });

  it('strategy traffic adds the tracks Services and the HTTPRoute', () => {
    const needs = labels(requiredAccess(config({ strategy: 'traffic' }), builtin()));
    for (const verb of ['get', 'create', 'patch', 'delete']) expect(needs).toContain(`${verb} httproutes.gateway.networking.k8s.io @models`);
    expect(needs).toContain('list services @models');
  });

  it('strategy kserve needs the InferenceService, no pods of its own and no smoke access', () => {
    const needs = labels(requiredAccess(config({ strategy: 'kserve' }), isvc()));
    for (const verb of ['get', 'create', 'patch', 'delete']) expect(needs).toContain(`${verb} inferenceservices.serving.kserve.io @models`);
    expect(needs.some((n) => n.includes('pods') || n.includes('replicasets') || n.includes('deployments'))).toBe(false);
    expect(needs).toContain('delete leases.coordination.k8s.io @models');
  });

  it('asks nothing of the pods proxy when neither smoke nor a paired load reaches the pods', () => {
    const needs = requiredAccess(config({ smoke: false, analysisMs: 0 }), builtin());
    expect(needs.some((n) => n.subresource === 'proxy' || n.subresource === 'portforward')).toBe(false);
    expect(requiredAccess(config({ smoke: false, analysisMs: 60_000, rps: 2 }), builtin()).some((n) => n.subresource === 'proxy')).toBe(true);
  });

  it("keeps an object's own namespace, a cluster-scoped kind's scope, and a discovered kind's plural", () => {
    const objects = [
      obj('v1', 'Namespace', 'team'),
      obj('v1', 'ConfigMap', 'shared', 'platform'),
      obj('monitoring.coreos.com/v1', 'ServiceMonitor', 'iris'),
      ...builtin(),
    ];
    const lookup = (apiVersion: string, kind: string) =>
      kind === 'ServiceMonitor' ? { apiVersion, plural: 'servicemonitors', namespaced: true } : knownResource(apiVersion, kind);
    const needs = labels(requiredAccess(config(), objects, lookup));
    expect(needs).toEqual(
      expect.arrayContaining(['create namespaces', 'delete namespaces', 'patch configmaps @platform', 'patch servicemonitors.monitoring.coreos.com @models']),
    );
    expect(() => requiredAccess(config(), [obj('example.com/v1', 'Widget', 'w')])).toThrow(/API discovery/);
  });

  it('asks for nothing docs/rbac.yaml does not grant (every strategy, fallbacks included)', () => {
    const rules = documentedRules();
    const cases = [
      requiredAccess(config(), builtin()),
      requiredAccess(config({ strategy: 'traffic' }), builtin()),
      requiredAccess(config({ strategy: 'kserve' }), [...isvc(), obj('v1', 'ConfigMap', 'c')]),
    ];
    for (const needs of cases) expect(needs.filter((n) => !grants(rules, n)).map((n) => `${n.verb} ${resourceLabel(n)}`)).toEqual([]);
  });
});

/** A client whose API server answers SelfSubjectAccessReviews from a Role's rules, and records anything else. */
function fakeCluster(
  rules: readonly Rule[],
  answer?: { status: number; body: unknown },
): { client: KubeClient; changes: string[]; reviews: AccessNeed[]; maxInFlight: () => number } {
  const changes: string[] = [];
  const reviews: AccessNeed[] = [];
  let inFlight = 0;
  let most = 0;
  const client = {
    resourceFor: async (apiVersion: string, kind: string) => knownResource(apiVersion, kind),
    create: async (o: KubeObject & { spec?: { resourceAttributes?: AccessNeed } }) => {
      if (o.kind !== 'SelfSubjectAccessReview') {
        changes.push(`create ${o.kind}`);
        return { created: true, object: o };
      }
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (answer) return { created: false, ...answer };
      const a = o.spec?.resourceAttributes as AccessNeed;
      reviews.push(a);
      const allowed = grants(rules, a);
      return { created: true, object: { ...o, status: { allowed, ...(allowed ? {} : { reason: '' }) } } };
    },
    apply: async (o: KubeObject) => void changes.push(`apply ${o.kind}`),
    delete: async (p: string) => void changes.push(`delete ${p}`),
  } as unknown as KubeClient;
  return { client, changes, reviews, maxInFlight: () => most };
}

const contextFor = (client: KubeClient): { ctx: StageContext; host: MemoryHost } => {
  const host = new MemoryHost();
  const ctx = { host, kube: { client: async () => client } as unknown as KubeSession } as unknown as StageContext;
  return { ctx, host };
};

/** The rules with some verbs taken off one resource. */
const without = (resource: string, verbs: string[], rules = documentedRules()): Rule[] =>
  rules.flatMap((r) =>
    !r.resources.includes(resource)
      ? [r]
      : [
          { ...r, resources: [resource], verbs: r.verbs.filter((v) => !verbs.includes(v)) },
          ...(r.resources.length > 1 ? [{ ...r, resources: r.resources.filter((x) => x !== resource) }] : []),
        ],
  );

describe('checkReleaseAccess', () => {
  it('passes with the Role of docs/rbac.yaml, every review sent at once', async () => {
    const cluster = fakeCluster(documentedRules());
    const { ctx, host } = contextFor(cluster.client);
    await checkReleaseAccess(config(), builtin(), ctx);
    expect(cluster.reviews.length).toBe(requiredAccess(config(), builtin()).length);
    expect(cluster.maxInFlight()).toBe(cluster.reviews.length);
    expect(cluster.changes).toEqual([]);
    expect(host.log).toMatch(/Permissions checked before applying: \d+ of \d+ allowed/);
    expect(host.log).not.toContain('warning');
  });

  it('refuses a Role without delete on deployments, naming verb, resource with group and namespace, before anything is applied', async () => {
    const cluster = fakeCluster(without('deployments', ['delete']));
    const { ctx } = contextFor(cluster.client);
    const err = await checkReleaseAccess(config(), builtin(), ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelCanaryError);
    const refusal = err as ModelCanaryError;
    expect(refusal.kind).toBe('cluster');
    expect(refusal.message).toContain('lacks 1 permission(s)');
    expect(refusal.message).toContain(
      '- delete deployments.apps in namespace models (removing a failed first release; removing the canary (rollback, promotion, cleanup))',
    );
    expect(refusal.message).toContain('nothing was applied');
    expect(refusal.hint).toContain('docs/rbac.yaml');
    expect(refusal.hint).toContain(['- apiGroups:', '    - apps', '  resources:', '    - deployments', '  verbs:', '    - delete'].join('\n'));
    expect(cluster.changes).toEqual([]);
  });

  it('names every missing permission of several resources and namespaces', () => {
    const need = (verb: string, group: string, resource: string, namespace?: string, subresource?: string): AccessNeed => ({
      verb,
      group,
      resource,
      ...(subresource ? { subresource } : {}),
      ...(namespace ? { namespace } : {}),
      uses: ['x'],
    });
    const err = accessRefusal([
      need('delete', 'apps', 'deployments', 'models'),
      need('patch', 'apps', 'deployments', 'models'),
      need('create', '', 'pods', 'models', 'proxy'),
      need('get', '', 'configmaps', 'platform'),
      need('create', '', 'namespaces'),
    ]);
    expect(err.message).toContain('lacks 5 permission(s)');
    for (const line of [
      'delete deployments.apps in namespace models',
      'patch deployments.apps in namespace models',
      'create pods/proxy in namespace models',
      'get configmaps in namespace platform',
      'create namespaces (cluster-wide)',
    ])
      expect(err.message).toContain(`- ${line} (x)`);
    expect(err.hint).toContain('the Role in namespace models');
    expect(err.hint).toContain('the Role in namespace platform');
    expect(err.hint).toContain('a ClusterRole');
    expect(err.hint).toContain(['    - delete', '    - patch'].join('\n'));
    expect(err.hint).toContain('- pods/proxy');
    expect(err.hint).toContain('- ""');
  });

  it('only warns when one way to the pods is left, or a nicety (log lines) is missing', async () => {
    const cluster = fakeCluster(without('pods/log', ['get'], without('pods', ['get'], without('pods/portforward', ['create']))));
    const { ctx, host } = contextFor(cluster.client);
    await checkReleaseAccess(config(), builtin(), ctx);
    expect(host.log).toContain(
      "may not get pods in namespace models, nor create pods/portforward in namespace models: the smoke stage cannot go through kubectl port-forward, only through the API server's pods proxy.",
    );
    expect(host.log).toContain("may not get pods/log in namespace models: the gate's failure messages will not quote the container's last log lines.");
    expect(host.log).toMatch(/Permissions checked before applying: \d+ of \d+ allowed by the API server \(3 denied, each a warning above\)\./);

    const noProxy = contextFor(fakeCluster(without('pods/proxy', ['get', 'create'])).client);
    await checkReleaseAccess(config(), builtin(), noProxy.ctx);
    expect(noProxy.host.log).toContain(
      "may not get pods/proxy in namespace models, nor create pods/proxy in namespace models: the smoke stage cannot go through the API server's pods proxy, only through kubectl port-forward.",
    );
  });

  it('refuses when neither the pods proxy nor port-forward is allowed, asking for the proxy and naming the other way', async () => {
    const cluster = fakeCluster(without('pods/proxy', ['create'], without('pods/portforward', ['create'])));
    const { ctx } = contextFor(cluster.client);
    const err = (await checkReleaseAccess(config(), builtin(), ctx).catch((e: unknown) => e)) as ModelCanaryError;
    expect(err).toBeInstanceOf(ModelCanaryError);
    expect(err.message).toContain('lacks 1 permission(s)');
    expect(err.message).toContain(
      "- create pods/proxy in namespace models (the smoke stage through the API server's pods proxy; or instead kubectl port-forward: get pods, create pods/portforward)",
    );
    expect(err.hint).toContain('- pods/proxy');
    expect(err.hint).not.toContain('portforward');
  });

  it('goes on with a warning when the API server will not answer the reviews themselves', async () => {
    const cluster = fakeCluster([], { status: 403, body: { message: 'selfsubjectaccessreviews is forbidden' } });
    const { ctx, host } = contextFor(cluster.client);
    await checkReleaseAccess(config(), builtin(), ctx);
    expect(host.log).toMatch(/Could not check \d+ of the \d+ permission\(s\).*HTTP 403: selfsubjectaccessreviews is forbidden.*system:basic-user/);
  });
});
