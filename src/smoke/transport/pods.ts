import type { KubeClient, KubeObject } from '../../kube/client.js';
import { ModelCanaryError } from '../../errors.js';
import type { PodTarget } from './channel.js';
import { apiPath } from '../../kube/resources.js';

const REVISION = 'deployment.kubernetes.io/revision';

interface Owned extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { uid: string; controller?: boolean }[]; deletionTimestamp?: string };
}
interface Deployment extends Owned {
  spec: { selector: { matchLabels?: Record<string, string> } };
}
interface ReplicaSet extends Owned {
  spec: { selector: { matchLabels?: Record<string, string> } };
}
interface Pod extends Owned {
  status?: { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] };
}

/** The Deployment's current ReplicaSet and its Ready pods. */
export interface CurrentPods {
  deployment: string;
  revision: string;
  replicaSet: string;
  /** The label selector of the current ReplicaSet's pods (pod-template-hash included). */
  podSelector: string;
  ready: PodTarget[];
  /** Pods of the current ReplicaSet that are not Ready (named in the log). */
  notReady: string[];
}

const selector = (labels: Record<string, string> | undefined): string =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const ownedBy = (o: Owned, uid: string | undefined): boolean => (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.controller !== false);

/**
 * Finds the Ready pods of a Deployment's CURRENT ReplicaSet: the one owned by the Deployment whose
 * deployment.kubernetes.io/revision annotation equals the Deployment's. Labels alone would also match
 * the pods of an older ReplicaSet still terminating during a rollout. Undefined when the Deployment
 * does not exist.
 */
export async function currentPods(client: KubeClient, namespace: string, name: string, port: number): Promise<CurrentPods | undefined> {
  const deployment = await client.get<Deployment>(apiPath('Deployment', namespace, name));
  if (!deployment) return undefined;
  const revision = deployment.metadata.annotations?.[REVISION];
  if (!revision) {
    throw new ModelCanaryError(
      'cluster',
      `Deployment ${namespace}/${name} has no ${REVISION} annotation yet.`,
      'Wait until the Deployment controller has handled it (kubectl rollout status), then run again.',
    );
  }
  const sets = await client.list<ReplicaSet>(apiPath('ReplicaSet', namespace), selector(deployment.spec.selector.matchLabels));
  const current = sets.items.filter((rs) => ownedBy(rs, deployment.metadata.uid) && rs.metadata.annotations?.[REVISION] === revision);
  const rs = current[0];
  if (!rs || current.length > 1) {
    throw new ModelCanaryError(
      'cluster',
      `Deployment ${namespace}/${name} revision ${revision} has ${current.length} ReplicaSets; expected one.`,
      'Wait for the rollout to settle (kubectl rollout status), then run again.',
    );
  }
  const podSelector = selector(rs.spec.selector.matchLabels);
  const pods = await client.list<Pod>(apiPath('Pod', namespace), podSelector);
  const ready: PodTarget[] = [];
  const notReady: string[] = [];
  for (const pod of pods.items.filter((p) => ownedBy(p, rs.metadata.uid))) {
    const isReady =
      !pod.metadata.deletionTimestamp && pod.status?.podIP && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    if (isReady && pod.status?.podIP) ready.push({ name: pod.metadata.name, namespace, ip: pod.status.podIP, port });
    else notReady.push(pod.metadata.name);
  }
  ready.sort((a, b) => a.name.localeCompare(b.name));
  return { deployment: name, revision, replicaSet: rs.metadata.name, podSelector, ready, notReady };
}
