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
