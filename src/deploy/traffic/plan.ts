import { ModelCanaryError } from '../../errors.js';
import type { KubeObject } from '../../kube/client.js';
import { CANARY_OF, canaryName, isCanaryName, TRACK } from '../canary-plan.js';
import type { Deployment } from '../types.js';

/**
 * The objects of the `traffic` strategy, as pure data: a Service per track (selecting `track: stable` /
 * `track: canary`) and a Gateway API HTTPRoute whose backendRefs split traffic between them by weight.
 * Nothing here talks to the cluster.
 */
export const HTTPROUTE_API = 'gateway.networking.k8s.io/v1';
export const STABLE_SUFFIX = '-stable';
/** On the HTTPRoute: the canary Service its weights send to (the post step and rollback look it up). */
export const CANARY_BACKEND = 'model-canary.dev/canary-backend';

export interface Service extends KubeObject {
  spec: {
    selector?: Record<string, string>;
    ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[];
    type?: string;
    [k: string]: unknown;
  };
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
}

export interface RouteRule {
  matches?: unknown[];
  backendRefs?: BackendRef[];
  [k: string]: unknown;
}

export interface RouteCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface HTTPRoute extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  spec: {
    parentRefs?: { group?: string; kind?: string; name: string; namespace?: string; sectionName?: string }[];
    hostnames?: string[];
    rules?: RouteRule[];
    [k: string]: unknown;
  };
  status?: {
    parents?: { parentRef: { name: string; namespace?: string }; controllerName?: string; conditions?: RouteCondition[] }[];
  };
}

export interface Gateway {
  name: string;
  namespace?: string;
}

/** The track Services and the route, derived from the rendered objects and the stable Deployment. */
export interface TrafficPlan {
  route: string;
  stableService: Service;
  canaryService: Service;
  port: number;
}

export interface TrafficInput {
  objects: readonly KubeObject[];
  /** The model's (stable) Deployment among the rendered objects. */
  stable: Deployment;
  namespace: string;
}

export const isService = (o: KubeObject): o is Service => o.kind === 'Service' && o.apiVersion === 'v1';

/**
 * The rendered Service of the model: the one whose selector matches the stable Deployment's pod labels.
 * Its ports and selector are copied into the track Services; it is itself left as rendered.
 */
export function modelService(objects: readonly KubeObject[], stable: Deployment): Service {
  const podLabels = stable.spec.template.metadata?.labels ?? {};
  const services = objects.filter(isService).filter((s) => {
    const selector = s.spec.selector ?? {};
    return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => k === TRACK || podLabels[k] === v);
  });
  const found = services[0];
  if (services.length !== 1 || !found || (found.spec.ports ?? []).length === 0) {
    throw new ModelCanaryError(
      'user',
      `The strategy traffic needs exactly one Service with a port selecting the pods of Deployment ${stable.metadata.name}; found ${services.length} (${services.map((s) => s.metadata.name).join(', ') || 'none'}).`,
      'Render one Service for the model server (the builtin chart does with service.enabled true); model-canary derives the stable and canary Services the HTTPRoute sends to from it.',
    );
  }
  return found;
}

export function planTraffic(input: TrafficInput): TrafficPlan {
  const service = modelService(input.objects, input.stable);
  const stableTrack = input.stable.spec.selector.matchLabels?.[TRACK] ?? 'stable';
  const port = service.spec.ports?.[0]?.port ?? 0;
  return {
    route: input.stable.metadata.name,
    stableService: trackService(service, `${service.metadata.name}${STABLE_SUFFIX}`, stableTrack, input.namespace, input.stable.metadata.name),
    canaryService: trackService(service, canaryName(service.metadata.name), 'canary', input.namespace, input.stable.metadata.name),
    port,
  };
}

/** A copy of the model's Service that selects one track only (ClusterIP, the same ports). */
export function trackService(service: Service, name: string, track: string, namespace: string, stable: string): Service {
  const ports = (service.spec.ports ?? []).map((p) => ({ ...p }));
  const labels = { ...service.metadata.labels, [TRACK]: track };
  const metadata: Service['metadata'] = { name, namespace, labels };
  if (track === 'canary') metadata.annotations = { [CANARY_OF]: stable };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { type: 'ClusterIP', selector: { ...service.spec.selector, [TRACK]: track }, ports },
  };
}

/**
 * The HTTPRoute: attached to the Gateway, matching the host names given (all the listener accepts when
 * none), one rule sending `weight` percent to the canary Service and the rest to the stable one. With
 * weight undefined, all traffic goes to stable and the canary is not referenced at all.
 */
export function httpRoute(args: {
  name: string;
  namespace: string;
  gateway: Gateway;
  hostnames?: readonly string[];
  stableService: string;
  canaryService: string;
  port: number;
  weight?: number;
  labels?: Record<string, string>;
}): HTTPRoute {
  const parentRef: { group: string; kind: string; name: string; namespace?: string } = {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: args.gateway.name,
  };
  if (args.gateway.namespace) parentRef.namespace = args.gateway.namespace;
  const backendRefs: BackendRef[] = [{ name: args.stableService, port: args.port, weight: 100 - (args.weight ?? 0) }];
  if (args.weight !== undefined) backendRefs.push({ name: args.canaryService, port: args.port, weight: args.weight });
  const spec: HTTPRoute['spec'] = {
    parentRefs: [parentRef],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs }],
  };
  if (args.hostnames && args.hostnames.length > 0) spec.hostnames = [...args.hostnames];
  return {
    apiVersion: HTTPROUTE_API,
    kind: 'HTTPRoute',
    metadata: {
      name: args.name,
      namespace: args.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'model-canary', ...args.labels },
      annotations: { [CANARY_BACKEND]: args.canaryService },
    },
    spec,
  };
}

/**
 * A live route with all traffic sent back to stable: every backendRef to the canary Service (named in the
 * route's annotation, else `<stable>-canary`) removed, and the remaining backends weighted as before but
 * scaled so they carry everything. What rollback, promote and the post step apply. Returns undefined when
 * the route sends nothing to the canary (nothing to restore).
 */
export function routeToStable(live: HTTPRoute): HTTPRoute | undefined {
  const canary = live.metadata.annotations?.[CANARY_BACKEND];
  const isCanary = (b: BackendRef): boolean => (canary !== undefined ? b.name === canary : isCanaryName(b.name));
  const rules = live.spec.rules ?? [];
  if (!rules.some((r) => (r.backendRefs ?? []).some(isCanary))) return undefined;
  const route = cleanRoute(live);
  route.spec.rules = (route.spec.rules ?? []).map((rule) => {
    const kept = (rule.backendRefs ?? []).filter((b) => !isCanary(b));
    if (kept.length === 0) {
      throw new ModelCanaryError(
        'user',
        `HTTPRoute ${live.metadata.name} has a rule that sends only to the canary ${canary ?? ''}; there is no stable backend to send its traffic back to.`,
        'Fix the route by hand (give the rule a stable backendRef), then run command rollback again.',
      );
    }
    const total = kept.reduce((sum, b) => sum + (b.weight ?? 1), 0);
    // One stable backend takes 100; several keep their split (all equal when every weight was 0).
    return { ...rule, backendRefs: kept.map((b) => ({ ...b, weight: kept.length === 1 ? 100 : total === 0 ? 1 : (b.weight ?? 1) })) };
  });
  return route;
}

/** The weights a route gives each backend, per rule, for messages and tests: `iris-stable=80, iris-canary=20`. */
export function describeWeights(route: HTTPRoute): string {
  return (route.spec.rules ?? []).map((r) => (r.backendRefs ?? []).map((b) => `${b.name}=${b.weight ?? 1}`).join(', ')).join('; ');
}

/** The share (0..1) of a rule's traffic the named backend gets. */
export function backendShare(route: HTTPRoute, backend: string): number {
  const refs = route.spec.rules?.[0]?.backendRefs ?? [];
  const total = refs.reduce((sum, b) => sum + (b.weight ?? 1), 0);
  const mine = refs.filter((b) => b.name === backend).reduce((sum, b) => sum + (b.weight ?? 1), 0);
  return total === 0 ? 0 : mine / total;
}

/** The route's condition from the controller of the given Gateway, at the route's current generation. */
export function routeCondition(route: HTTPRoute, gateway: Gateway, type: string): RouteCondition | undefined {
  const generation = route.metadata.generation;
  for (const parent of route.status?.parents ?? []) {
    if (parent.parentRef.name !== gateway.name) continue;
    if (gateway.namespace && parent.parentRef.namespace && parent.parentRef.namespace !== gateway.namespace) continue;
    const c = (parent.conditions ?? []).find((x) => x.type === type);
    if (c && (generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= generation)) return c;
  }
  return undefined;
}

/**
 * What the Gateway's controller says of the route now: accepted with its backends resolved (`ready`), a
 * refusal (`refused`, with the reason) or nothing yet at this generation (`pending`).
 */
export function routeState(route: HTTPRoute, gateway: Gateway): { state: 'ready' } | { state: 'pending' } | { state: 'refused'; reason: string } {
  const accepted = routeCondition(route, gateway, 'Accepted');
  if (!accepted) return { state: 'pending' };
  if (accepted.status === 'False')
    return { state: 'refused', reason: `not Accepted: ${accepted.reason ?? ''}${accepted.message ? ` (${accepted.message})` : ''}` };
  const resolved = routeCondition(route, gateway, 'ResolvedRefs');
  if (resolved?.status === 'False')
    return { state: 'refused', reason: `ResolvedRefs False: ${resolved.reason ?? ''}${resolved.message ? ` (${resolved.message})` : ''}` };
  if (accepted.status === 'True' && resolved?.status !== 'Unknown') return { state: 'ready' };
  return { state: 'pending' };
}

/** The parent gateway of a route as the live route names it (for the post step, which has no config). */
export function routeGateway(route: HTTPRoute): Gateway | undefined {
  const ref = route.spec.parentRefs?.[0];
  if (!ref) return undefined;
  return ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
}

/** A live route fit to apply again: what the server owns removed. */
export function cleanRoute(live: HTTPRoute): HTTPRoute {
  const copy = structuredClone(live);
  const { name, namespace, labels, annotations } = copy.metadata;
  const kept = { ...annotations };
  delete kept['kubectl.kubernetes.io/last-applied-configuration'];
  const metadata: HTTPRoute['metadata'] = { name };
  if (namespace) metadata.namespace = namespace;
  if (labels) metadata.labels = labels;
  if (Object.keys(kept).length > 0) metadata.annotations = kept;
  return { apiVersion: copy.apiVersion, kind: copy.kind, metadata, spec: copy.spec };
}
