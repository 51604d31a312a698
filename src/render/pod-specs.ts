import { isRecord, objectId, type KubeObject } from './objects.js';

type Rec = Record<string, unknown>;

/** A pod spec inside an object, where it is, and what kind of workload it belongs to. */
export interface PodSpecAt {
  object: string;
  /** Path of the pod spec in the object, for example spec.template.spec. */
  path: string;
  spec: Rec;
  /** Serves until replaced (Deployment, StatefulSet, ...) rather than running to completion (Job). */
  longRunning: boolean;
  /** Readiness is the platform's (a KServe predictor), not a probe in the object. */
  platformReadiness: boolean;
}

/** A container of a pod spec. */
export interface ContainerAt {
  pod: PodSpecAt;
  /** Path of the container, for example spec.template.spec.containers[0]. */
  path: string;
  name: string;
  container: Rec;
  /** An init container that runs to completion (not a restartPolicy: Always sidecar). */
  init: boolean;
}

const LONG_RUNNING_TEMPLATES = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);
const KSERVE_COMPONENTS = ['predictor', 'transformer', 'explainer'];

/** The pod specs of an object: workloads, Jobs, CronJobs, Pods, KServe components, custom workloads. */
export function podSpecsOf(object: KubeObject): PodSpecAt[] {
  const spec = object['spec'];
  if (!isRecord(spec)) return [];
  const id = objectId(object);
  const at = (path: string, pod: unknown, longRunning: boolean, platformReadiness = false): PodSpecAt[] =>
    isRecord(pod) ? [{ object: id, path, spec: pod, longRunning, platformReadiness }] : [];
  const template = (s: unknown): unknown => (isRecord(s) && isRecord(s['template']) ? s['template']['spec'] : undefined);

  switch (object.kind) {
    case 'Pod':
      return at('spec', spec, spec['restartPolicy'] === undefined || spec['restartPolicy'] === 'Always');
    case 'Job':
      return at('spec.template.spec', template(spec), false);
    case 'CronJob':
      return at('spec.jobTemplate.spec.template.spec', isRecord(spec['jobTemplate']) ? template(spec['jobTemplate']['spec']) : undefined, false);
    case 'InferenceService':
      return KSERVE_COMPONENTS.flatMap((c) => at(`spec.${c}`, spec[c], true, true));
    default: {
      const pod = template(spec);
      // A workload of an API we do not know (an Argo Rollout, say) that holds a pod template: long-running.
      if (LONG_RUNNING_TEMPLATES.has(object.kind) || (isRecord(pod) && Array.isArray(pod['containers']))) {
        return at('spec.template.spec', pod, true);
      }
      return [];
    }
  }
}

/** The containers, init containers and (in a KServe predictor) the model of a pod spec. */
export function containersOf(pod: PodSpecAt): ContainerAt[] {
  const out: ContainerAt[] = [];
  const add = (list: string, init: boolean): void => {
    const items = pod.spec[list];
    if (!Array.isArray(items)) return;
    items.forEach((c, i) => {
      if (!isRecord(c)) return;
      const sidecar = init && c['restartPolicy'] === 'Always';
      out.push({ pod, path: `${pod.path}.${list}[${i}]`, name: typeof c['name'] === 'string' ? c['name'] : `#${i}`, container: c, init: init && !sidecar });
    });
  };
  add('initContainers', true);
  add('containers', false);
  const model = pod.spec['model'];
  if (pod.platformReadiness && isRecord(model)) out.push({ pod, path: `${pod.path}.model`, name: 'model', container: model, init: false });
  return out;
}

/** Every container of every pod spec of the objects. */
export function allContainers(objects: readonly KubeObject[]): ContainerAt[] {
  return objects.flatMap(podSpecsOf).flatMap(containersOf);
}

/** A field of a record, as a record (or undefined). */
export function rec(value: unknown, key: string): Rec | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return isRecord(field) ? field : undefined;
}
