import type { KubeObject } from '../kube/client.js';

/** The parts of Kubernetes objects the deployer reads, typed loosely: the API server fills the rest. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string; finishedAt?: string; startedAt?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: ContainerState;
  lastState?: ContainerState;
  image?: string;
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface Pod extends KubeObject {
  metadata: KubeObject['metadata'] & {
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: { uid: string; kind: string; name: string }[];
  };
  spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: {
    containers?: Container[];
    initContainers?: Container[];
    volumes?: Volume[];
    [k: string]: unknown;
  };
}

export interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  [k: string]: unknown;
}

export interface Volume {
  name: string;
  configMap?: { name: string };
  projected?: { sources?: { configMap?: { name: string } }[] };
  [k: string]: unknown;
}

export interface Deployment extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number; creationTimestamp?: string };
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> };
    template: PodTemplate;
    [k: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface ReplicaSet extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { uid: string; kind: string; name: string }[] };
  spec?: { replicas?: number };
}

export interface KubeEvent {
  metadata: { name: string; resourceVersion?: string };
  involvedObject: { kind?: string; name?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
}

export const isDeployment = (o: KubeObject): o is Deployment => o.kind === 'Deployment' && o.apiVersion === 'apps/v1';
