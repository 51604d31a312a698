import { ModelCanaryError } from '../errors.js';
import type { KubeObject } from '../kube/client.js';
import { isDeployment, type Container, type Deployment, type PodTemplate } from './types.js';

/**
 * The canary plan, as pure data transforms: rendered objects + image in, objects to apply out. Nothing here
 * talks to the cluster, so every shape is tested on recorded objects.
 */
export const TRACK = 'track';
export const CANARY_SUFFIX = '-canary';

/** The canary's name for a stable object's name: `<name>-canary`, the one place it is spelled. */
export const canaryName = (stable: string): string => `${stable}${CANARY_SUFFIX}`;
/** Whether a name is a canary's (`<name>-canary`). */
export const isCanaryName = (name: string): boolean => name.endsWith(CANARY_SUFFIX);
/** The stable name a canary's name was made from. */
export const stableNameOf = (canary: string): string => (isCanaryName(canary) ? canary.slice(0, -CANARY_SUFFIX.length) : canary);
export const VERSION_LABEL = 'app.kubernetes.io/version';
/** On the canary Deployment: the stable Deployment it is a canary of, and the ConfigMaps copied for it. */
export const CANARY_OF = 'model-canary.dev/canary-of';
export const CANARY_CONFIGMAPS = 'model-canary.dev/canary-configmaps';
/** On the canary Deployment: the canary workers deployed with it (removed and promoted with it). */
export const CANARY_WORKERS = 'model-canary.dev/canary-workers';
/** The label of a batch worker Deployment (templates/chart's worker.yaml): released beside the model's. */
export const ROLE_LABEL = 'model-canary.dev/role';
/** The variable that tells a canary worker the percent of the untracked jobs its track takes. */
export const CANARY_WEIGHT_ENV = 'MODEL_CANARY_WEIGHT';

/** Whether a Deployment is a batch worker (labelled model-canary.dev/role: worker), not the model's server. */
export const isWorker = (d: Deployment): boolean => d.metadata.labels?.[ROLE_LABEL] === 'worker';
/** The canary workers a canary Deployment lists. */
export const canaryWorkersOf = (canary: Deployment | undefined): string[] =>
  (canary?.metadata.annotations?.[CANARY_WORKERS] ?? '').split(',').filter((n) => n !== '');

export interface PlanInput {
  objects: readonly KubeObject[];
  /** The image the model's containers run (repository@digest). */
  image: string;
  namespace: string;
  canaryReplicas: number;
  /** canary.weight: the percent of the untracked batch jobs a canary worker takes. */
  canaryWeight: number;
  /** Whether the stable Deployment already exists in the cluster. */
  stableExists: boolean;
}

export interface DeployPlan {
  mode: 'first' | 'canary';
  /** The stable Deployment's name (the rendered model Deployment). */
  stable: string;
  /** The Deployment the readiness gate watches: the stable one on a first deploy, else the canary. */
  gated: string;
  /** Objects to apply, in order. */
  apply: KubeObject[];
  /** A HorizontalPodAutoscaler scales the stable Deployment: its replicas are never set by us. */
  hpaManaged: boolean;
  /** Rendered objects a canary run does not touch (applied on promote): Service, HPA, PDB, ... */
  shared: KubeObject[];
  /** The worker Deployments gated after `gated`: stable's on a first deploy, else the canary workers. */
  gatedWorkers: string[];
}

const APPLY_ORDER = [
  'Namespace',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Service',
  'Deployment',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
];

export function planDeploy(input: PlanInput): DeployPlan {
  const objects = input.objects.map((o) => withNamespace(clone(o), input.namespace));
  const model = modelDeployment(objects, input.image);
  const workers = objects.filter(isDeployment).filter(isWorker);
  const unscaled = (d: Deployment): Deployment => (hpaTargets(objects, d.metadata.name) ? withoutReplicas(d) : d);
  const hpaManaged = hpaTargets(objects, model.metadata.name);
  if (!input.stableExists) {
    const apply = objects.map((o) => (isDeployment(o) && (o === model || isWorker(o)) ? unscaled(o) : o));
    const gatedWorkers = workers.map((w) => w.metadata.name);
    return { mode: 'first', stable: model.metadata.name, gated: model.metadata.name, apply: sortForApply(apply), hpaManaged, shared: [], gatedWorkers };
  }
  const templates = [model, ...workers].map((d) => d.spec.template);
  const copied = [...new Set(templates.flatMap(referencedConfigMaps))].filter((name) =>
    objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === name),
  );
  const configMaps = objects
    .filter((o) => o.kind === 'ConfigMap' && copied.includes(o.metadata.name))
    .map((cm) => ({ ...cm, metadata: { ...cm.metadata, name: canaryName(cm.metadata.name), labels: { ...cm.metadata.labels, [TRACK]: 'canary' } } }));
  const canaryWorkers = workers.map((w) => canaryWorker(w, input.canaryReplicas, copied, input.canaryWeight, input.image));
  const canary = canaryDeployment(model, input.canaryReplicas, copied);
  if (canaryWorkers.length > 0)
    canary.metadata.annotations = { ...canary.metadata.annotations, [CANARY_WORKERS]: canaryWorkers.map((w) => w.metadata.name).join(',') };
  const secrets = objects.filter((o) => o.kind === 'Secret');
  const shared = objects.filter((o) => o !== model && o.kind !== 'Secret' && !(isDeployment(o) && isWorker(o)));
  return {
    mode: 'canary',
    stable: model.metadata.name,
    gated: canary.metadata.name,
    apply: [...secrets, ...configMaps, canary, ...canaryWorkers],
    hpaManaged,
    shared: sortForApply(shared),
    gatedWorkers: canaryWorkers.map((w) => w.metadata.name),
  };
}

/**
 * The canary copy of a worker Deployment, as canaryDeployment makes it, whose containers running the image are
 * told the canary's weight: the percent of the jobs submitted without a track that its track takes.
 */
export function canaryWorker(worker: Deployment, replicas: number, configMaps: readonly string[], weight: number, image: string): Deployment {
  const copy = canaryDeployment(worker, replicas, configMaps);
  const all = containers(copy.spec.template);
  const running = all.filter((c) => c.image === image);
  for (const c of running.length > 0 ? running : all.slice(0, 1)) {
    c.env = [...(c.env ?? []).filter((e) => e.name !== CANARY_WEIGHT_ENV), { name: CANARY_WEIGHT_ENV, value: String(weight) }];
  }
  return copy;
}

/** A promoted worker's template: the canary worker's, without the canary's weight. */
export function withoutCanaryWeight(canary: Deployment): Deployment {
  const copy = clone(canary);
  for (const c of containers(copy.spec.template)) {
    if (c.env) c.env = c.env.filter((e) => e.name !== CANARY_WEIGHT_ENV);
  }
  return copy;
}

/** The stable worker a canary worker would be promoted over, when there is none yet: its name, track stable, no pods. */
export function stableWorkerFrom(canary: Deployment): Deployment {
  const stable = withoutCanaryWeight(canary);
  const track = { [TRACK]: 'stable' };
  const annotations = { ...stable.metadata.annotations };
  delete annotations[CANARY_OF];
  delete annotations[CANARY_CONFIGMAPS];
  stable.metadata = { ...stable.metadata, name: stableNameOf(canary.metadata.name), labels: { ...stable.metadata.labels, ...track }, annotations };
  stable.spec.selector = { ...stable.spec.selector, matchLabels: { ...stable.spec.selector.matchLabels, ...track } };
  return stable;
}

/** The model's Deployment among the rendered objects: the one whose containers run the image. */
export function modelDeployment(objects: readonly KubeObject[], image: string): Deployment {
  const deployments = objects.filter(isDeployment).filter((d) => !isWorker(d));
  const running = deployments.filter((d) => containers(d.spec.template).some((c) => c.image === image));
  const found = running.length === 1 ? running[0] : deployments.length === 1 ? deployments[0] : undefined;
  if (!found) {
    const names = deployments.map((d) => d.metadata.name).join(', ') || 'none';
    throw new ModelCanaryError(
      'user',
      `The strategy replicas needs exactly one Deployment running ${image} among the rendered objects; found ${running.length} (Deployments: ${names}).`,
      'Render one Deployment for the model server (the builtin chart does), or use canary.strategy traffic or kserve.',
    );
  }
  return found;
}

/** The canary copy of the stable Deployment: its own name, `track: canary` in labels and selector, its own pod count. */
export function canaryDeployment(stable: Deployment, replicas: number, configMaps: readonly string[]): Deployment {
  const copy = clone(stable);
  const name = canaryName(stable.metadata.name);
  const annotations: Record<string, string> = { ...copy.metadata.annotations, [CANARY_OF]: stable.metadata.name };
  if (configMaps.length > 0) annotations[CANARY_CONFIGMAPS] = configMaps.join(',');
  copy.metadata = { ...copy.metadata, name, labels: { ...copy.metadata.labels, [TRACK]: 'canary' }, annotations };
  copy.spec.replicas = replicas;
  copy.spec.selector = { ...copy.spec.selector, matchLabels: { ...copy.spec.selector.matchLabels, [TRACK]: 'canary' } };
  copy.spec.template = renameConfigMaps(copy.spec.template, (n) => (configMaps.includes(n) ? canaryName(n) : n));
  copy.spec.template.metadata = { ...copy.spec.template.metadata, labels: { ...copy.spec.template.metadata?.labels, [TRACK]: 'canary' } };
  return copy;
}

/**
 * The stable Deployment after promotion: the live stable object (its name, selector, replicas, strategy),
 * running the canary's pod template with the stable track and ConfigMap names, and the canary's version label.
 */
export function promotedStable(liveStable: Deployment, liveCanary: Deployment, hpaManaged: boolean): Deployment {
  const stable = cleanForApply(liveStable);
  const copied = (liveCanary.metadata.annotations?.[CANARY_CONFIGMAPS] ?? '').split(',').filter((n) => n !== '');
  const stableTrack = stable.spec.selector.matchLabels?.[TRACK] ?? 'stable';
  const template = renameConfigMaps(cleanTemplate(liveCanary.spec.template), (n) => (copied.some((c) => canaryName(c) === n) ? stableNameOf(n) : n));
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...stable.spec.selector.matchLabels, [TRACK]: stableTrack } };
  stable.spec.template = template;
  const version = liveCanary.metadata.labels?.[VERSION_LABEL];
  if (version !== undefined) stable.metadata.labels = { ...stable.metadata.labels, [VERSION_LABEL]: version };
  return hpaManaged ? withoutReplicas(stable) : stable;
}

/**
 * A promotion that cannot take stable down: no old pod goes before a new one has been Ready for
 * `minReadySeconds` (the post-promotion window), and all new pods start at once beside the old ones
 * (maxSurge 100 %, maxUnavailable 0), so the window runs once, not once per pod.
 */
export function withPostPromotionWindow(stable: Deployment, seconds: number): Deployment {
  if (seconds <= 0) return stable;
  return {
    ...stable,
    spec: { ...stable.spec, minReadySeconds: seconds, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '100%' } } },
  };
}

/** The live stable Deployment with the model's container set to another image (a rollback to a recorded revision). */
export function stableWithImage(liveStable: Deployment, image: string, version: string | undefined, hpaManaged: boolean): Deployment {
  const stable = cleanForApply(liveStable);
  const repo = repositoryOf(image);
  const matching = containers(stable.spec.template).filter((c) => c.image !== undefined && repositoryOf(c.image) === repo);
  const targets = matching.length > 0 ? matching : containers(stable.spec.template).slice(0, 1);
  for (const c of targets) c.image = image;
  if (version) {
    stable.metadata.labels = { ...stable.metadata.labels, [VERSION_LABEL]: version };
    stable.spec.template.metadata = { ...stable.spec.template.metadata, labels: { ...stable.spec.template.metadata?.labels, [VERSION_LABEL]: version } };
  }
  return hpaManaged ? withoutReplicas(stable) : stable;
}

/** A live object made fit to apply again: what the server owns (status, uid, revision bookkeeping) removed. */
export function cleanForApply<T extends KubeObject>(live: T): T {
  const copy = clone(live) as T & { status?: unknown; spec?: { template?: PodTemplate } };
  const { name, namespace, labels, annotations } = copy.metadata;
  const kept: Record<string, string> = { ...annotations };
  delete kept['deployment.kubernetes.io/revision'];
  delete kept['kubectl.kubernetes.io/last-applied-configuration'];
  copy.metadata = { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(Object.keys(kept).length > 0 ? { annotations: kept } : {}) };
  delete copy.status;
  if (copy.spec?.template) copy.spec.template = cleanTemplate(copy.spec.template);
  return copy;
}

/** The image an object's first model container runs. */
export function templateImages(template: PodTemplate): string[] {
  return containers(template).map((c) => c.image ?? '');
}

/** repository of repository@digest or repository:tag (a registry port is not a tag). */
export function repositoryOf(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(0, at);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
}

export function hpaTargets(objects: readonly KubeObject[], deployment: string): boolean {
  return objects.some((o) => {
    if (o.kind !== 'HorizontalPodAutoscaler') return false;
    const ref = (o['spec'] as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
    return ref?.kind === 'Deployment' && ref.name === deployment;
  });
}

function withoutReplicas(d: Deployment): Deployment {
  const copy = clone(d);
  delete copy.spec.replicas;
  return copy;
}

export function referencedConfigMaps(template: PodTemplate): string[] {
  const names = new Set<string>();
  renameConfigMaps(clone(template), (n) => {
    names.add(n);
    return n;
  });
  return [...names];
}

/** Rewrites every ConfigMap reference in a pod template (envFrom, env, volumes, projected volumes). */
function renameConfigMaps(template: PodTemplate, rename: (name: string) => string): PodTemplate {
  const copy = clone(template);
  for (const c of containers(copy)) {
    for (const from of c.envFrom ?? []) if (from.configMapRef) from.configMapRef.name = rename(from.configMapRef.name);
    for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef) e.valueFrom.configMapKeyRef.name = rename(e.valueFrom.configMapKeyRef.name);
  }
  for (const v of copy.spec?.volumes ?? []) {
    if (v.configMap) v.configMap.name = rename(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap) s.configMap.name = rename(s.configMap.name);
  }
  return copy;
}

export function cleanTemplate(template: PodTemplate): PodTemplate {
  const copy = clone(template);
  if (copy.metadata) delete copy.metadata['creationTimestamp'];
  return copy;
}

function containers(template: PodTemplate): Container[] {
  return [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])];
}

function withNamespace(o: KubeObject, namespace: string): KubeObject {
  if (o.kind === 'Namespace' || o.metadata.namespace) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

function sortForApply(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => {
    const i = APPLY_ORDER.indexOf(o.kind);
    return i < 0 ? APPLY_ORDER.length : i;
  };
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
