/** Where a kind lives in the API: group/version, plural, namespaced. */
export interface ResourceInfo {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

/** The kinds model-canary applies and reads; anything else is found through API discovery. */
const KNOWN: Record<string, ResourceInfo> = {
  'v1/Pod': { apiVersion: 'v1', plural: 'pods', namespaced: true },
  'v1/Service': { apiVersion: 'v1', plural: 'services', namespaced: true },
  'v1/ConfigMap': { apiVersion: 'v1', plural: 'configmaps', namespaced: true },
  'v1/Secret': { apiVersion: 'v1', plural: 'secrets', namespaced: true },
  'v1/ServiceAccount': { apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true },
  'v1/Event': { apiVersion: 'v1', plural: 'events', namespaced: true },
  'v1/Namespace': { apiVersion: 'v1', plural: 'namespaces', namespaced: false },
  'apps/v1/Deployment': { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
  'apps/v1/ReplicaSet': { apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true },
  'autoscaling/v2/HorizontalPodAutoscaler': { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true },
  'policy/v1/PodDisruptionBudget': { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
  'networking.k8s.io/v1/NetworkPolicy': { apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  'coordination.k8s.io/v1/Lease': { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true },
  'gateway.networking.k8s.io/v1/HTTPRoute': { apiVersion: 'gateway.networking.k8s.io/v1', plural: 'httproutes', namespaced: true },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': { apiVersion: 'authorization.k8s.io/v1', plural: 'selfsubjectaccessreviews', namespaced: false },
  'serving.kserve.io/v1beta1/InferenceService': { apiVersion: 'serving.kserve.io/v1beta1', plural: 'inferenceservices', namespaced: true },
};

export function knownResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  return KNOWN[`${apiVersion}/${kind}`];
}

/** The API path of a collection or, with a name, of one object. */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** The kinds model-canary names in its own code (each in KNOWN), by kind alone. */
export type KnownKind =
  | 'Pod'
  | 'Service'
  | 'ConfigMap'
  | 'Secret'
  | 'ServiceAccount'
  | 'Event'
  | 'Deployment'
  | 'ReplicaSet'
  | 'HorizontalPodAutoscaler'
  | 'PodDisruptionBudget'
  | 'NetworkPolicy'
  | 'Lease'
  | 'HTTPRoute'
  | 'InferenceService';

const BY_KIND = Object.fromEntries(Object.entries(KNOWN).map(([key, info]) => [key.slice(key.lastIndexOf('/') + 1), info])) as Record<KnownKind, ResourceInfo>;

/** The group/version a known kind is served at (apps/v1 for Deployment). */
export function apiVersionOf(kind: KnownKind): string {
  return BY_KIND[kind].apiVersion;
}

/** Whether a kind name is one of the known kinds. */
export function isKnownKind(kind: string): kind is KnownKind {
  return Object.hasOwn(BY_KIND, kind);
}

/**
 * The API path of a known kind's collection in a namespace or, with a name, of one object, and with a
 * subresource (log, status) of it: every segment URL-encoded. The one place such paths are spelled.
 */
export function apiPath(kind: KnownKind, namespace: string, name?: string, subresource?: string): string {
  const path = resourcePath(BY_KIND[kind], namespace, name);
  return subresource && name ? `${path}/${subresource}` : path;
}
