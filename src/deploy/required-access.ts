import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeObject } from '../kube/client.js';
import { knownResource, type ResourceInfo } from '../kube/resources.js';

/**
 * What a release will ask of the API server, as data: one entry per verb and resource, derived from the
 * config and the rendered objects before anything is applied, so a Role that lacks one refuses the release
 * up front instead of half-way (a canary applied that cannot be removed).
 */
export interface AccessNeed {
  verb: string;
  /** The API group; '' is the core group. */
  group: string;
  resource: string;
  subresource?: string;
  /** Undefined for a cluster-scoped resource. */
  namespace?: string;
  /** What uses it, for the messages. */
  uses: string[];
  /** Only a nicety uses it: missing, it is a warning that says what goes without it. */
  optional?: string;
  /**
   * One of several ways to do something (the smoke stage reaches pods through the API server's pods proxy
   * or through kubectl port-forward): the release needs every need of at least one route of a purpose.
   */
  route?: AccessRoute;
}

export interface AccessRoute {
  purpose: string;
  /** The first route of a purpose is the one the refusal asks for. */
  name: string;
}

/** Where a kind lives (plural, scope): the known table, or what API discovery found for the rendered objects. */
export type ResourceLookup = (apiVersion: string, kind: string) => ResourceInfo | undefined;

const CORE = '';
const APPLY = ['get', 'create', 'patch'] as const;

/** How messages and Roles name a resource: `deployments.apps`, `pods/portforward`. */
export function resourceLabel(need: Pick<AccessNeed, 'group' | 'resource' | 'subresource'>): string {
  return `${need.resource}${need.subresource ? `/${need.subresource}` : ''}${need.group ? `.${need.group}` : ''}`;
}

const accessKey = (n: Omit<AccessNeed, 'uses' | 'optional'>): string => `${n.verb} ${resourceLabel(n)} ${n.namespace ?? ''}`;

/** The group of an apiVersion: `apps/v1` → `apps`, `v1` → the core group. */
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : CORE);

export function requiredAccess(config: Config, objects: readonly KubeObject[], lookup: ResourceLookup = knownResource): AccessNeed[] {
  const ns = config.cluster.namespace;
  const needs = new Map<string, AccessNeed>();
  // extra.namespace: the release's namespace unless given; null for a cluster-scoped resource.
  const add = (
    verbs: readonly string[],
    group: string,
    resource: string,
    use: string,
    extra: { subresource?: string; namespace?: string | null; optional?: string; route?: AccessRoute } = {},
  ): void => {
    const namespace = extra.namespace === null ? undefined : (extra.namespace ?? ns);
    for (const verb of verbs) {
      const need: AccessNeed = {
        verb,
        group,
        resource,
        ...(extra.subresource ? { subresource: extra.subresource } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
        uses: [use],
      };
      const key = accessKey(need);
      const seen = needs.get(key);
      if (!seen) {
        needs.set(key, { ...need, ...(extra.optional ? { optional: extra.optional } : {}), ...(extra.route ? { route: extra.route } : {}) });
        continue;
      }
      if (!seen.uses.includes(use)) seen.uses.push(use);
      // Needed for itself by anything makes it required.
      if (!extra.optional) delete seen.optional;
      if (!extra.route) delete seen.route;
    }
  };

  add(['get', 'create', 'update', 'delete'], 'coordination.k8s.io', 'leases', 'the release lock');
  add(['get', 'create', 'patch'], CORE, 'configmaps', 'the release history');

  const strategy = config.canary.strategy;
  for (const o of objects) {
    const info = lookup(o.apiVersion, o.kind);
    if (!info)
      throw new ModelCanaryError('internal', `requiredAccess: no resource known for ${o.apiVersion} ${o.kind}; resolve it through API discovery first.`);
    const where = info.namespaced ? (o.metadata.namespace ?? ns) : null;
    add(APPLY, groupOf(o.apiVersion), info.plural, `applying ${o.kind}/${o.metadata.name}`, { namespace: where });
    add(['delete'], groupOf(o.apiVersion), info.plural, 'removing a failed first release', { namespace: where });
  }

  if (strategy === 'kserve') {
    add(['get'], 'serving.kserve.io', 'inferenceservices', "the InferenceService's conditions (the gate)");
    return [...needs.values()];
  }

  add(['get', 'patch'], 'apps', 'deployments', 'the canary Deployment and the promoted stable');
  add(['create'], 'apps', 'deployments', 'the canary Deployment');
  add(['delete'], 'apps', 'deployments', 'removing the canary (rollback, promotion, cleanup)');
  add(['list'], 'apps', 'replicasets', "the readiness gate (the Deployment's current ReplicaSet)");
  add(['list', 'watch'], CORE, 'pods', 'the readiness gate and the analysis pod watch');
  add(['list', 'watch'], CORE, 'events', 'the readiness gate');
  add(['get'], CORE, 'pods', "the gate's failure message", {
    subresource: 'log',
    optional: "the gate's failure messages will not quote the container's last log lines",
  });
  add(['list'], 'autoscaling', 'horizontalpodautoscalers', 'promotion (is stable scaled by an HPA?)');

  if (strategy === 'traffic') {
    add([...APPLY, 'delete'], CORE, 'services', "the stable and canary tracks' Services");
    add(['list'], CORE, 'services', "finding the canary's Services to remove");
    add([...APPLY, 'delete'], 'gateway.networking.k8s.io', 'httproutes', "the HTTPRoute's weights");
  }

  const analysed = config.analysis.durationMs > 0 && (config.analysis.load.rps > 0 || config.canary.gateway?.url !== undefined);
  if (config.smoke.enabled || analysed) {
    // The smoke stage and the paired load send through the pods proxy, and switch to port-forward when it is refused.
    const purpose = config.smoke.enabled ? 'the smoke stage' : "the analysis window's paired load";
    const proxy: AccessRoute = { purpose, name: "the API server's pods proxy" };
    const portForward: AccessRoute = { purpose, name: 'kubectl port-forward' };
    add(['get', 'create'], CORE, 'pods', `${purpose} through ${proxy.name}`, { subresource: 'proxy', route: proxy });
    add(['get'], CORE, 'pods', `${purpose} through ${portForward.name}`, { route: portForward });
    add(['create'], CORE, 'pods', `${purpose} through ${portForward.name}`, { subresource: 'portforward', route: portForward });
  }
  return [...needs.values()];
}
